#pragma once
// How long the sender waits before it tries a Messages.json call again after an answer that
// clears by itself (429/20429, 5xx, 21611, no answer). Twilio's advice for 429 is exponential
// backoff; a Retry-After header, when Twilio sends one, is honoured. There is no last attempt:
// the SendSms stays pending (held in the delivery journal) until Twilio takes it or refuses it
// for good, so a long outage delays the customer's SMS but never turns into a failure the agent
// did not cause. Pure.
#include <chrono>
#include <string>

namespace sb::twilio_gateway {

struct SendBackoff {
    std::chrono::milliseconds first{500};
    std::chrono::milliseconds max{60000};
    // A Retry-After beyond this is read as this (a wrong header must not park an SMS for a day).
    std::chrono::milliseconds max_retry_after{300000};
};

// The wait before retry number `retry` (1 for the first), without jitter: first * 2^(retry-1),
// capped; or Retry-After (delta-seconds) when given and readable, within [first, max_retry_after].
std::chrono::milliseconds retry_delay(int retry, const std::string& retry_after,
                                      const SendBackoff& backoff);

}  // namespace sb::twilio_gateway
