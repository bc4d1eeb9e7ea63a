// The sandbox's Webex API as a client sees it, over real HTTP.
#include <doctest/doctest.h>

#include <set>
#include <thread>

#include "spark_fixture.h"

using namespace sb::testing;
using namespace std::chrono_literals;
using sb::testing::wait_until;

TEST_CASE("sandbox: unknown or missing tokens get 401 with Webex's error body") {
    SparkStack stack;
    stack.start_sandbox();
    for (const std::string token : {"", "wrong-token"}) {
        const HttpAnswer answer = stack.sandbox("GET", "/v1/rooms", nullptr, token);
        CHECK(answer.status == 401);
        REQUIRE(answer.body.is_object());
        CHECK(answer.body["message"].is_string());
        CHECK(answer.body["errors"][0]["description"].is_string());
        CHECK(answer.body["trackingId"].is_string());
        CHECK(answer.header("Trackingid") == answer.body["trackingId"]);
    }
    CHECK(stack.sandbox("GET", "/v1/people/me", nullptr, demo().spark_token).status == 200);
}

TEST_CASE("sandbox: create answers 200, bodies are checked, 7,439 bytes is the limit") {
    SparkStack stack;
    stack.start_sandbox();
    const HttpAnswer room =
        stack.sandbox("POST", "/v1/rooms", {{"title", "2088675309"}, {"teamId", demo().team_id}},
                      demo().spark_token);
    CHECK(room.status == 200);
    CHECK(room.body["teamId"] == demo().team_id);
    const std::string room_id = room.body["id"];
    CHECK(stack.sandbox("GET", "/v1/rooms/" + room_id, nullptr, demo().spark_token).body["title"] ==
          "2088675309");
    CHECK(stack
              .sandbox("PUT", "/v1/rooms/" + room_id, {{"title", "Tommy 2088675309"}},
                       demo().spark_token)
              .body["title"] == "Tommy 2088675309");

    const auto post = [&](const std::string& text) {
        return stack.sandbox("POST", "/v1/messages", {{"roomId", room_id}, {"text", text}},
                             demo().spark_token);
    };
    const HttpAnswer fits = post(std::string(7439, 'x'));
    CHECK(fits.status == 200);
    CHECK(fits.body["personEmail"] == "switchboard@sandbox.example");
    const HttpAnswer too_long = post(std::string(7440, 'x'));
    CHECK(too_long.status == 400);
    CHECK(too_long.body["trackingId"].is_string());

    // Hostile bodies: not JSON, not an object.
    httplib::Client client("127.0.0.1", stack.sandbox_port);
    const httplib::Headers auth = {{"Authorization", std::string("Bearer ") + demo().spark_token}};
    CHECK(client.Post("/v1/messages", auth, "{nope", "application/json")->status == 400);
    CHECK(client.Post("/v1/rooms", auth, "[1]", "application/json")->status == 400);

    // Messages list newest first.
    post("second");
    const HttpAnswer listed = stack.sandbox("GET", "/v1/messages?roomId=" + room_id + "&max=1",
                                            nullptr, demo().spark_token);
    REQUIRE(listed.body["items"].size() == 1);
    CHECK(listed.body["items"][0]["text"] == "second");
    CHECK_FALSE(listed.header("Link").empty());

    // Membership conflicts.
    const json add = {{"roomId", room_id}, {"personEmail", "alice@sandbox.example"}};
    CHECK(stack.sandbox("POST", "/v1/memberships", add, demo().spark_token).status == 200);
    CHECK(stack.sandbox("POST", "/v1/memberships", add, demo().spark_token).status == 409);
}

