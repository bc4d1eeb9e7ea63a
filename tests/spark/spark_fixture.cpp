#include "spark_fixture.h"

#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "switchboard/phone.h"
#include "switchboard/topics.h"

namespace sb::testing {

using namespace std::chrono_literals;

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
    : Stack("spark"), sandbox_port(port("sandbox")), gateway_port(port("spark-gateway")) {}

SparkStack::~SparkStack() {
    if (router_) router_->stop();
}

void SparkStack::start_bus() {
    start("bus");
}

void SparkStack::start_sandbox(const Env& env) {
    start("sandbox", env);
}

void SparkStack::start_gateway(Env env, bool wait_ready) {
    Start how;
    how.env = std::move(env);
    how.wait_healthy = wait_ready;
    gateway = &start("spark-gateway", how);
}

void SparkStack::stop_gateway() {
    CHECK(stop("spark-gateway", 2s) == 0);
    gateway = nullptr;
}

void SparkStack::start_router() {
    router_ = recorder("router-stand-in",
                       {std::string(topics::spark_results), std::string(topics::agent_messages)});
    router_->start();
}

HttpAnswer SparkStack::sandbox(const std::string& method, const std::string& path, const json& body,
                               const std::string& token) {
    return http_json(sandbox_port, method, path, body, token);
}

HttpAnswer SparkStack::gateway_post(const std::string& body, const std::string& signature) {
    httplib::Headers headers;
    if (!signature.empty()) headers.emplace("X-Spark-Signature", signature);
    return answer_of(
        http_client(gateway_port).Post("/api/spark-webhook/", headers, body, "application/json"));
}

std::string SparkStack::gateway_metrics() {
    const auto result = http_client(gateway_port).Get("/metrics");
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
    std::vector<Envelope> matching;
    for (const Envelope& result : router_->events(topics::spark_results)) {
        if (result.correlation_id == command_id) matching.push_back(result);
    }
    return matching;
}

bool SparkStack::wait_for_results(const std::vector<Envelope>& commands,
                                  std::chrono::milliseconds timeout) {
    return wait_until(
        [&] {
            for (const Envelope& command : commands) {
                if (results_for(command.id).empty()) return false;
            }
            return true;
        },
        timeout);
}

std::vector<AgentMessage> SparkStack::agent_messages() {
    std::vector<AgentMessage> messages;
    for (const Envelope& event : router_->events(topics::agent_messages)) {
        if (event.type != event_type::agent_message) continue;  // AgentMessageDeleted too
        AgentMessage message = event.payload_as<AgentMessage>();
        // Keyed for the customer's router partition: their number from the room's title, else
        // the room (README, "Partitions and replicas").
        CHECK(event.key ==
              phone::number_from_room_title(message.room_title).value_or(message.room_id));
        messages.push_back(std::move(message));
    }
    return messages;
}

std::vector<Envelope> SparkStack::agent_events() {
    return router_->events(topics::agent_messages);
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

json SparkStack::our_webhooks(const std::string& event) {
    json items = sandbox("GET", "/v1/webhooks", nullptr, demo().spark_token).body["items"];
    if (event.empty()) return items;
    json matching = json::array();
    for (const json& hook : items) {
        const auto found = hook.find("event");
        if (found != hook.end() && *found == event) matching.push_back(hook);
    }
    return matching;
}

json SparkStack::sandbox_stats() {
    return sandbox("GET", "/sandbox/spark/stats").body;
}

long long SparkStack::provider_calls(const std::string& endpoint) {
    const json stats = sandbox_stats();
    const auto found = stats["calls"].find(endpoint);
    return found == stats["calls"].end() ? 0 : found->get<long long>();
}

}  // namespace sb::testing
