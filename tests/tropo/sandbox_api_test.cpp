// The Tropo half of the sandbox as a client sees it: the Session API, the phones, the knobs.
#include <doctest/doctest.h>

#include <future>

#include "tropo_world.h"

using namespace sb::testing;
using namespace std::chrono_literals;

TEST_CASE("sandbox Session API: the lab's GET launch reaches the phone through the gateway") {
    TropoWorld world;
    const auto launched =
        world.sandbox_get("/1.0/sessions?action=create&token=" + demo().tropo_key +
                          "&numberToDial=2088675309&msg=Hi%20there");
    REQUIRE(launched);
    CHECK(launched->status == 200);
    const json answer = json::parse(launched->body);
    CHECK(answer["success"] == true);
    CHECK(answer["token"] == demo().tropo_key);
    CHECK(answer["id"].get<std::string>().size() == 32);
    REQUIRE(wait_until([&] { return world.phone("+12088675309")["inbox"].size() == 1; }, 10s));
    CHECK(world.phone("+12088675309")["inbox"][0]["text"] == "Hi there");
    CHECK(world.phone("+12088675309")["inbox"][0]["session_id"] == answer["id"]);
}

TEST_CASE(
    "sandbox Session API: a wrong token, a wrong action or a bad body is refused like Tropo") {
    TropoWorld world;
    httplib::Client client("127.0.0.1", world.sandbox_port);
    struct Case {
        std::string method;
        std::string path;
        std::string body;
        int status;
    };
    const std::vector<Case> cases = {
        {"GET", "/1.0/sessions?action=create&token=wrong&numberToDial=2088675309&msg=x", "", 403},
        {"GET", "/1.0/sessions?action=create&numberToDial=2088675309&msg=x", "", 403},
        {"POST", "/1.0/sessions", R"({"token":"wrong","numberToDial":"2088675309"})", 403},
        {"POST", "/1.0/sessions", R"({"token":")" + demo().tropo_key + R"(","action":"signal"})",
         400},
        {"POST", "/1.0/sessions", "not json", 400},
        {"POST", "/1.0/sessions", "[1,2]", 400},
    };
    for (const Case& c : cases) {
        CAPTURE(c.path);
        CAPTURE(c.body);
        const auto result = c.method == "GET"
                                ? client.Get(c.path.c_str())
                                : client.Post(c.path.c_str(), c.body, "application/json");
        REQUIRE(result);
        CHECK(result->status == c.status);
        const json answer = json::parse(result->body);
        CHECK(answer["success"] == false);
        CHECK(answer["reason"].is_string());
    }
    const json stats = world.stats();
    CHECK(stats["session_api"]["calls"] == cases.size());
    CHECK(stats["session_api"]["refused"] == cases.size());
    CHECK(stats["session_api"]["launched"] == 0);
    CHECK(stats["sessions_posted"] == 0);
    const auto metrics = client.Get("/metrics");
    REQUIRE(metrics);
    CHECK(metrics->body.find("sandbox_api_calls_total{endpoint=\"sessions\",method=\"GET\","
                             "provider=\"tropo\"} 2") != std::string::npos);
}

TEST_CASE("sandbox phones: bad requests are refused, and phones are listed") {
    TropoWorld world;
    CHECK(world.sandbox_post("/sandbox/tropo/phones/not-a-number/sms", {{"text", "x"}})->status ==
          400);
    CHECK(world.sandbox_post("/sandbox/tropo/phones/+12088675309/sms", json::object())->status ==
          400);
    CHECK(world.sandbox_post("/sandbox/tropo/phones/+12088675309/sms", {{"text", 5}})->status ==
          400);
    CHECK(world.sandbox_post("/sandbox/tropo/phones/+12088675309/call", {{"network", "CB"}})
              ->status == 400);
    CHECK(
        world.sandbox_post("/sandbox/tropo/faults", {{"mode", "explode"}, {"count", 1}})->status ==
        400);
    CHECK(world.sandbox_post("/sandbox/tropo/faults", {{"mode", "error"}})->status == 400);
    CHECK(world.sandbox_post("/sandbox/tropo/faults", {{"count", 1}, {"status", 404}})->status ==
          400);

    REQUIRE(world.sandbox_post("/sandbox/tropo/phones/+12088675309/sms", {{"text", "a"}})->status ==
            202);
    REQUIRE(
        world.sandbox_post("/sandbox/tropo/phones/+447911123456/sms", {{"text", "b"}})->status ==
        202);
    const auto listed = world.sandbox_get("/sandbox/tropo/phones");
    REQUIRE(listed);
    const json phones = json::parse(listed->body)["phones"];
    REQUIRE(phones.size() == 2);
    CHECK(phones[0]["number"] == "+12088675309");
    CHECK(phones[1]["number"] == "+447911123456");
    CHECK(phones[1]["sent"] == 1);
    REQUIRE(wait_until([&] { return world.stats()["sessions_posted"] == 2; }, 10s));
    const auto sessions = world.sandbox_get("/sandbox/tropo/sessions");
    REQUIRE(sessions);
    const json log = json::parse(sessions->body)["sessions"];
    REQUIRE(log.size() == 2);
    CHECK(log[0]["kind"] == "sms");
    CHECK(log[0]["status"] == 200);
}

