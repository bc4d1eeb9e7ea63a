// The REST API as twilio-gateway calls it: Basic auth, Twilio's answers and error codes, the
// magic numbers, the refusal list, scripted faults and the admin API's checks.
#include <doctest/doctest.h>

#include "twilio_sandbox_world.h"

using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

const std::string kCustomer = "+12085550111";

Form text_to(const std::string& to, const std::string& body = "Hello from Acme") {
    return {{"To", to}, {"From", company_number()}, {"Body", body}};
}

void check_error(const HttpAnswer& answer, int status, int code) {
    CHECK(answer.status == status);
    CHECK(answer.body["code"] == code);
    CHECK(answer.body["status"] == status);
    CHECK(answer.body["message"].is_string());
    CHECK(answer.body["more_info"] == "https://www.twilio.com/docs/errors/" + std::to_string(code));
}

}  // namespace

TEST_CASE(
    "sandbox-twilio: Messages.json takes the account's sid and token or an API key, "
    "nothing else") {
    const std::string key_sid = "SK" + std::string(32, 'b');
    TwilioWorld world({{"TWILIO_API_KEY_SID", key_sid}, {"TWILIO_API_KEY_SECRET", "key-secret"}});

    const HttpAnswer sent = world.send(text_to(kCustomer));
    REQUIRE(sent.status == 201);
    const std::string sid = sent.body["sid"];
    CHECK(sid.size() == 34);
    CHECK(sid.rfind("SM", 0) == 0);
    CHECK(sent.body["account_sid"] == account_sid());
    CHECK(sent.body["to"] == kCustomer);
    CHECK(sent.body["from"] == company_number());
    CHECK(sent.body["body"] == "Hello from Acme");
    CHECK(sent.body["status"] == "queued");
    CHECK(sent.body["num_segments"] == "1");
    CHECK(sent.body["num_media"] == "0");
    CHECK(sent.body["direction"] == "outbound-api");
    CHECK(sent.body["error_code"].is_null());
    CHECK(sent.body["error_message"].is_null());
    CHECK(sent.body["price"].is_null());
    CHECK(sent.body["date_created"].get<std::string>().find(" +0000") != std::string::npos);
    CHECK(sent.body["uri"] ==
          "/2010-04-01/Accounts/" + account_sid() + "/Messages/" + sid + ".json");
    CHECK(sent.header("Content-Type").find("application/json") == 0);

    CHECK(world.send(text_to(kCustomer), key_sid, "key-secret").status == 201);
    const auto mg = world.send({{"To", kCustomer},
                                {"MessagingServiceSid", "MG" + std::string(32, 'c')},
                                {"Body", "via a service"}});
    CHECK(mg.status == 201);
    CHECK(mg.body["status"] == "accepted");
    CHECK(mg.body["num_segments"] == "0");
    CHECK(mg.body["from"].is_null());

    // Refused: no credentials, a wrong token, a wrong key secret, someone else's account.
    check_error(world.send(text_to(kCustomer), ""), 401, 20003);
    check_error(world.send(text_to(kCustomer), account_sid(), "wrong"), 401, 20003);
    check_error(world.send(text_to(kCustomer), key_sid, "wrong"), 401, 20003);
    check_error(
        world.send(text_to(kCustomer), account_sid(), auth_token(), "AC" + std::string(32, 'd')),
        401, 20003);
    CHECK(world.send(text_to(kCustomer), "").body["message"] == "Authenticate");

    // What was accepted reaches the phone, and reads back as delivered.
    REQUIRE(wait_until([&] { return world.inbox(kCustomer).size() == 3; }, 10s));
    const std::string path =
        "/twilio/2010-04-01/Accounts/" + account_sid() + "/Messages/" + sid + ".json";
    REQUIRE(wait_until(
        [&] { return world.get(path, account_sid(), auth_token()).body["status"] == "delivered"; },
        10s));
    CHECK(world.get(path, account_sid(), auth_token()).body["sid"] == sid);
    check_error(world.get(path), 401, 20003);
    check_error(world.get("/twilio/2010-04-01/Accounts/" + account_sid() + "/Messages/SM" +
                              std::string(32, '0') + ".json",
                          account_sid(), auth_token()),
                404, 20404);
    const json listed = world.admin("GET", "/sandbox/twilio/messages").body["messages"];
    REQUIRE(listed.size() == 3);
    CHECK(listed[0]["sid"] == sid);
    CHECK(listed[2]["messaging_service_sid"] == "MG" + std::string(32, 'c'));
    CHECK(listed[2]["from"] == company_number());  // the service picked the sender when sending
    const json stats = world.admin("GET", "/sandbox/twilio/stats").body;
    CHECK(stats["rest"]["by_status"]["201"] == 3);
    CHECK(stats["rest"]["by_status"]["401"] == 6);
}

