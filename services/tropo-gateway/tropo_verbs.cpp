#include "tropo_verbs.h"

#include "transfer_result.h"

namespace sb::tropo_gateway {

using json = nlohmann::json;

std::string hangup_answer() {
    return json{{"tropo", json::array({{{"hangup", nullptr}}})}}.dump();
}

std::string transfer_answer(const std::string& to_e164, const std::optional<std::string>& caller,
                            const TransferEvents& events) {
    json transfer{{"to", "tel:" + to_e164}};
    if (caller) transfer["from"] = *caller;
    json verbs = json::array();
    if (events.incomplete_next.empty() && events.continue_next.empty()) {
        verbs.push_back({{"transfer", transfer}});
        return json{{"tropo", verbs}}.dump();
    }
    transfer["name"] = kTransferActionName;
    verbs.push_back({{"transfer", transfer}});
    if (!events.incomplete_next.empty()) {
        verbs.push_back({{"on", {{"event", "incomplete"}, {"next", events.incomplete_next}}}});
    }
    if (!events.continue_next.empty()) {
        verbs.push_back({{"on", {{"event", "continue"}, {"next", events.continue_next}}}});
    }
    return json{{"tropo", verbs}}.dump();
}

std::string message_answer(const std::string& to_e164, const std::string& text) {
    const json message{
        {"say", {{"value", text}}}, {"to", to_e164}, {"network", "SMS"}, {"channel", "TEXT"}};
    return json{{"tropo", json::array({{{"message", message}}})}}.dump();
}

std::string launch_request(const std::string& token, const std::string& to_e164,
                           const std::string& text, const std::string& send_id) {
    return json{{parameter::token, token},
                {parameter::action, "create"},
                {parameter::number_to_dial, to_e164},
                {parameter::msg, text},
                {parameter::send_id, send_id}}
        .dump();
}

LaunchOutcome read_launch_answer(int status, const std::string& body, const std::string& error) {
    LaunchOutcome outcome;
    const json answer = json::parse(body, nullptr, /*allow_exceptions=*/false);
    std::string provider_reason;
    if (answer.is_object() && answer.contains("reason") && answer["reason"].is_string()) {
        provider_reason = answer["reason"].get<std::string>();
    }
    if (status == 0) {
        outcome.reason = "Tropo unreachable: " + error;
        return outcome;
    }
    if (status < 200 || status >= 300) {
        outcome.reason = "Tropo answered HTTP " + std::to_string(status) +
                         (provider_reason.empty() ? "" : ": " + provider_reason);
        return outcome;
    }
    if (!answer.is_object() || !answer.contains("success")) {
        outcome.reason = "Tropo's answer is not a session result";
        return outcome;
    }
    const json& success = answer["success"];
    const bool yes = (success.is_boolean() && success.get<bool>()) ||
                     (success.is_string() && success.get<std::string>() == "true");
    if (!yes) {
        outcome.reason =
            "Tropo refused the session" + (provider_reason.empty() ? "" : ": " + provider_reason);
        return outcome;
    }
    outcome.launched = true;
    if (answer.contains("id") && answer["id"].is_string()) {
        outcome.session_id = answer["id"].get<std::string>();
    }
    return outcome;
}

}  // namespace sb::tropo_gateway
