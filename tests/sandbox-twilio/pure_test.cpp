// The Twilio half's pure parts, table-tested without sockets: the signature (on PROVIDERS.md's
// vectors), forms, the send decision and its error answers, opt-out keywords, TwiML, segments.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "switchboard/crypto.h"
#include "switchboard/smart_encoding.h"
#include "twilio/form.h"
#include "twilio/message_request.h"
#include "twilio/message_resource.h"
#include "twilio/opt_out.h"
#include "twilio/rest_errors.h"
#include "twilio/signature.h"
#include "twilio/twiml.h"
#include "twilio/webhook_worker.h"

using namespace sb::sandbox::twilio;
using json = nlohmann::json;
using sb::smart_encode;

namespace {

const Params kVoiceParams = {{"CallSid", "CA1234567890ABCDE"},
                             {"Caller", "+14158675309"},
                             {"Digits", "1234"},
                             {"From", "+14158675309"},
                             {"To", "+18005551212"}};

}  // namespace

TEST_CASE("sandbox-twilio: the signature matches every vector in PROVIDERS.md") {
    struct Vector {
        std::string url;
        Params params;
        std::string signature;
    };
    const std::vector<Vector> vectors = {
        {"https://mycompany.com/myapp.php?foo=1&bar=2", kVoiceParams,
         "RSOYDt4T1cUTdK1PDd93/VVr8B8="},
        {"https://mycompany.com:443/myapp.php?foo=1&bar=2", kVoiceParams,
         "kvajT1Ptam85bY51eRf/AJRuM3w="},
        // A JSON body: its SHA-256 travels in the query and only the URL is signed.
        {"https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256="
         "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620",
         {},
         "a9nBmqA0ju/hNViExpshrM61xv4="},
    };
    for (const Vector& vector : vectors) {
        CAPTURE(vector.url);
        CHECK(twilio_signature("12345", vector.url, vector.params) == vector.signature);
    }
    // The order the parameters arrive in does not matter; a changed value or token does.
    Params shuffled(kVoiceParams.rbegin(), kVoiceParams.rend());
    CHECK(twilio_signature("12345", vectors[0].url, shuffled) == vectors[0].signature);
    Params changed = kVoiceParams;
    changed[2].second = "1235";
    CHECK(twilio_signature("12345", vectors[0].url, changed) != vectors[0].signature);
    CHECK(twilio_signature("12346", vectors[0].url, kVoiceParams) != vectors[0].signature);
}

TEST_CASE("sandbox-twilio: the signed text sorts names, then a repeated name's values") {
    CHECK(signed_text("https://x/y",
                      {{"b", "2"}, {"a", "1"}, {"MediaUrl", "z"}, {"MediaUrl", "a"}}) ==
          "https://x/yMediaUrlaMediaUrlza1b2");
    CHECK(signed_text("https://x/y", {}) == "https://x/y");
}

TEST_CASE("sandbox-twilio: base64 and forms round-trip, and malformed input is no exception") {
    for (const std::string& text :
         std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
        CHECK(base64_decode(sb::crypto::base64(text)) == text);
    }
    CHECK(sb::crypto::base64("foob") == "Zm9vYg==");
    CHECK_FALSE(base64_decode("Zm9v!").has_value());
    CHECK_FALSE(base64_decode("Z").has_value());
    const Params params = {{"Body", "Hi there & more = 100%"}, {"To", "+12085550111"}, {"E", ""}};
    CHECK(encode_form(params) == "Body=Hi+there+%26+more+%3D+100%25&To=%2B12085550111&E=");
    CHECK(parse_form(encode_form(params)) == params);
    CHECK(parse_form("a=%zz&b=%4&&c") == Params{{"a", "%zz"}, {"b", "%4"}, {"c", ""}});
    CHECK(params_named(parse_form("MediaUrl=a&x=1&MediaUrl=b"), "MediaUrl") ==
          std::vector<std::string>{"a", "b"});
}

