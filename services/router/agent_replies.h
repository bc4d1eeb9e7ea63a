#pragma once
// Agent -> SMS: which AgentMessages become an SMS to the customer whose number titles the room.
// Not one from a room outside the agents' team (DESIGN §2.12: such a message causes nothing,
// not even a memory), not one already acted on (by id, across restarts: seen_messages.h), not
// a direct room's, not the bridge's own echo, not a whisper (any mention), not an empty one.
// The core asks the SMS policy and publishes; this decides, in two steps, because between them
// the core learns the room's title and sends what waited for the room.
#include <string>
#include <vector>

#include "bridge_identities.h"
#include "directory.h"
#include "remembered.h"
#include "seen_messages.h"
#include "switchboard/events.h"

namespace sb::router {

class AgentReplies {
  public:
    enum class Outcome {
        foreign_room,  // outside the agents' team
        duplicate,     // acted on before
        ignored,       // a direct room, a room that is no customer's, nothing to send
        echo,          // the bridge's own post
        whisper,       // mentions someone: for the team only
        reply,         // an SMS to the customer
        go_on,         // admit only: admitted, now learn the room and call reply()
    };
    struct Admitted {
        Outcome outcome = Outcome::go_on;
        std::vector<Remembered> remember;  // the id acted on, and the oldest let go
    };
    struct Reply {
        Outcome outcome = Outcome::ignored;
        std::string text;                     // reply only: the SMS text (empty: files alone)
        std::vector<Attachment> attachments;  // reply only: the files, at their public links
        // Files of a customer room's message that could not be passed on: a note each, in the
        // message's thread, whether or not anything else is sent.
        std::vector<std::string> file_refusals;
    };

    AgentReplies(size_t remembered_ids, const std::string& proxy_email)
        : seen_(remembered_ids), bridge_(proxy_email) {}

    // The ids earlier lives acted on (Input::start).
    void restore(const std::vector<std::string>& seen) { seen_.restore(seen); }

    // First: is it ours to act on at all? Admitting it remembers its id.
    Admitted admit(const AgentMessage& message, const Directory& directory);
    // Then, with its room as the directory now knows it: the SMS, or why none.
    Reply reply(const AgentMessage& message, const RoomInfo* room);

    const BridgeIdentities& bridge() const { return bridge_; }

  private:
    SeenMessages seen_;  // AgentMessage ids already handled
    BridgeIdentities bridge_;
};

// Whether the message carries a room title worth learning.
bool has_title(const AgentMessage& message);

}  // namespace sb::router
