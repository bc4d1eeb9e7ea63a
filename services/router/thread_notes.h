#pragma once
// The router's notes about an agent's reply, posted in its thread (issue 15, "failures where
// the agent is"): the reply was not sent because the customer opted out, or the carrier
// refused it. A note Webex does not take is retried like a customer's post (the same doubling
// pause), and a note not yet in the room survives a restart: each is a remembered fact
// (`note.<id>` -> the PostMessage, remembered.h) until its MessagePosted, and a new life posts
// again what an earlier one had not seen posted. Only a room that is gone (404, 403, 410) ends
// a note's retries: there is nobody to tell.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backoff.h"
#include "commands.h"
#include "remembered.h"
#include "switchboard/events.h"

namespace sb::router {

inline constexpr std::string_view kNotePrefix = "note.";

class ThreadNotes {
  public:
    explicit ThreadNotes(RetryPolicy retry) : retry_(retry) {}

    // A note to post now, kept until Webex has it. `key` is the command's bus key (customer).
    Envelope post(const std::string& key, const PostMessage& note, Commands& commands);

    bool owns(const std::string& command_id) const { return in_flight_.count(command_id) > 0; }
    void posted(const std::string& command_id);
    // Webex did not take it: tried again later, unless the room is gone (then dropped).
    void failed(const std::string& command_id, int status, Time now);
    // The notes whose retry is due, as new commands (the old ids are done with).
    std::vector<Envelope> due(Time now, Commands& commands);

    size_t pending() const { return notes_.size(); }
    std::vector<Remembered> take_changes();
    // An earlier life's notes not seen posted: all due at once.
    void restore(const Memory& memory, Time now);

  private:
    struct Note {
        std::string key;
        PostMessage post;
        Backoff retry;
        std::string in_flight;  // the command awaiting its result; empty while waiting
    };
    Envelope send(const std::string& id, Note& note, Commands& commands);
    void drop(const std::string& id);

    RetryPolicy retry_;
    std::map<std::string, Note> notes_;             // by note id
    std::map<std::string, std::string> in_flight_;  // command id -> note id
    std::vector<Remembered> changes_;
};

}  // namespace sb::router