TEST_CASE("sandbox-twilio: a send request is accepted or refused with Twilio's code") {
    SendContext context;
    context.company_number = "+12085550100";
    context.opted_out = [](const std::string& number) { return number == "+12085550199"; };
    const std::string mg = "MG" + std::string(32, 'a');
    struct Case {
        std::string form;
        int code;
    };
    const std::vector<Case> cases = {
        {"To=%2B12085550111&From=%2B12085550100&Body=hi", 0},
        {"To=%2B12085550111&MessagingServiceSid=" + mg + "&Body=hi", 0},
        {"To=%2B12085550111&From=%2B12085550100&MediaUrl=https%3A%2F%2Fx.example%2Fa.jpg", 0},
        {"From=%2B12085550100&Body=hi", 21604},
        {"To=2085550111&From=%2B12085550100&Body=hi", 21211},
        {"To=%2Babc&From=%2B12085550100&Body=hi", 21211},
        {"To=%2B15005550001&From=%2B12085550100&Body=hi", 21211},
        {"To=%2B15005550002&From=%2B12085550100&Body=hi", 21612},
        {"To=%2B15005550003&From=%2B12085550100&Body=hi", 21408},
        {"To=%2B15005550004&From=%2B12085550100&Body=hi", 21610},
        {"To=%2B15005550009&From=%2B12085550100&Body=hi", 21614},
        {"To=%2B12085550111&Body=hi", 21603},
        {"To=%2B12085550111&From=%2B12085550999&Body=hi", 21606},
        {"To=%2B12085550111&MessagingServiceSid=MGnope&Body=hi", 21701},
        {"To=%2B12085550111&From=%2B12085550100", 21602},
        {"To=%2B12085550111&From=%2B12085550100&Body=" + std::string(1601, 'x'), 21617},
        {"To=%2B12085550111&From=%2B12085550100&MediaUrl=ftp%3A%2F%2Fx", 21620},
        {"To=%2B12085550111&From=%2B12085550100&Body=hi&StatusCallback=nope", 21609},
        {"To=%2B12085550199&From=%2B12085550100&Body=hi", 21610},
    };
    for (const Case& c : cases) {
        CAPTURE(c.form);
        CHECK(decide_send(parse_form(c.form), context).error_code == c.code);
    }
    // 1600 characters (not bytes) is still one message.
    std::string long_body;
    for (int i = 0; i < 1600; ++i) long_body += "\xc3\xa9";
    CHECK(decide_send({{"To", "+12085550111"}, {"From", "+12085550100"}, {"Body", long_body}},
                      context)
              .error_code == 0);
    const auto accepted =
        decide_send(parse_form("To=%2B12085550111&From=%2B12085550100&Body=hi&SmartEncoded=True"
                               "&StatusCallback=http%3A%2F%2F127.0.0.1%3A1%2Fs%3Fa%3Db"),
                    context);
    CHECK(accepted.request.smart_encoded);
    CHECK(accepted.request.status_callback == "http://127.0.0.1:1/s?a=b");
}

TEST_CASE("sandbox-twilio: error answers are Twilio's JSON with the code's HTTP status") {
    struct Case {
        int code;
        int status;
    };
    for (const Case c : {Case{20003, 401}, Case{20404, 404}, Case{20429, 429}, Case{20500, 500},
                         Case{21211, 400}, Case{21610, 400}, Case{21617, 400}}) {
        CAPTURE(c.code);
        const RestError error = rest_error(c.code);
        CHECK(error.status == c.status);
        const json body = json::parse(error_body(error));
        CHECK(body["code"] == c.code);
        CHECK(body["status"] == c.status);
        CHECK(body["message"].get<std::string>().size() > 3);
        CHECK(body["more_info"] == "https://www.twilio.com/docs/errors/" + std::to_string(c.code));
    }
    CHECK(json::parse(error_body(rest_error(20003)))["message"] == "Authenticate");
}

