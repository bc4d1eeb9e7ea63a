// Calls against the real twilio-gateway: the router's decision (or the fallback) as <Dial>
// TwiML, and the <Dial action> report as an answered or missed call in the room.
#include <doctest/doctest.h>

#include "http_client.h"
#include "twilio_world.h"

using namespace sb;
using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

const char* kCaller = "+12088675309";

FormParams call_params(const std::string& call_sid, const std::string& account_sid) {
    return {{"CallSid", call_sid},  {"AccountSid", account_sid}, {"From", kCaller},
            {"To", "+12085550100"}, {"CallStatus", "ringing"},   {"Direction", "inbound"},
            {"Caller", kCaller},    {"Called", "+12085550100"},  {"ApiVersion", "2010-04-01"}};
}

std::string dial_twiml(const std::string& number, const std::string& public_base) {
    return R"(<?xml version="1.0" encoding="UTF-8"?><Response><Dial timeout="20" action=")" +
           public_base + R"(/api/twilio/voice/dial/">)" + number + "</Dial></Response>";
}

}  // namespace

TEST_CASE("gateway: a call is dialled to the router's decision, and noted") {
    TwilioWorld world;
    world.router->decide_calls("+18005550199");
    const std::string sid = new_call_sid();
    const auto answer =
        world.post_signed("/api/twilio/voice/", call_params(sid, world.account_sid));
    REQUIRE(answer);
    CHECK(answer->status == 200);
    CHECK(answer->get_header_value("Content-Type").rfind("text/xml", 0) == 0);
    CHECK(answer->body == dial_twiml("+18005550199", world.public_base()));
    REQUIRE(world.router->wait_for_count(1, 10s));
    const auto message = world.router->messages().at(0);
    CHECK(message.channel == "voice");
    CHECK(message.customer == kCaller);
    REQUIRE(message.call);
    CHECK(message.call->call_id == sid);
    CHECK(message.call->outcome == "incoming");
    CHECK(message.call->reply_to == "reply.twilio-gateway.s0");  // its slot's intake
    CHECK(scrape_metric(world.gateway_port, "switchboard_twilio_calls_forwarded_total",
                        "by=\"decision\"") == 1);
}

TEST_CASE("gateway: without a decision in time the call goes to CUSTOMER_SERVICE_REDIRECT_DN") {
    TwilioWorld world(Env{{"CALL_DECISION_TIMEOUT_MS", "200"}});
    const auto answer =
        world.post_signed("/api/twilio/voice/", call_params(new_call_sid(), world.account_sid));
    REQUIRE(answer);
    CHECK(answer->status == 200);
    CHECK(answer->body == dial_twiml(demo().redirect_number, world.public_base()));
    CHECK(scrape_metric(world.gateway_port, "switchboard_twilio_calls_forwarded_total",
                        "by=\"fallback\"") == 1);
    // An unsigned call is refused like an SMS.
    const auto unsigned_call = world.post_raw(
        "/api/twilio/voice/", form_body(call_params(new_call_sid(), world.account_sid)), {});
    REQUIRE(unsigned_call);
    CHECK(unsigned_call->status == 400);
}

TEST_CASE("gateway: the Dial action's no-answer is a missed call in the room, once") {
    TwilioWorld world;
    const std::string sid = new_call_sid();
    FormParams report = call_params(sid, world.account_sid);
    report.emplace_back("DialCallStatus", "no-answer");
    report.emplace_back("DialCallSid", new_call_sid());
    report.emplace_back("DialCallDuration", "0");
    for (int i = 0; i < 2; ++i) {  // a replay publishes nothing more
        const auto answer = world.post_signed("/api/twilio/voice/dial/", report);
        REQUIRE(answer);
        CHECK(answer->status == 200);
        // No more verbs: Twilio hangs up on the caller.
        CHECK(answer->body == R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)");
    }
    FormParams answered = call_params(new_call_sid(), world.account_sid);
    answered.emplace_back("DialCallStatus", "completed");
    const auto done = world.post_signed("/api/twilio/voice/dial/", answered);
    REQUIRE(done);
    CHECK(done->status == 200);
    REQUIRE(world.router->wait_for_count(2, 10s));
    const auto messages = world.router->messages();
    REQUIRE(messages.size() == 2);
    REQUIRE(messages[0].call);
    CHECK(messages[0].channel == "voice");
    CHECK(messages[0].customer == kCaller);
    CHECK(messages[0].call->call_id == sid);
    CHECK(messages[0].call->outcome == "missed");
    CHECK(messages[0].call->detail == "no-answer");
    CHECK(messages[0].call->reply_to.empty());
    REQUIRE(messages[1].call);
    CHECK(messages[1].call->outcome == "answered");
    // Garbage status: a 4xx, nothing published.
    FormParams garbage = call_params(new_call_sid(), world.account_sid);
    garbage.emplace_back("DialCallStatus", "exploded");
    const auto refused = world.post_signed("/api/twilio/voice/dial/", garbage);
    REQUIRE(refused);
    CHECK(refused->status == 400);
}
