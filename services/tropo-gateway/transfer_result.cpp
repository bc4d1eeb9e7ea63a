#include "transfer_result.h"

#include <nlohmann/json.hpp>

#include "switchboard/crypto.h"
#include "switchboard/phone.h"
#include "switchboard/text.h"

namespace sb::tropo_gateway {
namespace {

using json = nlohmann::json;

std::string signed_text(std::string_view event, const std::string& call_id,
                        const std::string& from) {
    return "tropo-transfer-result\n" + std::string(event) + "\n" + call_id + "\n" + from;
}

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

TransferParse refuse(int status, const char* code, std::string reason) {
    TransferParse parse;
    parse.status = status;
    parse.code = code;
    parse.reason = std::move(reason);
    return parse;
}

// The transfer's disposition among the result's actions (an object for one action, an array
// for several): the one named kTransferActionName, else the only one. Empty when none says.
std::optional<std::string> transfer_disposition(const json& actions, std::string& fault) {
    const json* chosen = nullptr;
    if (actions.is_object()) {
        chosen = &actions;
    } else if (actions.is_array()) {
        for (const json& action : actions) {
            if (!action.is_object()) {
                fault = "result.actions holds something that is not an action object";
                return std::nullopt;
            }
            const auto name = action.find("name");
            if (name != action.end() && name->is_string() &&
                name->get<std::string>() == kTransferActionName) {
                chosen = &action;
            }
        }
        if (chosen == nullptr && actions.size() == 1) chosen = &actions[0];
    } else if (!actions.is_null()) {
        fault = "result.actions must be an object or an array";
        return std::nullopt;
    }
    if (chosen == nullptr) return std::string();
    const auto disposition = chosen->find("disposition");
    if (disposition == chosen->end() || disposition->is_null()) return std::string();
    if (!disposition->is_string()) {
        fault = "result.actions.disposition must be a string";
        return std::nullopt;
    }
    return disposition->get<std::string>();
}

}  // namespace

std::string result_reference(std::string_view event, const std::string& call_id,
                             const std::string& from, const std::string& tropo_key,
                             const std::string& webhook_token) {
    std::string query = "?" + std::string(result_param::event) + "=" + percent_encode(event) + "&" +
                        result_param::call + "=" + percent_encode(call_id) + "&" +
                        result_param::from + "=" + percent_encode(from) + "&" + result_param::sig +
                        "=" + crypto::hmac_sha256_hex(tropo_key, signed_text(event, call_id, from));
    if (!webhook_token.empty()) {
        query += "&" + std::string(result_param::token) + "=" + percent_encode(webhook_token);
    }
    return query;
}

std::pair<std::string, std::string> outcome_of(std::string_view event,
                                               std::string_view disposition) {
    const std::string word = upper(disposition);
    if (word == "SUCCESS") return {"answered", "completed"};
    if (word == "TIMEOUT") return {"missed", "no-answer"};
    if (word == "BUSY") return {"missed", "busy"};
    if (word == "REJECTED") return {"missed", "rejected"};
    if (word == "FAILED") return {"missed", "failed"};
    const std::string detail = disposition.empty() ? std::string(event) : lower(disposition);
    return {event == "continue" ? "answered" : "missed", detail};
}

TransferParse parse_transfer_result(const ResultParams& params, std::string_view body,
                                    const std::string& tropo_key) {
    if (params.event != "incomplete" && params.event != "continue") {
        return refuse(400, "bad_transfer_event",
                      "transfer_event must be incomplete or continue (the transfer's on events)");
    }
    if (params.call_id.empty() || params.call_id.size() > 128) {
        return refuse(400, "bad_transfer_call", "call must name the forwarded call");
    }
    const auto from = phone::to_e164(params.from);
    if (!from || *from != params.from) {
        return refuse(400, "bad_transfer_from", "from must be the caller's E.164 number");
    }
    const std::string expected =
        crypto::hmac_sha256_hex(tropo_key, signed_text(params.event, params.call_id, params.from));
    if (tropo_key.empty() || !crypto::constant_time_equals(params.sig, expected)) {
        return refuse(403, "forged_transfer_result",
                      "transfer result URL not signed by this gateway (sig)");
    }
    const json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!document.is_object() || !document.contains("result") || !document["result"].is_object()) {
        return refuse(400, "bad_transfer_result",
                      "a transfer result must be a JSON object {\"result\": {...}}");
    }
    const json& result = document["result"];
    std::string fault;
    const auto actions = result.find("actions");
    const auto disposition = actions == result.end() ? std::optional<std::string>("")
                                                     : transfer_disposition(*actions, fault);
    if (!disposition) return refuse(400, "bad_transfer_result", fault);
    if (disposition->size() > 40) {
        return refuse(400, "bad_transfer_result", "result.actions.disposition is too long");
    }
    const auto call_id = result.find("callId");
    if (call_id != result.end() && !call_id->is_null() && !call_id->is_string()) {
        return refuse(400, "bad_transfer_result", "result.callId must be a string");
    }
    TransferParse parse;
    parse.status = 200;
    TransferOutcome outcome;
    outcome.call_id = params.call_id;
    outcome.from = params.from;
    std::tie(outcome.outcome, outcome.detail) = outcome_of(params.event, *disposition);
    parse.outcome = std::move(outcome);
    return parse;
}

CustomerMessage transfer_message(const TransferOutcome& outcome, const std::string& now) {
    CustomerMessage message;
    message.customer = outcome.from;
    message.channel = "voice";
    message.received_at = now;
    CallInfo call;
    call.call_id = outcome.call_id;
    call.outcome = outcome.outcome;
    call.detail = outcome.detail;
    message.call = std::move(call);
    return message;
}

}  // namespace sb::tropo_gateway
