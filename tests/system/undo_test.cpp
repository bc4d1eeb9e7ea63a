// Undo send (SMS_UNDO_SECONDS) through the real processes, per carrier: an agent's reply waits
// its window; deleted in Webex inside it, the customer gets nothing and the room no note; not
// deleted, the customer gets it once, after the window, even when the router is killed -9 while
// it waits.
#include <doctest/doctest.h>
#include <httplib.h>

#include "steps.h"

using namespace sb::testing;

namespace {

constexpr int kWindowSeconds = 8;  // room for a deletion to travel on a busy machine
const std::map<std::string, std::string> kUndo = {
    {"SMS_UNDO_SECONDS", std::to_string(kWindowSeconds)}};

// What the demo's delete button does: delete the message in Webex as its author.
void delete_in_webex(const System& system, const std::string& message_id) {
    httplib::Client client("127.0.0.1", system.port("sandbox"));
    client.set_read_timeout(10, 0);
    const auto answer = client.Delete(("/sandbox/spark/messages/" + message_id).c_str());
    REQUIRE(answer);
    REQUIRE(answer->status == 204);
}

int copies(const std::vector<std::string>& inbox, const std::string& text) {
    int count = 0;
    for (const std::string& sms : inbox) count += sms == text;
    return count;
}

}  // namespace

TEST_CASE("undo: a reply deleted inside its window sends no SMS and leaves no note") {
    System system(System::all_services(), kUndo);
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550161";
    const std::string room = established(system, number, "2085550161", "hello, undo");

    const std::string oops = sandbox.post(room, kAlice, {{"text", "meant for Bob only"}});
    // The agent sees it in the room (the router holds it), then deletes it.
    require_eventually(
        system, [&] { return system.metric("router", "switchboard_router_replies_waiting") == 1; },
        "the router holds the reply in its undo window");
    delete_in_webex(system, oops);
    require_eventually(
        system,
        [&] { return system.metric("router", "switchboard_router_replies_undone_total") == 1; },
        "the deletion reaches the router");
    // A later reply still goes: once it is there, the deleted one would long have been too.
    sandbox.post(room, kAlice, {{"text", "Your order ships today"}});
    const auto inbox = wait_for_inbox(system, number, 2);
    CHECK(inbox.size() == 2);
    CHECK(welcomes_in(inbox) == 1);
    CHECK(inbox.back() == "Your order ships today");
    CHECK(copies(inbox, "meant for Bob only") == 0);
    CHECK(sandbox.bridge_posts(room).size() == 1);  // the customer's text; no note of any kind
    CHECK(system.metric("router", "switchboard_router_replies_undone_total") == 1);
    CHECK(system.metric("router", "switchboard_router_replies_waiting") == 0);
}

TEST_CASE(
    "undo: a reply not deleted reaches the phone once, after its window, a late delete changes "
    "nothing") {
    System system(System::all_services(), kUndo);
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550162";
    const std::string room = established(system, number, "2085550162", "hello, no undo");

    const auto posted = std::chrono::steady_clock::now();
    const std::string reply = sandbox.post(room, kAlice, {{"text", "On its way"}});
    // Not before the window has passed (less a second for the clocks' granularity).
    CHECK_FALSE(wait_until([&] { return sandbox.inbox(number).size() >= 2; },
                           std::chrono::seconds(kWindowSeconds - 1)));
    wait_for_inbox(system, number, 2);
    CHECK(std::chrono::steady_clock::now() - posted >= std::chrono::seconds(kWindowSeconds - 1));
    // Deleted once it was sent: too late, and nothing changes (no note, nothing sent again).
    delete_in_webex(system, reply);
    require_eventually(
        system,
        [&] { return system.metric("router", "switchboard_router_deletions_ignored_total") == 1; },
        "the late deletion reaches the router");
    // One more round trip: a second copy would be there by now.
    sandbox.post(room, kAlice, {{"text", "Anything else?"}});
    const auto inbox = wait_for_inbox(system, number, 3);
    CHECK(inbox.size() == 3);
    CHECK(copies(inbox, "On its way") == 1);
    CHECK(inbox.back() == "Anything else?");
    CHECK(sandbox.bridge_posts(room).size() == 1);
}

TEST_CASE("undo: the router killed -9 inside the window still sends the reply exactly once") {
    System system(System::all_services(), kUndo);
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550163";
    const std::string room = established(system, number, "2085550163", "hello, restart");

    sandbox.post(room, kAlice, {{"text", "Held across a crash"}});
    require_eventually(
        system, [&] { return system.metric("router", "switchboard_router_replies_waiting") == 1; },
        "the router holds the reply in its undo window");
    system.kill9("router");
    system.start("router");
    const auto first = wait_for_inbox(system, number, 2);
    CHECK(first.back() == "Held across a crash");
    sandbox.post(room, kAlice, {{"text", "After the crash"}});
    const auto inbox = wait_for_inbox(system, number, 3);
    CHECK(inbox.size() == 3);
    CHECK(copies(inbox, "Held across a crash") == 1);
    CHECK(inbox.back() == "After the crash");
}
