// Undo send, spark-gateway's half, against the real sandbox and bus: Webex's messages/deleted
// webhook is registered beside messages/created, verified the same way, journaled before its 2xx
// and published as AgentMessageDeleted on agent.message under the AgentMessage's key, after it.
#include <doctest/doctest.h>

#include "spark_fixture.h"

using namespace sb::testing;
using namespace std::chrono_literals;
using sb::testing::wait_until;

namespace {

std::vector<sb::Envelope> deletions(SparkStack& stack) {
    std::vector<sb::Envelope> found;
    for (const sb::Envelope& event : stack.agent_events()) {
        if (event.type == sb::event_type::agent_message_deleted) found.push_back(event);
    }
    return found;
}

bool wait_for_deletion(SparkStack& stack, const std::string& message_id) {
    return wait_until(
        [&] {
            for (const sb::Envelope& event : deletions(stack)) {
                if (event.payload_as<sb::AgentMessageDeleted>().message_id == message_id) {
                    return true;
                }
            }
            return false;
        },
        20s);
}

std::string deleted_delivery(const std::string& id, const std::string& room) {
    return json{{"resource", "messages"},
                {"event", "deleted"},
                {"data", {{"id", id}, {"roomId", room}, {"personEmail", "alice@sandbox.example"}}}}
        .dump();
}

}  // namespace

TEST_CASE("spark-gateway: a message deleted in Webex becomes AgentMessageDeleted, after it") {
    SparkStack stack;
    stack.start_all();
    const json hooks = stack.our_webhooks("deleted");
    REQUIRE(hooks.size() == 1);
    CHECK(hooks[0]["resource"] == "messages");
    CHECK(hooks[0]["status"] == "active");
    CHECK(hooks[0]["targetUrl"] == stack.our_webhooks("created")[0]["targetUrl"]);

    const std::string room = stack.new_room("2085550141");
    const std::string id =
        stack.post_in_room(room, {{"as", "alice@sandbox.example"}, {"text", "meant as a whisper"}});
    REQUIRE(stack.sandbox("DELETE", "/sandbox/spark/messages/" + id).status == 204);
    REQUIRE(wait_for_deletion(stack, id));

    const auto events = stack.agent_events();
    size_t message_at = events.size();
    size_t deletion_at = events.size();
    for (size_t i = 0; i < events.size(); ++i) {
        if (events[i].type == sb::event_type::agent_message &&
            events[i].payload_as<sb::AgentMessage>().message_id == id) {
            message_at = i;
        }
        if (events[i].type == sb::event_type::agent_message_deleted) deletion_at = i;
    }
    // Deleted so soon the gateway may find it gone when it fetches it: then only the deletion.
    if (message_at < events.size()) {
        CHECK(message_at < deletion_at);
        CHECK(events[message_at].key == events[deletion_at].key);
    }
    const auto deleted = events[deletion_at].payload_as<sb::AgentMessageDeleted>();
    CHECK(deleted.message_id == id);
    CHECK(deleted.room_id == room);
    // AgentMessage's key, the customer's number from the room's title (its router partition),
    // not the room id, also when the message itself was gone before it could be fetched.
    CHECK(sb::is_e164(events[deletion_at].key));
    CHECK(deletions(stack).size() == 1);
    CHECK(stack.gateway_metrics().find(
              "spark_webhooks_total{reason=\"deleted\",result=\"accepted\"} 1") !=
          std::string::npos);
}

TEST_CASE("spark-gateway: the deleted webhook follows the created one's signature rules") {
    SparkStack stack;
    stack.start_all();
    const std::string room = stack.new_room("2085550142");
    const std::string real =
        stack.post_in_room(room, {{"as", "bob@sandbox.example"}, {"text", "stays"}});
    REQUIRE(stack.wait_for_agent_message(real));

    const std::string secret = demo().webhook_secret;
    const std::string body = deleted_delivery(real, room);
    CHECK(stack.gateway_post(body, "").status == 401);
    CHECK(stack.gateway_post(body, hmac_sha1_hex("not-the-secret", body)).status == 403);
    CHECK(stack.gateway_post(body + " ", hmac_sha1_hex(secret, body)).status == 403);
    // Signed but not a deletion Webex would send: a clear 400, nothing published.
    for (const json& data : {json{{"roomId", room}}, json{{"id", real}},
                             json{{"id", "../../etc/passwd"}, {"roomId", room}},
                             json{{"id", std::string(600, 'A')}, {"roomId", room}}}) {
        const std::string bad =
            json{{"resource", "messages"}, {"event", "deleted"}, {"data", data}}.dump();
        const HttpAnswer answer = stack.gateway_post(bad, hmac_sha1_hex(secret, bad));
        CHECK(answer.status == 400);
        CHECK(answer.body["error"].is_string());
    }
    const std::string not_data = R"({"resource":"messages","event":"deleted","data":7})";
    CHECK(stack.gateway_post(not_data, hmac_sha1_hex(secret, not_data)).status == 400);
    // Another resource's deletion is not ours: 200 and ignored.
    const std::string room_gone =
        json{{"resource", "rooms"}, {"event", "deleted"}, {"data", {{"id", room}}}}.dump();
    CHECK(stack.gateway_post(room_gone, hmac_sha1_hex(secret, room_gone)).status == 200);

    // A later real deletion goes through; none of the refused ones ever did.
    const std::string later =
        stack.post_in_room(room, {{"as", "bob@sandbox.example"}, {"text", "oops"}});
    REQUIRE(stack.wait_for_agent_message(later));
    REQUIRE(stack.sandbox("DELETE", "/sandbox/spark/messages/" + later).status == 204);
    REQUIRE(wait_for_deletion(stack, later));
    CHECK(deletions(stack).size() == 1);
    CHECK(sb::testing::http_status(stack.gateway_port, "/healthz") == 200);
}

TEST_CASE("spark-gateway: a deletion answered 2xx survives a SIGKILL before it was published") {
    SparkStack stack;
    stack.start_all();
    const std::string room = stack.new_room("2085550143");
    const std::string id =
        stack.post_in_room(room, {{"as", "alice@sandbox.example"}, {"text", "undo me"}});
    REQUIRE(stack.wait_for_agent_message(id));
    REQUIRE(stack.kill9("bus"));  // nothing can be published: the deletion reaches the journal
    const std::string body = deleted_delivery(id, room);
    REQUIRE(stack.gateway_post(body, hmac_sha1_hex(demo().webhook_secret, body)).status == 200);
    stack.gateway->kill9();
    REQUIRE(stack.gateway->wait_exit(5s));
    CHECK(deletions(stack).empty());

    stack.start_bus();
    stack.start_gateway();
    REQUIRE(wait_for_deletion(stack, id));
    CHECK(deletions(stack).size() == 1);
}
