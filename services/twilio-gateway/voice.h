#pragma once
// An inbound call's webhook parameters and the CustomerMessage (channel "voice", outcome
// "incoming") that asks the router where to forward it. Pure.
#include <optional>
#include <string>

#include "refusal.h"
#include "switchboard/events.h"
#include "twilio_signature.h"

namespace sb::twilio_gateway {

struct InboundCall {
    std::string call_sid;             // CA…: the call's id, also in the <Dial action> report
    std::optional<std::string> from;  // E.164; nothing for a withheld or unknown caller
};

struct CallParse {
    std::optional<InboundCall> call;
    Refusal refusal;  // when there is no call
    explicit operator bool() const { return call.has_value(); }
};

// Refuses only a missing or malformed CallSid: a caller without a usable number is still on
// the line and still forwarded (just not noted in any room).
CallParse parse_inbound_call(const TwilioParams& params);

// The call as a CustomerMessage whose CallDecision goes to `reply_to`; needs call.from.
CustomerMessage call_message(const InboundCall& call, const std::string& reply_to,
                             const std::string& now);

// The number to forward to: the router's decision when it is E.164, else the fallback.
struct CallRoute {
    std::string forward_to;
    bool decided = false;  // false: the configured fallback
};
CallRoute route_call(const std::optional<std::string>& decision, const std::string& fallback);

}  // namespace sb::twilio_gateway
