#pragma once
// The webhooks already passed on, by key ("sms:" + MessageSid, "dial:" + CallSid), so a replay
// (Twilio's console resends the same body; a connection retry) publishes nothing again. The keys
// survive a restart in the delivery node's own memory: each is remembered in the very
// transaction that publishes its CustomerMessage (delivery.h, Transaction::remember), so the
// event and the fact that it was published are durable together or not at all.
#include <cstddef>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "switchboard/recent_ids.h"

namespace sb::twilio_gateway {

class RecentMessageSids {
  public:
    explicit RecentMessageSids(std::size_t capacity = 20000) : done_(capacity) {}

    // The node's memory key for a de-duplication key; the prefix keeps it apart from anything
    // else this node remembers.
    static std::string memory_key(const std::string& key) { return "twilio.seen:" + key; }

    // The keys an earlier life remembered (Node::memory(), oldest first).
    void restore(const std::vector<std::pair<std::string, nlohmann::json>>& memory);

    enum class Seen { first, in_progress, done };
    // Claims `key` for handling; a second claim reports how far the first got.
    Seen claim(const std::string& key);
    // The first handler published: later claims are `done`. Returns the memory key let go to
    // make room (to forget in the node's memory), if any.
    std::optional<std::string> published(const std::string& key);
    // The first handler published nothing: a replay may try again.
    void release(const std::string& key);

  private:
    std::mutex mutex_;
    RecentIds done_;
    std::set<std::string> in_progress_;
};

}  // namespace sb::twilio_gateway
