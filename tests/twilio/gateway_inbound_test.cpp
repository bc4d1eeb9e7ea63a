// Inbound SMS against the real twilio-gateway: signed posts become exactly one CustomerMessage;
// forged, missing and wrong-URL signatures, replays and hostile bodies publish nothing.
#include <doctest/doctest.h>

#include "http_client.h"
#include "twilio_world.h"

using namespace sb;
using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

const char* kCustomer = "+12088675309";
const char* kTwimlEmpty = R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)";
const char* kSmsPath = "/api/twilio/sms/";

std::size_t count_text(const TwilioWorld& world, const std::string& text) {
    std::size_t count = 0;
    for (const auto& message : world.router->messages()) count += message.text == text ? 1 : 0;
    return count;
}

// A genuine SMS sent after the others: once it is through, anything the gateway was going to
// publish for the earlier posts has been published (one node, one stream, in order).
void send_marker(TwilioWorld& world, const std::string& text) {
    const auto answer = world.post_signed(
        kSmsPath, sms_params(new_message_sid(), kCustomer, text, world.account_sid));
    REQUIRE(answer);
    REQUIRE(answer->status == 200);
    REQUIRE(wait_until([&] { return count_text(world, text) == 1; }, 10s));
}

}  // namespace

TEST_CASE("gateway: the test's own signer reproduces PROVIDERS.md's vectors") {
    // What these tests sign with is checked against Twilio's published results first, so a
    // gateway that accepts it accepts what Twilio sends.
    const FormParams params = {{"CallSid", "CA1234567890ABCDE"},
                               {"Caller", "+14158675309"},
                               {"Digits", "1234"},
                               {"From", "+14158675309"},
                               {"To", "+18005551212"}};
    CHECK(twilio_sign("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params) ==
          "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    CHECK(twilio_sign("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", params) ==
          "kvajT1Ptam85bY51eRf/AJRuM3w=");
    CHECK(twilio_sign("12345",
                      "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256="
                      "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620",
                      {}) == "a9nBmqA0ju/hNViExpshrM61xv4=");
}

TEST_CASE("gateway: a signed SMS is one CustomerMessage, answered with empty TwiML once durable") {
    TwilioWorld world;
    const std::string sid = new_message_sid();
    const auto answer = world.post_signed(
        kSmsPath, sms_params(sid, kCustomer, "Hi, is my order shipped?", world.account_sid));
    REQUIRE(answer);
    CHECK(answer->status == 200);
    CHECK(answer->get_header_value("Content-Type").rfind("text/xml", 0) == 0);
    CHECK(answer->body == kTwimlEmpty);
    REQUIRE(world.router->wait_for_count(1, 10s));
    const auto messages = world.router->messages();
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].customer == kCustomer);
    CHECK(messages[0].channel == "sms");
    CHECK(messages[0].text == "Hi, is my order shipped?");
    CHECK(messages[0].attachments.empty());
    CHECK(messages[0].carrier_answers_keywords);  // Twilio's own STOP/START/HELP answers
    // A number in a Messaging Service's pool: the same account token signs it (keyed by
    // account, not looked up by MessagingServiceSid: Chatwoot's lost messages, PROVIDERS.md).
    FormParams pooled =
        sms_params(new_message_sid(), kCustomer, "to a pooled number", world.account_sid);
    pooled.emplace_back("MessagingServiceSid", "MG" + std::string(32, 'e'));
    for (auto& [name, value] : pooled) {
        if (name == "To") value = "+12085550177";
    }
    const auto pooled_answer = world.post_signed(kSmsPath, pooled);
    REQUIRE(pooled_answer);
    CHECK(pooled_answer->status == 200);
    send_marker(world, "marker");
    CHECK(world.router->messages().size() == 3);
    CHECK(world.router->messages().at(1).text == "to a pooled number");
    CHECK(scrape_metric(world.gateway_port, "switchboard_twilio_webhooks_total", "kind=\"sms\"") ==
          3);
}

