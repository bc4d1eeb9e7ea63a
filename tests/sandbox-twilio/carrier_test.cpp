// SMS_CARRIER: the carrier-neutral /sandbox/phones/… routes (the demo page's phone) go to the
// Twilio half by default and to the Tropo half when told; any other value stops the sandbox.
#include <doctest/doctest.h>

#include "twilio_sandbox_world.h"

using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

const std::string kCustomer = "+12085550155";

}  // namespace

TEST_CASE("sandbox-twilio: the neutral phone routes are Twilio's by default") {
    TwilioWorld world;
    const HttpAnswer sent =
        world.admin("POST", "/sandbox/phones/" + kCustomer + "/sms", {{"text", "via neutral"}});
    REQUIRE(sent.status == 202);
    REQUIRE(world.app.wait_for("/sms", 1));
    CHECK(world.app.received("/sms")[0].param("Body") == "via neutral");
    const json phone = world.admin("GET", "/sandbox/phones/" + kCustomer).body;
    CHECK(phone["sent"][0]["text"] == "via neutral");
    CHECK(phone == world.phone(kCustomer));
    CHECK(world.admin("GET", "/sandbox/phones").body["phones"][0]["number"] == kCustomer);
    REQUIRE(world.admin("POST", "/sandbox/phones/" + kCustomer + "/call", json::object()).status ==
            202);
    REQUIRE(world.app.wait_for("/voice", 1));
    const json config = world.admin("GET", "/sandbox/ui/config").body;
    CHECK(config["carrier"] == "twilio");
    CHECK(config["companyNumber"] == company_number());
}

TEST_CASE("sandbox-twilio: SMS_CARRIER=tropo sends the neutral routes to the Tropo half") {
    Stack stack("sandbox-carrier");
    Application app(auth_token());
    stack.start("sandbox", {{"SMS_CARRIER", "tropo"},
                            {"SANDBOX_TROPO_APP_URL", app.url("/tropo")},
                            {"TWILIO_SMS_URL", app.url("/sms")}});
    const int port = stack.port("sandbox");
    REQUIRE(
        http_json(port, "POST", "/sandbox/phones/" + kCustomer + "/sms", {{"text", "hi"}}).status ==
        202);
    REQUIRE(app.wait_for("/tropo", 1));
    CHECK(app.received("/tropo")[0].body.find("\"initialText\":\"hi\"") != std::string::npos);
    CHECK(app.received("/sms").empty());
    const json phone = http_json(port, "GET", "/sandbox/phones/" + kCustomer).body;
    CHECK(phone == http_json(port, "GET", "/sandbox/tropo/phones/" + kCustomer).body);
    CHECK(http_json(port, "GET", "/sandbox/ui/config").body["carrier"] == "tropo");
}

TEST_CASE("sandbox-twilio: a bad SMS_CARRIER or Twilio setting stops the sandbox with exit 2") {
    for (const auto& setting : std::vector<std::pair<std::string, std::string>>{
             {"SMS_CARRIER", "carrier-pigeon"},
             {"TWILIO_ACCOUNT_SID", "AC123"},
             {"TWILIO_FROM_NUMBER", "not a number"},
             {"TWILIO_SMS_URL", "ftp://x/"},
             {"TWILIO_API_KEY_SID", "SK123"},
             {"SANDBOX_TWILIO_CONNECT_VIA", "http://x/p"}}) {
        const std::string& name = setting.first;
        CAPTURE(name);
        Stack stack("sandbox-carrier-bad");
        Stack::Start how;
        how.env = {{name, setting.second}};
        how.wait_healthy = false;
        Process& sandbox = stack.start("sandbox", how);
        CHECK(sandbox.wait_exit(10s) == 2);
        CHECK(stack.log("sandbox").find(name) != std::string::npos);
    }
}
