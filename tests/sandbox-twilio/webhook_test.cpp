// What the sandbox sends the application, checked by the test's own receiver: the signed
// inbound SMS/MMS webhook with all of Twilio's parameters, TwiML replies reaching the phone,
// status callbacks (order, duplication, undeliverable numbers), and media behind Basic auth.
#include <doctest/doctest.h>

#include "twilio_sandbox_world.h"

using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

const std::string kCustomer = "+12085550111";
// A 1x1 PNG.
const std::string kPngBase64 =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+"
    "M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

std::string decode64(const std::string& text) {
    // Only for the test's own picture: the standard alphabet with padding.
    static const std::string alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (const char c : text) {
        if (c == '=') break;
        buffer = (buffer << 6) | static_cast<unsigned>(alphabet.find(c));
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    return out;
}

}  // namespace

TEST_CASE(
    "sandbox-twilio: a phone's text is a signed webhook with Twilio's parameters, and the "
    "TwiML <Message> answer reaches the phone") {
    TwilioWorld world;
    world.app.answer("/sms", 200, "text/xml",
                     R"(<?xml version="1.0" encoding="UTF-8"?><Response><Message>Got it, )"
                     R"(thanks!</Message></Response>)");
    const HttpAnswer sent = world.admin("POST", "/sandbox/twilio/phones/" + kCustomer + "/sms",
                                        {{"text", "Where is my order?"}});
    REQUIRE(sent.status == 202);
    REQUIRE(world.app.wait_for("/sms", 1));
    const Received webhook = world.app.received("/sms")[0];
    CHECK(webhook.method == "POST");
    CHECK(webhook.signature_ok);
    CHECK_FALSE(webhook.signature.empty());
    const std::string sid = webhook.param("MessageSid");
    CHECK(sid == sent.body["message_sid"]);
    CHECK(sid.size() == 34);
    CHECK(sid.rfind("SM", 0) == 0);
    CHECK(webhook.param("SmsSid") == sid);
    CHECK(webhook.param("SmsMessageSid") == sid);
    CHECK(webhook.param("AccountSid") == account_sid());
    CHECK(webhook.param("From") == kCustomer);
    CHECK(webhook.param("To") == company_number());
    CHECK(webhook.param("Body") == "Where is my order?");
    CHECK(webhook.param("NumMedia") == "0");
    CHECK(webhook.param("NumSegments") == "1");
    CHECK(webhook.param("SmsStatus") == "received");
    CHECK(webhook.param("ApiVersion") == "2010-04-01");
    CHECK(webhook.param("FromCountry") == "US");
    CHECK(webhook.param("ToCountry") == "US");
    for (const char* name : {"FromCity", "FromState", "FromZip", "ToCity", "ToState", "ToZip"}) {
        CAPTURE(name);
        CHECK(webhook.has(name));
    }
    CHECK_FALSE(webhook.has("OptOutType"));
    CHECK_FALSE(webhook.has("MediaUrl0"));
    // A forged check would fail: the signature covers the URL with its port and every param.
    CHECK(webhook.signature !=
          expected_signature(auth_token(), "http://127.0.0.1/sms", webhook.params));

    REQUIRE(wait_until([&] { return world.inbox(kCustomer).size() == 1; }, 10s));
    CHECK(world.inbox(kCustomer)[0] == "Got it, thanks!");
    const json log = world.admin("GET", "/sandbox/twilio/webhooks").body["webhooks"];
    REQUIRE(log.size() == 1);
    CHECK(log[0]["answer"] == 200);
    CHECK(log[0]["replies"].size() == 1);
}

