#pragma once
// Why a webhook's parameters are refused: the HTTP status to answer (4xx, never 5xx: Twilio
// does not redeliver, and a garbage request must not look like our failure), a short code for
// the log and twilio_webhooks_rejected_total{reason}, and a plain sentence.
#include <string>

namespace sb::twilio_gateway {

struct Refusal {
    int status = 400;
    std::string code;
    std::string reason;
};

}  // namespace sb::twilio_gateway
