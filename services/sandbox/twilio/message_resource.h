#pragma once
// Twilio's Message resource as the REST API writes it (twilio-oai's api.v2010.account.message):
// sids, RFC 2822 dates, num_segments as a string, null error_code until something failed.
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace sb::sandbox::twilio {

// A fresh sid: `prefix` ("SM", "MM", "ME", "CA") and 32 lowercase hex digits.
std::string new_sid(const char* prefix);
// "Tue, 01 Dec 2026 14:39:47 +0000"
std::string rfc2822(std::chrono::system_clock::time_point when);

// How many SMS segments the body takes: GSM-7 (160 in one, 153 per part; the extension
// characters count two) unless one character is outside it, then UCS-2 (70, 67 per part).
int segment_count(std::string_view body);

struct MessageRecord {
    std::string sid;
    std::string account_sid;
    std::string to;
    std::string from;  // may be empty (a Messaging Service picks the sender)
    std::string messaging_service_sid;
    std::string body;
    std::vector<std::string> media_sids;  // ME…
    std::string status;                   // queued, accepted, sending, sent, delivered, …
    std::string direction = "outbound-api";
    int error_code = 0;
    std::string error_message;
    std::string status_callback;
    std::chrono::system_clock::time_point created;
    std::chrono::system_clock::time_point updated;
    std::chrono::system_clock::time_point sent_at{};  // zero until sent
};

nlohmann::json message_json(const MessageRecord& message);
// /2010-04-01/Accounts/{account}/Messages/{sid}.json
std::string message_uri(const std::string& account_sid, const std::string& sid);

}  // namespace sb::sandbox::twilio
