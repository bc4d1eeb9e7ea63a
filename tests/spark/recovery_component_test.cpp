// spark-gateway recovering from what Webex and crashes do to it, as real processes: a webhook
// deleted or deactivated while the gateway runs, and a kill -9 while posts are in flight.
#include <doctest/doctest.h>

#include <chrono>
#include <future>

#include "spark_fixture.h"

using namespace sb::testing;
using namespace std::chrono_literals;
using sb::testing::wait_until;

namespace {

constexpr const char* kAlice = "alice@sandbox.example";

std::string post_as_agent(SparkStack& stack, const std::string& room, const std::string& text) {
    return stack.post_in_room(room, {{"as", kAlice}, {"text", text}});
}

int copies_of(SparkStack& stack, const std::string& message_id) {
    int copies = 0;
    for (const auto& message : stack.agent_messages()) copies += message.message_id == message_id;
    return copies;
}

bool one_active_webhook(SparkStack& stack) {
    const json hooks = stack.our_webhooks();
    return hooks.size() == 1 && hooks[0]["status"] == "active";
}

// The room's messages as agents read them, oldest first.
std::vector<std::string> room_texts(SparkStack& stack, const std::string& room) {
    std::vector<std::string> texts;
    const HttpAnswer history = stack.sandbox("GET", "/sandbox/spark/rooms/" + room + "/messages");
    for (const auto& message : history.body["items"]) {
        texts.push_back(visible(message["text"].get<std::string>()));
    }
    return texts;
}

int count_equal(const std::vector<std::string>& texts, const std::string& text) {
    int count = 0;
    for (const std::string& each : texts) count += each == text;
    return count;
}

}  // namespace

TEST_CASE("spark-gateway: a webhook deleted while running is re-created and the gap caught up") {
    SparkStack stack;
    stack.start_all({{"SPARK_WEBHOOK_CHECK_SECONDS", "4"}});
    const std::string room = stack.new_room("2085550181");
    const std::string before = post_as_agent(stack, room, "before the delete");
    REQUIRE(stack.wait_for_agent_message(before));

    const json hooks = stack.our_webhooks();
    REQUIRE(hooks.size() == 1);
    REQUIRE(stack
                .sandbox("DELETE", "/v1/webhooks/" + hooks[0]["id"].get<std::string>(), nullptr,
                         demo().spark_token)
                .status == 204);
    const std::string missed = post_as_agent(stack, room, "while the webhook was gone");
    // Posted while no webhook existed: Webex will never deliver it.
    REQUIRE(stack.our_webhooks().empty());

    CHECK(wait_until([&] { return one_active_webhook(stack); }, 20s));
    sb::AgentMessage message;
    REQUIRE(stack.wait_for_agent_message(missed, &message));
    CHECK(message.text == "while the webhook was gone");
    CHECK(message.room_id == room);
    // And afterwards the new webhook delivers as before; nothing twice.
    const std::string after = post_as_agent(stack, room, "after the revival");
    REQUIRE(stack.wait_for_agent_message(after));
    CHECK(copies_of(stack, before) == 1);
    CHECK(copies_of(stack, missed) == 1);
    CHECK(copies_of(stack, after) == 1);
    CHECK(stack.gateway_metrics().find("switchboard_spark_caught_up_messages_total 1") !=
          std::string::npos);
}

TEST_CASE(
    "spark-gateway: a webhook set inactive while running is reactivated and the gap caught "
    "up") {
    SparkStack stack;
    stack.start_all({{"SPARK_WEBHOOK_CHECK_SECONDS", "4"}});
    const std::string room = stack.new_room("2085550182");
    const json hook = stack.our_webhooks()[0];
    const std::string path = "/v1/webhooks/" + hook["id"].get<std::string>();
    REQUIRE(
        stack
            .sandbox(
                "PUT", path,
                {{"name", hook["name"]}, {"targetUrl", hook["targetUrl"]}, {"status", "inactive"}},
                demo().spark_token)
            .body["status"] == "inactive");
    const std::string missed = post_as_agent(stack, room, "while the webhook slept");
    REQUIRE(stack.sandbox("GET", path, nullptr, demo().spark_token).body["status"] == "inactive");

    CHECK(wait_until(
        [&] {
            return stack.sandbox("GET", path, nullptr, demo().spark_token).body["status"] ==
                   "active";
        },
        20s));
    sb::AgentMessage message;
    REQUIRE(stack.wait_for_agent_message(missed, &message));
    CHECK(message.text == "while the webhook slept");
    CHECK(copies_of(stack, missed) == 1);
    CHECK(stack.our_webhooks().size() == 1);  // the same one, revived: not a second
}

