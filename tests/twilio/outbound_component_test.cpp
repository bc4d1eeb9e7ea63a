// SendSms through the real twilio-gateway process to the sandbox's Twilio REST API, and the
// sandbox's status callbacks back through the gateway into DeliveryReports.
#include <doctest/doctest.h>

#include <algorithm>

#include "outbound_world.h"
#include "switchboard/api_client.h"
#include "twilio_signature.h"

using namespace sb;
using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

DeliveryReport wait_command_report(TwilioOutboundWorld& world, const Envelope& command,
                                   std::chrono::milliseconds timeout = 30s) {
    REQUIRE_MESSAGE(
        wait_until([&] { return world.command_report(command.id).has_value(); }, timeout),
        world.logs());
    return *world.command_report(command.id);
}

std::uint64_t number_at(const json& doc, std::initializer_list<const char*> path) {
    const json* at = &doc;
    for (const char* name : path) {
        if (!at->is_object() || !at->contains(name)) return 0;
        at = &at->at(name);
    }
    return at->is_number_unsigned() ? at->get<std::uint64_t>() : 0;
}

// Every status callback the sandbox posted has been answered.
bool callbacks_settled(TwilioOutboundWorld& world) {
    const json stats = world.stats();
    const std::uint64_t sent = number_at(stats, {"status_callbacks", "sent"});
    std::uint64_t answered = 0;
    if (stats.contains("status_callbacks") && stats["status_callbacks"].contains("answers")) {
        for (const auto& [status, count] : stats["status_callbacks"]["answers"].items()) {
            answered += count.get<std::uint64_t>();
        }
    }
    return number_at(stats, {"queued", "delivery"}) == 0 && answered == sent;
}

std::string signed_form(const std::map<std::string, std::string>& fields,
                        twilio_gateway::TwilioParams& params) {
    FormParams form;
    for (const auto& [name, value] : fields) {
        form.emplace_back(name, value);
        params.emplace(name, value);
    }
    return form_encode(form);
}

// Once every status callback the sandbox posted has been answered, every report they led to is
// durable, but maybe not yet at the router's side. A report committed after them all (a signed
// callback of our own) comes last on the gateway's one stream: once it is there, so is the rest.
void flush_reports(TwilioOutboundWorld& world) {
    REQUIRE(wait_until([&] { return callbacks_settled(world); }, 20s));
    static int flushes = 0;
    const std::string reply = "flush-" + std::to_string(++flushes);
    const std::string path = "/api/twilio/sms/status/?room=r&reply=" + reply;
    twilio_gateway::TwilioParams params;
    std::string sid = "SM" + std::string(32, '0');
    const std::string n = std::to_string(flushes);
    sid.replace(sid.size() - n.size(), n.size(), n);
    const std::string body = signed_form(
        {{"MessageSid", sid}, {"MessageStatus", "delivered"}, {"To", "+12085550199"}}, params);
    const std::string signature = twilio_gateway::twilio_signature(
        world.gateway_env().at("TWILIO_AUTH_TOKEN"), world.url("twilio-gateway") + path, params);
    REQUIRE(world.gateway_form(path, body, signature).status == 200);
    REQUIRE(wait_until([&] { return !world.callback_reports(reply).empty(); }, 10s));
}

}  // namespace

TEST_CASE("a long reply goes to Twilio in one REST call and reaches the phone whole") {
    TwilioOutboundWorld world;
    std::string text;
    for (int i = 0; text.size() < 1200; ++i) text += "word" + std::to_string(i) + " ";
    text += "end";
    const Envelope command = world.send_sms("+12088675309", text);
    const DeliveryReport report = wait_command_report(world, command);
    CHECK(report.status == "sent");
    CHECK(report.carrier == "twilio");
    CHECK(report.carrier_message_id.rfind("SM", 0) == 0);
    CHECK(report.carrier_message_id.find(',') == std::string::npos);
    CHECK(report.segments > 1);  // Twilio's num_segments: it split, we did not
    CHECK(report.room_id == "room-of-+12088675309");
    CHECK(report.agent_message_id == "reply-1");
    REQUIRE(wait_until([&] { return !world.inbox_texts("+12088675309").empty(); }, 10s));
    CHECK(world.inbox_texts("+12088675309") == std::vector<std::string>{text});
    CHECK(number_at(world.stats(), {"rest", "calls"}) == 1);
    CHECK(world.metric("switchboard_twilio_messages_sent_total") == 1);
    CHECK(world.metric("switchboard_provider_api_calls_total", "provider=\"twilio\"") == 1);
}

