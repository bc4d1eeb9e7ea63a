#include "switchboard/call_decisions.h"

#include <spdlog/spdlog.h>

#include "switchboard/logging.h"

namespace sb {

void CallDecisions::expect(const std::string& call_id) {
    std::lock_guard lock(mutex_);
    waiting_[call_id] = std::nullopt;
}

bool CallDecisions::deliver(const std::string& call_id, const std::string& forward_to) {
    std::lock_guard lock(mutex_);
    const auto found = waiting_.find(call_id);
    if (found == waiting_.end()) return false;
    if (!found->second) found->second = forward_to;  // the first decision wins
    changed_.notify_all();
    return true;
}

void CallDecisions::deliver_reply(const Envelope& reply) {
    if (reply.type != event_type::call_decision) {
        spdlog::warn("call decisions: ignored a {} reply", logging::escape(reply.type));
        return;
    }
    try {
        const auto decision = reply.payload_as<CallDecision>();
        if (!deliver(decision.call_id, decision.forward_to)) {
            spdlog::info("call decisions: the decision for call {} came too late",
                         logging::escape(decision.call_id));
        }
    } catch (const std::exception& error) {
        spdlog::warn("call decisions: malformed CallDecision: {}", error.what());
    }
}

std::optional<std::string> CallDecisions::wait(const std::string& call_id,
                                               std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] {
        const auto found = waiting_.find(call_id);
        return cancelled_ || found == waiting_.end() || found->second.has_value();
    });
    std::optional<std::string> decision;
    const auto found = waiting_.find(call_id);
    if (found != waiting_.end()) {
        decision = found->second;
        waiting_.erase(found);
    }
    return decision;
}

void CallDecisions::cancel_all() {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    changed_.notify_all();
}

}  // namespace sb
