// Agent assignment alone (assignment.h): the choice once both member lists are in, and the
// machine's waits, look-ups, timeouts and retries.
#include "assignment.h"

#include <doctest/doctest.h>

using namespace sb;
using namespace sb::router;
using namespace std::chrono_literals;

namespace {

constexpr const char* kAna = "+12088675309";

Member person(std::string id, std::string status, std::string last_activity = {}) {
    Member m;
    m.person_id = std::move(id);
    m.email = m.person_id + "@example.com";
    m.status = std::move(status);
    m.last_activity = std::move(last_activity);
    return m;
}

std::string choice_of(const AgentChoice& choice) {
    switch (choice.kind) {
        case AgentChoice::Kind::covered:
            return "covered";
        case AgentChoice::Kind::nobody:
            return "nobody";
        case AgentChoice::Kind::add:
            return "add " + choice.member.person_id;
    }
    return "?";
}

}  // namespace

TEST_CASE("assignment: the choice of agent from the room's and the team's members") {
    const BridgeIdentities bridge("proxy@example.com");
    const Member proxy = person("proxy", "active");
    const Member ann_old = person("ann", "active", "2026-05-01T08:00:00Z");
    const Member bob_new = person("bob", "active", "2026-05-01T09:00:00Z");
    const Member cy_unknown = person("cy", "active");
    struct Row {
        const char* name;
        std::vector<Member> room;
        std::vector<Member> team;
        const char* expected;
    };
    const Row rows[] = {
        {"the most idle active member", {proxy}, {proxy, bob_new, ann_old}, "add ann"},
        {"unknown activity after any known", {proxy}, {cy_unknown, bob_new}, "add bob"},
        {"unknown activity: the id decides", {}, {person("zed", "active"), cy_unknown}, "add cy"},
        {"an active agent is already in the room", {proxy, bob_new}, {ann_old}, "covered"},
        {"the bridge is no agent", {proxy}, {proxy}, "nobody"},
        {"inactive ones are not chosen",
         {},
         {person("ann", "inactive"), person("bob", "")},
         "nobody"},
        {"one already in the room is not added again",
         {person("ann", "inactive")},
         {person("ann", "active")},
         "nobody"},
    };
    for (const Row& row : rows) {
        const std::string name = row.name;
        CAPTURE(name);
        int draws = 0;
        const AgentChoice choice =
            choose_agent(row.room, row.team, bridge, true, [&] { return ++draws, 0ULL; });
        CHECK(choice_of(choice) == row.expected);
        CHECK(draws == 0);  // most idle: no randomness
    }
    // Random: the draw picks among the candidates in the same order.
    for (std::uint64_t draw : {0ULL, 1ULL, 2ULL, 3ULL}) {
        const AgentChoice choice =
            choose_agent({}, {bob_new, ann_old}, bridge, false, [&] { return draw; });
        CHECK(choice_of(choice) == (draw % 2 == 0 ? "add ann" : "add bob"));
    }
}

TEST_CASE("assignment: one look-up per wait, both answers decide, failures retry later") {
    std::uint64_t state = 0;
    Commands commands("router", [&] { return ++state; });
    Assignments assignments(RetryPolicy{5s, 60s}, 120s, 600s);
    const RoomInfo room{"r1", "2088675309", "", kAna, 0};
    Time now = Time{} + 1000s;

    CHECK(assignments.start(kAna, room, now, commands).empty());  // not waiting
    assignments.waiting(kAna, now);
    CHECK(assignments.due(now + 119s).empty());
    CHECK(assignments.due(now + 120s) == std::vector<std::string>{kAna});

    const auto lookups = assignments.start(kAna, room, now, commands);
    REQUIRE(lookups.size() == 2);
    CHECK(lookups[0].type == event_type::list_room_members);
    CHECK(lookups[1].type == event_type::list_team_members);
    CHECK(assignments.start(kAna, room, now, commands).empty());  // checked in this wait
    CHECK(assignments.due(now + 1000s).empty());

    Assignments::Lookup decided;
    CHECK(assignments.on_team_members("stranger", {}, decided) == Assignments::Answer::ignored);
    CHECK(assignments.on_team_members(lookups[1].id, {person("ann", "active")}, decided) ==
          Assignments::Answer::partial);
    CHECK(assignments.on_room_members(lookups[0].id, {}, decided) == Assignments::Answer::complete);
    CHECK(decided.customer == kAna);
    CHECK(decided.room_id == "r1");
    REQUIRE(decided.team_members.has_value());
    CHECK(decided.team_members->size() == 1);

    // The AddMember fails: the check runs again after the pause, not after another wait.
    assignments.add_requested("add-1", kAna);
    CHECK_FALSE(assignments.add_failed("add-2", now));
    CHECK(assignments.add_failed("add-1", now));
    CHECK(assignments.due(now + 4s).empty());
    CHECK(assignments.due(now + 5s) == std::vector<std::string>{kAna});
    const auto again = assignments.start(kAna, room, now, commands);
    REQUIRE(again.size() == 2);

    // A look-up that fails, and one nobody answers, are retried too; pauses double.
    CHECK(assignments.lookup_failed(again[0].id, now));
    CHECK_FALSE(assignments.lookup_failed(again[1].id, now));  // dropped with its pair
    CHECK(assignments.due(now + 9s).empty());
    CHECK(assignments.due(now + 10s).size() == 1);
    const auto third = assignments.start(kAna, room, now, commands);
    REQUIRE(third.size() == 2);
    assignments.expire(now + 599s);
    CHECK(assignments.on_room_members(third[0].id, {}, decided) == Assignments::Answer::partial);
    assignments.expire(now + 600s);
    CHECK(assignments.on_team_members(third[1].id, {}, decided) == Assignments::Answer::ignored);
    CHECK(assignments.due(now + 600s + 19s).empty());
    CHECK(assignments.due(now + 600s + 20s).size() == 1);

    // An agent's answer ends the wait: nothing is due until the customer writes again.
    assignments.answered(kAna);
    CHECK(assignments.due(now + 10000s).empty());
    CHECK(assignments.start(kAna, room, now, commands).empty());
}
