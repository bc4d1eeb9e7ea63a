#pragma once
// POST …/Messages.json, decided: the form's parameters become a message to send, or the error
// code Twilio answers with (checked in Twilio's order: the recipient, the sender, the content).
#include <functional>
#include <string>
#include <vector>

#include "form.h"

namespace sb::sandbox::twilio {

struct SendRequest {
    std::string to;
    std::string from;                   // empty when only a Messaging Service was named
    std::string messaging_service_sid;  // MG…, or empty
    std::string body;
    std::vector<std::string> media_urls;
    std::string status_callback;
    bool smart_encoded = false;
};

struct SendContext {
    std::string company_number;         // the one number the account owns
    std::string messaging_service_sid;  // the account's service (MG…); empty: any MG… sid
    std::function<bool(const std::string&)> opted_out;  // the refusal list (STOP)
};

struct SendDecision {
    int error_code = 0;  // 0: accepted
    SendRequest request;
};

SendDecision decide_send(const Params& params, const SendContext& context);

// "+" then 2 to 15 digits, the first not 0.
bool is_e164(const std::string& number);
// A sid: the two-letter prefix and 32 lowercase or uppercase hex digits.
bool is_sid(const std::string& sid, const char* prefix);
// http(s)://host…
bool is_http_url(const std::string& url);

inline constexpr size_t kMaxBodyCharacters = 1600;
inline constexpr size_t kMaxMedia = 10;

}  // namespace sb::sandbox::twilio