TEST_CASE("sandbox: room lists page with an absolute Link rel=next") {
    SparkStack stack;
    stack.start_sandbox();
    json titles = json::array();
    for (int i = 0; i < 45; ++i) titles.push_back("room " + std::to_string(i));
    REQUIRE(stack.sandbox("POST", "/sandbox/spark/rooms", {{"titles", titles}}).status == 200);

    std::string target = std::string("/v1/rooms?teamId=") + demo().team_id + "&max=20";
    std::set<std::string> ids;
    int pages = 0;
    while (!target.empty()) {
        const HttpAnswer page = stack.sandbox("GET", target, nullptr, demo().spark_token);
        REQUIRE(page.status == 200);
        ++pages;
        for (const auto& room : page.body["items"]) ids.insert(room["id"].get<std::string>());
        const std::string link = page.header("Link");
        target.clear();
        if (!link.empty()) {
            CHECK(link.find("rel=\"next\"") != std::string::npos);
            const std::string url = link.substr(link.find('<') + 1, link.find('>') - 1);
            const std::string origin = "http://127.0.0.1:" + std::to_string(stack.sandbox_port);
            REQUIRE(url.rfind(origin, 0) == 0);  // absolute, same origin
            target = url.substr(origin.size());
        }
    }
    CHECK(pages == 3);
    CHECK(ids.size() == 46);  // 45 + the general room
}

TEST_CASE("sandbox: deliveries are signed with the webhook's secret over the exact bytes") {
    SparkStack stack;
    stack.start_sandbox();
    httplib::Server receiver;
    std::mutex mutex;
    std::vector<std::pair<std::string, std::string>> received;  // body, signature
    receiver.Post("/hook", [&](const httplib::Request& request, httplib::Response& response) {
        std::lock_guard lock(mutex);
        received.emplace_back(request.body, request.get_header_value("X-Spark-Signature"));
        response.status = 200;
    });
    const int port = receiver.bind_to_any_port("127.0.0.1");
    std::thread serving([&] { receiver.listen_after_bind(); });
    REQUIRE(wait_until([&] { return receiver.is_running(); }, 5s));

    const std::string target = "http://127.0.0.1:" + std::to_string(port) + "/hook";
    REQUIRE(stack
                .sandbox("POST", "/v1/webhooks",
                         {{"name", "t"},
                          {"targetUrl", target},
                          {"resource", "messages"},
                          {"event", "created"},
                          {"secret", "Jefe"}},
                         demo().spark_token)
                .status == 200);
    const std::string room = stack.general_room();
    const HttpAnswer posted = stack.sandbox("POST", "/sandbox/spark/rooms/" + room + "/messages",
                                            {{"as", "alice@sandbox.example"}, {"text", "hi"}});
    REQUIRE(posted.status == 200);
    // The proxy's own message is delivered too.
    stack.sandbox("POST", "/v1/messages", {{"roomId", room}, {"text", "from the bridge"}},
                  demo().spark_token);
    REQUIRE(wait_until(
        [&] {
            std::lock_guard lock(mutex);
            return received.size() >= 2;
        },
        10s));
    receiver.stop();
    serving.join();

    std::lock_guard lock(mutex);
    for (const auto& [body, signature] : received) {
        CHECK(signature == hmac_sha1_hex("Jefe", body));
        const json envelope = json::parse(body);
        CHECK(envelope["resource"] == "messages");
        CHECK(envelope["event"] == "created");
        CHECK_FALSE(envelope["data"].contains("text"));
    }
    const json first = json::parse(received[0].first);
    CHECK(first["data"]["id"] == posted.body["id"]);  // in order
    CHECK(json::parse(received[1].first)["data"]["personEmail"] == "switchboard@sandbox.example");
}

TEST_CASE("sandbox: a webhook whose target keeps failing turns inactive") {
    SparkStack stack;
    stack.start_sandbox({{"SANDBOX_SPARK_WEBHOOK_FAILURE_LIMIT", "3"}});
    const std::string dead = "http://127.0.0.1:" + std::to_string(sb::testing::free_port()) + "/x";
    const HttpAnswer hook = stack.sandbox(
        "POST", "/v1/webhooks",
        {{"name", "t"}, {"targetUrl", dead}, {"resource", "messages"}, {"event", "created"}},
        demo().spark_token);
    REQUIRE(hook.status == 200);
    const std::string room = stack.general_room();
    for (int i = 0; i < 3; ++i) {
        stack.sandbox("POST", "/v1/messages", {{"roomId", room}, {"text", "m"}},
                      demo().spark_token);
    }
    const std::string path = "/v1/webhooks/" + hook.body["id"].get<std::string>();
    CHECK(wait_until(
        [&] {
            return stack.sandbox("GET", path, nullptr, demo().spark_token).body["status"] ==
                   "inactive";
        },
        15s));
    CHECK(stack
              .sandbox("PUT", path, {{"name", "t"}, {"targetUrl", dead}, {"status", "active"}},
                       demo().spark_token)
              .body["status"] == "active");
    CHECK(stack.sandbox("DELETE", path, nullptr, demo().spark_token).status == 204);
    CHECK(stack.sandbox("GET", path, nullptr, demo().spark_token).status == 404);
}