TEST_CASE(
    "sandbox-twilio: an application error or bad TwiML is recorded, nothing reaches the "
    "phone") {
    TwilioWorld world;
    world.app.answer("/sms", 500, "text/plain", "oops");
    world.admin("POST", "/sandbox/twilio/phones/" + kCustomer + "/sms", {{"text", "one"}});
    REQUIRE(world.app.wait_for("/sms", 1));
    REQUIRE(wait_until(
        [&] { return world.admin("GET", "/sandbox/twilio/webhooks").body["webhooks"].size() == 1; },
        10s));
    world.app.answer("/sms", 200, "text/xml", "<Response><Message>unclosed</Response>");
    world.admin("POST", "/sandbox/twilio/phones/" + kCustomer + "/sms", {{"text", "two"}});
    REQUIRE(wait_until(
        [&] { return world.admin("GET", "/sandbox/twilio/webhooks").body["webhooks"].size() == 2; },
        10s));
    const json log = world.admin("GET", "/sandbox/twilio/webhooks").body["webhooks"];
    CHECK(log[0]["error_code"] == 11200);
    CHECK(log[1]["error_code"] == 12100);
    CHECK(world.inbox(kCustomer).empty());
    CHECK(world.admin("GET", "/sandbox/twilio/stats").body["webhooks"]["answers"]["500"] == 1);
}

TEST_CASE("sandbox-twilio: STOP is forwarded, with OptOutType only under Advanced Opt-Out") {
    TwilioWorld world;
    world.admin("POST", "/sandbox/twilio/phones/" + kCustomer + "/sms", {{"text", "STOP"}});
    REQUIRE(world.app.wait_for("/sms", 1));
    CHECK_FALSE(world.app.received("/sms")[0].has("OptOutType"));
    REQUIRE(world.admin("POST", "/sandbox/twilio/knobs", {{"advanced_opt_out", true}}).status ==
            200);
    world.admin("POST", "/sandbox/twilio/phones/" + kCustomer + "/sms", {{"text", "start"}});
    world.admin("POST", "/sandbox/twilio/phones/" + kCustomer + "/sms", {{"text", "HELP"}});
    REQUIRE(world.app.wait_for("/sms", 3));
    CHECK(world.app.received("/sms")[1].param("OptOutType") == "START");
    CHECK(world.app.received("/sms")[2].param("OptOutType") == "HELP");
    CHECK(world.app.received("/sms")[2].signature_ok);
    REQUIRE(wait_until([&] { return world.inbox(kCustomer).size() == 3; }, 10s));
    CHECK(world.inbox(kCustomer)[2] == "Reply STOP to unsubscribe. Msg&Data Rates May Apply.");
}

TEST_CASE(
    "sandbox-twilio: status callbacks: sent then delivered, signed with the callback's "
    "query, and undelivered with 30003 for an undeliverable number") {
    TwilioWorld world;
    const std::string unreachable = "+12085550177";
    REQUIRE(
        world.admin("POST", "/sandbox/twilio/undeliverable", {{"numbers", {unreachable}}}).status ==
        200);
    const std::string callback = world.app.url("/status?tenant=acme&id=42");
    const HttpAnswer first = world.send({{"To", kCustomer},
                                         {"From", company_number()},
                                         {"Body", "hi"},
                                         {"StatusCallback", callback}});
    REQUIRE(first.status == 201);
    REQUIRE(world.app.wait_for("/status", 2));
    const HttpAnswer second = world.send({{"To", unreachable},
                                          {"From", company_number()},
                                          {"Body", "hi"},
                                          {"StatusCallback", callback}});
    REQUIRE(second.status == 201);
    REQUIRE(world.app.wait_for("/status", 4));
    const auto callbacks = world.app.received("/status");
    REQUIRE(callbacks.size() == 4);
    const std::vector<std::pair<std::string, std::string>> expected = {
        {first.body["sid"], "sent"},
        {first.body["sid"], "delivered"},
        {second.body["sid"], "sent"},
        {second.body["sid"], "undelivered"}};
    for (size_t i = 0; i < callbacks.size(); ++i) {
        CAPTURE(i);
        const Received& c = callbacks[i];
        CHECK(c.signature_ok);
        CHECK(c.target == "/status?tenant=acme&id=42");
        CHECK(c.param("MessageSid") == expected[i].first);
        CHECK(c.param("SmsSid") == expected[i].first);
        CHECK(c.param("MessageStatus") == expected[i].second);
        CHECK(c.param("SmsStatus") == expected[i].second);
        CHECK(c.param("AccountSid") == account_sid());
        CHECK(c.param("From") == company_number());
        CHECK(c.param("ApiVersion") == "2010-04-01");
    }
    CHECK(callbacks[1].param("To") == kCustomer);
    CHECK_FALSE(callbacks[1].has("ErrorCode"));
    CHECK(callbacks[3].param("To") == unreachable);
    CHECK(callbacks[3].param("ErrorCode") == "30003");
    CHECK(world.inbox(kCustomer) == std::vector<std::string>{"hi"});
    CHECK(world.inbox(unreachable).empty());
    const std::string path = "/twilio/2010-04-01/Accounts/" + account_sid() + "/Messages/" +
                             second.body["sid"].get<std::string>() + ".json";
    const json resource = world.get(path, account_sid(), auth_token()).body;
    CHECK(resource["status"] == "undelivered");
    CHECK(resource["error_code"] == 30003);
}

