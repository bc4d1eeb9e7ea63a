#pragma once
// The AgentMessage ids the router has acted on, the oldest forgotten past a capacity.
// spark-gateway may take one message in twice: its catch-up after a restart re-reads what it had
// already published. So an id must be recognised across the router's own restarts too: every
// change is reported for the shell to keep in the journal with the step that made it (one
// record: the SMS and the memory of having sent it), and a new life starts from what was kept.
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace sb::router {

class SeenMessages {
  public:
    explicit SeenMessages(std::size_t capacity) : capacity_(capacity) {}

    struct Change {
        bool added = false;                    // false: seen before, a duplicate
        std::optional<std::string> forgotten;  // the oldest id, let go to make room
    };
    Change insert(const std::string& id) {
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

    // What an earlier life kept, oldest first; past the capacity only the newest stay.
    void restore(const std::vector<std::string>& ids) {
        for (const std::string& id : ids) insert(id);
    }

    bool contains(const std::string& id) const { return ids_.count(id) > 0; }
    std::size_t size() const { return ids_.size(); }

  private:
    std::size_t capacity_;
    std::unordered_set<std::string> ids_;
    std::deque<std::string> order_;  // oldest first
};

}  // namespace sb::router
