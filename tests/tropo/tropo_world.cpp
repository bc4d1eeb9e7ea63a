#include "tropo_world.h"

#include <doctest/doctest.h>

#include "switchboard/topics.h"

namespace sb::testing::tropo {

using namespace std::chrono_literals;

namespace {

delivery::Options router_options(const std::string& pub, const std::string& sub,
                                 const std::string& data_dir) {
    delivery::Options options;
    options.service = "router-stub";
    options.instance = "router-stub";
    options.data_dir = data_dir;
    options.publish_endpoint = pub;
    options.subscribe_endpoint = sub;
    options.consume = {std::string(topics::customer_messages), std::string(topics::tropo_results)};
    return options;
}

}  // namespace

std::string repeat(const std::string& piece, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += piece;
    return out;
}

RouterStub::RouterStub(const std::string& pub, const std::string& sub, const std::string& data_dir)
    : node_(router_options(pub, sub, data_dir)) {
    node_.on_event([this](const delivery::Inbound& inbound, delivery::Transaction&) {
        std::string decision;
        {
            std::lock_guard lock(mutex_);
            if (inbound.topic == topics::tropo_results) {
                results_.push_back(inbound.event);
                return;
            }
            customer_messages_.push_back(inbound.event);
            decision = decision_;
        }
        const auto message = inbound.event.payload_as<CustomerMessage>();
        if (message.channel == "voice" && message.call && !decision.empty()) {
            node_.send_now(message.call->reply_to,
                           make_event(event_type::call_decision, "router-stub", inbound.event.key,
                                      CallDecision{message.call->call_id, decision}));
        }
    });
    node_.start();
}

RouterStub::~RouterStub() {
    node_.stop();
}

std::vector<Envelope> RouterStub::customer_messages() const {
    std::lock_guard lock(mutex_);
    return customer_messages_;
}

std::vector<Envelope> RouterStub::results() const {
    std::lock_guard lock(mutex_);
    return results_;
}

void RouterStub::decide_calls(const std::string& forward_to) {
    std::lock_guard lock(mutex_);
    decision_ = forward_to;
}

Envelope RouterStub::send_sms(const std::string& to, const std::string& text) {
    Envelope command = stamp(
        make_event(event_type::send_sms, "router-stub", to, SendSms{to, text, "room-of-" + to}));
    publish_command(command);
    return command;
}

void RouterStub::publish_command(const Envelope& command) {
    node_.publish(topics::tropo_commands, command);
}

std::optional<Envelope> RouterStub::report_for(const std::string& command_id) const {
    std::lock_guard lock(mutex_);
    for (const Envelope& result : results_) {
        if (result.correlation_id == command_id) return result;
    }
    return std::nullopt;
}

TropoWorld::TropoWorld(WorldOptions options) : options_(std::move(options)) {
    dir = make_temp_dir("tropo");
    bus = std::make_unique<BusProcess>(dir);

    gateway_port = free_port();
    sandbox_port = free_port();
    std::string app_url =
        "http://127.0.0.1:" + std::to_string(gateway_port) + "/api/tropo-webhook/";
    if (!options_.webhook_token.empty()) app_url += "?token=" + options_.webhook_token;
    sandbox = std::make_unique<Process>(
        build_dir() + "/sandbox", std::vector<std::string>{},
        std::map<std::string, std::string>{{"SANDBOX_PORT", std::to_string(sandbox_port)},
                                           {"TROPO_KEY", kTropoKey},
                                           {"SANDBOX_TROPO_APP_URL", app_url},
                                           {"SANDBOX_COMPANY_NUMBER", kCompany},
                                           {"DATA_DIR", dir + "/sandbox"},
                                           {"BUS_PUBLISH_ENDPOINT", bus->publish},
                                           {"BUS_SUBSCRIBE_ENDPOINT", bus->subscribe}},
        dir + "/sandbox.log");
    REQUIRE(wait_until([&] { return http_status(sandbox_port, "/healthz") == 200; }, 10s));

    if (options_.with_router) {
        router = std::make_unique<RouterStub>(bus->publish, bus->subscribe, dir + "/router");
    }
    gateway = start_gateway(options_.gateway_env);
}

std::unique_ptr<Process> TropoWorld::start_gateway(
    const std::map<std::string, std::string>& extra) {
    std::map<std::string, std::string> env{
        {"TROPO_GATEWAY_PORT", std::to_string(gateway_port)},
        {"TROPO_KEY", kTropoKey},
        {"TROPO_API_URL", "http://127.0.0.1:" + std::to_string(sandbox_port) + "/1.0"},
        {"CUSTOMER_SERVICE_REDIRECT_DN", kRedirect},
        {"DATA_DIR", dir + "/gateway"},
        {"BUS_PUBLISH_ENDPOINT", bus->publish},
        {"BUS_SUBSCRIBE_ENDPOINT", bus->subscribe}};
    if (!options_.webhook_token.empty()) env["TROPO_WEBHOOK_TOKEN"] = options_.webhook_token;
    for (const auto& [name, value] : extra) env[name] = value;
    auto process = std::make_unique<Process>(build_dir() + "/tropo-gateway",
                                             std::vector<std::string>{}, env, dir + "/gateway.log");
    REQUIRE(wait_until([&] { return http_status(gateway_port, "/healthz") == 200; }, 10s));
    return process;
}

httplib::Result TropoWorld::sandbox_get(const std::string& path) {
    httplib::Client client("127.0.0.1", sandbox_port);
    return client.Get(path.c_str());
}

httplib::Result TropoWorld::sandbox_post(const std::string& path, const json& body) {
    httplib::Client client("127.0.0.1", sandbox_port);
    return client.Post(path.c_str(), body.dump(), "application/json");
}

httplib::Result TropoWorld::webhook_post(const std::string& body, const std::string& query) {
    httplib::Client client("127.0.0.1", gateway_port);
    client.set_read_timeout(10, 0);
    std::string path = "/api/tropo-webhook/";
    if (!query.empty()) path += "?" + query;
    return client.Post(path.c_str(), body, "application/json");
}

json TropoWorld::phone(const std::string& number) {
    const auto result = sandbox_get("/sandbox/tropo/phones/" + number);
    if (!result || result->status != 200) return json::object();
    return json::parse(result->body);
}

json TropoWorld::stats() {
    const auto result = sandbox_get("/sandbox/tropo/stats");
    if (!result || result->status != 200) return json::object();
    return json::parse(result->body);
}

std::vector<std::string> TropoWorld::inbox_texts(const std::string& number) {
    std::vector<std::string> texts;
    const json answer = phone(number);  // the loop must not outlive it
    if (!answer.contains("inbox")) return texts;
    for (const json& sms : answer.at("inbox")) texts.push_back(sms.at("text"));
    return texts;
}

std::uint64_t TropoWorld::stat(const char* group, const char* name) {
    const json all = stats();
    const json* value = all.contains(group) ? &all.at(group) : nullptr;
    if (value && name) value = value->contains(name) ? &value->at(name) : nullptr;
    return value && value->is_number_unsigned() ? value->get<std::uint64_t>() : 0;
}

}  // namespace sb::testing::tropo