TEST_CASE("a text over 1600 characters goes in as few messages as fit, cut between words") {
    TwilioOutboundWorld world;
    std::string text;
    for (int i = 0; i < 700; ++i) text += (i ? " " : "") + std::string("word");  // 3499 chars
    const Envelope command = world.send_sms("+12088675310", text);
    const DeliveryReport report = wait_command_report(world, command);
    CHECK(report.status == "sent");
    CHECK(std::count(report.carrier_message_id.begin(), report.carrier_message_id.end(), ',') == 2);
    REQUIRE(wait_until([&] { return world.inbox_texts("+12088675310").size() == 3; }, 10s));
    const auto parts = world.inbox_texts("+12088675310");
    CHECK(parts[0] + " " + parts[1] + " " + parts[2] == text);
    CHECK(number_at(world.stats(), {"rest", "calls"}) == 3);
}

TEST_CASE("a 429 storm: every SMS reaches its phone exactly once") {
    TwilioOutboundWorld world;
    REQUIRE(
        world.sandbox("POST", "/sandbox/twilio/faults", {{"mode", "429"}, {"count", 6}}).status ==
        200);
    const std::vector<std::string> phones = {"+12088675311", "+12088675312", "+12088675313"};
    std::vector<Envelope> commands;
    commands.reserve(phones.size());
    for (const auto& phone : phones) commands.push_back(world.send_sms(phone, "hello " + phone));
    for (const auto& command : commands) {
        CHECK(wait_command_report(world, command, 60s).status == "sent");
    }
    for (const auto& phone : phones) {
        CHECK(wait_until(
            [&] { return world.inbox_texts(phone) == std::vector<std::string>{"hello " + phone}; },
            10s));
    }
    const json stats = world.stats();
    CHECK(number_at(stats, {"rest", "by_status", "429"}) == 6);
    CHECK(number_at(stats, {"rest", "by_status", "201"}) == 3);
    CHECK(world.metric("switchboard_twilio_send_retries_total") == 6);
    CHECK(world.metric("switchboard_twilio_sms_commands_total", "status=\"sent\"") == 3);
}

TEST_CASE("an outage leaves the SMS pending, not failed, and it goes once Twilio is back") {
    TwilioOutboundWorld world;
    REQUIRE(
        world.sandbox("POST", "/sandbox/twilio/faults", {{"mode", "500"}, {"count", 4}}).status ==
        200);
    const Envelope command = world.send_sms("+12088675314", "after the outage");
    const DeliveryReport report = wait_command_report(world, command, 60s);
    CHECK(report.status == "sent");
    CHECK(wait_until(
        [&] {
            return world.inbox_texts("+12088675314") ==
                   std::vector<std::string>{"after the outage"};
        },
        10s));
    CHECK(world.metric("switchboard_twilio_send_retries_total") == 4);
}

TEST_CASE("a customer who replied STOP: the report says opted_out, and it is not retried") {
    TwilioOutboundWorld world;
    const std::string phone = "+12088675315";
    REQUIRE(world.sandbox("POST", "/sandbox/twilio/phones/" + phone + "/sms", {{"text", "STOP"}})
                .status < 300);
    REQUIRE(wait_until(
        [&] {
            const HttpAnswer opted = world.sandbox("GET", "/sandbox/twilio/opt-outs");
            return opted.status == 200 &&
                   opted.body.value("numbers", json::array()).dump().find(phone) !=
                       std::string::npos;
        },
        10s));
    const std::uint64_t calls_before = number_at(world.stats(), {"rest", "calls"});
    const Envelope command = world.send_sms(phone, "are you there?");
    const DeliveryReport report = wait_command_report(world, command);
    CHECK(report.status == "opted_out");
    CHECK(report.carrier_code == "21610");
    CHECK(report.reason.find("STOP") != std::string::npos);
    CHECK(report.agent_message_id == "reply-1");
    CHECK(number_at(world.stats(), {"rest", "calls"}) == calls_before + 1);
    CHECK(world.metric("switchboard_twilio_send_retries_total") == 0);
}

