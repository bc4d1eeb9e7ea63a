// DESIGN §4 and §2.11: provider storms and router restarts delay messages but lose and double
// none; an SMS that cannot be delivered is reported in the room.
#include <doctest/doctest.h>

#include "steps.h"

using namespace sb::testing;

namespace {

// Each of `texts` appears in exactly one of the room's bridge posts, in this order.
void check_posted_once_in_order(const SandboxClient& sandbox, const std::string& room,
                                const std::vector<std::string>& texts) {
    const auto posts = sandbox.bridge_posts(room);
    size_t at = 0;
    for (const std::string& text : texts) {
        CAPTURE(text);
        CHECK(count_containing(posts, text) == 1);
        while (at < posts.size() && posts[at].find(text) == std::string::npos) ++at;
        CHECK_MESSAGE(at < posts.size(), "out of order");
    }
}

enum class Stop { sigterm, sigkill };

// A conversation in flight when the router goes away, more of it while it is away, and a new
// customer whose room is being created at that moment.
void router_restart_mid_conversation(Stop how) {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550110";
    const std::string room = established(system, number, "2085550110", "restart one");

    // The newcomer's room creation is slowed down (one 429, Retry-After 3 s) so that it is
    // still in flight in spark-gateway when the router goes and when the new router re-syncs:
    // the sync must see that room, or the newcomer would get a second one.
    sandbox.spark_faults({{"status", 429},
                          {"retry_after", 3},
                          {"count", 1},
                          {"path_prefix", "/v1/rooms"},
                          {"method", "POST"}});
    sandbox.text(number, "restart two");
    sandbox.text("+12085550111", "new customer during the restart");
    sandbox.post(room, kAlice, {{"text", "reply before"}});
    require_eventually(
        system, [&] { return sandbox.spark_stats()["faults_served"] == 1; },
        "the newcomer's CreateRoom is being retried");
    if (how == Stop::sigterm)
        system.stop("router");
    else
        system.kill9("router");
    sandbox.text(number, "restart three");
    sandbox.post(room, kAlice, {{"text", "reply while down"}});
    sandbox.text("+12085550111", "second while down");
    system.start("router");
    sandbox.text(number, "restart four");
    sandbox.post(room, kAlice, {{"text", "reply after"}});

    wait_for_posts(system, room, "restart four");
    wait_for_inbox(system, number, 4);
    const std::string newcomer = wait_for_room(system, "2085550111");
    wait_for_posts(system, newcomer, "second while down");
    wait_for_inbox(system, "+12085550111", 1);
    // One more round trip each way after everything: whatever was doubled is there by now.
    sandbox.text(number, "restart five");
    wait_for_posts(system, room, "restart five");
    sandbox.post(room, kAlice, {{"text", "last reply"}});
    const auto inbox = wait_for_inbox(system, number, 5);

    check_posted_once_in_order(
        sandbox, room,
        {"restart one", "restart two", "restart three", "restart four", "restart five"});
    CHECK(inbox.size() == 5);
    CHECK(welcomes_in(inbox) == 1);
    CHECK(
        std::vector<std::string>(inbox.begin() + 1, inbox.end()) ==
        std::vector<std::string>{"reply before", "reply while down", "reply after", "last reply"});
    CHECK(sandbox.rooms_titled("2085550111").size() == 1);
    CHECK(sandbox.rooms().size() == 3);
    check_posted_once_in_order(sandbox, newcomer,
                               {"new customer during the restart", "second while down"});
    const auto newcomer_inbox = sandbox.inbox("+12085550111");
    CHECK(newcomer_inbox.size() == 1);
    CHECK(welcomes_in(newcomer_inbox) == 1);
}

}  // namespace