TEST_CASE("sandbox-twilio: each magic number and each bad parameter gets Twilio's code") {
    TwilioWorld world;
    struct Case {
        Form form;
        int code;
    };
    const std::vector<Case> cases = {
        {text_to("+15005550001"), 21211},
        {text_to("+15005550002"), 21612},
        {text_to("+15005550003"), 21408},
        {text_to("+15005550004"), 21610},
        {text_to("+15005550009"), 21614},
        {text_to("208-555-0111"), 21211},
        {{{"From", company_number()}, {"Body", "x"}}, 21604},
        {{{"To", kCustomer}, {"Body", "x"}}, 21603},
        {{{"To", kCustomer}, {"From", "+12085550999"}, {"Body", "x"}}, 21606},
        {{{"To", kCustomer}, {"From", company_number()}}, 21602},
        {text_to(kCustomer, std::string(1601, 'x')), 21617},
    };
    for (const Case& c : cases) {
        CAPTURE(c.code);
        check_error(world.send(c.form), 400, c.code);
    }
    // Nothing refused was delivered.
    CHECK(world.admin("GET", "/sandbox/twilio/phones").body["phones"].empty());
    CHECK(world.send(text_to(kCustomer, std::string(1600, 'x'))).status == 201);
}

TEST_CASE("sandbox-twilio: after STOP a number is refused with 21610, after START it is not") {
    TwilioWorld world;
    REQUIRE(
        world.admin("POST", "/sandbox/twilio/phones/" + kCustomer + "/sms", {{"text", " Stop "}})
            .status == 202);
    // Twilio's own confirmation reaches the phone, and the number is on the refusal list.
    REQUIRE(wait_until([&] { return world.inbox(kCustomer).size() == 1; }, 10s));
    CHECK(world.inbox(kCustomer)[0].rfind("You have successfully been unsubscribed", 0) == 0);
    CHECK(world.phone(kCustomer)["opted_out"] == true);
    check_error(world.send(text_to(kCustomer)), 400, 21610);
    // "STOP PLEASE" is no keyword: still refused, nothing changes.
    world.admin("POST", "/sandbox/twilio/phones/" + kCustomer + "/sms", {{"text", "stop please"}});
    check_error(world.send(text_to(kCustomer)), 400, 21610);

    REQUIRE(world.admin("POST", "/sandbox/twilio/phones/" + kCustomer + "/sms", {{"text", "start"}})
                .status == 202);
    REQUIRE(wait_until([&] { return world.inbox(kCustomer).size() == 2; }, 10s));
    CHECK(world.inbox(kCustomer)[1].find("re-subscribed") != std::string::npos);
    CHECK(world.phone(kCustomer)["opted_out"] == false);
    CHECK(world.send(text_to(kCustomer, "welcome back")).status == 201);
    REQUIRE(wait_until([&] { return world.inbox(kCustomer).size() == 3; }, 10s));
    CHECK(world.inbox(kCustomer)[2] == "welcome back");
    // Every keyword message still reached the application.
    REQUIRE(world.app.wait_for("/sms", 3));
    CHECK(world.app.received("/sms")[0].param("Body") == " Stop ");
}

TEST_CASE("sandbox-twilio: scripted faults: 429 with 20429, 500, an outage, then normal again") {
    TwilioWorld world;
    REQUIRE(world.admin("POST", "/sandbox/twilio/faults", {{"mode", "429"}, {"count", 2}}).status ==
            200);
    check_error(world.send(text_to(kCustomer)), 429, 20429);
    check_error(world.send(text_to(kCustomer)), 429, 20429);
    CHECK(world.send(text_to(kCustomer)).status == 201);

    world.admin("POST", "/sandbox/twilio/faults", {{"mode", "500"}, {"count", 1}});
    check_error(world.send(text_to(kCustomer)), 500, 20500);
    world.admin("POST", "/sandbox/twilio/faults", {{"mode", "outage"}, {"count", 2}});
    const HttpAnswer outage = world.send(text_to(kCustomer));
    CHECK(outage.status == 503);
    CHECK(outage.body.is_discarded());  // the load balancer's page, not the API's JSON
    // An outage answers before the credentials are looked at.
    CHECK(world.send(text_to(kCustomer), "").status == 503);
    CHECK(world.send(text_to(kCustomer)).status == 201);
    // Only the two accepted messages exist.
    REQUIRE(wait_until([&] { return world.inbox(kCustomer).size() == 2; }, 10s));
    const json stats = world.admin("GET", "/sandbox/twilio/stats").body;
    CHECK(stats["rest"]["by_status"]["429"] == 2);
    CHECK(stats["rest"]["by_status"]["500"] == 1);
    CHECK(stats["rest"]["by_status"]["503"] == 2);
    CHECK(stats["rest"]["by_status"]["201"] == 2);
    CHECK(world.admin("DELETE", "/sandbox/twilio/faults").body["remaining"] == 0);
    CHECK(scrape_metric(world.sandbox_port, "switchboard_sandbox_api_calls_total",
                        R"(endpoint="messages",method="POST",provider="twilio")") == 7);
}

