#pragma once
// The session JSON real Tropo POSTs to an application URL, for the three kinds the sandbox
// produces: an inbound SMS, an inbound call, and a token-launched session (Session API).
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace sb::sandbox::tropo {

using json = nlohmann::json;

// Labels Tropo shows instead of a number for a blocked caller.
bool is_anonymous_label(const std::string& caller);

// How Tropo writes a number in `id`: formatting stripped; North-American SMS ids carry the
// leading 1 (11 digits), voice ids usually not (10 digits); other countries their full digits.
std::string tropo_id(const std::string& e164, bool voice);
// `e164Id`: country code and number without '+'.
std::string tropo_e164_id(const std::string& e164);

struct SessionIds {
    std::string session_id;  // 32 hex
    std::string call_id;     // 32 hex
    std::string timestamp;   // 2013-05-17T15:44:08.724Z
};

struct InboundText {
    std::string from;  // E.164
    std::string to;    // E.164, the company number
    std::string text;
};
json inbound_sms_session(const InboundText& sms, const SessionIds& ids);

struct InboundCall {
    std::string from;             // E.164, or "Restricted" / "Unknown"
    std::string to;               // E.164, the company number
    std::string network = "SIP";  // SIP | PSTN | VOIP
    std::string caller_name;      // caller id name; empty: null
};
json inbound_call_session(const InboundCall& call, const SessionIds& ids);

// userType NONE, no to/from, parameters carrying every launch value as a string.
json token_launch_session(const std::map<std::string, std::string>& parameters,
                          const SessionIds& ids);

}  // namespace sb::sandbox::tropo
