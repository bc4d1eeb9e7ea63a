// Inbound calls and how a forwarded call ended (the <Dial action> report).
#include "voice.h"

#include <doctest/doctest.h>

#include "dial_outcome.h"

using namespace sb::twilio_gateway;

namespace {

const std::string kCallSid = "CA" + std::string(32, 'b');

TwilioParams call_params() {
    return {{"CallSid", kCallSid},
            {"From", "+14158675309"},
            {"To", "+12085550100"},
            {"CallStatus", "ringing"},
            {"Direction", "inbound"}};
}

}  // namespace

TEST_CASE("voice: an inbound call asks the router, with reply_to") {
    const CallParse parsed = parse_inbound_call(call_params());
    REQUIRE(parsed);
    CHECK(parsed.call->call_sid == kCallSid);
    CHECK(parsed.call->from == "+14158675309");
    const auto message = call_message(*parsed.call, "reply.twilio-gateway", "t");
    CHECK(message.channel == "voice");
    CHECK(message.customer == "+14158675309");
    REQUIRE(message.call);
    CHECK(message.call->call_id == kCallSid);
    CHECK(message.call->reply_to == "reply.twilio-gateway");
    CHECK(message.call->outcome == "incoming");
}

TEST_CASE("voice: a withheld caller is still a call, a missing CallSid is not") {
    TwilioParams anonymous = call_params();
    anonymous.find("From")->second = "Anonymous";
    const CallParse parsed = parse_inbound_call(anonymous);
    REQUIRE(parsed);
    CHECK_FALSE(parsed.call->from);
    TwilioParams no_sid = call_params();
    no_sid.erase("CallSid");
    CHECK(parse_inbound_call(no_sid).refusal.code == "bad_call_sid");
}

TEST_CASE("voice: the router's decision when it is E.164, else the fallback") {
    CHECK(route_call(std::string("+18005550199"), "+18005550100").forward_to == "+18005550199");
    CHECK(route_call(std::string("+18005550199"), "+18005550100").decided);
    CHECK(route_call(std::nullopt, "+18005550100").forward_to == "+18005550100");
    CHECK_FALSE(route_call(std::string("soon"), "+18005550100").decided);
}

TEST_CASE("dial: DialCallStatus -> answered or missed, with Twilio's word kept") {
    struct Row {
        const char* status;
        const char* outcome;
    };
    for (const Row row :
         {Row{"completed", "answered"}, Row{"answered", "answered"}, Row{"no-answer", "missed"},
          Row{"busy", "missed"}, Row{"failed", "missed"}, Row{"canceled", "missed"}}) {
        CAPTURE(row.status);
        const auto outcome = dial_outcome(row.status);
        REQUIRE(outcome);
        CHECK(outcome->outcome == row.outcome);
        CHECK(outcome->detail == row.status);
    }
    CHECK_FALSE(dial_outcome(""));
    CHECK_FALSE(dial_outcome("ringing"));
    CHECK_FALSE(dial_outcome("NO-ANSWER"));
}

TEST_CASE("dial: the report becomes a voice CustomerMessage without reply_to") {
    TwilioParams params = call_params();
    params.emplace("DialCallStatus", "no-answer");
    params.emplace("DialCallSid", "CA" + std::string(32, 'c'));
    const DialParse parsed = parse_dial_report(params);
    REQUIRE(parsed);
    const auto message = dial_message(*parsed.report, "t");
    CHECK(message.channel == "voice");
    CHECK(message.customer == "+14158675309");
    REQUIRE(message.call);
    CHECK(message.call->call_id == kCallSid);  // the caller's call, not the dialled leg
    CHECK(message.call->outcome == "missed");
    CHECK(message.call->detail == "no-answer");
    CHECK(message.call->reply_to.empty());
    params.erase("DialCallStatus");
    CHECK(parse_dial_report(params).refusal.code == "bad_dial_status");
}
