#include "outbound_world.h"

#include <doctest/doctest.h>

#include "switchboard/topics.h"

namespace sb::testing {

TwilioOutboundWorld::TwilioOutboundWorld(const Env& gateway_env)
    : Stack("twilio-out"),
      sandbox_port(port("sandbox")),
      gateway_port(port("twilio-gateway")),
      gateway_extra_(gateway_env) {
    start("bus");
    start("sandbox", Env{{"SMS_CARRIER", "twilio"},
                         {"TWILIO_SMS_URL", url("twilio-gateway") + "/api/twilio/sms/"},
                         {"TWILIO_VOICE_URL", url("twilio-gateway") + "/api/twilio/voice/"}});
    router_ = recorder("router-stub",
                       {std::string(topics::customer_messages), std::string(topics::sms_reports)});
    router_->start();
    start_gateway();
}

Env TwilioOutboundWorld::gateway_env() const {
    Env env = env_for("twilio-gateway");
    env["TWILIO_API_URL"] = url("sandbox") + "/twilio";
    env["PUBLIC_BASE_URL"] = url("twilio-gateway");
    for (const auto& [name, value] : gateway_extra_) env[name] = value;
    return env;
}

Process& TwilioOutboundWorld::start_gateway(const Env& extra) {
    Env env = gateway_env();
    for (const auto& [name, value] : extra) env[name] = value;
    return start("twilio-gateway", env);
}

Envelope TwilioOutboundWorld::send_sms(const std::string& to, const std::string& text) {
    int n = 0;
    {
        std::lock_guard lock(mutex_);
        n = ++sent_;
    }
    Envelope command =
        stamp(make_event(event_type::send_sms, "router-stub", to,
                         SendSms{to, text, "room-of-" + to, "reply-" + std::to_string(n)}));
    router_->publish(topics::sms_to_send, command);
    return command;
}

std::vector<Envelope> TwilioOutboundWorld::reports() const {
    return router_->events(topics::sms_reports);
}

std::optional<DeliveryReport> TwilioOutboundWorld::command_report(
    const std::string& command_id) const {
    for (const Envelope& report : reports()) {
        if (report.correlation_id == command_id) return report.payload_as<DeliveryReport>();
    }
    return std::nullopt;
}

std::vector<DeliveryReport> TwilioOutboundWorld::callback_reports(
    const std::string& agent_message_id) const {
    std::vector<DeliveryReport> out;
    for (const Envelope& event : reports()) {
        if (!event.correlation_id.empty()) continue;
        DeliveryReport report = event.payload_as<DeliveryReport>();
        if (report.agent_message_id == agent_message_id) out.push_back(std::move(report));
    }
    return out;
}

HttpAnswer TwilioOutboundWorld::sandbox(const std::string& method, const std::string& path,
                                        const nlohmann::json& body) {
    return http_json(sandbox_port, method, path, body);
}

std::vector<std::string> TwilioOutboundWorld::inbox_texts(const std::string& number) {
    std::vector<std::string> texts;
    const HttpAnswer answer = sandbox("GET", "/sandbox/twilio/phones/" + number);
    if (answer.status != 200 || !answer.body.contains("inbox")) return texts;
    const nlohmann::json inbox = answer.body.at("inbox");  // the loop must not outlive it
    for (const nlohmann::json& sms : inbox) texts.push_back(sms.at("text"));
    return texts;
}

nlohmann::json TwilioOutboundWorld::stats() {
    const HttpAnswer answer = sandbox("GET", "/sandbox/twilio/stats");
    return answer.status == 200 ? answer.body : nlohmann::json::object();
}

HttpAnswer TwilioOutboundWorld::gateway_form(const std::string& path_and_query,
                                             const std::string& body,
                                             const std::string& signature) {
    auto client = http_client(gateway_port);
    httplib::Headers headers;
    if (!signature.empty()) headers.emplace("X-Twilio-Signature", signature);
    return answer_of(
        client.Post(path_and_query.c_str(), headers, body, "application/x-www-form-urlencoded"));
}

double TwilioOutboundWorld::metric(const std::string& name, const std::string& labels) {
    return scrape_metric(gateway_port, name, labels);
}

}  // namespace sb::testing
