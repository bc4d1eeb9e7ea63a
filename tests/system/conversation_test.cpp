// DESIGN §2 rules 1, 3, 5-9 end to end: real bus, sandbox, gateways, router and website on
// loopback, driven only through the sandbox's phones and agents.
#include <doctest/doctest.h>

#include "steps.h"

using namespace sb::testing;

namespace {}  // namespace

TEST_CASE(
    "new customer: one team room titled with the number and one timed post and one "
    "welcome SMS") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550101";
    sandbox.text(number, "Hello my order has not arrived");

    const std::string room = wait_for_room(system, "2085550101");
    wait_for_posts(system, room, "Hello my order has not arrived");
    const auto inbox = wait_for_inbox(system, number, 1);
    // Everything the router does for this customer has happened once the counters say so.
    require_eventually(
        system,
        [&] {
            return system.metric("router", "switchboard_router_welcomes_total") == 1 &&
                   system.metric("router", "switchboard_router_messages_routed_total",
                                 "direction=\"to_room\"") == 1;
        },
        "router counted one post and one welcome");

    const auto rooms = sandbox.rooms_titled("2085550101");
    REQUIRE(rooms.size() == 1);
    CHECK(rooms[0]["teamId"] == demo().team_id);
    const auto posts =
        posts_containing(sandbox.bridge_posts(room), "Hello my order has not arrived");
    REQUIRE(posts.size() == 1);
    CHECK(posts[0].find("SMS") != std::string::npos);
    const auto posted_time = time_in(posts[0]);
    REQUIRE_MESSAGE(posted_time, "no time in the post: " << posts[0]);
    const auto sent_at =
        sb::parse_iso8601(sandbox.phone(number)["sent"][0]["at"].get<std::string>());
    REQUIRE(sent_at);
    CHECK(std::chrono::abs(*posted_time - *sent_at) < std::chrono::seconds(60));
    CHECK(sandbox.inbox(number).size() == 1);
    CHECK(is_welcome(inbox[0]));
    CHECK(sandbox.phone(number)["inbox"][0]["from"] == demo().company_number);
}

TEST_CASE("second SMS: same room after the first and no second welcome") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550102";
    const std::string room = established(system, number, "2085550102", "first question");
    sandbox.text(number, "second question");
    wait_for_posts(system, room, "second question");
    // An agent's reply goes out after anything the router owed for the second SMS.
    sandbox.post(room, kAlice, {{"text", "Answer to both"}});
    const auto inbox = wait_for_inbox(system, number, 2);

    CHECK(sandbox.rooms_titled("2085550102").size() == 1);
    const auto posts = sandbox.bridge_posts(room);
    REQUIRE(count_containing(posts, "first question") == 1);
    REQUIRE(count_containing(posts, "second question") == 1);
    CHECK(posts_containing(posts, "question")[0].find("first") != std::string::npos);
    CHECK(inbox.size() == 2);
    CHECK(welcomes_in(inbox) == 1);
    CHECK(inbox.back() == "Answer to both");
    CHECK(system.metric("router", "switchboard_router_welcomes_total") == 1);
}

TEST_CASE("agent reply: markdown reaches the customer once as plain text") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550103";
    const std::string room = established(system, number, "2085550103", "where is my parcel");

    sandbox.post(room, kAlice,
                 {{"markdown",
                   "**Good news**: your order *shipped* today. Track it "
                   "[here](https://example.com/track/42)."}});
    wait_for_inbox(system, number, 2);
    sandbox.post(room, kAlice, {{"text", "Anything else"}});
    const auto inbox = wait_for_inbox(system, number, 3);

    REQUIRE(inbox.size() == 3);
    CHECK(inbox[1] ==
          "Good news: your order shipped today. Track it here (https://example.com/track/42).");
    CHECK(inbox[2] == "Anything else");
    CHECK(sandbox.phone(number)["inbox"][1]["from"] == demo().company_number);
}

TEST_CASE("whisper: a message that mentions someone stays in the room with no SMS") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550104";
    const std::string room = established(system, number, "2085550104", "refund please");

    sandbox.post(room, kAlice, {{"text", "can you check the refund policy"}, {"mentions", {kBob}}});
    sandbox.post(room, kBob, {{"text", "Your refund is on its way"}});
    const auto inbox = wait_for_inbox(system, number, 2);
    require_eventually(
        system, [&] { return system.metric("router", "switchboard_router_whispers_total") == 1; },
        "the router counted the whisper");

    const auto final_inbox = sandbox.inbox(number);
    REQUIRE(final_inbox.size() == 2);
    CHECK(is_welcome(final_inbox[0]));
    CHECK(final_inbox[1] == "Your refund is on its way");
    CHECK(count_containing(final_inbox, "refund policy") == 0);
}

