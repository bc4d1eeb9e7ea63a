// The router's SendSms commands through the real gateway, the sandbox's Session API, the
// token-launched session and the `message` verb, into the sandbox phone's inbox.
#include <doctest/doctest.h>

#include "switchboard/events.h"
#include "tropo_world.h"

using namespace sb;
using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

DeliveryReport wait_report(TropoWorld& world, const Envelope& command) {
    REQUIRE(wait_until([&] { return world.router->report_for(command.id).has_value(); }, 30s));
    const Envelope report = *world.router->report_for(command.id);
    CHECK(report.type == event_type::delivery_report);
    CHECK(report.key == command.key);
    return report.payload_as<DeliveryReport>();
}

size_t utf16_units(const std::string& utf8) {
    size_t units = 0;
    for (size_t i = 0; i < utf8.size(); ++i) {
        const auto byte = static_cast<unsigned char>(utf8[i]);
        if ((byte & 0xC0) != 0x80) units += (byte >= 0xF0) ? 2 : 1;
    }
    return units;
}

}  // namespace

TEST_CASE("a SendSms command reaches the sandbox phone's inbox and is reported sent") {
    TropoWorld world;
    const Envelope command = world.router->send_sms("+12088675309", "Thanks, an agent will reply.");
    const DeliveryReport report = wait_report(world, command);
    CHECK(report.status == "sent");
    CHECK(report.segments == 1);
    CHECK(report.to == "+12088675309");
    CHECK(report.room_id == "room-of-+12088675309");
    REQUIRE(wait_until([&] { return world.inbox_texts("+12088675309").size() == 1; }, 10s));
    const json sms = world.phone("+12088675309")["inbox"][0];
    CHECK(sms["text"] == "Thanks, an agent will reply.");
    CHECK(sms["from"] == demo().company_number);
    CHECK_FALSE(sms["at"].get<std::string>().empty());
    CHECK(world.stats()["session_api"]["launched"] == 1);
}

TEST_CASE("a long text arrives as separate SMS of at most 160, split between words, in order") {
    TropoWorld world;
    std::string text;
    for (int i = 0; text.size() < 400; ++i) text += "word" + std::to_string(i) + " ";
    text += "[end]";  // escapes count two
    const Envelope command = world.router->send_sms("+12088675309", text);
    const DeliveryReport report = wait_report(world, command);
    CHECK(report.status == "sent");
    CHECK(report.segments == 3);
    REQUIRE(wait_until([&] { return world.inbox_texts("+12088675309").size() == 3; }, 10s));
    const auto parts = world.inbox_texts("+12088675309");
    for (const std::string& part : parts) {
        CHECK(part.size() <= 160);
        CHECK(part.rfind("word", 0) == 0);  // each SMS starts with a whole word
    }
    CHECK(parts[0].size() > 150);  // full, not cut early
    CHECK(parts[0] + " " + parts[1] + " " + parts[2] == text);
}

TEST_CASE("a non-Latin text arrives as UCS-2 SMS of at most 70 units, words and emoji whole") {
    TropoWorld world;
    const std::string text = repeat("\u041F\u0440\u0438\u0432\u0435\u0442 ", 20) +  // 140 units
                             repeat("\U0001F600", 3);                               // 6 units
    const Envelope command = world.router->send_sms("+447911123456", text);
    const DeliveryReport report = wait_report(world, command);
    CHECK(report.status == "sent");
    CHECK(report.segments == 3);
    REQUIRE(wait_until([&] { return world.inbox_texts("+447911123456").size() == 3; }, 10s));
    const auto parts = world.inbox_texts("+447911123456");
    CHECK(utf16_units(parts[0]) == 69);  // ten words and their nine spaces
    CHECK(utf16_units(parts[1]) == 69);
    CHECK(parts[2] == repeat("\U0001F600", 3));
    CHECK(parts[0] + " " + parts[1] + " " + parts[2] == text);
}

TEST_CASE("typographic punctuation is sent as GSM-7 look-alikes, so the text stays one SMS") {
    TropoWorld world;
    // 145 characters: as UCS-2 (’ “ ” — … are outside GSM-7) this would be 3 SMS of 67.
    const std::string text = "It\u2019s ready \u2014 \u201cpick up\u201d at 10\u00a0am\u2026 " +
                             std::string(150 - 38, 'x');
    const Envelope command = world.router->send_sms("+12088675309", text);
    const DeliveryReport report = wait_report(world, command);
    CHECK(report.status == "sent");
    CHECK(report.segments == 1);
    REQUIRE(wait_until([&] { return world.inbox_texts("+12088675309").size() == 1; }, 10s));
    CHECK(world.inbox_texts("+12088675309")[0] ==
          "It's ready - \"pick up\" at 10 am... " + std::string(150 - 38, 'x'));
}

