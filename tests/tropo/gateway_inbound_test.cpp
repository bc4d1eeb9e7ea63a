// Customers texting and calling the company number from sandbox phones, through the real
// sandbox, bus and tropo-gateway processes.
#include <doctest/doctest.h>

#include "switchboard/events.h"
#include "tropo_world.h"

using namespace sb;
using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

std::string sms_session(const std::string& id, const std::string& from, const std::string& text) {
    return json{{"session",
                 {{"id", id},
                  {"accountId", "33932"},
                  {"timestamp", "2013-05-17T15:44:08.724Z"},
                  {"userType", "HUMAN"},
                  {"initialText", text},
                  {"callId", id + "-call"},
                  {"to", {{"id", "12085550100"}, {"channel", "TEXT"}, {"network", "SMS"}}},
                  {"from", {{"id", from}, {"channel", "TEXT"}, {"network", "SMS"}}}}}}
        .dump();
}

std::string call_session(const std::string& id, const std::string& from) {
    return json{{"session",
                 {{"id", id},
                  {"userType", "HUMAN"},
                  {"initialText", nullptr},
                  {"callId", id + "-call"},
                  {"from", {{"id", from}, {"channel", "VOICE"}, {"network", "SIP"}}}}}}
        .dump();
}

size_t count_texts(const std::vector<Envelope>& events, const std::string& text) {
    size_t n = 0;
    for (const Envelope& event : events) {
        if (event.payload_as<CustomerMessage>().text == text) ++n;
    }
    return n;
}

}  // namespace

TEST_CASE(
    "an SMS from a sandbox phone becomes one CustomerMessage, and the customer gets no reply") {
    TropoWorld world;
    const auto sent = world.sandbox_post("/sandbox/tropo/phones/+12088675309/sms",
                                         {{"text", "Hello, is anyone there?"}});
    REQUIRE(sent);
    CHECK(sent->status == 202);
    REQUIRE(wait_until([&] { return world.router->customer_messages().size() == 1; }, 10s));
    const Envelope event = world.router->customer_messages()[0];
    CHECK(event.type == event_type::customer_message);
    CHECK(event.key == "+12088675309");
    const auto message = event.payload_as<CustomerMessage>();
    CHECK(message.customer == "+12088675309");
    CHECK(message.channel == "sms");
    CHECK(message.text == "Hello, is anyone there?");
    CHECK_FALSE(message.received_at.empty());

    // The sandbox saw a 200 answer and nothing was texted back.
    REQUIRE(wait_until([&] { return world.stats().at("sessions_posted") == 1; }, 5s));
    CHECK(world.stats().at("app_errors") == 0);
    CHECK(world.phone("+12088675309")["inbox"].empty());
    CHECK(world.phone("+12088675309")["sent"].size() == 1);
}

TEST_CASE("a Tropo retry of the same SMS session is published once") {
    TropoWorld world;
    const std::string session =
        sms_session("5a1e55105e5510a1d0000000000000a1", "12088675309", "only once please");
    const auto first = world.webhook_post(session);
    REQUIRE(first);
    CHECK(first->status == 200);
    CHECK(json::parse(first->body) == json::parse(R"({"tropo":[{"hangup":null}]})"));
    const auto retry = world.webhook_post(session);
    REQUIRE(retry);
    CHECK(retry->status == 200);
    CHECK(retry->body == first->body);
    // A later SMS of the same stream arrives after any duplicate would have.
    REQUIRE(world
                .webhook_post(
                    sms_session("5a1e55105e5510a1d0000000000000a2", "12088675309", "the next one"))
                ->status == 200);
    REQUIRE(wait_until(
        [&] { return count_texts(world.router->customer_messages(), "the next one") == 1; }, 10s));
    CHECK(count_texts(world.router->customer_messages(), "only once please") == 1);
    CHECK(world.router->customer_messages().size() == 2);
}

TEST_CASE("SMS numbers in every Tropo spelling reach the router as E.164") {
    TropoWorld world;
    const std::vector<std::pair<std::string, std::string>> spellings = {
        {"12088675309", "+12088675309"},
        {"2088675309", "+12088675309"},
        {"+12088675309", "+12088675309"},
        {"447911123456", "+447911123456"},
        {"+447911123456", "+447911123456"}};
    int n = 0;
    for (const auto& [id, e164] : spellings) {
        ++n;
        const auto answer = world.webhook_post(
            sms_session("5e11" + std::to_string(n), id, "spelling " + std::to_string(n)));
        REQUIRE(answer);
        CHECK(answer->status == 200);
    }
    REQUIRE(wait_until([&] { return world.router->customer_messages().size() == spellings.size(); },
                       10s));
    const auto events = world.router->customer_messages();
    for (size_t i = 0; i < spellings.size(); ++i) {
        CAPTURE(spellings[i].first);
        CHECK(events[i].payload_as<CustomerMessage>().customer == spellings[i].second);
        CHECK(events[i].key == spellings[i].second);
    }
}

