#pragma once
// How a forwarded call ended, from the report Twilio posts to the <Dial action> URL, and the
// CustomerMessage (channel "voice", outcome answered or missed) that tells the customer's room.
// Pure.
#include <optional>
#include <string>
#include <string_view>

#include "refusal.h"
#include "switchboard/events.h"
#include "twilio_signature.h"

namespace sb::twilio_gateway {

struct DialOutcome {
    std::string outcome;  // "answered" | "missed"
    std::string detail;   // Twilio's DialCallStatus, e.g. "no-answer"
};

// completed / answered -> answered; no-answer, busy, failed, canceled -> missed; anything else
// is no outcome Twilio reports.
std::optional<DialOutcome> dial_outcome(std::string_view dial_call_status);

struct DialReport {
    std::string call_sid;             // the caller's call (the one the router was asked about)
    std::optional<std::string> from;  // E.164; nothing for a withheld number
    DialOutcome outcome;
};

struct DialParse {
    std::optional<DialReport> report;
    Refusal refusal;
    explicit operator bool() const { return report.has_value(); }
};

DialParse parse_dial_report(const TwilioParams& params);

// The room's note of how the call ended; needs report.from.
CustomerMessage dial_message(const DialReport& report, const std::string& now);

}  // namespace sb::twilio_gateway
