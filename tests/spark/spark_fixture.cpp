#include "spark_fixture.h"

#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "switchboard/topics.h"

namespace sb::spark_testing {

using namespace std::chrono_literals;
using testing::Process;
using testing::wait_until;

std::string HttpAnswer::header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
        if (strcasecmp(key.c_str(), name.c_str()) == 0) return value;
    }
    return {};
}

std::string hmac_sha1_hex(const std::string& key, const std::string& body) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
    std::string hex;
    char pair[3];
    for (unsigned int i = 0; i < length; ++i) {
        std::snprintf(pair, sizeof pair, "%02x", digest[i]);
        hex += pair;
    }
    return hex;
}

std::string visible(const std::string& text) {
    static const char* const kInvisible[] = {"\xE2\x81\xA0", "\xE2\x80\x8B", "\xE2\x80\x8C",
                                             "\xE2\x80\x8D", "\xE2\x81\xA3"};
    std::string out;
    for (size_t at = 0; at < text.size(); ++at) {
        bool invisible = false;
        for (const char* character : kInvisible) invisible |= text.compare(at, 3, character) == 0;
        if (invisible) {
            at += 2;
            continue;
        }
        out += text[at];
    }
    return out;
}

SparkStack::SparkStack()
    : dir(testing::make_temp_dir("spark")),
      sandbox_port(testing::free_port()),
      gateway_port(testing::free_port()),
      bus_pub(testing::free_endpoint()),
      bus_sub(testing::free_endpoint()) {}

SparkStack::~SparkStack() {
    if (router_) router_->stop();
}

void SparkStack::start_bus() {
    bus = std::make_unique<testing::BusProcess>(dir, bus_pub, bus_sub);
}

void SparkStack::start_sandbox(std::map<std::string, std::string> env) {
    env["SANDBOX_PORT"] = std::to_string(sandbox_port);
    env["SPARK_TOKEN"] = kToken;
    env["SPARK_AGENT_TEAM_ID"] = kTeam;
    env["DATA_DIR"] = dir + "/sandbox-data";
    sandbox_process = std::make_unique<Process>(
        testing::build_dir() + "/sandbox", std::vector<std::string>{}, env, dir + "/sandbox.log");
    REQUIRE(wait_until([&] { return testing::http_status(sandbox_port, "/healthz") == 200; }, 10s));
}

void SparkStack::start_gateway(std::map<std::string, std::string> env, bool wait_ready) {
    env.emplace("SPARK_GATEWAY_PORT", std::to_string(gateway_port));
    env.emplace("SPARK_TOKEN", kToken);
    env.emplace("SPARK_API_URL", "http://127.0.0.1:" + std::to_string(sandbox_port) + "/v1");
    env.emplace("SPARK_AGENT_TEAM_ID", kTeam);
    env.emplace("SPARK_WEBHOOK_SECRET", kSecret);
    env.emplace("BUS_PUBLISH_ENDPOINT", bus_pub);
    env.emplace("BUS_SUBSCRIBE_ENDPOINT", bus_sub);
    env.emplace("DATA_DIR", dir + "/data");
    gateway =
        std::make_unique<Process>(testing::build_dir() + "/spark-gateway",
                                  std::vector<std::string>{}, env, dir + "/spark-gateway.log");
    ++gateway_runs_;
    if (wait_ready) {
        REQUIRE(
            wait_until([&] { return testing::http_status(gateway_port, "/healthz") == 200; }, 30s));
    }
}

void SparkStack::stop_gateway() {
    gateway->terminate();
    CHECK(gateway->wait_exit(2s) == 0);
    gateway.reset();
}

void SparkStack::start_router() {
    delivery::Options options;
    options.service = "router-stand-in";
    options.instance = "router-stand-in";
    options.data_dir = dir + "/router";
    options.publish_endpoint = bus_pub;
    options.subscribe_endpoint = bus_sub;
    options.consume = {std::string(topics::spark_results), std::string(topics::agent_messages)};
    router_ = std::make_unique<delivery::Node>(options);
    router_->on_event([this](const delivery::Inbound& inbound, delivery::Transaction&) {
        std::lock_guard lock(mutex_);
        if (inbound.topic == topics::spark_results)
            results_.push_back(inbound.event);
        else
            agent_messages_.push_back(inbound.event);
    });
    router_->start();
}

