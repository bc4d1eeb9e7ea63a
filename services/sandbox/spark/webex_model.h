#pragma once
// The resources of the Webex world the sandbox keeps, as plain records. Times are wall-clock:
// they are shown to clients as Webex's ISO 8601 timestamps.
#include <cstdint>
#include <string>
#include <vector>

#include "switchboard/clocks.h"

namespace sb::sandbox::spark {

using Instant = WallClock::time_point;

struct Person {
    std::string id, email, display_name, first_name, last_name, status, token;
    Instant created, last_activity;
    bool has_presence = true;
};

struct Room {
    std::string id, title, type = "group", team_id, creator_id;
    Instant created, last_activity;
};

// `seq` (memberships, team memberships, webhooks): the creation order their listings follow and
// page through. Ids are random, so they cannot say where a page ended.
struct Membership {
    std::string id, room_id, person_id;
    bool is_moderator = false;
    Instant created;
    std::uint64_t seq = 0;
};

struct TeamMembership {
    std::string id, team_id, person_id;
    bool is_moderator = false;
    Instant created;
    std::uint64_t seq = 0;
};

struct Message {
    std::string id, room_id, person_id, text, markdown, html;
    std::vector<std::string> mentioned_people, mentioned_groups;
    std::vector<std::string> files;  // `{public}/v1/contents/{id}` of the file it carries
    std::string parent_id;           // the thread it is a reply in; empty for a top-level one
    Instant created;
    // When it was stored, to the microsecond. `created` cannot tell: it is kept strictly
    // increasing at Webex's millisecond resolution, so past 1,000 messages a second it runs
    // ahead of the clock. Shown in the admin history only (for the benchmark).
    Instant arrived;
    std::uint64_t seq = 0;
};

// A file posted with a message, as the sandbox fetched and stored it. `scans_left`: how many
// more GETs answer 423 (Webex scanning it) before the bytes come.
struct Content {
    std::string id, room_id, content_type, filename, bytes;
    int scans_left = 0;
    // What the scan finds once it is done: "clean" (the bytes), "infected" (410) or
    // "unscannable" (428), as Webex answers.
    std::string verdict = "clean";
};

struct Webhook {
    std::string id, name, target_url, resource, event, filter, secret, status = "active", owner_id;
    Instant created;
    int failures = 0;
    std::uint64_t seq = 0;
};

}  // namespace sb::sandbox::spark
