#include "session_json.h"

namespace sb::sandbox::tropo {
namespace {

// The account and application every sandbox session belongs to (Tropo's are numeric strings).
constexpr const char* kAccountId = "33932";
constexpr const char* kApplicationId = "1234567";
constexpr const char* kSipHost = "10.6.69.204";

json endpoint(const std::string& number, bool voice, const std::string& network,
              const std::string& name) {
    const bool anonymous = is_anonymous_label(number);
    return json{{"id", anonymous ? number : tropo_id(number, voice)},
                {"e164Id", anonymous ? json(nullptr) : json(tropo_e164_id(number))},
                {"name", name.empty() ? json(nullptr) : json(name)},
                {"channel", voice ? "VOICE" : "TEXT"},
                {"network", network}};
}

json base_session(const SessionIds& ids, const char* user_type) {
    return json{{"id", ids.session_id},
                {"accountId", kAccountId},
                {"applicationId", kApplicationId},
                {"timestamp", ids.timestamp},
                {"userType", user_type}};
}

}  // namespace

bool is_anonymous_label(const std::string& caller) {
    return caller == "Restricted" || caller == "Unknown" || caller == "Anonymous";
}

std::string tropo_e164_id(const std::string& e164) {
    return !e164.empty() && e164[0] == '+' ? e164.substr(1) : e164;
}

std::string tropo_id(const std::string& e164, bool voice) {
    const std::string digits = tropo_e164_id(e164);
    const bool north_american = digits.size() == 11 && digits[0] == '1';
    return north_american && voice ? digits.substr(1) : digits;
}

json inbound_sms_session(const InboundText& sms, const SessionIds& ids) {
    json session = base_session(ids, "HUMAN");
    const std::string from_id = tropo_id(sms.from, false);
    const std::string to_id = tropo_id(sms.to, false);
    session["initialText"] = sms.text;
    session["callId"] = ids.call_id;
    session["to"] = endpoint(sms.to, false, "SMS", "");
    session["from"] = endpoint(sms.from, false, "SMS", "");
    session["headers"] = {{"Max-Forwards", "70"},
                          {"Content-Length", std::to_string(sms.text.size())},
                          {"Contact", std::string("<sip:") + kSipHost + ":5066;transport=udp>"},
                          {"To", "<sip:" + to_id + "@" + kSipHost + ":5061;to>"},
                          {"CSeq", "1 MESSAGE"},
                          {"Via", std::string("SIP/2.0/UDP ") + kSipHost + ":5066;branch=z9hG4bK" +
                                      ids.call_id.substr(0, 12)},
                          {"Call-ID", ids.call_id},
                          {"Content-Type", "text/plain"},
                          {"From", "<sip:" + from_id + "@" + kSipHost +
                                       ";network=SMS>;tag=" + ids.session_id.substr(0, 8)}};
    return json{{"session", session}};
}

json inbound_call_session(const InboundCall& call, const SessionIds& ids) {
    json session = base_session(ids, "HUMAN");
    const bool anonymous = is_anonymous_label(call.from);
    const std::string from_id = anonymous ? call.from : tropo_id(call.from, true);
    const std::string to_id = tropo_id(call.to, true);
    session["initialText"] = nullptr;
    session["callId"] = ids.call_id;
    session["to"] = endpoint(call.to, true, call.network, "");
    session["from"] = endpoint(call.from, true, call.network, call.caller_name);
    session["headers"] = {
        {"x-sbc-from", "\"" + call.caller_name + "\"<sip:" + from_id + "@" + kSipHost + ">"},
        {"x-sbc-to", "<sip:" + to_id + "@" + kSipHost + ">"},
        {"Max-Forwards", "69"},
        {"Content-Length", "247"},
        {"Contact", std::string("<sip:") + kSipHost + ":5060>"},
        {"To", "<sip:" + to_id + "@" + kSipHost + ":5060>"},
        {"CSeq", "1 INVITE"},
        {"Via", std::string("SIP/2.0/UDP ") + kSipHost + ":5060;branch=z9hG4bK" +
                    ids.call_id.substr(0, 12)},
        {"Call-ID", ids.call_id},
        {"Content-Type", "application/sdp"},
        {"From", "<sip:" + from_id + "@" + kSipHost + ">;tag=" + ids.session_id.substr(0, 8)}};
    return json{{"session", session}};
}

json token_launch_session(const std::map<std::string, std::string>& parameters,
                          const SessionIds& ids) {
    json session = base_session(ids, "NONE");
    session["initialText"] = nullptr;
    session["callId"] = nullptr;
    session["parameters"] = json::object();
    for (const auto& [name, value] : parameters) session["parameters"][name] = value;
    return json{{"session", session}};
}

}  // namespace sb::sandbox::tropo