TEST_CASE("sandbox-twilio: the admin API refuses bad input with a reason") {
    TwilioWorld world;
    struct Case {
        std::string method;
        std::string path;
        json body;
    };
    const std::vector<Case> cases = {
        {"POST", "/sandbox/twilio/faults", {{"mode", "explode"}, {"count", 1}}},
        {"POST", "/sandbox/twilio/faults", {{"mode", "429"}}},
        {"POST", "/sandbox/twilio/faults", {{"mode", "429"}, {"count", -1}}},
        {"POST", "/sandbox/twilio/faults", json::array()},
        {"POST", "/sandbox/twilio/knobs", {{"rest_latency_ms", 20000}}},
        {"POST", "/sandbox/twilio/knobs", {{"media_auth", "no"}}},
        {"POST", "/sandbox/twilio/knobs", {{"dial_answer", "maybe"}}},
        {"POST", "/sandbox/twilio/knobs", {{"colour", "blue"}}},
        {"POST", "/sandbox/twilio/undeliverable", {{"numbers", {"not a number"}}}},
        {"POST", "/sandbox/twilio/undeliverable", {{"numbers", "+12085550111"}}},
        {"POST", "/sandbox/twilio/phones/not-a-number/sms", {{"text", "x"}}},
        {"POST", "/sandbox/twilio/phones/" + kCustomer + "/sms", json::object()},
        {"POST", "/sandbox/twilio/phones/" + kCustomer + "/sms", {{"text", 5}}},
        {"POST",
         "/sandbox/twilio/phones/" + kCustomer + "/sms",
         {{"text", std::string(1601, 'x')}}},
        {"POST",
         "/sandbox/twilio/phones/" + kCustomer + "/sms",
         {{"text", "x"}, {"media", {{{"content_type", "image/png"}, {"data_base64", "!!"}}}}}},
        {"POST",
         "/sandbox/twilio/phones/" + kCustomer + "/sms",
         {{"media", {{{"content_type", "png"}, {"data_base64", "aGk="}}}}}},
        {"POST", "/sandbox/twilio/phones/" + kCustomer + "/call", {{"answer", "maybe"}}},
        {"POST", "/sandbox/twilio/phones/" + kCustomer + "/call", {{"duration", -5}}},
    };
    for (const Case& c : cases) {
        CAPTURE(c.path);
        CAPTURE(c.body.dump());
        const HttpAnswer answer = world.admin(c.method, c.path, c.body);
        CHECK(answer.status == 400);
        CHECK(answer.body["error"].is_string());
    }
    // Nothing of it took effect.
    CHECK(world.admin("GET", "/sandbox/twilio/faults").body["remaining"] == 0);
    CHECK(world.admin("GET", "/sandbox/twilio/knobs").body["media_auth"] == true);
    CHECK(world.admin("GET", "/sandbox/twilio/undeliverable").body["numbers"].empty());
    CHECK(world.app.received("/sms").empty());
    CHECK(world.app.received("/voice").empty());
}

TEST_CASE("sandbox-twilio: hostile form bodies get an answer, never a failure") {
    TwilioWorld world;
    // Bytes that are not UTF-8 are taken as Twilio takes them, and every answer still reads.
    const HttpAnswer odd = world.send(text_to(kCustomer, "caf\xe9 \xff"));
    CHECK(odd.status == 201);
    CHECK(odd.body["sid"].is_string());
    REQUIRE(wait_until([&] { return world.inbox(kCustomer).size() == 1; }, 10s));
    CHECK(world.admin("GET", "/sandbox/twilio/phones/" + kCustomer).status == 200);
    // A body far over any limit, garbage, JSON instead of a form.
    auto client = http_client(world.sandbox_port);
    client.set_basic_auth(account_sid().c_str(), auth_token().c_str());
    const std::string path = world.messages_path();
    const auto huge = client.Post(path.c_str(), "Body=" + std::string(2 * 1024 * 1024, 'x'),
                                  "application/x-www-form-urlencoded");
    REQUIRE(huge);
    CHECK(huge->status == 413);
    const auto garbage =
        client.Post(path.c_str(), "%%%&&&===&To", "application/x-www-form-urlencoded");
    REQUIRE(garbage);
    CHECK(garbage->status == 400);
    CHECK(json::parse(garbage->body)["code"] == 21604);
    const auto as_json =
        client.Post(path.c_str(), R"({"To":"+12085550111","Body":"x"})", "application/json");
    REQUIRE(as_json);
    CHECK(json::parse(as_json->body)["code"] == 21604);  // Twilio reads forms only
    CHECK(http_status(world.sandbox_port, "/healthz") == 200);
}
