#pragma once
// Crash-recovery bookkeeping for customer posts. A post's command id names the event it shows,
// "post.<part>.<nonce>.<customer event id>", so a MessagePosted from an earlier life, handed back
// by the delivery layer together with the still-held CustomerMessage, tells the new life which
// parts are already in the room: they are not posted twice.
#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace sb::router {

// So a post id stays within the envelope's 128 characters: a longer event id keeps the
// command's own id, and its posts cannot be recognised by a later life.
inline constexpr size_t kMaxLinkedEventId = 96;

// The id of part `part` of event `event_id`'s posts; `nonce` is a fresh id (its first 12
// characters are used). Nullopt when the event id is too long to link.
std::optional<std::string> post_id(size_t part, std::string_view nonce, std::string_view event_id);
// The event id and part a post id names, or nullopt for any other id.
std::optional<std::pair<std::string, size_t>> parse_post_id(std::string_view id);

// How many parts of each customer event earlier lives saw posted, for the last `capacity`
// events noted (a result is handed back with its message, so recent ones are what matter).
class EarlierPosts {
  public:
    explicit EarlierPosts(size_t capacity) : capacity_(capacity) {}

    // A MessagePosted this life did not ask for: if its id names a post, remember that part.
    void note(std::string_view correlation_id);
    // Parts of `event_id` an earlier life posted (0 when none known).
    size_t posted(const std::string& event_id) const;
    void forget(const std::string& event_id) { posted_.erase(event_id); }
    size_t size() const { return posted_.size(); }

  private:
    size_t capacity_;
    std::map<std::string, size_t> posted_;  // event id -> parts posted
    std::deque<std::string> order_;         // oldest first, for letting go
};

}  // namespace sb::router