TEST_CASE("no echo: the bridge's own posts never come back to the customer as SMS") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550105";
    const std::string room = established(system, number, "2085550105", "echo one");
    sandbox.text(number, "echo two");
    sandbox.text(number, "echo three");
    wait_for_posts(system, room, "echo three");
    sandbox.post(room, kAlice, {{"text", "reply one"}});
    sandbox.post(room, kAlice, {{"text", "reply two"}});
    wait_for_inbox(system, number, 3);
    // Every post of the bridge came back through the webhook and was dropped as an echo at
    // spark-gateway's door, before costing a fetch or an event.
    const size_t bridge_posts = sandbox.bridge_posts(room).size();
    REQUIRE(bridge_posts >= 3);
    require_eventually(
        system,
        [&] {
            return system.metric("spark-gateway", "switchboard_spark_webhooks_total",
                                 "reason=\"own post\",result=\"ignored\"") >=
                   static_cast<double>(bridge_posts);
        },
        "spark-gateway saw and dropped every echo");

    const auto inbox = sandbox.inbox(number);
    CHECK(inbox.size() == 3);
    CHECK(welcomes_in(inbox) == 1);
    CHECK(count_containing(inbox, "reply one") == 1);
    CHECK(count_containing(inbox, "reply two") == 1);
    CHECK(count_containing(inbox, "echo") == 0);
    CHECK(system.metric("router", "switchboard_router_messages_routed_total",
                        "direction=\"to_customer\"") == 2);
}

TEST_CASE(
    "rename: Tommy Tutone 2088675309 keeps the conversation going both ways and "
    "across a router restart") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12088675309";
    const std::string room = established(system, number, "2088675309", "before the rename");
    sandbox.rename(room, "Tommy Tutone 2088675309");

    sandbox.post(room, kAlice, {{"text", "Hi Tommy"}});
    wait_for_inbox(system, number, 2);
    sandbox.text(number, "after the rename");
    wait_for_posts(system, room, "after the rename");

    // The titles are the directory: a new router life finds the renamed room.
    system.stop("router");
    system.start("router");
    sandbox.text(number, "after the restart");
    wait_for_posts(system, room, "after the restart");
    sandbox.post(room, kAlice, {{"text", "Still here Tommy"}});
    const auto inbox = wait_for_inbox(system, number, 3);

    CHECK(sandbox.rooms_titled("2088675309").empty());
    CHECK(sandbox.rooms_titled("Tommy Tutone 2088675309").size() == 1);
    CHECK(sandbox.rooms().size() == 2);  // the general room and Tommy's
    CHECK(inbox.size() == 3);
    CHECK(welcomes_in(inbox) == 1);
    CHECK(inbox[1] == "Hi Tommy");
    CHECK(inbox[2] == "Still here Tommy");
    const auto posts = sandbox.bridge_posts(room);
    CHECK(count_containing(posts, "after the rename") == 1);
    CHECK(count_containing(posts, "after the restart") == 1);
}

TEST_CASE("voice: a call is forwarded to CUSTOMER_SERVICE_REDIRECT_DN and noted in the room") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550107";
    sandbox.call(number);

    require_eventually(
        system,
        [&] {
            const json calls = sandbox.phone(number)["calls"];
            return !calls.empty() && text_of(calls[0], "outcome") != "" &&
                   text_of(calls[0], "outcome") != "ringing";
        },
        "the call was answered");
    const json call = sandbox.phone(number)["calls"][0];
    CHECK_MESSAGE((call["outcome"] == "transferred" || call["outcome"] == "redirected"), call);
    CHECK_MESSAGE(text_of(call, "target").find("18005550100") != std::string::npos, call);

    const std::string room = wait_for_room(system, "2085550107");
    wait_for_posts(system, room, "forwarded to");
    const auto notes = posts_containing(sandbox.bridge_posts(room), "forwarded to");
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].find(demo().redirect_number) != std::string::npos);
    CHECK(notes[0].find("Voice") != std::string::npos);
    CHECK(time_in(notes[0]));
    CHECK(sandbox.rooms_titled("2085550107").size() == 1);
}

TEST_CASE("international: +44 7911 123456 gets a room titled +447911123456") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+447911123456";
    sandbox.text(number, "Hello from London");
    const std::string room = wait_for_room(system, "+447911123456");
    wait_for_posts(system, room, "Hello from London");
    wait_for_inbox(system, number, 1);
    sandbox.post(room, kAlice, {{"text", "Cheers"}});
    const auto inbox = wait_for_inbox(system, number, 2);

    CHECK(sandbox.rooms_titled("+447911123456").size() == 1);
    CHECK(sandbox.rooms().size() == 2);
    CHECK(welcomes_in(inbox) == 1);
    CHECK(inbox.size() == 2);
    CHECK(inbox[1] == "Cheers");
}