TEST_CASE("status callbacks: delivered becomes one report, duplicates and late ones none") {
    TwilioOutboundWorld world;
    REQUIRE(world
                .sandbox("POST", "/sandbox/twilio/knobs",
                         {{"duplicate_callbacks", true}, {"out_of_order_callbacks", true}})
                .status == 200);
    std::vector<Envelope> commands;
    commands.reserve(5);
    for (int i = 0; i < 5; ++i)
        commands.push_back(world.send_sms("+12088675316", "n" + std::to_string(i)));
    std::vector<std::string> sids;
    sids.reserve(commands.size());
    for (const auto& command : commands) {
        sids.push_back(wait_command_report(world, command).carrier_message_id);
    }
    REQUIRE(wait_until(
        [&] {
            for (int i = 1; i <= 5; ++i) {
                if (world.callback_reports("reply-" + std::to_string(i)).empty()) return false;
            }
            return true;
        },
        20s));
    flush_reports(world);  // and whatever duplicates would have come after them
    for (int i = 0; i < 5; ++i) {
        CAPTURE(i);
        const auto reports = world.callback_reports("reply-" + std::to_string(i + 1));
        REQUIRE(reports.size() == 1);
        CHECK(reports[0].status == "delivered");
        CHECK(reports[0].carrier_message_id == sids[static_cast<size_t>(i)]);
        CHECK(reports[0].room_id == "room-of-+12088675316");
        CHECK(reports[0].to == "+12088675316");
        CHECK(reports[0].reason.empty());
    }
    CHECK(world.metric("switchboard_twilio_delivery_reports_total", "status=\"delivered\"") ==
          6);                                                              // and the flush's
    CHECK(world.metric("switchboard_twilio_status_callbacks_total") > 5);  // the duplicates came
}

TEST_CASE("status callbacks: undelivered with 30003 says the phone is off or unreachable") {
    TwilioOutboundWorld world;
    const std::string phone = "+12088675317";
    REQUIRE(world.sandbox("POST", "/sandbox/twilio/undeliverable", {{"numbers", {phone}}}).status ==
            200);
    const Envelope command = world.send_sms(phone, "hello?");
    CHECK(wait_command_report(world, command).status == "sent");  // Twilio took it
    REQUIRE(wait_until([&] { return !world.callback_reports("reply-1").empty(); }, 20s));
    flush_reports(world);
    const auto reports = world.callback_reports("reply-1");
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].status == "undelivered");
    CHECK(reports[0].carrier_code == "30003");
    CHECK(reports[0].reason.find("switched off or unreachable") != std::string::npos);
    CHECK(world.inbox_texts(phone).empty());
}

TEST_CASE(
    "status callbacks: forged or unsigned ones publish nothing, and an outcome survives a "
    "restart") {
    TwilioOutboundWorld world;
    const Env env = world.gateway_env();
    const std::string token = env.at("TWILIO_AUTH_TOKEN");
    const std::string path = "/api/twilio/sms/status/?room=room-x&reply=reply-x";
    const std::string url = world.url("twilio-gateway") + path;
    twilio_gateway::TwilioParams params;
    const std::string body = signed_form({{"MessageSid", "SM" + std::string(32, 'a')},
                                          {"MessageStatus", "delivered"},
                                          {"To", "+12088675318"},
                                          {"AccountSid", env.at("TWILIO_ACCOUNT_SID")}},
                                         params);
    const std::string good = twilio_gateway::twilio_signature(token, url, params);

    CHECK(world.gateway_form(path, body, "").status == 400);
    CHECK(world.gateway_form(path, body, "AAAA" + good.substr(4)).status == 403);
    // The signature covers our query: another room with the same signature is forged.
    CHECK(
        world.gateway_form("/api/twilio/sms/status/?room=other&reply=reply-x", body, good).status ==
        403);

    const HttpAnswer taken = world.gateway_form(path, body, good);
    CHECK(taken.status == 200);
    CHECK(taken.raw.find("<Response/>") != std::string::npos);
    REQUIRE(wait_until([&] { return !world.callback_reports("reply-x").empty(); }, 10s));
    // One stream, in order: a report of a refused callback would have come before this one.
    REQUIRE(world.callback_reports("reply-x").size() == 1);
    CHECK(world.callback_reports("reply-x")[0].room_id == "room-x");

    // A late `sent` (signed) changes nothing; neither does the same outcome after a restart.
    twilio_gateway::TwilioParams late_params;
    const std::string late = signed_form({{"MessageSid", "SM" + std::string(32, 'a')},
                                          {"MessageStatus", "sent"},
                                          {"To", "+12088675318"}},
                                         late_params);
    CHECK(world.gateway_form(path, late, twilio_gateway::twilio_signature(token, url, late_params))
              .status == 200);
    world.stop("twilio-gateway");
    world.start_gateway();
    CHECK(world.gateway_form(path, body, good).status == 200);
    // A report would be on the bus within this; the duplicate must not be.
    CHECK_FALSE(wait_until([&] { return world.callback_reports("reply-x").size() > 1; }, 2s));
    CHECK(world.metric("switchboard_twilio_status_callbacks_total", "status=\"delivered\"") == 1);
    CHECK(world.metric("switchboard_twilio_delivery_reports_total") ==
          0);  // this life reported nothing
}

