#pragma once
// The ids seen lately, the oldest forgotten past a capacity: enough to recognise a re-sent or
// redelivered event, without growing for the life of the process. Plain data, no lock: its
// owner decides how it is shared.
#include <cstddef>
#include <deque>
#include <string>
#include <unordered_set>

namespace sb {

class RecentIds {
  public:
    explicit RecentIds(std::size_t capacity) : capacity_(capacity) {}

    // False when `id` is already remembered.
    bool insert(const std::string& id) {
        if (!ids_.insert(id).second) return false;
        order_.push_back(id);
        if (order_.size() > capacity_) {
            ids_.erase(order_.front());
            order_.pop_front();
        }
        return true;
    }
    bool contains(const std::string& id) const { return ids_.count(id) > 0; }
    std::size_t size() const { return ids_.size(); }

  private:
    std::size_t capacity_;
    std::unordered_set<std::string> ids_;
    std::deque<std::string> order_;  // oldest first
};

}  // namespace sb
