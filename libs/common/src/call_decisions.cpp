#include "switchboard/call_decisions.h"

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