TEST_CASE(
    "storms: Spark 429s on posts and room creation and the carrier's 5xx on sends lose and "
    "double nothing") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550112";
    const std::string room = established(system, number, "2085550112", "calm before");
    REQUIRE(sandbox.spark_stats()["faults_served"] == 0);

    sandbox.spark_faults({{"status", 429},
                          {"retry_after", 1},
                          {"count", 6},
                          {"path_prefix", "/v1/messages"},
                          {"method", "POST"}});
    sandbox.spark_faults({{"status", 429},
                          {"retry_after", 1},
                          {"count", 2},
                          {"path_prefix", "/v1/rooms"},
                          {"method", "POST"}});
    sandbox.carrier_server_errors(4);
    const std::vector<std::string> texts = {"storm one", "storm two", "storm three"};
    for (const std::string& text : texts) sandbox.text(number, text);
    sandbox.text("+12085550113", "new customer in the storm");
    sandbox.post(room, kAlice, {{"text", "storm reply one"}});
    sandbox.post(room, kAlice, {{"text", "storm reply two"}});

    wait_for_posts(system, room, "storm three");
    const auto inbox = wait_for_inbox(system, number, 3);
    const std::string newcomer = wait_for_room(system, "2085550113");
    wait_for_posts(system, newcomer, "new customer in the storm");
    wait_for_inbox(system, "+12085550113", 1);
    // A last round trip: anything doubled by a retry would be there by now.
    sandbox.text(number, "after the storm");
    wait_for_posts(system, room, "after the storm");
    sandbox.post(room, kAlice, {{"text", "storm over"}});
    wait_for_inbox(system, number, 4);

    // The storms really happened.
    CHECK(sandbox.spark_stats()["faults_served"] == 8);
    CHECK(sandbox.carrier_faults_served() == 4);
    check_posted_once_in_order(
        sandbox, room, {"calm before", "storm one", "storm two", "storm three", "after the storm"});
    CHECK(sandbox.inbox(number) ==
          std::vector<std::string>{inbox[0], "storm reply one", "storm reply two", "storm over"});
    CHECK(sandbox.rooms_titled("2085550113").size() == 1);
    CHECK(count_containing(sandbox.bridge_posts(newcomer), "new customer in the storm") == 1);
    CHECK(sandbox.inbox("+12085550113").size() == 1);
    CHECK(sandbox.rooms().size() == 3);
}

TEST_CASE("restart: the router stopped by SIGTERM mid-conversation loses and doubles nothing") {
    router_restart_mid_conversation(Stop::sigterm);
}

TEST_CASE("restart: the router killed by kill -9 mid-conversation loses and doubles nothing") {
    router_restart_mid_conversation(Stop::sigkill);
}

TEST_CASE("failures are visible: an SMS the carrier refuses is reported in the room") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550114";
    const std::string room = established(system, number, "2085550114", "please text me back");

    // Tropo refuses the session; Twilio refuses a customer who replied STOP (21610).
    const std::string note_says = sandbox.carrier_refuses(number);
    const size_t inbox_before = sandbox.inbox(number).size();  // Twilio confirms a STOP by SMS
    sandbox.post(room, kAlice, {{"text", "This reply will not arrive"}});
    wait_for_posts(system, room, note_says);
    sandbox.carrier_accepts(number);
    // Twilio's customer texted START: the router must have seen it before the next reply.
    if (sandbox.carrier() == Carrier::twilio) wait_for_posts(system, room, "Opted in");
    sandbox.post(room, kAlice, {{"text", "This one does"}});
    require_eventually(
        system, [&] { return count_containing(sandbox.inbox(number), "This one does") == 1; },
        "the reply after the refusal reached the phone");
    const auto inbox = sandbox.inbox(number);

    const auto notes = posts_containing(sandbox.bridge_posts(room), note_says);
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].find(number) != std::string::npos);
    CHECK(inbox.size() >= inbox_before + 1);
    CHECK(count_containing(inbox, "will not arrive") == 0);
    CHECK(inbox.back() == "This one does");
    if (sandbox.carrier() == Carrier::tropo) {
        CHECK(sandbox.carrier_faults_served() >= 1);
    }
    // The note is the bridge's own post: it must not come back to the customer either.
    CHECK(count_containing(inbox, note_says) == 0);
}

TEST_CASE("catch-up: what agents wrote while spark-gateway was down still reaches the customer") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550112";
    const std::string room = established(system, number, "2085550112", "before the outage");

    system.stop("spark-gateway");
    // Webex cannot deliver these webhooks: nothing listens. It does not redeliver them later.
    sandbox.post(room, kAlice, {{"text", "written while you were away"}});
    sandbox.post(room, kAlice, {{"text", "bob, can you take this one"}, {"mentions", {kBob}}});
    sandbox.post(room, kAlice, {{"text", "and one more thing"}});
    system.start("spark-gateway");

    wait_for_inbox(system, number, 3);  // the welcome, then the two replies
    require_eventually(
        system,
        [&] {
            return system.metric("spark-gateway", "switchboard_spark_caught_up_messages_total") ==
                   3;
        },
        "spark-gateway took in the three messages posted while it was down");
    const auto inbox = sandbox.inbox(number);
    CHECK(inbox.size() == 3);
    CHECK(count_containing(inbox, "written while you were away") == 1);
    CHECK(count_containing(inbox, "and one more thing") == 1);
    CHECK(count_containing(inbox, "bob, can you take") == 0);  // a whisper stays a whisper
    // In the order they were written.
    CHECK(inbox.back().find("and one more thing") != std::string::npos);

    // Later messages flow as before, and a second restart sends nothing twice.
    system.stop("spark-gateway");
    system.start("spark-gateway");
    sandbox.post(room, kAlice, {{"text", "back to normal"}});
    wait_for_inbox(system, number, 4);
    CHECK(count_containing(sandbox.inbox(number), "written while you were away") == 1);
}
