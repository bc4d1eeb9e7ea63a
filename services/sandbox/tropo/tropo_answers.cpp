// What the application answered to a session, carried out: SMS delivered to phones, a call's
// outcome recorded, and the session logged for the UI and tests.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "switchboard/phone.h"
#include "switchboard/time_format.h"
#include "tropo_sandbox.h"

namespace sb::sandbox::tropo {

using json = nlohmann::json;
void TropoSandbox::deliver_sms(const std::string& to, const std::string& text,
                               const std::string& session_id) {
    const auto number = phone::to_e164(strip_tel(to));
    if (!number) {
        spdlog::warn("tropo sandbox: session {} sent an SMS to no number", session_id);
        return;
    }
    phones_.received(*number, TextRecord{company_number_, text, iso8601_now(), session_id});
    ++counters_.sms_delivered;
}

void TropoSandbox::carry_out(const std::string& session_id, SessionMode mode,
                             const std::string& phone, const std::string& call_id,
                             const AppAnswer& answer, const std::string& transfer_answer) {
    ++counters_.sessions_posted;
    json entry{{"session_id", session_id},
               {"kind", mode == SessionMode::text    ? "sms"
                        : mode == SessionMode::voice ? "call"
                                                     : "token_launch"},
               {"at", iso8601_now()},
               {"status", answer.status},
               {"attempts", answer.attempts},
               {"maybe_taken", answer.maybe_taken}};
    std::string failure;
    Interpretation done;
    if (answer.status < 200 || answer.status >= 300) {
        failure = answer.status == 0 ? "application unreachable: " + answer.error
                                     : "application answered HTTP " + std::to_string(answer.status);
    } else {
        done = interpret_answer(answer.body, mode, phone);
        failure = done.error;
    }
    if (!failure.empty()) {
        ++counters_.app_errors;
        entry["error"] = failure;
        if (mode == SessionMode::voice) {
            phones_.update_call(phone, call_id, [&](CallRecord& call) {
                call.outcome = "failed";
                call.error = failure;
                call.ended_at = iso8601_now();
            });
        }
        log_session(std::move(entry));
        return;
    }

    json effects = json::array();
    std::string outcome = "ended";  // Tropo hangs up when the document runs out
    std::string target;
    std::vector<std::string> heard;
    const Effect* transfer = nullptr;
    for (const Effect& effect : done.effects) {
        switch (effect.kind) {
            case Effect::Kind::sms:
                deliver_sms(effect.to, effect.text, session_id);
                effects.push_back({{"sms", strip_tel(effect.to)}});
                break;
            case Effect::Kind::speech:
                heard.push_back(effect.text);
                break;
            case Effect::Kind::transfer:
                outcome = transfer_answer == "completed" ? "transferred" : "unanswered";
                target = effect.to;
                transfer = &effect;
                break;
            case Effect::Kind::redirect:
                outcome = "redirected";
                target = effect.to;
                break;
            case Effect::Kind::reject:
                outcome = "rejected";
                break;
            case Effect::Kind::hangup:
                outcome = "hung up";
                break;
        }
    }
    if (mode == SessionMode::voice) {
        phones_.update_call(phone, call_id, [&](CallRecord& call) {
            call.outcome = outcome;
            call.target = target;
            call.heard = heard;
            call.ended_at = iso8601_now();
            if (transfer != nullptr) call.dial_status = transfer_answer;
        });
        entry["outcome"] = outcome;
        if (!target.empty()) entry["target"] = target;
        if (transfer != nullptr) {
            end_transfer(session_id, phone, call_id, transfer_answer, *transfer, done.handlers);
        }
    }
    entry["effects"] = effects;
    if (!done.ignored.empty()) entry["ignored"] = done.ignored;
    log_session(std::move(entry));
}

void TropoSandbox::end_transfer(const std::string& session_id, const std::string& phone,
                                const std::string& call_id, const std::string& transfer_answer,
                                const Effect& transfer, const std::vector<Handler>& handlers) {
    const bool answered = transfer_answer == "completed";
    const std::string event = answered ? "continue" : "incomplete";
    // Tropo's words for how the transfer ended (the WebAPI's result object).
    const std::string disposition = answered                         ? "SUCCESS"
                                    : transfer_answer == "no-answer" ? "TIMEOUT"
                                    : transfer_answer == "busy"      ? "BUSY"
                                                                     : "FAILED";
    const auto handler = std::find_if(handlers.begin(), handlers.end(),
                                      [&](const Handler& h) { return h.event == event; });
    if (handler == handlers.end()) return;  // nobody asked: Tropo just hangs up
    json action{{"name", transfer.name.empty() ? "transfer" : transfer.name},
                {"attempts", 1},
                {"disposition", disposition},
                {"timestamp", iso8601_now()},
                {"duration", answered ? 42 : 30},
                {"connectedDuration", answered ? 42 : 0}};
    const json result{{"result",
                       {{"sessionId", session_id},
                        {"callId", call_id},
                        {"state", answered ? "ANSWERED" : "DISCONNECTED"},
                        {"sessionDuration", answered ? 45 : 33},
                        {"sequence", 2},
                        {"complete", true},
                        {"error", nullptr},
                        {"actions", action}}}};
    phones_.update_call(phone, call_id, [&](CallRecord& call) { call.result_event = event; });
    AppDelivery delivery;
    delivery.session_id = session_id;
    delivery.body = result.dump();
    delivery.reference = handler->next;
    delivery.answered = [this, session_id, phone, call_id, event](const AppAnswer& answer) {
        phones_.update_call(phone, call_id,
                            [&](CallRecord& call) { call.result_status = answer.status; });
        json entry{{"session_id", session_id}, {"kind", "transfer_result"},
                   {"event", event},           {"at", iso8601_now()},
                   {"status", answer.status},  {"attempts", answer.attempts}};
        if (answer.status < 200 || answer.status >= 300) {
            ++counters_.app_errors;
            entry["error"] = answer.status == 0 ? answer.error : answer.body.substr(0, 512);
        }
        log_session(std::move(entry));
    };
    app_.enqueue(std::move(delivery));
}

void TropoSandbox::log_session(json entry) {
    std::lock_guard lock(mutex_);
    log_session_locked(std::move(entry));
}

void TropoSandbox::log_session_locked(json entry) {
    sessions_.push_back(std::move(entry));
    while (sessions_.size() > kSessionLog) sessions_.pop_front();
}

}  // namespace sb::sandbox::tropo