TEST_CASE("a call is transferred to the number the router decides, and is noted") {
    TropoWorld world;
    world.router->decide_calls("+18005550199");
    const auto placed =
        world.sandbox_post("/sandbox/tropo/phones/+12088675309/call", json::object());
    REQUIRE(placed);
    CHECK(placed->status == 202);
    const json placed_body = json::parse(placed->body);
    const std::string call_id = placed_body.at("call_id").get<std::string>();
    REQUIRE(wait_until(
        [&] {
            const json calls = world.phone("+12088675309")["calls"];
            return calls.size() == 1 && calls[0]["outcome"] != "ringing";
        },
        10s));
    const json call = world.phone("+12088675309")["calls"][0];
    CHECK(call["outcome"] == "transferred");
    CHECK(call["target"] == "+18005550199");

    const auto messages = world.router->customer_messages();
    REQUIRE_FALSE(messages.empty());  // then how the transfer ended (gateway_transfer_test.cpp)
    const auto message = messages[0].payload_as<CustomerMessage>();
    CHECK(message.channel == "voice");
    CHECK(message.customer == "+12088675309");
    REQUIRE(message.call.has_value());
    CHECK(message.call->call_id == call_id);
    CHECK(message.call->reply_to == "reply.tropo-gateway.s0");  // its slot's intake
}

TEST_CASE(
    "with no decision in time, a call goes to CUSTOMER_SERVICE_REDIRECT_DN and is still noted") {
    TropoWorld world;  // the router stub consumes, but never decides
    const auto started = std::chrono::steady_clock::now();
    const auto answer =
        world.webhook_post(call_session("ca11000000000000000000000000b001", "2088675309"));
    const auto took = std::chrono::steady_clock::now() - started;
    REQUIRE(answer);
    CHECK(answer->status == 200);
    CHECK(json::parse(answer->body)["tropo"][0]["transfer"]["to"] == "tel:+18005550100");
    CHECK(took >= 900ms);
    CHECK(took < 2500ms);
    REQUIRE(wait_until([&] { return world.router->customer_messages().size() == 1; }, 10s));
    CHECK(world.router->customer_messages()[0].payload_as<CustomerMessage>().channel == "voice");
}

TEST_CASE("with the router absent, a call from a sandbox phone is forwarded within the deadline") {
    WorldOptions options;
    options.with_router = false;
    TropoWorld world(options);
    const auto started = std::chrono::steady_clock::now();
    REQUIRE(world.sandbox_post("/sandbox/tropo/phones/2088675309/call", json::object())->status ==
            202);
    REQUIRE(wait_until(
        [&] {
            const json calls = world.phone("+12088675309")["calls"];
            return calls.size() == 1 && calls[0]["outcome"] != "ringing";
        },
        10s));
    CHECK(std::chrono::steady_clock::now() - started < 3s);
    const json call = world.phone("+12088675309")["calls"][0];
    CHECK(call["outcome"] == "transferred");
    CHECK(call["target"] == "+18005550100");
}

TEST_CASE("a call from a blocked number is forwarded without a customer to note") {
    TropoWorld world;
    world.router->decide_calls("+18005550199");
    REQUIRE(world.sandbox_post("/sandbox/tropo/phones/Restricted/call", json::object())->status ==
            202);
    REQUIRE(wait_until(
        [&] {
            const json calls = world.phone("Restricted")["calls"];
            return calls.size() == 1 && calls[0]["outcome"] != "ringing";
        },
        10s));
    CHECK(world.phone("Restricted")["calls"][0]["target"] == "+18005550100");
    // Nothing was published for it: the next event of the stream is the first one.
    REQUIRE(
        world.sandbox_post("/sandbox/tropo/phones/+12088675309/sms", {{"text", "after"}})->status ==
        202);
    REQUIRE(wait_until([&] { return !world.router->customer_messages().empty(); }, 10s));
    CHECK(world.router->customer_messages()[0].payload_as<CustomerMessage>().text == "after");
}
