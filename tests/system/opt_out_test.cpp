// Opt-out end to end with each carrier (DESIGN §2.13, issue 15): the sandbox's phones text STOP,
// START and HELP through the real carrier gateway; agents reply in Webex. Tropo answers nothing
// itself, so the router confirms; Twilio answers the keywords itself (and refuses an opted-out
// number with 21610), so the router sends nothing extra. Either way the router keeps the state:
// a reply to an opted-out customer is not sent, and a note in the reply's thread says so.
#include <doctest/doctest.h>

#include <filesystem>

#include "steps.h"

using namespace sb::testing;

namespace {

// The messages of the room whose text contains `needle`, as Webex has them (parentId and all).
std::vector<json> messages_with(const SandboxClient& sandbox, const std::string& room,
                                const std::string& needle) {
    std::vector<json> found;
    for (const json& message : sandbox.history(room)) {
        if (text_of(message, "text").find(needle) != std::string::npos) found.push_back(message);
    }
    return found;
}

double router_metric(const System& system, const std::string& name) {
    return system.metric("router", "switchboard_router_" + name);
}

// An agent's reply the router must not text: waits for its thread note, and checks that it is
// the only note about it and that nothing reached the phone.
void reply_is_blocked(const System& system, const std::string& room, const std::string& number,
                      const std::string& text) {
    const SandboxClient sandbox = system.sandbox();
    const std::string reply = sandbox.post(room, kAlice, {{"text", text}});
    require_eventually(
        system,
        [&] {
            for (const json& note : messages_with(sandbox, room, "Reply not sent")) {
                if (text_of(note, "parentId") == reply) return true;
            }
            return false;
        },
        "the note in the thread of \"" + text + "\"");
    int notes = 0;
    for (const json& note : messages_with(sandbox, room, "opted out")) {
        notes += text_of(note, "parentId") == reply;
    }
    CHECK(notes == 1);
    CHECK(count_containing(sandbox.inbox(number), text) == 0);
}

void reply_arrives(const System& system, const std::string& room, const std::string& number,
                   const std::string& text) {
    const SandboxClient sandbox = system.sandbox();
    sandbox.post(room, kAlice, {{"text", text}});
    require_eventually(
        system, [&] { return count_containing(sandbox.inbox(number), text) == 1; },
        "\"" + text + "\" reached the phone");
}

bool router_confirms(const SandboxClient& sandbox) {
    return sandbox.carrier() == Carrier::tropo;  // Twilio answers the keywords itself
}

}  // namespace

TEST_CASE(
    "opt-out: STOP blocks a reply with a note in its thread, and after START replies arrive") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550181";
    const std::string room = established(system, number, "2085550181", "where is my parcel");

    sandbox.text(number, "Stop.");  // punctuation after it still counts
    wait_for_posts(system, room, "Opted out");
    // One confirmation.
    const auto inbox = wait_for_inbox(system, number, 2);
    CHECK(count_containing(inbox, "unsubscribed") == 1);
    // With punctuation it may be no STOP to Twilio (its sandbox matches the bare word only), so
    // the router confirms it with either carrier.
    CHECK(router_metric(system, "keyword_answers_total") == 1);
    // The room's title carries the mark (read back if the router's journal is ever lost).
    require_eventually(
        system, [&] { return sandbox.rooms_titled("[opted out] 2085550181").size() == 1; },
        "the room's title marked");

    reply_is_blocked(system, room, number, "Your parcel left the depot");
    CHECK(router_metric(system, "replies_blocked_total") == 1);

    sandbox.text(number, "START");
    wait_for_posts(system, room, "Opted in");
    require_eventually(
        system, [&] { return sandbox.rooms_titled("2085550181").size() == 1; },
        "the mark taken off the title");
    reply_arrives(system, room, number, "It arrives tomorrow");
    const auto after = sandbox.inbox(number);
    // The router's confirmation, or Twilio's ("re-subscribed"): one.
    CHECK(count_containing(after, "resubscribed") + count_containing(after, "re-subscribed") == 1);
    CHECK(router_metric(system, "keyword_answers_total") == (router_confirms(sandbox) ? 2 : 1));
    CHECK(count_containing(after, "left the depot") == 0);
    // The customer's own texts are in the room as always.
    CHECK(count_containing(sandbox.bridge_posts(room), "Stop.") >= 1);
}

