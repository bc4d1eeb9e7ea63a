#pragma once
// Tropo WebAPI session JSON -> what kind of session it is, read leniently: any field may be
// missing or null, numbers come as 10 or 11 digits, E.164 with or without '+', or tel:/sip: URIs.
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace sb::tropo_gateway {

enum class SessionKind { sms, call, token_launch };
const char* kind_name(SessionKind kind);

struct InboundSession {
    SessionKind kind = SessionKind::sms;
    std::string session_id;
    std::string call_id;              // callId, or the session id when Tropo sent none
    std::optional<std::string> from;  // E.164; none for blocked or unparseable callers
    std::optional<std::string> to;    // E.164 of the number that was reached
    std::string text;                 // initialText of an SMS
    std::string timestamp;            // as Tropo sent it, possibly empty
    std::map<std::string, std::string> parameters;  // token launches; values as strings
};

struct SessionParse {
    std::optional<InboundSession> session;
    std::string code;    // short metric label for a rejection: "malformed", "wrong_shape", ...
    std::string reason;  // for the person reading the 4xx
    explicit operator bool() const { return session.has_value(); }
};

SessionParse parse_session(std::string_view body);

// A Tropo endpoint id ("12085551234", "2085551234", "+1 208...", "tel:+1208...",
// "sip:+12085551234@host", "Restricted") as E.164, when it is a phone number at all.
std::optional<std::string> number_from_tropo_id(std::string_view id);

}  // namespace sb::tropo_gateway
