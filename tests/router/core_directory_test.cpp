// The directory and its sync: pages, readiness, events held until the first sync, re-syncs.
#include <doctest/doctest.h>

#include "core_harness.h"

using namespace sb;
using namespace sb::router;
using namespace sb::router::testing;

TEST_CASE("the customer number is read from the end of each room title") {
    struct Row {
        const char* title;
        const char* customer;  // "" for no customer
    };
    const Row rows[] = {
        {"2088675309", "+12088675309"},
        {"Tommy Tutone 2088675309", "+12088675309"},
        {"Ana +447911123456", "+447911123456"},
        {"+447911123456", "+447911123456"},
        {"General", ""},
        {"Project 12345", ""},
        {"Room 208867530912", ""},  // a long run without '+' is no number
        {"", ""},
    };
    for (const Row& row : rows) {
        const std::string title = row.title;
        CAPTURE(title);
        Directory directory(kTeam);
        directory.learn("room", row.title, kTeam);
        CHECK(directory.room("room")->customer == row.customer);
        CHECK(directory.customers() == (row.customer[0] != '\0' ? 1u : 0u));
    }
}

TEST_CASE("the general room is the oldest room whose title ends in no number") {
    Directory directory(kTeam);
    directory.learn("old-customer", "2088675309", kTeam, "2020-01-01T00:00:00Z");
    directory.learn("newer", "Escalations", kTeam, "2024-01-01T00:00:00Z");
    directory.learn("general", "General", kTeam, "2023-01-01T00:00:00Z");
    REQUIRE(directory.general_room() != nullptr);
    CHECK(directory.general_room()->id == "general");
}

TEST_CASE("a customer keeps the room it has when a second one with its number appears") {
    Directory directory(kTeam);
    directory.learn("first", "2088675309", kTeam, "2025-01-01T00:00:00Z");
    directory.learn("second", "Copy 2088675309", kTeam, "2024-01-01T00:00:00Z");
    CHECK(directory.room_of("+12088675309")->id == "first");
    // Renamed away from the number: the other room takes over.
    directory.learn("first", "Closed case", kTeam);
    CHECK(directory.room_of("+12088675309")->id == "second");
}

TEST_CASE("a room two syncs in a row do not list is forgotten, one learned meanwhile is kept") {
    Directory directory(kTeam);
    directory.begin_sync();
    directory.learn("gone", "2088675309", kTeam);
    directory.learn("stays", "2085550111", kTeam);
    directory.end_sync();
    directory.begin_sync();
    directory.learn("stays", "2085550111", kTeam);
    directory.end_sync();
    CHECK(directory.room_of("+12088675309") != nullptr);  // one miss may be a lagging list
    directory.begin_sync();
    directory.learn("new", "2085550122", kTeam);  // e.g. from a RoomCreated during the sync
    directory.learn("stays", "2085550111", kTeam);
    directory.end_sync();
    CHECK(directory.room_of("+12088675309") == nullptr);
    CHECK(directory.room_of("+12085550111") != nullptr);
    CHECK(directory.room_of("+12085550122") != nullptr);
}

TEST_CASE("start asks for every page of the team's rooms and is ready only after the last") {
    Harness h;
    h.start();
    REQUIRE(h.commands(event_type::list_rooms).size() == 1);
    const Outbound& list = h.latest(event_type::list_rooms);
    CHECK(list.topic == topics::spark_commands);
    CHECK(list.event.key == "directory");
    CHECK_FALSE(h.core->ready());

    h.answer_sync({{room("r1", "2088675309"), room("general", "General")},
                   {room("r2", "Tommy Tutone 2085550111"), room("r3", "Ana +447911123456")},
                   {}});
    CHECK(h.core->ready());
    CHECK(h.core->customers_known() == 3);
    CHECK(h.core->counters().syncs == 1);
    CHECK(h.core->directory().room_of("+447911123456")->id == "r3");
    CHECK(h.commands(event_type::create_room).empty());
}

TEST_CASE("a page of another sync is ignored and does not make the router ready") {
    Harness h;
    h.start();
    RoomsPage stale;
    stale.sync_id = "an-earlier-life";
    stale.last = true;
    stale.rooms = {room("r1", "2088675309")};
    h.send(event_type::rooms_page, stale);
    CHECK_FALSE(h.core->ready());
    CHECK(h.core->customers_known() == 0);
}

TEST_CASE("events that arrive before the first sync wait for it and are then handled in order") {
    Harness h;
    h.start();
    h.send(event_type::customer_message, sms("+12088675309", "first"));
    CHECK(h.last.hold);
    h.send(event_type::agent_message, agent_says("r1", "2088675309", "hello", "m1"));
    CHECK(h.last.hold);
    h.send(event_type::customer_message, sms("+12088675309", "second"));
    CHECK(h.last.hold);
    CHECK(h.published.size() == 1);  // only the ListRooms
    CHECK(h.core->held() == 3);

    h.answer_sync({{room("r1", "2088675309")}});
    // The page that completes the sync releases the agent message; the customer's two go with
    // their MessagePosted.
    CHECK(h.last.complete.size() == 1);
    CHECK(h.pending.empty());
    const auto posts = h.payloads<PostMessage>(event_type::post_message);
    REQUIRE(posts.size() == 2);
    CHECK(posts[0].markdown.find("first") != std::string::npos);
    CHECK(posts[1].markdown.find("second") != std::string::npos);
    CHECK(h.payloads<SendSms>(event_type::send_sms).size() == 1);
    CHECK(h.core->held() == 0);
}

TEST_CASE("a failed sync is retried after a pause, the router stays not ready meanwhile") {
    Harness h;
    h.start();
    const Outbound first = h.latest(event_type::list_rooms);
    h.send(event_type::command_failed, CommandFailed{"ListRooms", "503 from Webex", 503},
           first.event.id);
    CHECK_FALSE(h.core->ready());
    h.tick(1s);
    CHECK(h.commands(event_type::list_rooms).size() == 1);
    h.tick(5s);
    REQUIRE(h.commands(event_type::list_rooms).size() == 2);
    h.answer_sync({{room("r1", "2088675309")}});
    CHECK(h.core->ready());
    CHECK(h.core->counters().sync_failures == 1);
}

TEST_CASE("the directory is re-synced periodically and picks up renames") {
    Harness h;
    h.start_with({room("r1", "2088675309")});
    h.tick(599s);
    CHECK(h.commands(event_type::list_rooms).size() == 1);
    h.tick(1s);
    REQUIRE(h.commands(event_type::list_rooms).size() == 2);
    h.answer_sync({{room("r1", "Tommy Tutone 2088675309"), room("r2", "2085550111")}});
    CHECK(h.core->customers_known() == 2);
    CHECK(h.core->directory().room_of("+12088675309")->title == "Tommy Tutone 2088675309");
    CHECK(h.core->counters().syncs == 2);
}
