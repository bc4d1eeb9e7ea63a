#include "translate.h"

#include "switchboard/crypto.h"
#include "switchboard/time_format.h"
#include "tropo_verbs.h"

namespace sb::tropo_gateway {

std::string received_at(const InboundSession& session, const std::string& now) {
    const auto parsed = parse_iso8601(session.timestamp);
    return parsed ? iso8601(*parsed) : now;
}

CustomerMessage sms_message(const InboundSession& session, const std::string& now) {
    CustomerMessage message;
    message.customer = session.from.value_or("");
    message.channel = "sms";
    message.text = session.text;
    message.received_at = received_at(session, now);
    return message;
}

CustomerMessage call_message(const InboundSession& session, const std::string& reply_to,
                             const std::string& now) {
    CustomerMessage message;
    message.customer = session.from.value_or("");
    message.channel = "voice";
    message.received_at = received_at(session, now);
    message.call = CallInfo{session.call_id, reply_to};
    return message;
}

CallRoute route_call(const InboundSession& session, const std::optional<std::string>& decision,
                     const std::string& fallback, const TransferEvents& events) {
    CallRoute route;
    route.decided = decision && is_e164(*decision);
    route.forward_to = route.decided ? *decision : fallback;
    route.answer = transfer_answer(route.forward_to, session.from, events);
    return route;
}

bool same_secret(std::string_view given, std::string_view expected) {
    return !expected.empty() && crypto::constant_time_equals(given, expected);
}

LaunchAnswer answer_token_launch(const InboundSession& session, std::string_view tropo_key) {
    LaunchAnswer result;
    const auto get = [&](const char* name) -> std::string {
        const auto found = session.parameters.find(name);
        return found == session.parameters.end() ? std::string() : found->second;
    };
    if (!same_secret(get(parameter::token), tropo_key)) {
        result.status = 403;
        result.code = "forged_launch";
        result.reason = "token-launched session not launched with this application's token";
        return result;
    }
    const auto to = number_from_tropo_id(get(parameter::number_to_dial));
    if (!to) {
        result.status = 400;
        result.code = "bad_number";
        result.reason = "parameters.numberToDial is no phone number";
        return result;
    }
    const std::string text = get(parameter::msg);
    if (text.empty()) {
        result.status = 400;
        result.code = "empty_text";
        result.reason = "parameters.msg is empty";
        return result;
    }
    result.to = *to;
    result.answer = message_answer(*to, text);
    return result;
}

}  // namespace sb::tropo_gateway