HttpAnswer SparkStack::sandbox(const std::string& method, const std::string& path, const json& body,
                               const std::string& token) {
    httplib::Client client("127.0.0.1", sandbox_port);
    client.set_read_timeout(10, 0);
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    const std::string payload = body.is_null() ? std::string() : body.dump();
    httplib::Result result{nullptr, httplib::Error::Unknown};
    if (method == "GET")
        result = client.Get(path.c_str(), headers);
    else if (method == "POST")
        result = client.Post(path.c_str(), headers, payload, "application/json");
    else if (method == "PUT")
        result = client.Put(path.c_str(), headers, payload, "application/json");
    else
        result = client.Delete(path.c_str(), headers);
    HttpAnswer answer;
    if (!result) return answer;
    answer.status = result->status;
    answer.raw = result->body;
    answer.headers = result->headers;
    answer.body = json::parse(result->body, nullptr, false);
    return answer;
}

HttpAnswer SparkStack::gateway_post(const std::string& body, const std::string& signature) {
    httplib::Client client("127.0.0.1", gateway_port);
    httplib::Headers headers;
    if (!signature.empty()) headers.emplace("X-Spark-Signature", signature);
    const auto result = client.Post("/api/spark-webhook/", headers, body, "application/json");
    HttpAnswer answer;
    if (!result) return answer;
    answer.status = result->status;
    answer.raw = result->body;
    answer.body = json::parse(result->body, nullptr, false);
    return answer;
}

std::string SparkStack::gateway_metrics() {
    httplib::Client client("127.0.0.1", gateway_port);
    const auto result = client.Get("/metrics");
    return result ? result->body : std::string();
}

Envelope SparkStack::send_command(std::string_view type, const std::string& key,
                                  const json& payload) {
    Envelope command;
    command.type = std::string(type);
    command.source = "router-stand-in";
    command.key = key;
    command.payload = payload;
    command = stamp(command);
    router_->publish(topics::spark_commands, command);
    return command;
}

void SparkStack::resend(const Envelope& command) {
    router_->publish(topics::spark_commands, command);
}

std::vector<Envelope> SparkStack::results_for(const std::string& command_id) {
    std::lock_guard lock(mutex_);
    std::vector<Envelope> matching;
    for (const Envelope& result : results_) {
        if (result.correlation_id == command_id) matching.push_back(result);
    }
    return matching;
}

std::vector<AgentMessage> SparkStack::agent_messages() {
    std::lock_guard lock(mutex_);
    std::vector<AgentMessage> messages;
    for (const Envelope& event : agent_messages_) {
        AgentMessage message = event.payload_as<AgentMessage>();
        CHECK(event.key == message.room_id);
        messages.push_back(std::move(message));
    }
    return messages;
}

bool SparkStack::wait_for_agent_message(const std::string& message_id, AgentMessage* out) {
    return wait_until(
        [&] {
            for (const AgentMessage& message : agent_messages()) {
                if (message.message_id == message_id) {
                    if (out != nullptr) *out = message;
                    return true;
                }
            }
            return false;
        },
        20s);
}

std::string SparkStack::general_room() {
    const HttpAnswer rooms = sandbox("GET", "/sandbox/spark/rooms");
    REQUIRE(rooms.status == 200);
    return rooms.body["items"][0]["id"].get<std::string>();
}

std::string SparkStack::new_room(const std::string& title) {
    const HttpAnswer created = sandbox("POST", "/sandbox/spark/rooms", {{"title", title}});
    REQUIRE(created.status == 200);
    return created.body["items"][0]["id"].get<std::string>();
}

SparkStack& SparkStack::start_all(std::map<std::string, std::string> env) {
    start_bus();
    start_sandbox();
    start_router();
    start_gateway(std::move(env));
    return *this;
}

std::string SparkStack::post_in_room(const std::string& room, const json& body) {
    const HttpAnswer posted = sandbox("POST", "/sandbox/spark/rooms/" + room + "/messages", body);
    REQUIRE(posted.status == 200);
    return posted.body["id"];
}

json SparkStack::our_webhooks() {
    return sandbox("GET", "/v1/webhooks", nullptr, kToken).body["items"];
}

json SparkStack::sandbox_stats() {
    return sandbox("GET", "/sandbox/spark/stats").body;
}

long long SparkStack::provider_calls(const std::string& endpoint) {
    const json stats = sandbox_stats();
    const auto found = stats["calls"].find(endpoint);
    return found == stats["calls"].end() ? 0 : found->get<long long>();
}

}  // namespace sb::spark_testing