TEST_CASE("gateway: forged, missing and wrong-URL signatures are refused and publish nothing") {
    TwilioWorld world;
    const FormParams params = sms_params(new_message_sid(), kCustomer, "forged", world.account_sid);

    const auto missing = world.post_raw(kSmsPath, form_body(params), {});
    REQUIRE(missing);
    CHECK(missing->status == 400);

    const auto forged = world.post_raw(kSmsPath, form_body(params),
                                       {{"X-Twilio-Signature", "RSOYDt4T1cUTdK1PDd93/VVr8B8="}});
    REQUIRE(forged);
    CHECK(forged->status == 403);

    // Signed with another account's token.
    const auto other_token =
        world.post_raw(kSmsPath, form_body(params),
                       {{"X-Twilio-Signature",
                         twilio_sign("not-the-token", world.public_base() + kSmsPath, params)}});
    REQUIRE(other_token);
    CHECK(other_token->status == 403);

    // Signed over another URL than the one the gateway is reached at.
    const auto wrong_url =
        world.post_signed(kSmsPath, params, world.public_base() + "/api/twilio/voice/");
    REQUIRE(wrong_url);
    CHECK(wrong_url->status == 403);

    // A parameter changed after signing.
    FormParams tampered = params;
    const std::string signature =
        twilio_sign(world.auth_token, world.public_base() + kSmsPath, params);
    tampered[10].second = "tampered";  // Body
    const auto changed =
        world.post_raw(kSmsPath, form_body(tampered), {{"X-Twilio-Signature", signature}});
    REQUIRE(changed);
    CHECK(changed->status == 403);

    send_marker(world, "marker");
    CHECK(world.router->messages().size() == 1);
    CHECK(scrape_metric(world.gateway_port, "switchboard_twilio_webhooks_rejected_total",
                        "reason=\"missing_signature\"") == 1);
    CHECK(scrape_metric(world.gateway_port, "switchboard_twilio_webhooks_rejected_total",
                        "reason=\"bad_signature\"") == 4);
    CHECK(world.gateway_log().find("X-Twilio-Signature is not Twilio's") != std::string::npos);
    // The auth token is never written to the log.
    CHECK(world.gateway_log().find(world.auth_token) == std::string::npos);
}

TEST_CASE(
    "gateway: behind a proxy the public URL is signed, with or without :443, never the internal "
    "one") {
    TwilioWorld world(Env{{"PUBLIC_BASE_URL", "https://sms.example.com"}});
    const auto post = [&](const std::string& signed_url, const std::string& text,
                          const std::string& query = "") {
        const std::string path = std::string(kSmsPath) + query;
        return world.post_signed(path,
                                 sms_params(new_message_sid(), kCustomer, text, world.account_sid),
                                 signed_url + path);
    };
    const auto plain = post("https://sms.example.com", "without port");
    REQUIRE(plain);
    CHECK(plain->status == 200);
    const auto with_port = post("https://sms.example.com:443", "with port");
    REQUIRE(with_port);
    CHECK(with_port->status == 200);
    // The query string is part of what Twilio signs.
    const auto with_query = post("https://sms.example.com", "with query", "?tenant=a%20b");
    REQUIRE(with_query);
    CHECK(with_query->status == 200);
    const auto internal = post(world.url("twilio-gateway"), "internal");
    REQUIRE(internal);
    CHECK(internal->status == 403);
    const auto http = post("http://sms.example.com", "plain http");
    REQUIRE(http);
    CHECK(http->status == 403);
    REQUIRE(world.router->wait_for_count(3, 10s));
    send_marker(world, "marker");
    CHECK(count_text(world, "without port") == 1);
    CHECK(count_text(world, "with port") == 1);
    CHECK(count_text(world, "with query") == 1);
    CHECK(count_text(world, "internal") == 0);
    CHECK(count_text(world, "plain http") == 0);
}

TEST_CASE("gateway: a replayed MessageSid publishes once, also after a restart") {
    TwilioWorld world;
    const FormParams params =
        sms_params(new_message_sid(), kCustomer, "only once", world.account_sid);
    for (int i = 0; i < 3; ++i) {
        const auto answer = world.post_signed(kSmsPath, params);
        REQUIRE(answer);
        CHECK(answer->status == 200);
        CHECK(answer->body == kTwimlEmpty);
    }
    world.stop("twilio-gateway");
    world.start_gateway();
    const auto replay = world.post_signed(kSmsPath, params);  // Twilio's console: "replay"
    REQUIRE(replay);
    CHECK(replay->status == 200);
    CHECK(replay->body == kTwimlEmpty);
    send_marker(world, "marker");
    CHECK(count_text(world, "only once") == 1);
    CHECK(scrape_metric(world.gateway_port, "switchboard_twilio_duplicate_webhooks_total") == 1);
}

