#pragma once
// The ids seen lately, the oldest forgotten past a capacity: enough to recognise a re-sent or
// redelivered event, without growing for the life of the process. Plain data, no lock: its
// owner decides how it is shared.
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace sb {

class RecentIds {
  public:
    explicit RecentIds(std::size_t capacity) : capacity_(capacity) {}

    struct Change {
        bool added = false;                    // false: already remembered
        std::optional<std::string> forgotten;  // the oldest id, let go to make room
    };
    // Remembers `id`, and says which id was let go for it (for an owner that keeps the set on
    // disk, such as the router's seen AgentMessages).
    Change admit(const std::string& id) {
        Change change;
        if (!ids_.insert(id).second) return change;
        change.added = true;
        order_.push_back(id);
        if (order_.size() > capacity_) {
            change.forgotten = order_.front();
            ids_.erase(order_.front());
            order_.pop_front();
        }
        return change;
    }
    // False when `id` is already remembered.
    bool insert(const std::string& id) { return admit(id).added; }
    // Ids remembered by an earlier life, oldest first; past the capacity only the newest stay.
    void restore(const std::vector<std::string>& ids) {
        for (const std::string& id : ids) admit(id);
    }
    bool contains(const std::string& id) const { return ids_.count(id) > 0; }
    std::size_t size() const { return ids_.size(); }

  private:
    std::size_t capacity_;
    std::unordered_set<std::string> ids_;
    std::deque<std::string> order_;  // oldest first
};

}  // namespace sb
