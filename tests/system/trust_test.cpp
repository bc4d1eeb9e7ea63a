// DESIGN §2.12 and §4 through every real process: a space outside the agents' team never makes
// an SMS nor a directory entry, whatever its title; and an agent's reply taken in twice (spark-
// gateway's catch-up after both it and the router restarted) reaches the customer once.
#include <doctest/doctest.h>

#include <fstream>

#include "steps.h"

using namespace sb::testing;

namespace {

// Agent messages the router has decided on in this life: sent, dropped as a duplicate, or
// dropped as from a room outside the team (0 where a build has no such counter).
double agent_messages_decided(const System& system) {
    return system.metric("router", "switchboard_router_messages_routed_total",
                         "direction=\"to_customer\"") +
           system.metric("router", "switchboard_router_duplicates_total") +
           system.metric("router", "switchboard_router_foreign_room_messages_total");
}

}  // namespace

TEST_CASE("trust: an outsider's space titled with a number texts nobody and is no customer room") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+13055550111";

    // Any Webex user can make a space, title it so and add the customer-proxy account.
    const auto created =
        system.post_json("sandbox", "/sandbox/spark/rooms",
                         {{"title", "Anything 3055550111"}, {"teamId", nullptr}, {"as", kAlice}});
    REQUIRE(created);
    REQUIRE(created->status == 200);
    const json space = json::parse(created->body)["items"][0];
    REQUIRE_FALSE(space.contains("teamId"));
    const std::string outsider = space["id"].get<std::string>();
    sandbox.post(outsider, kAlice, {{"text", "Your verification code is 1234"}});
    require_eventually(
        system, [&] { return agent_messages_decided(system) >= 1; },
        "the router decided on the outsider's message");
    CHECK(system.metric("router", "switchboard_router_customers_known") == 0);

    // Then that number texts in: a new room in the team, one welcome, and the text is there.
    sandbox.text(number, "hi, who is this?");
    const std::string room = wait_for_room(system, "3055550111");
    CHECK(room != outsider);
    const auto rooms = sandbox.rooms_titled("3055550111");
    REQUIRE(rooms.size() == 1);
    CHECK(text_of(rooms[0], "teamId") == demo().team_id);
    wait_for_posts(system, room, "hi, who is this?");
    wait_for_inbox(system, number, 1);
    // One round trip more: whatever the outsider's message caused has arrived by now.
    sandbox.post(room, kAlice, {{"text", "This is Acme, how can we help?"}});
    const auto inbox = wait_for_inbox(system, number, 2);
    CHECK(inbox.size() == 2);
    CHECK(welcomes_in(inbox) == 1);
    CHECK(count_containing(inbox, "verification code") == 0);
    CHECK(inbox.back() == "This is Acme, how can we help?");
    CHECK(sandbox.bridge_posts(outsider).empty());  // the customer's text never went there
    CHECK(system.metric("router", "switchboard_router_customers_known") == 1);
    CHECK(system.metric("router", "switchboard_router_foreign_room_messages_total") == 1);
}

TEST_CASE("trust: a reply caught up again after spark-gateway and router restart is sent once") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550113";
    const std::string room = established(system, number, "2085550113", "where is my order?");
    sandbox.post(room, kAlice, {{"text", "Your order ships today"}});
    wait_for_inbox(system, number, 2);

    // The reply's time, from the room's history, to rewind spark-gateway's catch-up mark to.
    std::optional<std::chrono::system_clock::time_point> reply_created;
    for (const json& message : sandbox.history(room)) {
        if (text_of(message, "text") == "Your order ships today") {
            reply_created = sb::parse_iso8601(text_of(message, "created"));
        }
    }
    REQUIRE(reply_created);

    system.stop("spark-gateway");
    system.stop("router");
    // As if the gateway had died before its mark reached the disk: the next start takes the
    // reply in again, as a new event with the same message id.
    {
        std::ofstream mark(system.dir() + "/data/spark-gateway.spark-seen", std::ios::trunc);
        mark << sb::iso8601(*reply_created - std::chrono::seconds(1)) << '\n';
        REQUIRE(mark.flush());
    }
    system.start("spark-gateway");
    system.start("router");
    require_eventually(
        system,
        [&] {
            return system.metric("spark-gateway", "switchboard_spark_caught_up_messages_total") >=
                   1;
        },
        "spark-gateway caught the reply up again");
    require_eventually(
        system, [&] { return agent_messages_decided(system) >= 1; },
        "the new router decided on the caught-up reply");

    // One more reply behind it: a doubled SMS would have arrived before this one.
    sandbox.post(room, kAlice, {{"text", "Anything else?"}});
    require_eventually(
        system, [&] { return count_containing(sandbox.inbox(number), "Anything else?") == 1; },
        "the next reply");
    const auto inbox = sandbox.inbox(number);
    CHECK(count_containing(inbox, "Your order ships today") == 1);
    CHECK(inbox.size() == 3);
    CHECK(system.metric("router", "switchboard_router_duplicates_total") == 1);
}
