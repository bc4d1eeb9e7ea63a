#pragma once
// Pure translation between parsed Tropo sessions and Switchboard events / Tropo answers.
#include <optional>
#include <string>
#include <string_view>

#include "switchboard/events.h"
#include "tropo_session.h"
#include "tropo_verbs.h"

namespace sb::tropo_gateway {

// The session's own timestamp (normalized) when it has a valid one, else `now`.
std::string received_at(const InboundSession& session, const std::string& now);

// An inbound SMS as a CustomerMessage (channel "sms", keyed by the customer's number).
CustomerMessage sms_message(const InboundSession& session, const std::string& now);
// An inbound call as a CustomerMessage (channel "voice") whose decision goes to `reply_to`.
CustomerMessage call_message(const InboundSession& session, const std::string& reply_to,
                             const std::string& now);

// The transfer for a call: the router's decision when it is a valid E.164, else the fallback.
struct CallRoute {
    std::string forward_to;
    bool decided = false;  // false: the configured fallback
    std::string answer;    // Tropo JSON
};
// With `events`, Tropo reports how the transfer ended (transfer_result.h).
CallRoute route_call(const InboundSession& session, const std::optional<std::string>& decision,
                     const std::string& fallback, const TransferEvents& events = {});

// A token-launched session is answered with the SMS it was launched for, but only when it was
// launched with our own token (Tropo copies it into the parameters): a forged session sends none.
struct LaunchAnswer {
    int status = 200;
    std::string answer;  // Tropo JSON when status is 200
    std::string code;    // metric label when refused
    std::string reason;
    std::string to;  // E.164 the SMS goes to
};
LaunchAnswer answer_token_launch(const InboundSession& session, std::string_view tropo_key);

// Compares secrets in constant time (neither bytes nor length show); an empty secret matches
// nothing.
bool same_secret(std::string_view given, std::string_view expected);

}  // namespace sb::tropo_gateway
