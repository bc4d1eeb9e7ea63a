// A phone calls the company number: the signed voice webhook, the TwiML <Dial> interpreted
// (what was dialled, its timeout, how it was answered) and the signed POST to its action URL;
// the other verbs recorded; bad TwiML is Twilio's 12100, never a crash.
#include <doctest/doctest.h>

#include "twilio_sandbox_world.h"

using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

const std::string kCaller = "+12085550144";
const std::string kCenter = "+18005550100";

json last_call(TwilioWorld& world) {
    const json calls = world.phone(kCaller)["calls"];
    return calls.empty() ? json::object() : calls.back();
}

bool call_ended(TwilioWorld& world) {
    return last_call(world).contains("ended_at");
}

}  // namespace

TEST_CASE(
    "sandbox-twilio: a call: signed voice webhook, <Dial> as the call says, and the "
    "action URL gets DialCallStatus, signed") {
    TwilioWorld world;
    world.app.answer("/voice", 200, "text/xml",
                     R"(<?xml version="1.0" encoding="UTF-8"?><Response><Dial timeout="20" )"
                     R"(action="/dial?call=1">)" +
                         kCenter + R"(</Dial></Response>)");
    world.app.answer("/dial", 200, "text/xml",
                     "<Response><Say>Sorry, nobody could answer.</Say><Hangup/></Response>");
    struct Case {
        std::string answer;
        std::string outcome;
        std::string duration;
    };
    const std::vector<Case> cases = {{"no-answer", "unanswered", "0"},
                                     {"busy", "unanswered", "0"},
                                     {"failed", "unanswered", "0"},
                                     {"completed", "transferred", "42"}};
    size_t calls = 0;
    for (const Case& c : cases) {
        CAPTURE(c.answer);
        const HttpAnswer placed = world.admin("POST", "/sandbox/twilio/phones/" + kCaller + "/call",
                                              {{"answer", c.answer}});
        REQUIRE(placed.status == 202);
        ++calls;
        REQUIRE(world.app.wait_for("/dial", calls));
        const Received voice = world.app.received("/voice").back();
        CHECK(voice.signature_ok);
        const std::string call_sid = voice.param("CallSid");
        CHECK(call_sid == placed.body["call_id"]);
        CHECK(call_sid.rfind("CA", 0) == 0);
        CHECK(call_sid.size() == 34);
        CHECK(voice.param("AccountSid") == account_sid());
        CHECK(voice.param("From") == kCaller);
        CHECK(voice.param("Caller") == kCaller);
        CHECK(voice.param("To") == company_number());
        CHECK(voice.param("Called") == company_number());
        CHECK(voice.param("CallStatus") == "ringing");
        CHECK(voice.param("Direction") == "inbound");
        CHECK(voice.param("ApiVersion") == "2010-04-01");
        CHECK(voice.param("CallerCountry") == "US");
        CHECK(voice.param("CalledCountry") == "US");
        CHECK(voice.param("FromCountry") == "US");
        CHECK(voice.has("CalledZip"));
        CHECK_FALSE(voice.has("Callerty"));

        const Received action = world.app.received("/dial").back();
        CHECK(action.method == "POST");
        CHECK(action.target == "/dial?call=1");
        CHECK(action.signature_ok);
        CHECK(action.param("CallSid") == call_sid);
        CHECK(action.param("DialCallStatus") == c.answer);
        CHECK(action.param("DialCallSid").rfind("CA", 0) == 0);
        CHECK(action.param("DialCallSid") != call_sid);
        CHECK(action.param("DialCallDuration") == c.duration);
        CHECK(action.param("From") == kCaller);

        REQUIRE(wait_until([&] { return call_ended(world); }, 10s));
        const json call = last_call(world);
        CHECK(call["outcome"] == c.outcome);
        CHECK(call["target"] == kCenter);
        CHECK(call["dial_status"] == c.answer);
        REQUIRE(call["dials"].size() == 1);
        CHECK(call["dials"][0]["number"] == kCenter);
        CHECK(call["dials"][0]["timeout"] == 20);
        CHECK(call["dials"][0]["action_status"] == 200);
        CHECK(call["heard"] == json::array({"Sorry, nobody could answer."}));
    }
}

TEST_CASE(
    "sandbox-twilio: <Dial> without an action goes on to the next verbs, and the dial knob "
    "answers calls that name no answer") {
    TwilioWorld world;
    REQUIRE(world.admin("POST", "/sandbox/twilio/knobs", {{"dial_answer", "busy"}}).status == 200);
    world.app.answer(
        "/voice", 200, "text/xml",
        "<Response><Dial><Number>" + kCenter + "</Number></Dial><Say>Goodbye</Say></Response>");
    REQUIRE(
        world.admin("POST", "/sandbox/twilio/phones/" + kCaller + "/call", json::object()).status ==
        202);
    REQUIRE(wait_until([&] { return call_ended(world); }, 10s));
    const json call = last_call(world);
    CHECK(call["outcome"] == "unanswered");
    CHECK(call["dial_status"] == "busy");
    CHECK(call["dials"][0]["timeout"] == 30);
    CHECK(call["dials"][0]["action_status"] == 0);
    CHECK(call["heard"] == json::array({"Goodbye"}));
    CHECK(world.app.received("/dial").empty());
}

TEST_CASE(
    "sandbox-twilio: <Say>, <Hangup> and <Reject> are recorded, and bad TwiML is 12100 and the "
    "caller hears Twilio's error") {
    TwilioWorld world;
    struct Case {
        std::string twiml;
        std::string outcome;
        std::string error_prefix;
    };
    const std::vector<Case> cases = {
        {"<Response><Say>We are closed</Say><Hangup/></Response>", "hung up", ""},
        {R"(<Response><Reject reason="busy"/></Response>)", "rejected", ""},
        {"<Response><Dial>", "failed", "12100"},
        {"<Response><Dial></Dial></Response>", "failed", "12100"},
        {"{\"tropo\":[]}", "failed", "12100"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.twiml);
        world.app.answer("/voice", 200, "text/xml", c.twiml);
        const size_t before = world.phone(kCaller)["calls"].size();
        REQUIRE(world.admin("POST", "/sandbox/twilio/phones/" + kCaller + "/call", json::object())
                    .status == 202);
        REQUIRE(wait_until(
            [&] { return world.phone(kCaller)["calls"].size() == before + 1 && call_ended(world); },
            10s));
        const json call = last_call(world);
        CHECK(call["outcome"] == c.outcome);
        if (c.error_prefix.empty()) {
            CHECK_FALSE(call.contains("error"));
        } else {
            CHECK(call["error"].get<std::string>().rfind(c.error_prefix, 0) == 0);
            CHECK(call["heard"].back().get<std::string>().find("application error") !=
                  std::string::npos);
        }
    }
    CHECK(last_call(world)["dials"].empty());
    // The sandbox is still up and answering.
    CHECK(http_status(world.sandbox_port, "/healthz") == 200);
}