TEST_CASE("sandbox-twilio: opt-out keywords are whole messages, trimmed, any case") {
    struct Case {
        std::string text;
        Keyword keyword;
    };
    const std::vector<Case> cases = {
        {"STOP", Keyword::stop},        {" stop\n", Keyword::stop}, {"StopAll", Keyword::stop},
        {"UNSUBSCRIBE", Keyword::stop}, {"cancel", Keyword::stop},  {"END", Keyword::stop},
        {"quit", Keyword::stop},        {"REVOKE", Keyword::stop},  {"optout", Keyword::stop},
        {"START", Keyword::start},      {"yes", Keyword::start},    {"Unstop", Keyword::start},
        {"HELP", Keyword::help},        {"info", Keyword::help},    {"STOP PLEASE", Keyword::none},
        {"stop.", Keyword::none},       {"", Keyword::none},        {"opt out", Keyword::none},
    };
    for (const Case& c : cases) {
        CAPTURE(c.text);
        CHECK(classify_keyword(c.text) == c.keyword);
    }
    CHECK(keyword_reply(Keyword::stop).rfind("You have successfully been unsubscribed", 0) == 0);
    CHECK(keyword_reply(Keyword::start).find("re-subscribed") != std::string::npos);
    CHECK(keyword_reply(Keyword::help).find("Reply STOP to unsubscribe") != std::string::npos);
    CHECK(keyword_reply(Keyword::none).empty());
    CHECK(opt_out_type(Keyword::stop) == "STOP");
    CHECK(opt_out_type(Keyword::none).empty());
}

TEST_CASE("sandbox-twilio: messaging TwiML becomes the replies to send") {
    const auto plan = interpret_messaging(
        R"(<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks &amp; bye</Message>)"
        R"(<Message to="+12085550122"><Body>Hi</Body><Media>https://x.example/a.png</Media>)"
        R"(</Message><Gather/></Response>)");
    REQUIRE(plan.error_code == 0);
    REQUIRE(plan.messages.size() == 2);
    CHECK(plan.messages[0].body == "Thanks & bye");
    CHECK(plan.messages[0].to.empty());
    CHECK(plan.messages[1].to == "+12085550122");
    CHECK(plan.messages[1].body == "Hi");
    CHECK(plan.messages[1].media == std::vector<std::string>{"https://x.example/a.png"});
    CHECK(plan.ignored == std::vector<std::string>{"Gather"});
    for (const std::string& empty : std::vector<std::string>{
             "", "  \n", "<Response/>", R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)"}) {
        CAPTURE(empty);
        const auto nothing = interpret_messaging(empty);
        CHECK(nothing.error_code == 0);
        CHECK(nothing.messages.empty());
    }
}

TEST_CASE("sandbox-twilio: malformed TwiML is error 12100, never an exception") {
    for (const std::string& bad : std::vector<std::string>{
             "<Response>", "not xml at all", "<Response><Message></Response>", "<Reply/>",
             "<Response/><Response/>", "{\"tropo\": []}", "<Response><Dial/></Response>",
             "<!DOCTYPE r [<!ENTITY a \"aaaa\">]><Response><Say>&a;</Say></Response>",
             std::string("<Response>\xff\xfe</Response>")}) {
        CAPTURE(bad);
        CHECK(interpret_messaging(bad).error_code ==
              (bad == "<Response><Dial/></Response>" ? 0 : 12100));
        CHECK(interpret_voice(bad).error_code == 12100);
    }
    std::string deep;
    for (int i = 0; i < 100; ++i) deep += "<a>";
    CHECK(interpret_voice("<Response>" + deep + "</Response>").error_code == 12100);
    CHECK(interpret_voice("<Response><Say>" + std::string(70000, 'x') + "</Say></Response>")
              .error_code == 11750);
}

