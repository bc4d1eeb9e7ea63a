// The Webex sandbox's DELETE /v1/messages/{id} without sockets (undo send): the author or a
// moderator of the room may delete, the message is gone from every read, and messages/deleted
// reaches the webhooks listening for it, with the ids Webex sends.
#include <doctest/doctest.h>

#include "spark/spark_state.h"
#include "spark/webex_ids.h"

using namespace sb::sandbox::spark;

namespace {

struct World {
    SparkState state{[] {
        Seed s;
        s.proxy_token = "tok";
        s.proxy_email = "proxy@sandbox.example";
        s.team_id = webex_id("TEAM", "t");
        return s;
    }()};
    std::vector<Delivery> deliveries;
    std::string room;

    World() {
        state.set_delivery_sink([this](Delivery d) { deliveries.push_back(std::move(d)); });
        for (const char* event : {"created", "deleted"}) {
            REQUIRE(state
                        .create_webhook(state.proxy_id(), {{"name", std::string("on ") + event},
                                                           {"targetUrl", "http://127.0.0.1:1/h"},
                                                           {"resource", "messages"},
                                                           {"event", event},
                                                           {"secret", "k"}})
                        .status == 200);
        }
        room = state.admin_create_rooms({{"title", "2088675309"}}).body["items"][0]["id"];
    }
    std::string post(const std::string& as, const std::string& text) {
        const Reply posted = state.admin_post(room, {{"as", as}, {"text", text}});
        REQUIRE(posted.status == 200);
        return posted.body["id"];
    }
    std::string id_of(const std::string& email) {
        const Reply people = state.list_people(state.proxy_id(), {{"email", email}});
        return people.body["items"][0]["id"];
    }
    std::vector<json> bodies(const std::string& event) const {
        std::vector<json> found;
        for (const Delivery& delivery : deliveries) {
            json body = json::parse(delivery.body);
            if (body["event"] == event) found.push_back(std::move(body));
        }
        return found;
    }
};

}  // namespace

TEST_CASE("sandbox: DELETE /messages/{id} by its author: 204, gone, messages/deleted with ids") {
    World world;
    const std::string id = world.post("alice@sandbox.example", "oops, not for the customer");
    const std::string alice = world.id_of("alice@sandbox.example");
    const Reply deleted = world.state.delete_message(alice, id);
    CHECK(deleted.status == 204);
    CHECK(world.state.get_message(world.state.proxy_id(), id).status == 404);
    CHECK(world.state.list_messages(world.state.proxy_id(), {{"roomId", world.room}})
              .body["items"]
              .empty());
    CHECK(world.state.admin_history(world.room).body["items"].empty());
    CHECK(world.state.delete_message(alice, id).status == 404);  // once

    const auto created = world.bodies("created");
    const auto gone = world.bodies("deleted");
    REQUIRE(created.size() == 1);
    REQUIRE(gone.size() == 1);
    CHECK(gone[0]["resource"] == "messages");
    CHECK(gone[0]["actorId"] == alice);
    CHECK(gone[0]["data"]["id"] == id);
    CHECK(gone[0]["data"]["roomId"] == world.room);
    CHECK(gone[0]["data"]["personId"] == alice);
    CHECK(gone[0]["data"]["personEmail"] == "alice@sandbox.example");
    CHECK(gone[0]["data"]["roomType"] == "group");
    CHECK(gone[0]["data"]["created"] == created[0]["data"]["created"]);
    CHECK_FALSE(gone[0]["data"].contains("text"));
    CHECK_FALSE(gone[0].contains("secret"));
    CHECK(world.deliveries.back().secret == "k");
}

TEST_CASE("sandbox: only the author or a moderator deletes, others 403, outsiders 404") {
    World world;
    const std::string id = world.post("alice@sandbox.example", "mine");
    world.post("bob@sandbox.example", "bob joins the room");
    const std::string bob = world.id_of("bob@sandbox.example");
    const std::string carol = world.id_of("carol@sandbox.example");
    CHECK(world.state.delete_message(bob, id).status == 403);    // a member, not a moderator
    CHECK(world.state.delete_message(carol, id).status == 404);  // not in the room
    CHECK(world.state.delete_message(bob, "no-such-id").status == 404);
    CHECK(world.bodies("deleted").empty());
    CHECK(world.state.get_message(world.state.proxy_id(), id).status == 200);
    // The proxy made the team's room, so it moderates it (as in Webex).
    CHECK(world.state.delete_message(world.state.proxy_id(), id).status == 204);
    REQUIRE(world.bodies("deleted").size() == 1);
    CHECK(world.bodies("deleted")[0]["actorId"] == world.state.proxy_id());
}

TEST_CASE("sandbox: the admin route deletes as the author unless told who") {
    World world;
    const std::string id = world.post("alice@sandbox.example", "undo me");
    CHECK(world.state.admin_delete_message(id, "bob@sandbox.example").status == 404);  // not in it
    world.post("bob@sandbox.example", "bob joins the room");
    CHECK(world.state.admin_delete_message(id, "bob@sandbox.example").status == 403);
    CHECK(world.state.admin_delete_message(id, "nobody@example.com").status == 404);
    CHECK(world.state.admin_delete_message(id, "").status == 204);
    CHECK(world.state.admin_delete_message(id, "").status == 404);
    CHECK(world.bodies("deleted").size() == 1);
}

TEST_CASE("sandbox: a created-only webhook hears nothing of deletions, an inactive one neither") {
    World world;
    const std::string deleted_hook =
        world.state.list_webhooks(world.state.proxy_id(), {}).body["items"][1]["id"];
    REQUIRE(world.state
                .update_webhook(world.state.proxy_id(), deleted_hook,
                                {{"name", "on deleted"},
                                 {"targetUrl", "http://127.0.0.1:1/h"},
                                 {"status", "inactive"}})
                .status == 200);
    const std::string id = world.post("alice@sandbox.example", "x");
    CHECK(world.state.admin_delete_message(id, "").status == 204);
    CHECK(world.bodies("deleted").empty());
    CHECK(world.bodies("created").size() == 1);
}
