#pragma once
// Tropo retries a session whose answer it did not get; the gateway remembers recent session ids
// (and what it answered) so a retry is answered the same way and publishes nothing again.
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace sb::tropo_gateway {

class RecentSessions {
  public:
    explicit RecentSessions(std::size_t capacity = 10000) : capacity_(capacity) {}

    enum class Seen { first, in_progress, answered };
    struct Claim {
        Seen seen = Seen::first;
        std::string answer;  // when answered
    };
    // Claims a session id for handling; a second claim of the same id reports how far the first
    // got.
    Claim claim(const std::string& session_id);
    // The first handler's answer, replayed to retries.
    void answered(const std::string& session_id, std::string answer);
    // The first handler failed before anything was published: a retry may try again.
    void release(const std::string& session_id);

  private:
    std::size_t capacity_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::optional<std::string>> answers_;
    std::deque<std::string> order_;  // oldest first, for eviction
};

}  // namespace sb::tropo_gateway
