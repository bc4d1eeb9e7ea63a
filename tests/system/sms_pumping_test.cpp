// SMS pumping (hardening item 6) end to end: a bot typing numbers into the contact form must not
// make the company text other countries, nor text without limit; a customer who texts in is
// answered from anywhere, also after the router restarts.
#include <doctest/doctest.h>

#include "steps.h"

using namespace sb::testing;

namespace {

std::map<std::string, std::string> form(const std::string& phone, const std::string& message) {
    return {{"name", "Web Visitor"},
            {"email", "visitor@example.com"},
            {"phone", phone},
            {"message", message},
            {"website_check", ""}};
}

void submit(const System& system, const std::string& phone, const std::string& message) {
    const auto answer = system.submit_contact_form(form(phone, message));
    REQUIRE(answer);
    REQUIRE_MESSAGE(answer->status == 303, answer->status << " " << answer->body);
}

double refused(const System& system, const std::string& reason) {
    return system.metric("router", "switchboard_router_sms_refused_total",
                         "reason=\"" + reason + "\"");
}

// The cap counts whole UTC hours: a test that straddles hh:00 would see it start again.
void away_from_the_hour() {
    const auto seconds_into_hour = [] {
        const auto now = std::chrono::system_clock::now().time_since_epoch();
        return std::chrono::duration_cast<std::chrono::seconds>(now).count() % 3600;
    };
    REQUIRE(sb::testing::wait_until([&] { return seconds_into_hour() < 3600 - 120; }, 150s));
}

}  // namespace

TEST_CASE(
    "a form from a disallowed country: the message and a note in the room and no SMS, and once "
    "the customer texts in they are answered, also after a kill -9 of the router") {
    System system;  // SMS_ALLOWED_COUNTRIES defaults to US: the contact center is +1 800
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+33612345678";
    submit(system, "+33 6 12 34 56 78", "Livrez-vous a Lyon ?");

    const std::string room = wait_for_room(system, "+33612345678");
    wait_for_posts(system, room, "Livrez-vous a Lyon ?");
    wait_for_posts(system, room, "No welcome SMS sent");
    const auto note = posts_containing(sandbox.bridge_posts(room), "No welcome SMS sent");
    REQUIRE(note.size() == 1);
    CHECK(note[0].find("FR") != std::string::npos);
    CHECK(note[0].find("SMS_ALLOWED_COUNTRIES") != std::string::npos);
    require_eventually(
        system, [&] { return refused(system, "country") == 1; }, "one refusal counted");
    CHECK(system.metric("router", "switchboard_router_welcomes_total") == 0);

    // An agent's answer to a number that never texted is not sent either.
    sandbox.post(room, kAlice, {{"text", "Oui, nous livrons a Lyon"}});
    wait_for_posts(system, room, "Reply not sent by SMS");
    require_eventually(
        system, [&] { return refused(system, "country") == 2; }, "the reply's refusal counted");

    // The customer texts in: from now on they are answered.
    sandbox.text(number, "Merci, je vous ecris par SMS");
    wait_for_posts(system, room, "Merci, je vous ecris par SMS");
    sandbox.post(room, kAlice, {{"text", "Bienvenue"}});
    auto inbox = wait_for_inbox(system, number, 1);
    CHECK(inbox == std::vector<std::string>{"Bienvenue"});

    // A new life remembers who texted in (the delivery journal's memory, sms.texted.<E164>).
    system.kill9("router");
    system.start("router");
    sandbox.post(room, kAlice, {{"text", "Toujours la"}});
    inbox = wait_for_inbox(system, number, 2);
    CHECK(inbox == std::vector<std::string>{"Bienvenue", "Toujours la"});
    CHECK(welcomes_in(inbox) == 0);
    CHECK(count_containing(sandbox.bridge_posts(room), "Reply not sent by SMS") == 1);
    CHECK(count_containing(sandbox.bridge_posts(room), "No welcome SMS sent") == 1);
    CHECK(sandbox.sms_delivered() == 2);
}

TEST_CASE(
    "the hourly cap: under it a form gets the welcome as before, over it the message and a note "
    "and no welcome, and a texting customer is still welcomed") {
    away_from_the_hour();
    System system(System::all_services(), {{"SMS_UNSOLICITED_PER_HOUR", "1"}});
    const SandboxClient sandbox = system.sandbox();

    submit(system, "(208) 555-0160", "First form of the hour");
    const std::string first = wait_for_room(system, "2085550160");
    wait_for_posts(system, first, "First form of the hour");
    const auto welcomed = wait_for_inbox(system, "+12085550160", 1);
    CHECK(welcomes_in(welcomed) == 1);

    submit(system, "(208) 555-0161", "Second form of the hour");
    const std::string second = wait_for_room(system, "2085550161");
    wait_for_posts(system, second, "Second form of the hour");
    wait_for_posts(system, second, "No welcome SMS sent");
    const auto note = posts_containing(sandbox.bridge_posts(second), "No welcome SMS sent");
    REQUIRE(note.size() == 1);
    CHECK(note[0].find("SMS_UNSOLICITED_PER_HOUR") != std::string::npos);
    require_eventually(
        system, [&] { return refused(system, "cap") == 1; }, "the cap's refusal counted");

    // Texting in is not what the cap limits.
    const std::string texter =
        established(system, "+12085550162", "2085550162", "I text, so I am welcome");
    CHECK(welcomes_in(sandbox.inbox("+12085550162")) == 1);
    CHECK(!texter.empty());

    // The router had published nothing for the second customer before the third's welcome.
    CHECK(sandbox.inbox("+12085550161").empty());
    CHECK(system.metric("router", "switchboard_router_welcomes_total") == 2);
    CHECK(refused(system, "country") == 0);
    CHECK(refused(system, "cap") == 1);
}
