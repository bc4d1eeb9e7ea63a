#pragma once
// After a crash (kill -9, power loss) the journal hands back every command that was not
// committed, including those whose Webex call had already happened: re-running a PostMessage
// would post it twice, a CreateRoom would make a second room for the customer. Before re-running
// such a command the gateway looks at what Webex has and, when the effect is already there,
// completes the command with it instead. Pure decisions here; the calls are in CommandRunner.
//
// A post is recognised by a marker the gateway puts in it: a short run of zero-width characters
// derived from the command's event id, at the end of the text and markdown. Agents do not see it
// (it renders as nothing), it is not whitespace (nothing trims it), and it tells two posts of
// the same text apart. Should Webex strip it, a post is recognised by its content and time.
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "switchboard/clocks.h"
#include "switchboard/events.h"

namespace sb::spark_gateway {

// The marker of the post made for command `event_id`: U+2060 WORD JOINER, then 24 characters
// from {U+200B, U+200C, U+200D, U+2063}, two bits each of SHA-256(event_id): 75 bytes of UTF-8.
std::string post_marker(const std::string& event_id);

// Whether `text` carries some post's marker (anyone's command).
bool has_post_marker(const std::string& text);

// `text` without any marker, as a person reads it.
std::string without_post_markers(const std::string& text);

// The body of POST /messages for `request`, its text and markdown ending in `marker` (left out
// when it would push either past Webex's 7,439 bytes: then the post is recognised by its content
// alone, see find_own_post), with its first file (`files: [url]`: Webex takes one per message)
// and `parentId` when they are set.
nlohmann::json post_body(const PostMessage& request, const std::string& marker);

// Whether a post Webex answered with `status` should go again without its parentId: a 400 (Webex's
// answer to a parentId that is not a top-level message of the room) for a post that had one.
bool retry_without_parent(const PostMessage& request, int status);

// Could this command have been started by an earlier run of the gateway? Commands stamped before
// this run began (plus `clock_allowance` for a router whose clock runs ahead) may have been;
// later ones cannot, and are run without a look first.
bool may_have_run_before(const Envelope& command, WallClock::time_point run_started,
                         std::chrono::seconds clock_allowance);

// What a look at Webex found.
struct AlreadyDone {
    std::string id;  // the message or room that is the command's effect
};

// Given the room's newest messages (GET /messages?roomId=, newest first), the post this command
// made before the crash, if it is there: a message by the proxy (`self_id`) carrying the
// command's marker. Failing that (the post was made without a marker, or Webex dropped it), a
// message by the proxy without any marker, with exactly the command's text and markdown, created
// no earlier than `clock_allowance` before the command was stamped.
std::optional<AlreadyDone> find_own_post(const PostMessage& request, const std::string& marker,
                                         const Envelope& command, const std::string& self_id,
                                         const nlohmann::json& recent_messages,
                                         std::chrono::seconds clock_allowance);

// Given the team's most recently created rooms (GET /rooms?teamId=&sortBy=created), the room a
// CreateRoom made before the crash: a room with exactly the requested title, preferring one the
// proxy (`self_id`) created. Any team room with that title will do: one room per customer.
std::optional<AlreadyDone> find_created_room(const CreateRoom& request, const std::string& self_id,
                                             const nlohmann::json& recent_rooms);

}  // namespace sb::spark_gateway
