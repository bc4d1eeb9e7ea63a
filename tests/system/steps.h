#pragma once
// Steps the system tests share: wait for what a person would see (a room, a post, an SMS),
// failing with every service's log when it does not come.
#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "process.h"
#include "switchboard/time_format.h"
#include "system_harness.h"

namespace sb::testing {

using namespace std::chrono_literals;

// Generous: the machine is shared, and a Retry-After storm takes seconds by design.
inline constexpr std::chrono::seconds kDeadline{90};

template <class Condition>
void require_eventually(const System& system, Condition condition, const std::string& what,
                        std::chrono::milliseconds deadline = kDeadline) {
    REQUIRE_MESSAGE(testing::wait_until(condition, deadline),
                    "timed out waiting for: " << what << "\n"
                                              << system.logs());
}

// The id of the one room titled `title`, once it exists.
inline std::string wait_for_room(const System& system, const std::string& title) {
    const SandboxClient sandbox = system.sandbox();
    require_eventually(
        system, [&] { return !sandbox.rooms_titled(title).empty(); }, "a room titled " + title);
    return sandbox.room_id(title);
}

// Waits until the bridge has posted `count` messages containing `needle` in the room.
inline void wait_for_posts(const System& system, const std::string& room_id,
                           const std::string& needle, int count = 1) {
    const SandboxClient sandbox = system.sandbox();
    require_eventually(
        system, [&] { return count_containing(sandbox.bridge_posts(room_id), needle) >= count; },
        std::to_string(count) + " post(s) containing \"" + needle + "\"");
}

// Waits until the phone's inbox holds at least `count` texts; returns them.
inline std::vector<std::string> wait_for_inbox(const System& system, const std::string& number,
                                               size_t count) {
    const SandboxClient sandbox = system.sandbox();
    require_eventually(
        system, [&] { return sandbox.inbox(number).size() >= count; },
        std::to_string(count) + " SMS in the inbox of " + number);
    return sandbox.inbox(number);
}

// The time a post says its message was received ("SMS · 2026-11-24T08:45:44.123Z ...").
inline std::optional<std::chrono::system_clock::time_point> time_in(const std::string& post) {
    static const std::regex pattern(
        R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))");
    std::smatch match;
    if (!std::regex_search(post, match, pattern)) return std::nullopt;
    return parse_iso8601(match[0].str());
}

// Welcome SMS as the router words them (DESIGN §2.5: replies reach the team).
// Matched loosely so a reworded welcome still counts, while an agent's reply never does.
inline bool is_welcome(const std::string& sms) {
    static const std::regex pattern("repl.*reach.*team", std::regex::icase);
    return std::regex_search(sms, pattern);
}

inline int welcomes_in(const std::vector<std::string>& inbox) {
    int count = 0;
    for (const std::string& sms : inbox) count += is_welcome(sms);
    return count;
}

// Posts whose text contains `needle`, in the order they appear.
inline std::vector<std::string> posts_containing(const std::vector<std::string>& posts,
                                                 const std::string& needle) {
    std::vector<std::string> found;
    for (const std::string& post : posts) {
        if (post.find(needle) != std::string::npos) found.push_back(post);
    }
    return found;
}

// A customer who has texted once: their room exists and the welcome has arrived. Returns the
// room's id.
inline std::string established(const System& system, const std::string& number,
                               const std::string& title, const std::string& first_text) {
    system.sandbox().text(number, first_text);
    std::string room = wait_for_room(system, title);  // not const: returned by move
    wait_for_posts(system, room, first_text);
    wait_for_inbox(system, number, 1);
    return room;
}

inline constexpr const char* kAlice = "alice@sandbox.example";
inline constexpr const char* kBob = "bob@sandbox.example";

}  // namespace sb::testing