TEST_CASE("sandbox: the faults knob answers 429 with Retry-After, then 5xx, then recovers") {
    SparkStack stack;
    stack.start_sandbox();
    CHECK(
        stack
            .sandbox(
                "POST", "/sandbox/spark/faults",
                {{"status", 429}, {"retry_after", 2}, {"count", 1}, {"path_prefix", "/v1/people"}})
            .status == 200);
    CHECK(stack
              .sandbox("POST", "/sandbox/spark/faults",
                       {{"status", 503}, {"count", 1}, {"path_prefix", "/v1/people"}})
              .status == 200);
    const HttpAnswer busy = stack.sandbox("GET", "/v1/people/me", nullptr, demo().spark_token);
    CHECK(busy.status == 429);
    CHECK(busy.header("Retry-After") == "2");
    CHECK(stack.sandbox("GET", "/v1/rooms", nullptr, demo().spark_token).status ==
          200);  // other path
    CHECK(stack.sandbox("GET", "/v1/people/me", nullptr, demo().spark_token).status == 503);
    CHECK(stack.sandbox("GET", "/v1/people/me", nullptr, demo().spark_token).status == 200);
    // Hostile knob input.
    CHECK(stack.sandbox("POST", "/sandbox/spark/faults", {{"status", 200}}).status == 400);
    CHECK(stack.sandbox("POST", "/sandbox/spark/faults", {{"status", "x"}}).status == 400);
    CHECK(stack.sandbox("POST", "/sandbox/spark/faults", {{"path_prefix", "/etc"}}).status == 400);
    const HttpAnswer stats = stack.sandbox("GET", "/sandbox/spark/stats");
    CHECK(stats.body["calls"]["GET people/me"] == 3);
    CHECK(stats.body["faults_served"] == 2);
}

TEST_CASE("sandbox: admin API posts as an agent, renames, reads history, sets presence") {
    SparkStack stack;
    stack.start_sandbox();
    const std::string room = stack.new_room("2088675309");
    CHECK(stack.sandbox("PUT", "/sandbox/spark/rooms/" + room, {{"title", "Tommy 2088675309"}})
              .body["title"] == "Tommy 2088675309");
    CHECK(stack
              .sandbox("POST", "/sandbox/spark/rooms/" + room + "/messages",
                       {{"as", "bob@sandbox.example"},
                        {"text", "psst"},
                        {"mentions", {"alice@sandbox.example"}}})
              .body["mentionedPeople"]
              .size() == 1);
    const HttpAnswer history = stack.sandbox("GET", "/sandbox/spark/rooms/" + room + "/messages");
    REQUIRE(history.body["items"].size() == 1);
    CHECK(history.body["items"][0]["authorName"] == "Bob Baker");
    CHECK(history.body["room"]["title"] == "Tommy 2088675309");
    const HttpAnswer people = stack.sandbox("GET", "/sandbox/spark/people");
    int inactive = 0;
    for (const auto& person : people.body["items"]) inactive += person["status"] == "inactive";
    CHECK(people.body["items"].size() >= 5);  // the proxy and a handful of agents
    CHECK(inactive >= 1);
    CHECK(stack
              .sandbox("POST", "/sandbox/spark/people/carol@sandbox.example/status",
                       {{"status", "active"}})
              .body["status"] == "active");
    CHECK(stack
              .sandbox("POST", "/sandbox/spark/people/carol@sandbox.example/status",
                       {{"status", "<script>"}})
              .status == 400);
    CHECK(stack
              .sandbox("POST", "/sandbox/spark/rooms/" + room + "/messages",
                       {{"as", "nobody@x"}, {"text", "x"}})
              .status == 404);
}
