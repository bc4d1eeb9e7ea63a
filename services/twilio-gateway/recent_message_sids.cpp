#include "recent_message_sids.h"

namespace sb::twilio_gateway {

void RecentMessageSids::restore(const std::vector<std::pair<std::string, nlohmann::json>>& memory) {
    const std::string prefix = memory_key("");
    std::lock_guard lock(mutex_);
    for (const auto& [key, value] : memory) {
        if (key.rfind(prefix, 0) == 0) done_.admit(key.substr(prefix.size()));
    }
}

RecentMessageSids::Seen RecentMessageSids::claim(const std::string& key) {
    std::lock_guard lock(mutex_);
    if (done_.contains(key)) return Seen::done;
    if (!in_progress_.insert(key).second) return Seen::in_progress;
    return Seen::first;
}

std::optional<std::string> RecentMessageSids::published(const std::string& key) {
    std::lock_guard lock(mutex_);
    in_progress_.erase(key);
    const RecentIds::Change change = done_.admit(key);
    if (!change.forgotten) return std::nullopt;
    return memory_key(*change.forgotten);
}

void RecentMessageSids::release(const std::string& key) {
    std::lock_guard lock(mutex_);
    in_progress_.erase(key);
}

}  // namespace sb::twilio_gateway