TEST_CASE("an SMS waiting out an outage survives a kill -9 and a SIGTERM, and goes once") {
    TwilioOutboundWorld world;
    REQUIRE(world.sandbox("POST", "/sandbox/twilio/faults", {{"mode", "outage"}, {"count", 1000}})
                .status == 200);
    const Envelope killed = world.send_sms("+12088675319", "through a crash");
    const Envelope stopped = world.send_sms("+12088675320", "through a restart");
    // Both have met the outage at least once: they are waiting to try again.
    REQUIRE(wait_until(
        [&] {
            return number_at(world.stats(), {"rest", "by_status", "503"}) >= 2;
        },
        20s));
    world.kill9("twilio-gateway");
    world.start_gateway();
    REQUIRE(wait_until(
        [&] {
            return number_at(world.stats(), {"rest", "by_status", "503"}) >= 4;
        },
        20s));
    CHECK(world.stop("twilio-gateway") == 0);  // SIGTERM ends the wait, the commands stay held
    CHECK_FALSE(world.command_report(killed.id));
    CHECK_FALSE(world.command_report(stopped.id));

    REQUIRE(world.sandbox("DELETE", "/sandbox/twilio/faults").status == 200);
    world.start_gateway();
    CHECK(wait_command_report(world, killed).status == "sent");
    CHECK(wait_command_report(world, stopped).status == "sent");
    CHECK(wait_until(
        [&] {
            return world.inbox_texts("+12088675319") == std::vector<std::string>{"through a crash"};
        },
        10s));
    CHECK(wait_until(
        [&] {
            return world.inbox_texts("+12088675320") ==
                   std::vector<std::string>{"through a restart"};
        },
        10s));
    CHECK(number_at(world.stats(), {"rest", "by_status", "201"}) == 2);
}

TEST_CASE("a text sent as several messages and cut short by a kill -9 sends only the rest") {
    TwilioOutboundWorld world;
    REQUIRE(world.sandbox("POST", "/sandbox/twilio/knobs", {{"rest_latency_ms", 1500}}).status ==
            200);
    std::string text;
    for (int i = 0; i < 700; ++i) text += (i ? " " : "") + std::string("word");  // 3 messages
    const Envelope command = world.send_sms("+12088675321", text);
    // The second part is on its way (held 1.5 s by the sandbox): the first was taken, and
    // recorded before the second left.
    REQUIRE(wait_until([&] { return world.metric("switchboard_twilio_messages_sent_total") == 1; },
                       20s));
    // The held call is refused when it wakes, so only what the gateway recorded decides what
    // goes again.
    REQUIRE(world.sandbox("POST", "/sandbox/twilio/faults", {{"mode", "outage"}, {"count", 1000}})
                .status == 200);
    world.kill9("twilio-gateway");
    REQUIRE(wait_until(
        [&] {
            return number_at(world.stats(), {"rest", "by_status", "503"}) >= 1;
        },
        20s));
    REQUIRE(world.sandbox("DELETE", "/sandbox/twilio/faults").status == 200);
    REQUIRE(world.sandbox("DELETE", "/sandbox/twilio/knobs").status == 200);
    world.start_gateway();
    const DeliveryReport report = wait_command_report(world, command);
    CHECK(report.status == "sent");
    CHECK(std::count(report.carrier_message_id.begin(), report.carrier_message_id.end(), ',') == 2);
    REQUIRE(wait_until([&] { return world.inbox_texts("+12088675321").size() >= 3; }, 10s));
    const auto parts = world.inbox_texts("+12088675321");
    REQUIRE(parts.size() == 3);
    CHECK(parts[0] + " " + parts[1] + " " + parts[2] == text);
    CHECK(number_at(world.stats(), {"rest", "by_status", "201"}) == 3);
    CHECK(world.log("twilio-gateway").find("continuing at message 2 of 3") != std::string::npos);
}