TEST_CASE("sandbox-twilio: the callbacks knob delivers them duplicated and out of order") {
    TwilioWorld world;
    REQUIRE(world
                .admin("POST", "/sandbox/twilio/knobs",
                       {{"duplicate_callbacks", true}, {"out_of_order_callbacks", true}})
                .status == 200);
    const HttpAnswer sent = world.send({{"To", kCustomer},
                                        {"From", company_number()},
                                        {"Body", "hi"},
                                        {"StatusCallback", world.app.url("/status")}});
    REQUIRE(sent.status == 201);
    REQUIRE(world.app.wait_for("/status", 4));
    std::vector<std::string> statuses;
    for (const Received& c : world.app.received("/status")) {
        CHECK(c.signature_ok);
        statuses.push_back(c.param("MessageStatus"));
    }
    CHECK(statuses == std::vector<std::string>{"delivered", "delivered", "sent", "sent"});
    // The message itself ends delivered, whatever order its callbacks took.
    const std::string path = "/twilio/2010-04-01/Accounts/" + account_sid() + "/Messages/" +
                             sent.body["sid"].get<std::string>() + ".json";
    CHECK(world.get(path, account_sid(), auth_token()).body["status"] == "delivered");
}

TEST_CASE(
    "sandbox-twilio: an MMS picture: MediaUrl0 behind Basic auth, a 302 to the CDN, the "
    "bytes, and the media-auth knob turns auth off") {
    TwilioWorld world;
    const HttpAnswer sent =
        world.admin("POST", "/sandbox/twilio/phones/" + kCustomer + "/sms",
                    {{"text", "my receipt"},
                     {"media", {{{"content_type", "image/png"}, {"data_base64", kPngBase64}}}}});
    REQUIRE(sent.status == 202);
    REQUIRE(world.app.wait_for("/sms", 1));
    const Received webhook = world.app.received("/sms")[0];
    CHECK(webhook.signature_ok);
    CHECK(webhook.param("MessageSid").rfind("MM", 0) == 0);
    CHECK(webhook.param("NumMedia") == "1");
    CHECK(webhook.param("MediaContentType0") == "image/png");
    const std::string media_url = webhook.param("MediaUrl0");
    const std::string prefix = world.url("sandbox") + "/twilio/2010-04-01/Accounts/" +
                               account_sid() + "/Messages/" + webhook.param("MessageSid") +
                               "/Media/ME";
    REQUIRE(media_url.rfind(prefix, 0) == 0);
    const std::string media_path = media_url.substr(world.url("sandbox").size());

    CHECK(world.get(media_path).status == 401);
    CHECK(world.get(media_path, account_sid(), "wrong").status == 401);
    const HttpAnswer redirect = world.get(media_path, account_sid(), auth_token());
    REQUIRE(redirect.status == 302);
    const std::string location = redirect.header("Location");
    REQUIRE(location.rfind(world.url("sandbox") + "/twilio/cdn/", 0) == 0);
    const HttpAnswer picture = world.get(location.substr(world.url("sandbox").size()));
    CHECK(picture.status == 200);
    CHECK(picture.header("Content-Type") == "image/png");
    CHECK(picture.raw == decode64(kPngBase64));
    CHECK(world.get("/twilio/cdn/0123abcd").status == 404);

    REQUIRE(world.admin("POST", "/sandbox/twilio/knobs", {{"media_auth", false}}).status == 200);
    CHECK(world.get(media_path).status == 302);
    // The phone shows what it sent.
    CHECK(world.phone(kCustomer)["sent"][0]["media"][0]["content_type"] == "image/png");
}

