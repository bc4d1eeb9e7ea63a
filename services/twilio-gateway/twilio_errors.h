#pragma once
// What Twilio's answers mean for the agent who sent the SMS: the answer to a Messages.json call
// (HTTP status + Twilio's error code) and the ErrorCode of a status callback, each mapped to a
// carrier-neutral outcome and a plain reason that says what happened and what the agent can do.
// Pure; codes from Twilio's error dictionary (twilio.com/docs/api/errors) and PROVIDERS.md.
#include <string>

namespace sb::twilio_gateway {

// What to do with the SendSms after one Messages.json answer.
enum class SendVerdict {
    sent,       // 2xx: Twilio took it
    retry,      // network error, 429/20429, 5xx, 21611: try again later, the command stays pending
    failed,     // refused for good: nothing was sent, never retried
    opted_out,  // 21610: the customer replied STOP; refused for good
};

struct SendOutcome {
    SendVerdict verdict = SendVerdict::failed;
    std::string reason;        // plain language for the agent (failed / opted_out); why (retry)
    std::string carrier_code;  // Twilio's code ("21211"), or "HTTP 4xx" without one; "" when sent
};

// `http_status` 0 means no HTTP answer (network error; `error` says which). `twilio_code` is the
// error body's "code" (0 when none), `message` its "message".
SendOutcome classify_send_answer(int http_status, int twilio_code, const std::string& message);

// The plain reason for a status callback's ErrorCode (on `undelivered` or `failed`); a code not
// in the table gets a generic reason naming it. An empty code (none given) gets a generic one.
std::string callback_error_reason(const std::string& error_code);

}  // namespace sb::twilio_gateway