TEST_CASE("commands to several customers are each delivered, in order per customer") {
    TropoWorld world;
    std::vector<Envelope> commands;
    for (int i = 1; i <= 5; ++i) {
        commands.push_back(world.router->send_sms("+12088675309", "first " + std::to_string(i)));
        commands.push_back(world.router->send_sms("+12085551234", "second " + std::to_string(i)));
    }
    for (const Envelope& command : commands) CHECK(wait_report(world, command).status == "sent");
    // "sent" follows the gateway's SMS answer to each session; the sandbox files it just after.
    REQUIRE(wait_until(
        [&] {
            return world.inbox_texts("+12088675309").size() == 5 &&
                   world.inbox_texts("+12085551234").size() == 5;
        },
        10s));
    const auto first = world.inbox_texts("+12088675309");
    const auto second = world.inbox_texts("+12085551234");
    REQUIRE(first.size() == 5);
    for (int i = 1; i <= 5; ++i) {
        CHECK(first[static_cast<size_t>(i - 1)] == "first " + std::to_string(i));
        CHECK(second[static_cast<size_t>(i - 1)] == "second " + std::to_string(i));
    }
}

TEST_CASE("a command handed over twice is sent once") {
    TropoWorld world;
    Envelope command = stamp(make_event(event_type::send_sms, "router-stub", "+12088675309",
                                        SendSms{"+12088675309", "just once", ""}));
    world.router->publish_command(command);
    world.router->publish_command(command);  // the same envelope id again
    const Envelope later = world.router->send_sms("+12088675309", "and then this");
    CHECK(wait_report(world, later).status == "sent");
    REQUIRE(wait_until([&] { return world.inbox_texts("+12088675309").size() >= 2; }, 10s));
    CHECK(world.inbox_texts("+12088675309") ==
          std::vector<std::string>{"just once", "and then this"});
    size_t reports = 0;
    for (const Envelope& result : world.router->results()) {
        if (result.correlation_id == command.id) ++reports;
    }
    CHECK(reports == 1);
}

TEST_CASE("the Session API answering 5xx for a while delays the SMS but loses nothing") {
    TropoWorld world;
    REQUIRE(
        world.sandbox_post("/sandbox/tropo/faults", {{"mode", "error"}, {"count", 3}})->status ==
        200);
    const Envelope command = world.router->send_sms("+12088675309", "despite the outage");
    CHECK(wait_report(world, command).status == "sent");
    REQUIRE(wait_until([&] { return world.inbox_texts("+12088675309").size() == 1; }, 10s));
    CHECK(world.inbox_texts("+12088675309")[0] == "despite the outage");
    CHECK(world.stats()["session_api"]["faulted"] == 3);
}

TEST_CASE("a Session API refusal is reported failed, with a reason, and texts nobody") {
    TropoWorld world;
    REQUIRE(
        world.sandbox_post("/sandbox/tropo/faults", {{"mode", "refuse"}, {"count", 1}})->status ==
        200);
    const Envelope command = world.router->send_sms("+12088675309", "refused");
    const DeliveryReport report = wait_report(world, command);
    CHECK(report.status == "failed");
    CHECK(report.reason.find("refused") != std::string::npos);
    CHECK(report.room_id == "room-of-+12088675309");
    const Envelope next = world.router->send_sms("+12088675309", "accepted");
    CHECK(wait_report(world, next).status == "sent");
    REQUIRE(wait_until([&] { return world.inbox_texts("+12088675309").size() == 1; }, 10s));
    CHECK(world.inbox_texts("+12088675309") == std::vector<std::string>{"accepted"});
}

TEST_CASE("a gateway with the wrong TROPO_KEY reports failure and sends nothing") {
    TropoWorld world;
    world.gateway->terminate();
    REQUIRE(world.gateway->wait_exit(2s));
    world.gateway = world.start_gateway({{"TROPO_KEY", "not-the-key"}});
    const Envelope command = world.router->send_sms("+12088675309", "never");
    const DeliveryReport report = wait_report(world, command);
    CHECK(report.status == "failed");
    CHECK(report.reason.find("403") != std::string::npos);
    CHECK(world.stats()["session_api"]["refused"] == 1);
    CHECK(world.phone("+12088675309")["inbox"].empty());
}
