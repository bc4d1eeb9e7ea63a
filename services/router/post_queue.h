#pragma once
// The per-customer post queue: each customer's messages not yet shown in full, in arrival order.
// Posts go one at a time per customer (the next waits for MessagePosted), so a failed post is
// retried before anything behind it and the room shows the customer's messages in order;
// different customers run side by side. A message stays held (its EventRef pending) until the
// MessagePosted of its last part: a failed post, or a crash before its result, posts it again.
#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "attachment_posts.h"
#include "backoff.h"
#include "commands.h"
#include "core_types.h"
#include "directory.h"
#include "earlier_posts.h"

namespace sb::router {

class PostQueue {
  public:
    // What one pump did.
    struct Pumped {
        std::optional<Envelope> post;    // the PostMessage to publish, if one is due
        std::vector<EventRef> complete;  // messages now shown in full
        size_t shown = 0;                // messages whose posts started (counted once each)
        bool text_shown = false;         // one of them was written, not a call: it awaits answer
    };
    // A failed post that was in flight.
    struct Failed {
        std::string customer;
        std::string room_id;  // where it went
        bool file = false;    // it carried a file (attachment_posts.h)
    };

    PostQueue(RetryPolicy retry, std::string forward_to)
        : retry_(retry), forward_to_(std::move(forward_to)) {}

    // A new message joins the end of its customer's line: nothing may overtake what waits.
    void push(const std::string& customer, EventRef ref, std::string event_id,
              CustomerMessage message);

    // Sends the next post of the customer's oldest unshown message to `room`, unless none is
    // known, one is in flight or a failed one waits for its retry. Parts an earlier life posted
    // (`earlier`) are not posted again.
    Pumped pump(const std::string& customer, const RoomInfo* room, EarlierPosts& earlier,
                Commands& commands);

    // Whether a result answers a post of this life.
    bool owns(const std::string& command_id) const { return commands_.count(command_id) > 0; }
    // A MessagePosted for one of ours: the customer to pump when it was the post in flight.
    std::optional<std::string> posted(const std::string& command_id);
    // A CommandFailed for one of ours: nullopt when nothing of that customer's was in flight.
    std::optional<Failed> failed(const std::string& command_id);
    // Webex refused the file of the customer's failed post for good: that part becomes a text post
    // with the link and `reason` (attachment_posts.h), to be pumped now. False when the first in
    // line has no file part due.
    bool give_up_file(const std::string& customer, std::string_view reason);
    // Busy or broken for now: the message stays first in line and is posted again later.
    void retry_later(const std::string& customer, Time now);
    // Posting starts afresh (a new room): no retry pending, the first pause again.
    void reset_retry(const std::string& customer);
    // The customers whose failed post is due again (their retry is disarmed: pump them now).
    std::vector<std::string> retries_due(Time now);

    bool empty(const std::string& customer) const;
    bool retry_waiting(const std::string& customer) const;
    std::vector<std::string> customers_waiting() const;  // with messages not shown in full
    size_t held() const;                                 // messages of all customers

  private:
    // A customer message not yet shown in full.
    struct Queued {
        EventRef ref;
        std::string event_id;  // names its posts, so a new life knows what an old one posted
        CustomerMessage message;
        std::vector<RoomPost> parts;  // the posts (split to fit, files), made when first posted
        size_t posted = 0;            // parts confirmed by MessagePosted
        std::string in_flight;        // the PostMessage awaiting its result; empty when none
        std::string in_flight_room;   // where it went
        bool counted = false;
    };
    struct Line {
        std::deque<Queued> queue;  // not yet shown in full, in arrival order
        Backoff retry;             // a failed post is retried after this
    };

    RetryPolicy retry_;
    std::string forward_to_;                       // named in a voice call's note
    std::map<std::string, Line> lines_;            // by customer E.164
    std::map<std::string, std::string> commands_;  // PostMessage id -> customer
};

}  // namespace sb::router