TEST_CASE("sandbox-twilio: voice TwiML: Dial with its attributes, then the other verbs") {
    const auto plan = interpret_voice(
        R"(<Response><Say>Connecting you</Say>)"
        R"(<Dial timeout="20" action="/api/twilio/voice/dial/?x=1" method="POST" callerId="+1">)"
        R"(+18005550100</Dial><Hangup/></Response>)");
    REQUIRE(plan.error_code == 0);
    REQUIRE(plan.verbs.size() == 3);
    CHECK(plan.verbs[0].kind == VoiceVerb::Kind::say);
    CHECK(plan.verbs[0].text == "Connecting you");
    CHECK(plan.verbs[1].kind == VoiceVerb::Kind::dial);
    CHECK(plan.verbs[1].number == "+18005550100");
    CHECK(plan.verbs[1].timeout == 20);
    CHECK(plan.verbs[1].action == "/api/twilio/voice/dial/?x=1");
    CHECK(plan.verbs[1].method == "POST");
    CHECK(plan.verbs[2].kind == VoiceVerb::Kind::hangup);

    const auto nested = interpret_voice(
        R"(<Response><Dial timeout="abc"><Number>+18005550100</Number></Dial><Reject reason="busy"/></Response>)");
    REQUIRE(nested.verbs.size() == 2);
    CHECK(nested.verbs[0].number == "+18005550100");
    CHECK(nested.verbs[0].timeout == 30);  // not a number: Twilio's default
    CHECK(nested.verbs[0].action.empty());
    CHECK(nested.verbs[1].kind == VoiceVerb::Kind::reject);
    CHECK(nested.verbs[1].text == "busy");
    CHECK(interpret_voice(R"(<Response><Dial timeout="1">+1</Dial></Response>)").verbs[0].timeout ==
          5);
    CHECK(interpret_voice(R"(<Response><Dial method="GET">+1</Dial></Response>)").verbs[0].method ==
          "GET");
}

TEST_CASE("sandbox-twilio: the Message resource, its dates, sids and segments") {
    CHECK(new_sid("SM").size() == 34);
    CHECK(is_sid(new_sid("MM"), "MM"));
    CHECK_FALSE(is_sid("SMxyz", "SM"));
    CHECK(rfc2822(std::chrono::system_clock::from_time_t(0)) == "Thu, 01 Jan 1970 00:00:00 +0000");
    CHECK(segment_count("hi") == 1);
    CHECK(segment_count(std::string(160, 'a')) == 1);
    CHECK(segment_count(std::string(161, 'a')) == 2);
    CHECK(segment_count(std::string(81, '[')) == 2);  // extension characters count two
    CHECK(segment_count("caf\xc3\xa9") == 1);         // é is GSM-7
    CHECK(segment_count(std::string(70, 'a') + "\xe2\x80\x94") == 2);  // — makes it UCS-2
    CHECK(smart_encode("\xe2\x80\x9cHi\xe2\x80\x9d \xe2\x80\x94 it\xe2\x80\x99s\xe2\x80\xa6") ==
          "\"Hi\" - it's...");
    MessageRecord message;
    message.sid = "SM" + std::string(32, '1');
    message.account_sid = "AC" + std::string(32, '2');
    message.to = "+12085550111";
    message.from = "+12085550100";
    message.body = "Hello";
    message.status = "queued";
    const json body = message_json(message);
    CHECK(body["sid"] == message.sid);
    CHECK(body["num_segments"] == "1");
    CHECK(body["num_media"] == "0");
    CHECK(body["error_code"].is_null());
    CHECK(body["error_message"].is_null());
    CHECK(body["price"].is_null());
    CHECK(body["direction"] == "outbound-api");
    CHECK(body["uri"] ==
          "/2010-04-01/Accounts/" + message.account_sid + "/Messages/" + message.sid + ".json");
    CHECK(body["date_created"].get<std::string>().find("+0000") != std::string::npos);
    message.status = "accepted";
    CHECK(message_json(message)["num_segments"] == "0");
}

TEST_CASE("sandbox-twilio: a webhook URL splits into its origin and its path with the query") {
    struct Case {
        std::string url;
        bool ok;
        std::string origin;
        std::string path;
    };
    const std::vector<Case> cases = {
        {"http://127.0.0.1:8085/api/twilio/sms/", true, "http://127.0.0.1:8085",
         "/api/twilio/sms/"},
        {"https://gw.example/s?a=1&b=2", true, "https://gw.example", "/s?a=1&b=2"},
        {"http://gw.example", true, "http://gw.example", "/"},
        {"http://gw.example?x=1", true, "http://gw.example", "/?x=1"},
        {"ftp://gw.example/", false, "", ""},
        {"http:///path", false, "", ""},
        {"gw.example/path", false, "", ""},
    };
    for (const Case& c : cases) {
        CAPTURE(c.url);
        std::string origin;
        std::string path;
        CHECK(split_url(c.url, origin, path) == c.ok);
        if (c.ok) {
            CHECK(origin == c.origin);
            CHECK(path == c.path);
        }
    }
}
