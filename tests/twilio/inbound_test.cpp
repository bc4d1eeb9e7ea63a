// Inbound SMS/MMS parameters -> InboundSms or a refusal, and the CustomerMessage it becomes;
// hostile parameters are refused with a 4xx, never taken for something else.
#include <doctest/doctest.h>

#include "inbound_sms.h"

using namespace sb::twilio_gateway;

namespace {

const char* kSid = "SMe287d7109a5a925f182f0e07fe5b223b";

TwilioParams sms_params() {
    return {{"MessageSid", kSid},
            {"SmsMessageSid", kSid},
            {"AccountSid", "AC" + std::string(32, '0')},
            {"From", "+14133881111"},
            {"To", "+12028831111"},
            {"Body", "Msg"},
            {"NumMedia", "0"},
            {"NumSegments", "1"},
            {"SmsStatus", "received"}};
}

TwilioParams with(TwilioParams params, const std::string& name, const std::string& value) {
    params.erase(name);
    params.emplace(name, value);
    return params;
}

TwilioParams without(TwilioParams params, const std::string& name) {
    params.erase(name);
    return params;
}

std::string refusal_of(const TwilioParams& params) {
    const SmsParse parsed = parse_inbound_sms(params);
    if (parsed) return "accepted";
    CHECK(parsed.refusal.status >= 400);
    CHECK(parsed.refusal.status < 500);
    return parsed.refusal.code;
}

}  // namespace

TEST_CASE("inbound: a plain SMS") {
    const SmsParse parsed = parse_inbound_sms(sms_params());
    REQUIRE(parsed);
    CHECK(parsed.sms->message_sid == kSid);
    CHECK(parsed.sms->from == "+14133881111");
    CHECK(parsed.sms->body == "Msg");
    CHECK(parsed.sms->media.empty());
    const auto message = sms_message(*parsed.sms, {}, 0, "2026-12-01T10:00:00Z");
    CHECK(message.customer == "+14133881111");
    CHECK(message.channel == "sms");
    CHECK(message.text == "Msg");
    CHECK(message.received_at == "2026-12-01T10:00:00Z");
    CHECK_FALSE(message.call);
}

TEST_CASE("inbound: hostile From") {
    CHECK(refusal_of(without(sms_params(), "From")) == "missing_from");
    CHECK(refusal_of(with(sms_params(), "From", "")) == "missing_from");
    CHECK(refusal_of(with(sms_params(), "From", "abc")) == "bad_from");
    CHECK(refusal_of(with(sms_params(), "From", "14133881111")) == "bad_from");  // no '+'
    CHECK(refusal_of(with(sms_params(), "From", "+1")) == "bad_from");
    CHECK(refusal_of(with(sms_params(), "From", "whatsapp:+14133881111")) == "bad_from");
}

TEST_CASE("inbound: MessageSid is required and shaped like Twilio's") {
    CHECK(refusal_of(without(without(sms_params(), "MessageSid"), "SmsMessageSid")) ==
          "bad_message_sid");
    CHECK(refusal_of(with(sms_params(), "MessageSid", "SM123")) == "bad_message_sid");
    CHECK(refusal_of(with(sms_params(), "MessageSid", "XX" + std::string(32, 'a'))) ==
          "bad_message_sid");
    CHECK(refusal_of(with(sms_params(), "MessageSid", "MM" + std::string(32, 'a'))) == "accepted");
    // The deprecated name alone still identifies the message.
    CHECK(refusal_of(without(sms_params(), "MessageSid")) == "accepted");
}

TEST_CASE("inbound: Body must be UTF-8 and at most 1600 characters") {
    CHECK(refusal_of(with(sms_params(), "Body", "\xFF\xFE")) == "bad_utf8");
    CHECK(refusal_of(with(sms_params(), "Body", "a\xC3")) == "bad_utf8");
    CHECK(refusal_of(with(sms_params(), "Body", std::string(1601, 'x'))) == "body_too_long");
    CHECK(refusal_of(with(sms_params(), "Body", std::string(1600, 'x'))) == "accepted");
    std::string emoji;  // 1600 characters of 4 bytes each: characters count, not bytes
    for (int i = 0; i < 1600; ++i) emoji += "\xF0\x9F\x98\x80";
    CHECK(refusal_of(with(sms_params(), "Body", emoji)) == "accepted");
    CHECK(refusal_of(with(sms_params(), "Body", emoji + "x")) == "body_too_long");
    CHECK(refusal_of(with(sms_params(), "Body", "")) == "empty_message");
}

TEST_CASE("inbound: NumMedia garbage is refused") {
    CHECK(refusal_of(with(sms_params(), "NumMedia", "abc")) == "bad_num_media");
    CHECK(refusal_of(with(sms_params(), "NumMedia", "-1")) == "bad_num_media");
    CHECK(refusal_of(with(sms_params(), "NumMedia", "11")) == "bad_num_media");
    CHECK(refusal_of(with(sms_params(), "NumMedia", "1 ")) == "bad_num_media");
    CHECK(refusal_of(with(sms_params(), "NumMedia", "99999999999999999999")) == "bad_num_media");
    CHECK(refusal_of(without(sms_params(), "NumMedia")) == "accepted");
    // NumMedia says 1 but no MediaUrl0 comes with it.
    CHECK(refusal_of(with(sms_params(), "NumMedia", "1")) == "bad_media_url");
    TwilioParams bad_url = with(sms_params(), "NumMedia", "1");
    bad_url.emplace("MediaUrl0", "file:///etc/passwd");
    CHECK(refusal_of(bad_url) == "bad_media_url");
}

TEST_CASE("inbound: an MMS lists its media in order, zero-based") {
    TwilioParams params = with(with(sms_params(), "NumMedia", "2"), "Body", "");
    params.emplace("MediaUrl0",
                   "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME0");
    params.emplace("MediaContentType0", "image/jpeg");
    params.emplace("MediaUrl1",
                   "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1");
    params.emplace("MediaContentType1", "image/png");
    const SmsParse parsed = parse_inbound_sms(params);
    REQUIRE(parsed);
    REQUIRE(parsed.sms->media.size() == 2);
    CHECK(parsed.sms->media[0].url.substr(parsed.sms->media[0].url.size() - 3) == "ME0");
    CHECK(parsed.sms->media[1].content_type == "image/png");
}

TEST_CASE("inbound: attachments travel, and a picture that could not be fetched is said") {
    const SmsParse parsed = parse_inbound_sms(sms_params());
    REQUIRE(parsed);
    const auto message = sms_message(
        *parsed.sms,
        {{"https://sms.example.com/api/twilio/media/ab", "image/jpeg", "picture-1.jpg"}}, 1,
        "2026-12-01T10:00:00Z");
    REQUIRE(message.attachments.size() == 1);
    CHECK(message.attachments[0].content_type == "image/jpeg");
    CHECK(message.text == "Msg\n(the customer sent a picture that could not be fetched)");
    InboundSms picture_only = *parsed.sms;
    picture_only.body.clear();
    CHECK(sms_message(picture_only, {}, 2, "t").text ==
          "(the customer sent 2 pictures that could not be fetched)");
}