TEST_CASE("opt-out: HELP gets one answer naming the company and how to opt out") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550182";
    const std::string room = established(system, number, "2085550182", "hello");

    sandbox.text(number, "help");
    wait_for_posts(system, room, "Asked for help");
    const auto inbox = wait_for_inbox(system, number, 2);
    CHECK(inbox.size() == 2);
    if (router_confirms(sandbox)) {
        CHECK(inbox[1].find(demo().company_name) != std::string::npos);
        CHECK(inbox[1].find("Reply STOP to opt out") != std::string::npos);
        CHECK(router_metric(system, "keyword_answers_total") == 1);
    } else {
        CHECK(inbox[1].find("STOP") != std::string::npos);  // Twilio's own help text
        CHECK(router_metric(system, "keyword_answers_total") == 0);
    }
    CHECK(router_metric(system, "help_requests_total") == 1);
    // HELP changes nothing: replies still arrive.
    reply_arrives(system, room, number, "How can we help?");
}

TEST_CASE("opt-out: a keyword inside a longer message is an ordinary message") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550183";
    const std::string room = established(system, number, "2085550183", "hi");

    sandbox.text(number, "STOP PLEASE");
    wait_for_posts(system, room, "STOP PLEASE");
    reply_arrives(system, room, number, "Stop what, exactly?");
    CHECK(count_containing(sandbox.bridge_posts(room), "Opted out") == 0);
    CHECK(router_metric(system, "opt_outs_total") == 0);
    CHECK(sandbox.rooms_titled("2085550183").size() == 1);
}

TEST_CASE("opt-out: the welcome SMS says how to opt out") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550184";
    established(system, number, "2085550184", "first contact");
    const auto inbox = sandbox.inbox(number);
    REQUIRE(inbox.size() == 1);
    CHECK(inbox[0].find("Reply STOP to opt out") != std::string::npos);
}

TEST_CASE("opt-out: a carrier's refusal (Twilio 21610) marks the customer opted out") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    if (sandbox.carrier() != Carrier::twilio) {
        MESSAGE("Tropo never refuses an opted-out number: nothing to test with it");
        return;
    }
    // Twilio's test number that is on the refusal list: the router never saw a STOP from it.
    const std::string number = "+15005550004";
    sandbox.text(number, "hi from the refusal list");
    const std::string room = wait_for_room(system, "5005550004");
    wait_for_posts(system, room, "hi from the refusal list");
    const std::string first = sandbox.post(room, kAlice, {{"text", "Refused by Twilio"}});
    require_eventually(
        system,
        [&] {
            for (const json& note : messages_with(sandbox, room, "opted out")) {
                if (text_of(note, "parentId") == first) return true;
            }
            return false;
        },
        "the 21610 note in the reply's thread");
    require_eventually(
        system, [&] { return router_metric(system, "opt_outs_total") == 1; },
        "the refusal opted the customer out");
    // The next reply is not even tried.
    const double reports = router_metric(system, "opted_out_reports_total");
    reply_is_blocked(system, room, number, "Not tried at all");
    CHECK(router_metric(system, "opted_out_reports_total") == reports);
    require_eventually(
        system, [&] { return sandbox.rooms_titled("[opted out] 5005550004").size() == 1; },
        "the room's title marked");
}

TEST_CASE("opt-out survives kill -9 of the router between the STOP and the reply") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550185";
    const std::string room = established(system, number, "2085550185", "question");

    sandbox.text(number, "UNSUBSCRIBE");
    wait_for_posts(system, room, "Opted out");
    wait_for_inbox(system, number, 2);  // the confirmation, the router's or Twilio's
    system.kill9("router");
    system.start("router");

    reply_is_blocked(system, room, number, "Are you still there?");
    // The STOP was not confirmed twice by a router that saw it again after the restart.
    CHECK(count_containing(sandbox.inbox(number), "unsubscribed") == 1);
    CHECK(count_containing(sandbox.bridge_posts(room), "Opted out") == 1);

    sandbox.text(number, "unstop");
    wait_for_posts(system, room, "Opted in");
    reply_arrives(system, room, number, "Good to have you back");
}

TEST_CASE("opt-out: a router whose journal is lost reads the opt-out back from the room title") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550186";
    const std::string room = established(system, number, "2085550186", "question");

    sandbox.text(number, "QUIT");
    wait_for_posts(system, room, "Opted out");
    require_eventually(
        system, [&] { return sandbox.rooms_titled("[opted out] 2085550186").size() == 1; },
        "the room's title marked");
    system.stop("router");
    // DATA_DIR lost for the router: its journal and everything it remembered.
    for (const auto& entry : std::filesystem::directory_iterator(system.data_dir())) {
        if (entry.path().filename().string().rfind("router", 0) == 0) {
            std::filesystem::remove_all(entry.path());
        }
    }
    system.start("router");

    reply_is_blocked(system, room, number, "Sent after the router lost its journal");
    CHECK(router_metric(system, "opt_outs_from_titles_total") == 1);
    sandbox.text(number, "START");
    wait_for_posts(system, room, "Opted in");
    reply_arrives(system, room, number, "Back in touch");
}
