// The TwiML the gateway answers with, byte for byte.
#include "twiml.h"

#include <doctest/doctest.h>

using namespace sb::twilio_gateway;

TEST_CASE("twiml: the empty answer") {
    CHECK(empty_response() == R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)");
}

TEST_CASE("twiml: Dial with a timeout and an action") {
    CHECK(dial_response("+18005550100", 20, "https://sms.example.com/api/twilio/voice/dial/") ==
          R"(<?xml version="1.0" encoding="UTF-8"?><Response><Dial timeout="20" )"
          R"(action="https://sms.example.com/api/twilio/voice/dial/">+18005550100</Dial>)"
          R"(</Response>)");
}

TEST_CASE("twiml: XML escaping in text and attributes") {
    CHECK(xml_escape(R"(a&b<c>"d"'e')") == "a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;");
    const std::string dial = dial_response("<x>", 5, "https://h/p?a=1&b=\"2\"");
    CHECK(dial.find(R"(action="https://h/p?a=1&amp;b=&quot;2&quot;")") != std::string::npos);
    CHECK(dial.find(">&lt;x&gt;</Dial>") != std::string::npos);
}