TEST_CASE("gateway: hostile form bodies get a 4xx, never a 5xx, and publish nothing") {
    TwilioWorld world;
    const auto signed_post = [&](const FormParams& params) {
        return world.post_signed(kSmsPath, params);
    };
    const auto base = [&](const std::string& from, const std::string& body) {
        return sms_params(new_message_sid(), from, body, world.account_sid);
    };
    struct Case {
        const char* what;
        FormParams params;
        int status;
    };
    FormParams no_from = base(kCustomer, "no from");
    no_from.erase(no_from.begin() + 17);  // From
    FormParams bad_media = base(kCustomer, "bad media");
    bad_media[3].second = "lots";  // NumMedia
    FormParams no_sid = base(kCustomer, "no sid");
    no_sid.erase(no_sid.begin() + 15);  // MessageSid
    no_sid.erase(no_sid.begin() + 6);   // SmsSid
    no_sid.erase(no_sid.begin() + 2);   // SmsMessageSid
    const std::vector<Case> cases = {
        {"missing From", no_from, 400},
        {"From=abc", base("abc", "from abc"), 400},
        {"From without +", base("12088675309", "no plus"), 400},
        {"invalid UTF-8", base(kCustomer, "caf\xE9"), 400},
        {"Body over 1600", base(kCustomer, std::string(1601, 'x')), 400},
        {"NumMedia garbage", bad_media, 400},
        {"no MessageSid", no_sid, 400},
    };
    for (const Case& c : cases) {
        CAPTURE(c.what);
        const auto answer = signed_post(c.params);
        REQUIRE(answer);
        CHECK(answer->status == c.status);
    }
    // Broken percent-encoding, with some signature.
    const auto broken =
        world.post_raw(kSmsPath, "Body=%ZZ&From=%2B12088675309", {{"X-Twilio-Signature", "x"}});
    REQUIRE(broken);
    CHECK(broken->status == 400);
    // 2 MB: refused by the edge's cap before any handler.
    const auto huge = world.post_raw(kSmsPath, "Body=" + std::string(2 << 20, 'x'),
                                     {{"X-Twilio-Signature", "x"}});
    REQUIRE(huge);
    CHECK(huge->status == 413);
    send_marker(world, "marker");
    CHECK(world.router->messages().size() == 1);
    CHECK(scrape_metric(world.gateway_port, "switchboard_twilio_webhooks_rejected_total",
                        "reason=\"bad_from\"") == 2);
    CHECK(scrape_metric(world.gateway_port, "switchboard_twilio_webhooks_rejected_total",
                        "reason=\"bad_utf8\"") == 1);
}

TEST_CASE("gateway: a bad setting stops it with exit code 2, naming the variable, no secret") {
    Stack stack("twilio-config");
    Stack::Start how;
    how.env = {{"TWILIO_ACCOUNT_SID", "AC123"}};
    how.wait_healthy = false;
    Process& gateway = stack.start("twilio-gateway", how);
    CHECK(gateway.wait_exit(10s) == 2);
    const std::string log = stack.log("twilio-gateway");
    CHECK(log.find("TWILIO_ACCOUNT_SID") != std::string::npos);
    CHECK(log.find(demo().all.at("TWILIO_AUTH_TOKEN")) == std::string::npos);
}

TEST_CASE("gateway: the 200 means durable: an SMS taken while the bus is down survives a kill -9") {
    TwilioWorld world;
    world.stop("bus");
    const auto answer = world.post_signed(
        kSmsPath,
        sms_params(new_message_sid(), kCustomer, "kept through a crash", world.account_sid));
    REQUIRE(answer);
    CHECK(answer->status == 200);
    world.kill9("twilio-gateway");  // before the bus ever saw the message
    world.start("bus");
    world.start_gateway();
    REQUIRE(world.router->wait_for_count(1, 20s));
    CHECK(count_text(world, "kept through a crash") == 1);
}

TEST_CASE("gateway: with TWILIO_ANSWERS_KEYWORDS=false the router is told to answer STOP itself") {
    TwilioWorld world(Env{{"TWILIO_ANSWERS_KEYWORDS", "false"}});
    const auto answer = world.post_signed(
        kSmsPath, sms_params(new_message_sid(), kCustomer, "STOP", world.account_sid));
    REQUIRE(answer);
    CHECK(answer->status == 200);
    CHECK(answer->body == kTwimlEmpty);  // the gateway itself never answers a keyword
    REQUIRE(world.router->wait_for_count(1, 10s));
    const auto messages = world.router->messages();
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].text == "STOP");
    CHECK_FALSE(messages[0].carrier_answers_keywords);
}
