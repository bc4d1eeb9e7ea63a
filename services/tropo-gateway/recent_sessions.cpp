#include "recent_sessions.h"

namespace sb::tropo_gateway {

RecentSessions::Claim RecentSessions::claim(const std::string& session_id) {
    std::lock_guard lock(mutex_);
    const auto found = answers_.find(session_id);
    if (found != answers_.end()) {
        if (!found->second) return {Seen::in_progress, {}};
        return {Seen::answered, *found->second};
    }
    answers_.emplace(session_id, std::nullopt);
    order_.push_back(session_id);
    while (order_.size() > capacity_) {
        answers_.erase(order_.front());
        order_.pop_front();
    }
    return {Seen::first, {}};
}

void RecentSessions::answered(const std::string& session_id, std::string answer) {
    std::lock_guard lock(mutex_);
    const auto found = answers_.find(session_id);
    if (found != answers_.end()) found->second = std::move(answer);
}

void RecentSessions::release(const std::string& session_id) {
    std::lock_guard lock(mutex_);
    answers_.erase(session_id);  // its entry in order_ expires harmlessly
}

}  // namespace sb::tropo_gateway
