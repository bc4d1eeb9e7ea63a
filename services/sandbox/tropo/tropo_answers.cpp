// What the application answered to a session, carried out: SMS delivered to phones, a call's
// outcome recorded, and the session logged for the UI and tests.
#include <spdlog/spdlog.h>

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
                             const AppAnswer& answer) {
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
                outcome = "transferred";
                target = effect.to;
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
        });
        entry["outcome"] = outcome;
        if (!target.empty()) entry["target"] = target;
    }
    entry["effects"] = effects;
    if (!done.ignored.empty()) entry["ignored"] = done.ignored;
    log_session(std::move(entry));
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
