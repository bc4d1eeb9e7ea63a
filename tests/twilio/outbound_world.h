#pragma once
// The outbound half as real processes on loopback: the bus, the sandbox (its Twilio half as the
// carrier) and twilio-gateway, with the test playing the router through a BusRecorder. The
// gateway's REST client points at the sandbox's /twilio, the sandbox's status callbacks and the
// number's webhooks at the gateway.
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bus_recorder.h"
#include "http_client.h"
#include "stack.h"
#include "switchboard/events.h"

namespace sb::testing {

class TwilioOutboundWorld : public Stack {
  public:
    explicit TwilioOutboundWorld(const Env& gateway_env = {});

    const int sandbox_port;
    const int gateway_port;

    Process& start_gateway(const Env& extra = {});
    // The settings twilio-gateway runs with (the demo's Twilio account among them).
    Env gateway_env() const;

    // The router's side: SendSms on sms.send (room "room-of-<to>", reply "reply-<n>").
    Envelope send_sms(const std::string& to, const std::string& text);
    std::vector<Envelope> reports() const;  // everything on sms.report, in order
    std::optional<DeliveryReport> command_report(const std::string& command_id) const;
    // The reports from status callbacks (correlation_id empty) about `agent_message_id`.
    std::vector<DeliveryReport> callback_reports(const std::string& agent_message_id) const;

    HttpAnswer sandbox(const std::string& method, const std::string& path,
                       const nlohmann::json& body = nullptr);
    std::vector<std::string> inbox_texts(const std::string& number);
    // /sandbox/twilio/stats
    nlohmann::json stats();
    // POSTs a form to the gateway's path with `signature` as X-Twilio-Signature.
    HttpAnswer gateway_form(const std::string& path_and_query, const std::string& body,
                            const std::string& signature);
    double metric(const std::string& name, const std::string& labels = "");

  private:
    std::unique_ptr<BusRecorder> router_;
    Env gateway_extra_;
    mutable std::mutex mutex_;
    int sent_ = 0;
};

}  // namespace sb::testing
