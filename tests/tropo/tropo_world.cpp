#include "tropo_world.h"

#include <doctest/doctest.h>

#include "http_client.h"
#include "switchboard/topics.h"

namespace sb::testing {

using namespace std::chrono_literals;

std::string repeat(const std::string& piece, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += piece;
    return out;
}

RouterStub::RouterStub(const Stack& stack)
    : node_(stack.recorder("router-stub", {std::string(topics::customer_messages),
                                           std::string(topics::sms_reports)})) {
    node_->on_event([this](const delivery::Inbound& inbound, delivery::Transaction&) {
        if (inbound.topic == topics::sms_reports) return;
        std::string decision;
        {
            std::lock_guard lock(mutex_);
            decision = decision_;
        }
        const auto message = inbound.event.payload_as<CustomerMessage>();
        if (message.channel == "voice" && message.call && !decision.empty()) {
            node_->node().send_now(
                message.call->reply_to,
                make_event(event_type::call_decision, "router-stub", inbound.event.key,
                           CallDecision{message.call->call_id, decision}));
        }
    });
    node_->start();
}

std::vector<Envelope> RouterStub::customer_messages() const {
    return node_->events(topics::customer_messages);
}

std::vector<Envelope> RouterStub::results() const {
    return node_->events(topics::sms_reports);
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
    node_->publish(topics::sms_to_send, command);
}

std::optional<Envelope> RouterStub::report_for(const std::string& command_id) const {
    for (const Envelope& result : results()) {
        if (result.correlation_id == command_id) return result;
    }
    return std::nullopt;
}

namespace {

// The gateway's webhook as the sandbox's Tropo application calls it, with the token when set.
Env sandbox_env(const Stack& stack, const WorldOptions& options) {
    std::string app_url = stack.url("tropo-gateway") + "/api/tropo-webhook/";
    if (!options.webhook_token.empty()) app_url += "?token=" + options.webhook_token;
    return {{"SANDBOX_TROPO_APP_URL", app_url}};
}

}  // namespace

TropoWorld::TropoWorld(WorldOptions options)
    : Stack("tropo"),
      sandbox_port(port("sandbox")),
      gateway_port(port("tropo-gateway")),
      options_(std::move(options)) {
    start("bus");
    start("sandbox", sandbox_env(*this, options_));
    if (options_.with_router) router = std::make_unique<RouterStub>(*this);
    gateway = start_gateway(options_.gateway_env);
}

Process* TropoWorld::start_gateway(const Env& extra) {
    Env env;
    if (!options_.webhook_token.empty()) env["TROPO_WEBHOOK_TOKEN"] = options_.webhook_token;
    for (const auto& [name, value] : extra) env[name] = value;
    gateway = &start("tropo-gateway", env);
    return gateway;
}

httplib::Result TropoWorld::sandbox_get(const std::string& path) {
    return http_client(sandbox_port).Get(path.c_str());
}

httplib::Result TropoWorld::sandbox_post(const std::string& path, const json& body) {
    return http_client(sandbox_port).Post(path.c_str(), body.dump(), "application/json");
}

httplib::Result TropoWorld::webhook_post(const std::string& body, const std::string& query) {
    auto client = http_client(gateway_port);
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

}  // namespace sb::testing