TEST_CASE("spark-gateway: the webhook check costs one GET /webhooks per interval") {
    SparkStack stack;
    stack.start_all({{"SPARK_WEBHOOK_CHECK_SECONDS", "2"}});
    // Two checks in a row, timed by when the sandbox saw them.
    const long long first = stack.provider_calls("GET webhooks");
    REQUIRE(wait_until([&] { return stack.provider_calls("GET webhooks") >= first + 1; }, 10s));
    const auto one = std::chrono::steady_clock::now();
    const long long counted = stack.provider_calls("GET webhooks");
    REQUIRE(wait_until([&] { return stack.provider_calls("GET webhooks") >= counted + 1; }, 10s));
    const auto two = std::chrono::steady_clock::now();
    CHECK(stack.provider_calls("GET webhooks") == counted + 1);  // one call per check
    CHECK(two - one >= 1500ms);
    CHECK(two - one <= 5s);
}

TEST_CASE("spark-gateway: a kill -9 while commands are in flight posts nothing twice") {
    SparkStack stack;
    // Enough workers for every command below to be in flight at once.
    stack.start_all({{"SPARK_GATEWAY_WORKERS", "8"}});
    std::vector<std::string> rooms;
    rooms.reserve(4);
    for (int i = 0; i < 4; ++i) rooms.push_back(stack.new_room("208555019" + std::to_string(i)));
    // Webex carries every call out at once but answers only after a long while: each command's
    // effect is there, its answer is not, when the gateway dies.
    for (const char* prefix : {"/v1/messages", "/v1/rooms", "/v1/memberships"}) {
        REQUIRE(stack
                    .sandbox("POST", "/sandbox/spark/latency",
                             {{"ms", 20000}, {"path_prefix", prefix}, {"method", "POST"}})
                    .status == 200);
    }
    std::vector<sb::Envelope> posts;
    for (int i = 0; i < 4; ++i) {
        // The same text twice in the first room: only the marker tells the two posts apart.
        const std::string text = i == 1 ? "same words" : "in flight " + std::to_string(i);
        posts.push_back(stack.send_command(sb::event_type::post_message, rooms[i],
                                           {{"room_id", rooms[i]}, {"text", text}}));
    }
    const std::string number = "+12085550198";
    const auto create = stack.send_command(sb::event_type::create_room, number,
                                           {{"customer", number}, {"title", "2085550198"}});
    const auto add = stack.send_command(sb::event_type::add_member, rooms[3],
                                        {{"room_id", rooms[3]}, {"person_email", kAlice}});
    // Queued behind the first post on its room's key: not started when the gateway dies.
    const auto queued = stack.send_command(sb::event_type::post_message, rooms[1],
                                           {{"room_id", rooms[1]}, {"text", "same words"}});
    REQUIRE(wait_until(
        [&] {
            for (int i = 0; i < 4; ++i) {
                if (room_texts(stack, rooms[i]).size() != 1) return false;
            }
            const json all = stack.sandbox("GET", "/sandbox/spark/rooms").body["items"];
            bool created = false;
            for (const auto& room : all) created = created || room["title"] == "2085550198";
            return created;
        },
        15s));
    stack.gateway->kill9();
    REQUIRE(stack.gateway->wait_exit(5s));
    for (const auto& post : posts) CHECK(stack.results_for(post.id).empty());  // none answered
    REQUIRE(stack.sandbox("DELETE", "/sandbox/spark/latency").status == 204);

    stack.start_gateway();
    std::vector<sb::Envelope> all = posts;
    all.push_back(create);
    all.push_back(add);
    all.push_back(queued);
    REQUIRE(stack.wait_for_results(all, 60s));
    for (int i = 0; i < 4; ++i) {
        CAPTURE(i);
        const auto results = stack.results_for(posts[i].id);
        REQUIRE(results.size() == 1);
        REQUIRE(results[0].type == sb::event_type::message_posted);
        const auto texts = room_texts(stack, rooms[i]);
        if (i == 1) {
            // The post cut off by the kill once, and the queued one (the same words) once more.
            CHECK(texts == std::vector<std::string>{"same words", "same words"});
        } else {
            CHECK(texts == std::vector<std::string>{"in flight " + std::to_string(i)});
        }
        // The result names the post that was made before the kill.
        const json first =
            stack.sandbox("GET", "/sandbox/spark/rooms/" + rooms[i] + "/messages").body["items"][0];
        CHECK(results[0].payload_as<sb::MessagePosted>().message_id == first["id"]);
    }
    const auto created = stack.results_for(create.id);
    REQUIRE(created.size() == 1);
    CHECK(created[0].type == sb::event_type::room_created);
    int titled = 0;
    std::string room_id;
    const HttpAnswer listed = stack.sandbox("GET", "/sandbox/spark/rooms");
    for (const auto& room : listed.body["items"]) {
        if (room["title"] == "2085550198") {
            ++titled;
            room_id = room["id"];
        }
    }
    CHECK(titled == 1);  // never a second room for the customer
    CHECK(created[0].payload_as<sb::RoomCreated>().room_id == room_id);
    CHECK(stack.results_for(add.id)[0].type == sb::event_type::member_added);
    const std::string metrics = stack.gateway_metrics();
    CHECK(metrics.find("spark_commands_found_done_total{type=\"PostMessage\"} 4") !=
          std::string::npos);
    CHECK(metrics.find("spark_commands_found_done_total{type=\"CreateRoom\"} 1") !=
          std::string::npos);
    CHECK(count_equal(room_texts(stack, rooms[1]), "same words") == 2);
}