TEST_CASE("sandbox-twilio: an outbound MediaUrl is fetched and the picture reaches the phone") {
    TwilioWorld world;
    const std::string bytes = decode64(kPngBase64);
    world.app.serve("/pictures/receipt.png", "image/png", bytes);
    const HttpAnswer sent = world.send({{"To", kCustomer},
                                        {"From", company_number()},
                                        {"MediaUrl", world.app.url("/pictures/receipt.png")},
                                        {"StatusCallback", world.app.url("/status")}});
    REQUIRE(sent.status == 201);
    CHECK(sent.body["sid"].get<std::string>().rfind("MM", 0) == 0);
    CHECK(sent.body["num_media"] == "1");
    REQUIRE(world.app.wait_for("/status", 2));
    const json inbox = world.phone(kCustomer)["inbox"];
    REQUIRE(inbox.size() == 1);
    REQUIRE(inbox[0]["media"].size() == 1);
    const HttpAnswer picture = world.get(inbox[0]["media"][0]["url"]);
    CHECK(picture.status == 200);
    CHECK(picture.raw == bytes);

    // A MediaUrl that cannot be fetched fails the message (11200): nothing reaches the phone.
    world.app.answer("/pictures/missing.png", 404, "text/plain", "no");
    const HttpAnswer broken = world.send({{"To", "+12085550133"},
                                          {"From", company_number()},
                                          {"MediaUrl", world.app.url("/pictures/missing.png")},
                                          {"StatusCallback", world.app.url("/status")}});
    REQUIRE(broken.status == 201);
    REQUIRE(world.app.wait_for("/status", 3));
    const Received failed = world.app.received("/status")[2];
    CHECK(failed.param("MessageStatus") == "failed");
    CHECK(failed.param("ErrorCode") == "11200");
    CHECK(world.inbox("+12085550133").empty());
}

TEST_CASE(
    "sandbox-twilio: a TwiML reply to STOP is refused (21610): only Twilio's confirmation "
    "reaches the phone") {
    TwilioWorld world;
    world.app.answer("/sms", 200, "text/xml",
                     "<Response><Message>Sorry to see you go</Message></Response>");
    world.admin("POST", "/sandbox/twilio/phones/" + kCustomer + "/sms", {{"text", "stop"}});
    REQUIRE(wait_until(
        [&] { return world.admin("GET", "/sandbox/twilio/webhooks").body["webhooks"].size() == 1; },
        10s));
    const json replies =
        world.admin("GET", "/sandbox/twilio/webhooks").body["webhooks"][0]["replies"];
    REQUIRE(replies.size() == 1);
    CHECK(replies[0]["error_code"] == 21610);
    REQUIRE(world.inbox(kCustomer).size() == 1);
    CHECK(world.inbox(kCustomer)[0].rfind("You have successfully been unsubscribed", 0) == 0);
}

TEST_CASE(
    "sandbox-twilio: behind a proxy: the public URL is signed and asked for, the connection "
    "goes to SANDBOX_TWILIO_CONNECT_VIA") {
    const std::string public_url = "https://switchboard.example/api/twilio/sms/?tenant=acme";
    Stack stack("sandbox-twilio-proxy");
    Application app(auth_token());
    stack.start("sandbox",
                {{"TWILIO_SMS_URL", public_url}, {"SANDBOX_TWILIO_CONNECT_VIA", app.url("")}});
    REQUIRE(http_json(stack.port("sandbox"), "POST", "/sandbox/twilio/phones/" + kCustomer + "/sms",
                      {{"text", "through the proxy"}})
                .status == 202);
    REQUIRE(app.wait_for("/api/twilio/sms/", 1));
    const Received webhook = app.received("/api/twilio/sms/")[0];
    CHECK(webhook.target == "/api/twilio/sms/?tenant=acme");
    CHECK(webhook.host == "switchboard.example");
    CHECK(webhook.signature == expected_signature(auth_token(), public_url, webhook.params));
    CHECK_FALSE(webhook.signature_ok);  // not the internal URL's signature
}