TEST_CASE(
    "sandbox latency knob: Session API calls are held, counted on arrival, then carried out") {
    TropoWorld world;
    const auto set = world.sandbox_post("/sandbox/tropo/latency", {{"session_api_ms", 400}});
    REQUIRE(set);
    CHECK(set->status == 200);
    CHECK(json::parse(set->body)["session_api_ms"] == 400);
    for (const json& bad : {json{{"session_api_ms", -1}}, json{{"session_api_ms", 10001}},
                            json{{"session_api_ms", "400"}}, json::object()}) {
        CAPTURE(bad.dump());
        const auto refused = world.sandbox_post("/sandbox/tropo/latency", bad);
        REQUIRE(refused);
        CHECK(refused->status == 400);
    }

    httplib::Client client("127.0.0.1", world.sandbox_port);
    const std::string launch =
        "/1.0/sessions?token=" + demo().tropo_key + "&numberToDial=2088675309&msg=";
    const auto started = std::chrono::steady_clock::now();
    auto slow =
        std::async(std::launch::async, [&] { return client.Get((launch + "slow").c_str()); });
    // Counted while held, not yet launched: the state a client killed now would leave.
    REQUIRE(wait_until([&] { return world.stats()["session_api"]["calls"] == 1; }, 5s));
    CHECK(world.stats()["session_api"]["launched"] == 0);
    const auto answer = slow.get();
    REQUIRE(answer);
    CHECK(answer->status == 200);
    CHECK(std::chrono::steady_clock::now() - started >= 400ms);
    REQUIRE(wait_until([&] { return world.phone("+12088675309")["inbox"].size() == 1; }, 10s));

    REQUIRE(world.sandbox_get("/sandbox/tropo/latency"));
    CHECK(json::parse(world.sandbox_get("/sandbox/tropo/latency")->body)["session_api_ms"] == 400);
    httplib::Client admin("127.0.0.1", world.sandbox_port);
    REQUIRE(admin.Delete("/sandbox/tropo/latency"));
    CHECK(json::parse(world.sandbox_get("/sandbox/tropo/latency")->body)["session_api_ms"] == 0);
}

TEST_CASE("sandbox launch knobs: a launched session is held, or dropped, after its launch") {
    TropoWorld world;
    for (const json& bad : {json{{"launched_session_ms", -1}}, json{{"launched_session_ms", 10001}},
                            json{{"launched_session_ms", "600"}},
                            json{{"session_api_ms", 0}, {"launched_session_ms", true}}}) {
        CAPTURE(bad.dump());
        const auto refused = world.sandbox_post("/sandbox/tropo/latency", bad);
        REQUIRE(refused);
        CHECK(refused->status == 400);
    }
    for (const json& bad : {json{{"drop_launched", -1}}, json{{"drop_launched", "1"}}}) {
        CAPTURE(bad.dump());
        const auto refused = world.sandbox_post("/sandbox/tropo/faults", bad);
        REQUIRE(refused);
        CHECK(refused->status == 400);
    }

    const auto held = world.sandbox_post("/sandbox/tropo/latency", {{"launched_session_ms", 600}});
    REQUIRE(held);
    CHECK(held->status == 200);
    CHECK(json::parse(held->body)["launched_session_ms"] == 600);
    CHECK(json::parse(held->body)["session_api_ms"] == 0);
    const std::string launch =
        "/1.0/sessions?token=" + demo().tropo_key + "&numberToDial=2088675309&msg=";
    const auto launched = world.sandbox_get(launch + "held");
    REQUIRE(launched);
    REQUIRE(launched->status == 200);
    const auto answered_at = std::chrono::steady_clock::now();
    REQUIRE(wait_until([&] { return world.phone("+12088675309")["inbox"].size() == 1; }, 10s));
    // The launch was answered at once; its session reached the application only after the hold.
    CHECK(std::chrono::steady_clock::now() - answered_at >= 550ms);
    httplib::Client admin("127.0.0.1", world.sandbox_port);
    REQUIRE(admin.Delete("/sandbox/tropo/latency"));

    const auto drop = world.sandbox_post("/sandbox/tropo/faults", {{"drop_launched", 1}});
    REQUIRE(drop);
    CHECK(drop->status == 200);
    CHECK(json::parse(drop->body)["drop_launched"] == 1);
    CHECK(json::parse(drop->body)["remaining"] == 0);
    const auto dropped = world.sandbox_get(launch + "dropped");
    REQUIRE(dropped);
    CHECK(dropped->status == 200);
    CHECK(json::parse(dropped->body)["success"] == true);  // the launch itself is accepted
    REQUIRE(world.sandbox_get(launch + "posted"));
    // Sessions go out in order: once the second is on the phone, the first is not coming.
    REQUIRE(wait_until([&] { return world.phone("+12088675309")["inbox"].size() == 2; }, 10s));
    const json inbox = world.phone("+12088675309")["inbox"];
    CHECK(inbox[0]["text"] == "held");
    CHECK(inbox[1]["text"] == "posted");
    CHECK(world.stats()["session_api"]["launched"] == 3);
    CHECK(world.stats()["session_api"]["dropped"] == 1);
    const json log = json::parse(world.sandbox_get("/sandbox/tropo/sessions")->body)["sessions"];
    size_t marked = 0;
    for (const json& entry : log) marked += entry.contains("dropped") ? 1 : 0;
    CHECK(marked == 1);
    CHECK(json::parse(world.sandbox_get("/sandbox/tropo/faults")->body)["drop_launched"] == 0);
}
