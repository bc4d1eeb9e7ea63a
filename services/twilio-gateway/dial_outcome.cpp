#include "dial_outcome.h"

#include "inbound_sms.h"
#include "twilio_form.h"

namespace sb::twilio_gateway {

std::optional<DialOutcome> dial_outcome(std::string_view status) {
    // "answered" is not in Twilio's list for DialCallStatus but is a CallStatus word; a report
    // using it means the same.
    if (status == "completed" || status == "answered")
        return DialOutcome{"answered", std::string(status)};
    if (status == "no-answer" || status == "busy" || status == "failed" || status == "canceled") {
        return DialOutcome{"missed", std::string(status)};
    }
    return std::nullopt;
}

DialParse parse_dial_report(const TwilioParams& params) {
    DialParse parse;
    DialReport report;
    report.call_sid = param(params, "CallSid");
    if (!is_twilio_sid(report.call_sid, "CA")) {
        parse.refusal = {400, "bad_call_sid", "CallSid is missing or not a Twilio call sid"};
        return parse;
    }
    const auto outcome = dial_outcome(param(params, "DialCallStatus"));
    if (!outcome) {
        parse.refusal = {400, "bad_dial_status",
                         "DialCallStatus is missing or none of Twilio's words"};
        return parse;
    }
    report.outcome = *outcome;
    report.from = e164_from(param(params, "From"));
    parse.report = std::move(report);
    return parse;
}

CustomerMessage dial_message(const DialReport& report, const std::string& now) {
    CustomerMessage message;
    message.customer = report.from.value_or("");
    message.channel = "voice";
    message.received_at = now;
    CallInfo call;
    call.call_id = report.call_sid;
    call.outcome = report.outcome.outcome;
    call.detail = report.outcome.detail;
    message.call = std::move(call);  // no reply_to: nobody waits for a decision
    return message;
}

}  // namespace sb::twilio_gateway
