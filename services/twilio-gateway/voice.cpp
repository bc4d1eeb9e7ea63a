#include "voice.h"

#include "inbound_sms.h"
#include "twilio_form.h"

namespace sb::twilio_gateway {

CallParse parse_inbound_call(const TwilioParams& params) {
    CallParse parse;
    InboundCall call;
    call.call_sid = param(params, "CallSid");
    if (!is_twilio_sid(call.call_sid, "CA")) {
        parse.refusal = {400, "bad_call_sid", "CallSid is missing or not a Twilio call sid"};
        return parse;
    }
    call.from = e164_from(param(params, "From"));
    parse.call = std::move(call);
    return parse;
}

CustomerMessage call_message(const InboundCall& call, const std::string& reply_to,
                             const std::string& now) {
    CustomerMessage message;
    message.customer = call.from.value_or("");
    message.channel = "voice";
    message.received_at = now;
    message.call = CallInfo{call.call_sid, reply_to};
    return message;
}

CallRoute route_call(const std::optional<std::string>& decision, const std::string& fallback) {
    CallRoute route;
    route.decided = decision && is_e164(*decision);
    route.forward_to = route.decided ? *decision : fallback;
    return route;
}

}  // namespace sb::twilio_gateway
