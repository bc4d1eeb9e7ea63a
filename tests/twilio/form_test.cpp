// A Twilio webhook's form body: PROVIDERS.md's real body, repeated names, and strictness.
#include <doctest/doctest.h>

#include "twilio_form.h"

using namespace sb::twilio_gateway;

TEST_CASE("form: PROVIDERS.md's real inbound body") {
    const ParsedForm form = parse_twilio_form(
        "ToCountry=US&ToState=District+Of+Columbia&SmsMessageSid=SMe287d7109a5a925f182f0e07fe5b223b"
        "&NumMedia=0&ToCity=&FromZip=01022&SmsSid=SMe287d7109a5a925f182f0e07fe5b223b&FromState=MA"
        "&SmsStatus=received&FromCity=CHICOPEE&Body=Msg&FromCountry=US&To=%2B12028831111&ToZip="
        "&NumSegments=1&MessageSid=SMe287d7109a5a925f182f0e07fe5b223b&AccountSid=acctid"
        "&From=%2B14133881111&ApiVersion=2010-04-01");
    REQUIRE(form.params);
    const TwilioParams& params = *form.params;
    CHECK(params.size() == 19);
    CHECK(param(params, "ToState") == "District Of Columbia");
    CHECK(param(params, "From") == "+14133881111");
    CHECK(param(params, "ToCity").empty());
    CHECK(params.count("ToCity") == 1);  // an empty value is still a signed parameter
    CHECK(param(params, "Missing").empty());
    CHECK(params.begin()->first == "AccountSid");  // sorted by name
}

TEST_CASE("form: a repeated name keeps every value") {
    const ParsedForm form = parse_twilio_form("A=2&A=1&B=x");
    REQUIRE(form.params);
    CHECK(form.params->count("A") == 2);
}

TEST_CASE("form: broken escapes, nameless fields, long names and floods are refused") {
    CHECK_FALSE(parse_twilio_form("Body=%").params);
    CHECK_FALSE(parse_twilio_form("Body=%4").params);
    CHECK_FALSE(parse_twilio_form("Body=%G1").params);
    CHECK(parse_twilio_form("Body=%G1").error == "broken percent-encoding");
    CHECK_FALSE(parse_twilio_form("=x").params);
    CHECK_FALSE(parse_twilio_form(std::string(65, 'N') + "=x").params);
    CHECK(parse_twilio_form(std::string(64, 'N') + "=x").params);
    std::string flood;
    for (std::size_t i = 0; i <= kMaxFormParams; ++i) flood += "P" + std::to_string(i) + "=1&";
    CHECK(parse_twilio_form(flood).error == "too many form fields");
}

TEST_CASE("form: bytes are kept as sent, UTF-8 is checked separately") {
    const ParsedForm form = parse_twilio_form("Body=%FF%FE");
    REQUIRE(form.params);  // the signature is over these bytes
    CHECK(param(*form.params, "Body") == "\xFF\xFE");
    CHECK_FALSE(all_utf8(*form.params));
    CHECK(all_utf8(*parse_twilio_form("Body=Zo%C3%AB").params));
}
