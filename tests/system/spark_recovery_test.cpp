// The whole system when Webex loses spark-gateway's webhook while it runs, and when
// spark-gateway is killed (kill -9) with posts in flight: the customer still gets every reply,
// the room shows every message once.
#include <doctest/doctest.h>

#include "steps.h"

using namespace sb::testing;

namespace {

// Fast webhook checks, so a test waits seconds, not the default half minute.
const std::map<std::string, std::string> kFastChecks = {{"SPARK_WEBHOOK_CHECK_SECONDS", "3"}};

json our_webhook(const System& system) {
    const auto answer = system.get("sandbox", "/sandbox/spark/state");
    REQUIRE(answer);
    const json state = json::parse(answer->body);
    const std::string target =
        "http://127.0.0.1:" + std::to_string(system.port("spark-gateway")) + "/api/spark-webhook/";
    json ours = json::array();
    for (const json& hook : state["webhooks"]) {
        // Ours for messages/created (messages/deleted, for undo send, has its own).
        if (text_of(hook, "targetUrl") == target && text_of(hook, "event") == "created") {
            ours.push_back(hook);
        }
    }
    return ours;
}

// Webex as the token's owner sees it: the sandbox's own /v1 API.
httplib::Result webex(const System& system, const std::string& method, const std::string& path,
                      const json& body = nullptr) {
    httplib::Client client("127.0.0.1", system.port("sandbox"));
    client.set_read_timeout(10, 0);
    const httplib::Headers headers = {{"Authorization", "Bearer " + demo().spark_token}};
    if (method == "DELETE") return client.Delete(path.c_str(), headers);
    return client.Put(path.c_str(), headers, body.dump(), "application/json");
}

void reply_reaches_customer_after(const std::string& what, const std::string& number,
                                  const std::string& title) {
    System system(System::all_services(), kFastChecks);
    const SandboxClient sandbox = system.sandbox();
    const std::string room = established(system, number, title, "hello before " + what);
    const json hooks = our_webhook(system);
    REQUIRE(hooks.size() == 1);
    const std::string path = "/v1/webhooks/" + text_of(hooks[0], "id");
    if (what == "delete") {
        const auto deleted = webex(system, "DELETE", path);
        REQUIRE(deleted);
        REQUIRE(deleted->status == 204);
    } else {
        const auto updated = webex(system, "PUT", path,
                                   {{"name", hooks[0]["name"]},
                                    {"targetUrl", hooks[0]["targetUrl"]},
                                    {"status", "inactive"}});
        REQUIRE(updated);
        REQUIRE(updated->status == 200);
    }
    sandbox.post(room, kAlice, {{"text", "reply while the webhook was dead"}});
    // It was written while Webex had no live webhook to tell spark-gateway about it.
    const json now = our_webhook(system);
    REQUIRE((now.empty() || text_of(now[0], "status") == "inactive"));

    require_eventually(
        system,
        [&] {
            const json revived = our_webhook(system);
            return revived.size() == 1 && text_of(revived[0], "status") == "active";
        },
        "the webhook is live again", 60s);
    const auto inbox = wait_for_inbox(system, number, 2);
    CHECK(inbox.back() == "reply while the webhook was dead");
    // And later replies flow through the revived webhook, nothing twice.
    sandbox.post(room, kAlice, {{"text", "and a later reply"}});
    const auto later = wait_for_inbox(system, number, 3);
    CHECK(later.size() == 3);
    CHECK(count_containing(later, "reply while the webhook was dead") == 1);
    CHECK(later.back() == "and a later reply");
}

}  // namespace

TEST_CASE(
    "webhook: deleted in Webex while running, it is re-created and the reply still goes out") {
    reply_reaches_customer_after("delete", "+12085550121", "2085550121");
}

TEST_CASE(
    "webhook: set inactive in Webex while running, it is revived and the reply still goes "
    "out") {
    reply_reaches_customer_after("deactivate", "+12085550122", "2085550122");
}

TEST_CASE("restart: spark-gateway killed by kill -9 with posts in flight posts each message once") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    std::vector<std::string> numbers;
    std::vector<std::string> rooms;
    for (int i = 0; i < 4; ++i) {
        numbers.push_back("+1208555013" + std::to_string(i));
        const std::string title = numbers.back().substr(2);
        rooms.push_back(established(system, numbers.back(), title, "first from " + title));
    }
    // Webex posts at once but answers only 20 s later: each post is in the room, and its answer
    // still on the way, when spark-gateway dies (one post per worker).
    const auto slow =
        system.post_json("sandbox", "/sandbox/spark/latency",
                         {{"ms", 20000}, {"path_prefix", "/v1/messages"}, {"method", "POST"}});
    REQUIRE(slow);
    REQUIRE(slow->status == 200);
    for (int i = 0; i < 4; ++i) sandbox.text(numbers[i], "in flight " + std::to_string(i));
    for (int i = 0; i < 4; ++i) wait_for_posts(system, rooms[i], "in flight " + std::to_string(i));
    system.kill9("spark-gateway");
    httplib::Client client("127.0.0.1", system.port("sandbox"));
    const auto cleared = client.Delete("/sandbox/spark/latency");
    REQUIRE(cleared);
    REQUIRE(cleared->status == 204);
    system.start("spark-gateway");

    // One more round trip per customer: anything repeated after the restart is there by then.
    for (int i = 0; i < 4; ++i) sandbox.text(numbers[i], "after the restart " + std::to_string(i));
    for (int i = 0; i < 4; ++i) {
        wait_for_posts(system, rooms[i], "after the restart " + std::to_string(i));
    }
    for (int i = 0; i < 4; ++i) {
        CAPTURE(i);
        const auto posts = sandbox.bridge_posts(rooms[i]);
        CHECK(count_containing(posts, "first from") == 1);
        CHECK(count_containing(posts, "in flight " + std::to_string(i)) == 1);
        CHECK(count_containing(posts, "after the restart " + std::to_string(i)) == 1);
        CHECK(posts.size() == 3);
        CHECK(sandbox.rooms_titled(numbers[i].substr(2)).size() == 1);
    }
}