TEST_CASE("sandbox: the latency knob holds the answer, not the effect, until cleared") {
    SparkStack stack;
    stack.start_sandbox();
    const std::string room = stack.new_room("2085550197");
    CHECK(stack.sandbox("POST", "/sandbox/spark/latency", {{"ms", 0}}).status == 400);
    CHECK(stack.sandbox("POST", "/sandbox/spark/latency", {{"ms", 1000}, {"path_prefix", "/x"}})
              .status == 400);
    REQUIRE(stack
                .sandbox("POST", "/sandbox/spark/latency",
                         {{"ms", 3000}, {"path_prefix", "/v1/messages"}, {"method", "POST"}})
                .status == 200);
    CHECK(stack.sandbox("GET", "/sandbox/spark/latency").body["items"].size() == 1);
    const auto started = std::chrono::steady_clock::now();
    auto answer = std::async(std::launch::async, [&] {
        return stack.sandbox("POST", "/v1/messages", {{"roomId", room}, {"text", "slow"}},
                             demo().spark_token);
    });
    // The message is in the room while its answer is still held back.
    REQUIRE(wait_until([&] { return room_texts(stack, room).size() == 1; }, 2s));
    CHECK(answer.wait_for(0s) == std::future_status::timeout);
    CHECK(stack.sandbox("GET", "/v1/rooms/" + room, nullptr, demo().spark_token).status ==
          200);  // not slowed
    CHECK(answer.get().status == 200);
    CHECK(std::chrono::steady_clock::now() - started >= 2900ms);
    REQUIRE(stack.sandbox("DELETE", "/sandbox/spark/latency").status == 204);
    const auto again = std::chrono::steady_clock::now();
    CHECK(stack
              .sandbox("POST", "/v1/messages", {{"roomId", room}, {"text", "fast"}},
                       demo().spark_token)
              .status == 200);
    CHECK(std::chrono::steady_clock::now() - again < 2s);
}
