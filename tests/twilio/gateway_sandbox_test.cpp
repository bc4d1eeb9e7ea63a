// twilio-gateway against the sandbox's Twilio half, an implementation of Twilio written
// separately from the docs: its signed webhooks are taken, its MMS media (behind Basic auth and a
// CDN redirect) land as attachments the gateway serves, its <Dial> interpreter reaches the
// router's number and reports a missed call to the action URL.
#include <doctest/doctest.h>

#include "http_client.h"
#include "twilio_signing.h"
#include "twilio_world.h"

using namespace sb;
using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

const char* kPhone = "+12088675309";
const std::string kPicture("\x89PNG\r\n\x1a\n-sandbox-picture", 24);

HttpAnswer sandbox_post(TwilioWorld& world, const std::string& path, const json& body) {
    return http_json(world.port("sandbox"), "POST", path, body);
}

// Where the phone's first call was dialled to, as the sandbox recorded it; "" while unknown.
std::string first_call_target(const json& phone) {
    const auto calls = phone.find("calls");
    if (calls == phone.end() || !calls->is_array() || calls->empty()) return "";
    const json& call = calls->front();
    const auto target = call.find("target");
    return target != call.end() && target->is_string() ? target->get<std::string>() : "";
}

}  // namespace

TEST_CASE(
    "sandbox: a text and a picture from the sandbox's phone reach the router, the picture served "
    "by the gateway") {
    TwilioWorld world({}, true);
    const HttpAnswer texted = sandbox_post(
        world, std::string("/sandbox/twilio/phones/") + kPhone + "/sms",
        {{"text", "here is the damage"},
         {"media",
          json::array({{{"content_type", "image/png"}, {"data_base64", base64_of(kPicture)}}})}});
    CAPTURE(texted.raw);
    REQUIRE(texted.status / 100 == 2);
    REQUIRE(world.router->wait_for_count(1, 15s));
    const CustomerMessage message = world.router->messages().at(0);
    CHECK(message.customer == kPhone);
    CHECK(message.channel == "sms");
    CHECK(message.text == "here is the damage");
    REQUIRE(message.attachments.size() == 1);
    CHECK(message.attachments[0].content_type == "image/png");
    const std::string prefix = world.url("twilio-gateway") + "/api/twilio/media/";
    REQUIRE(message.attachments[0].url.rfind(prefix, 0) == 0);
    auto client = http_client(world.gateway_port);
    const auto served =
        client.Get(message.attachments[0].url.substr(world.url("twilio-gateway").size()).c_str());
    REQUIRE(served);
    CHECK(served->status == 200);
    CHECK(served->body == kPicture);
    CHECK(served->get_header_value("Content-Type") == "image/png");
    CHECK(scrape_metric(world.gateway_port, "switchboard_twilio_webhooks_rejected_total") == 0);
}

TEST_CASE("sandbox: a call is dialled to the router's number, and its no-answer is a missed call") {
    TwilioWorld world({}, true);
    world.router->decide_calls("+18005550199");
    const HttpAnswer called =
        sandbox_post(world, std::string("/sandbox/twilio/phones/") + kPhone + "/call",
                     {{"answer", "no-answer"}});
    CAPTURE(called.raw);
    REQUIRE(called.status / 100 == 2);
    REQUIRE(world.router->wait_for_count(2, 15s));
    const auto messages = world.router->messages();
    REQUIRE(messages[0].call);
    CHECK(messages[0].call->outcome == "incoming");
    REQUIRE(messages[1].call);
    CHECK(messages[1].customer == kPhone);
    CHECK(messages[1].call->outcome == "missed");
    CHECK(messages[1].call->detail == "no-answer");
    CHECK(messages[1].call->call_id == messages[0].call->call_id);
    // The sandbox's phone record says where the <Dial> went.
    REQUIRE(wait_until(
        [&] {
            const HttpAnswer phone = http_json(world.port("sandbox"), "GET",
                                               std::string("/sandbox/twilio/phones/") + kPhone);
            return phone.status == 200 && first_call_target(phone.body) == "+18005550199";
        },
        10s));
}
