#pragma once
// The door of every Twilio webhook route (the inbound SMS, the calls, the status callbacks):
// a request is taken only when X-Twilio-Signature is Twilio's for PUBLIC_BASE_URL + the request's
// path and query — the URL Twilio was given, never the internal one a proxy forwards to.
// Missing header -> 400, forged -> 403 (as twilio-node answers), a broken form -> 400, text that
// is not UTF-8 -> 400; each with a log line and twilio_webhooks_rejected_total{reason}.
#include <httplib.h>

#include <optional>
#include <string>

#include "gateway_config.h"
#include "refusal.h"
#include "switchboard/metrics.h"
#include "twilio_signature.h"

namespace sb::twilio_gateway {

class SignedRequests {
  public:
    SignedRequests(const GatewayConfig& config, Metrics& metrics);

    // The request's parameters when Twilio signed it; otherwise the refusal is answered (and
    // logged and counted) and nothing returned. `kind` names the route in logs and metrics
    // ("sms", "voice", "dial", "status"). A JSON body (bodySHA256) yields no parameters.
    std::optional<TwilioParams> accept(const httplib::Request& request, httplib::Response& response,
                                       const std::string& kind);

    // Answers `refusal` with a log line and a count (also for refusals of the route itself).
    void reject(httplib::Response& response, const Refusal& refusal, const std::string& kind);

    // twilio_webhooks_total{kind}: a webhook taken.
    void count(const std::string& kind);

    // PUBLIC_BASE_URL + the request's path and query.
    std::string signed_url(const httplib::Request& request) const;

  private:
    const GatewayConfig& config_;
    Metrics& metrics_;
};

}  // namespace sb::twilio_gateway
