// The sandbox's Webex files and threads without sockets (message_files.h, spark_state.h): one
// file URL per message, stored and shown as /v1/contents/{id}, fetched back by members only,
// 423 while "scanning"; parentId one level deep, in the same room; both travel in webhooks.
#include <doctest/doctest.h>

#include "spark/message_files.h"
#include "spark/spark_state.h"
#include "spark/webex_ids.h"

using namespace sb::sandbox::spark;

namespace {

Seed seed() {
    Seed s;
    s.proxy_token = "tok";
    s.proxy_email = "proxy@sandbox.example";
    s.team_id = webex_id("TEAM", "t");
    return s;
}

const NewFile kPicture{"image/png", "a.png", std::string("\x89PNG\r\n\x1a\n", 8)};

}  // namespace

TEST_CASE("files: what a POST /messages body may ask for") {
    struct Row {
        const char* name;
        json body;
        int status;  // 0: a URL to fetch; -1: no file
    };
    const Row rows[] = {
        {"no files", {{"text", "x"}}, -1},
        {"null files", {{"files", nullptr}}, -1},
        {"one http URL", {{"files", {"http://127.0.0.1:9/a.png"}}}, 0},
        {"one https URL", {{"files", {"https://example.com/a.png"}}}, 0},
        {"two URLs: Webex takes one per message", {{"files", {"http://a/1", "http://a/2"}}}, 400},
        {"an empty array", {{"files", json::array()}}, 400},
        {"not an array", {{"files", "http://a/1"}}, 400},
        {"not a string", {{"files", {42}}}, 400},
        {"not a web URL", {{"files", {"file:///etc/passwd"}}}, 400},
    };
    for (const Row& row : rows) {
        CAPTURE(row.name);
        const FileAsked asked = file_asked(row.body);
        if (row.status == -1) {
            CHECK_FALSE(asked.url);
            CHECK_FALSE(asked.error);
        } else if (row.status == 0) {
            CHECK(asked.url);
            CHECK_FALSE(asked.error);
        } else {
            REQUIRE(asked.error);
            CHECK(asked.error->status == row.status);
            CHECK(asked.error->body["message"].is_string());
        }
    }
}

TEST_CASE("files: only loopback URLs are fetched, names are safe, content URLs round-trip") {
    CHECK(fetchable("http://127.0.0.1:8085/api/twilio/media/t"));
    CHECK(fetchable("http://localhost/x"));
    CHECK(fetchable("http://[::1]:80/x"));
    CHECK_FALSE(fetchable("https://example.com/x"));
    CHECK_FALSE(fetchable("http://127.0.0.1.evil.example/x"));
    CHECK_FALSE(fetchable("http://user@127.0.0.1/x"));
    CHECK_FALSE(fetchable("ftp://127.0.0.1/x"));

    CHECK(file_name_for("http://h/media/pic.jpg?x=1", "") == "pic.jpg");
    CHECK(file_name_for("http://h/", "") == "file");
    CHECK(file_name_for("http://h", "") == "file");
    CHECK(file_name_for("http://h/x", "attachment; filename=\"cat.png\"") == "cat.png");
    CHECK(file_name_for("http://h/x", "attachment; filename=\"../up.png\"") == "..up.png");
    CHECK(file_name_for("http://h/x", "inline; filename=cat.png; size=3") == "cat.png");
    CHECK(attachment_disposition("a\"b/c.png") == "attachment; filename=\"abc.png\"");

    const std::string url = content_url("http://127.0.0.1:8090", "Y29udGVudA");
    CHECK(url == "http://127.0.0.1:8090/v1/contents/Y29udGVudA");
    CHECK(content_id_in(url) == std::optional<std::string>("Y29udGVudA"));
    CHECK_FALSE(content_id_in("http://h/v1/messages/x"));
}

TEST_CASE("files: a fetched file is stored, shown as a contents URL, and served to members") {
    SparkState state(seed());
    state.set_public_base("http://sandbox.test");
    const std::string room = state.create_room(state.proxy_id(), {{"title", "r"}}).body["id"];
    const json body = {{"roomId", room}, {"files", {"http://127.0.0.1:9/a.png"}}};
    // A file asked for but not fetched is Webex's 400, never a message without it.
    CHECK(state.create_message(state.proxy_id(), body).status == 400);

    const Reply posted = state.create_message(state.proxy_id(), body, kPicture);
    REQUIRE(posted.status == 200);  // no text needed with a file
    REQUIRE(posted.body["files"].size() == 1);
    const std::string url = posted.body["files"][0];
    CHECK(url.rfind("http://sandbox.test/v1/contents/", 0) == 0);
    const auto id = content_id_in(url);
    REQUIRE(id);
    const ContentAnswer got = state.get_content(state.proxy_id(), *id);
    CHECK(got.status == 200);
    CHECK(got.content.bytes == kPicture.bytes);
    CHECK(got.content.content_type == "image/png");
    CHECK(got.content.filename == "a.png");
    CHECK(state.get_message(state.proxy_id(), posted.body["id"]).body["files"][0] == url);

    // Not a member of the room: as if it did not exist.
    std::string alice;
    const json people = state.admin_people();
    for (const json& person : people["items"]) {
        if (person["email"] == "alice@sandbox.example") alice = person["id"];
    }
    REQUIRE_FALSE(alice.empty());
    CHECK(state.get_content(alice, *id).status == 404);
    CHECK(state.get_content(state.proxy_id(), "nope").status == 404);
    CHECK(state.admin_content(*id)->bytes == kPicture.bytes);
}

TEST_CASE("files: while scanning, GET answers 423 with Retry-After, then the bytes") {
    SparkState state(seed());
    const std::string room = state.create_room(state.proxy_id(), {{"title", "r"}}).body["id"];
    state.admin_set_scanning(2, 3);
    const Reply posted = state.create_message(
        state.proxy_id(), {{"roomId", room}, {"files", {"http://127.0.0.1/a"}}}, kPicture);
    const auto id = content_id_in(posted.body["files"][0].get<std::string>());
    REQUIRE(id);
    for (int i = 0; i < 2; ++i) {
        const ContentAnswer scanning = state.get_content(state.proxy_id(), *id);
        CHECK(scanning.status == 423);
        CHECK(scanning.retry_after == 3);
    }
    CHECK(state.get_content(state.proxy_id(), *id).status == 200);
}

TEST_CASE("threads: parentId is a top-level message of the same room, kept and delivered") {
    SparkState state(seed());
    std::vector<Delivery> deliveries;
    state.set_delivery_sink([&](Delivery d) { deliveries.push_back(std::move(d)); });
    REQUIRE(state
                .create_webhook(state.proxy_id(), {{"name", "n"},
                                                   {"targetUrl", "http://127.0.0.1:1/h"},
                                                   {"resource", "messages"},
                                                   {"event", "created"}})
                .status == 200);
    const std::string room = state.create_room(state.proxy_id(), {{"title", "r"}}).body["id"];
    const std::string other = state.create_room(state.proxy_id(), {{"title", "o"}}).body["id"];
    const std::string parent =
        state.create_message(state.proxy_id(), {{"roomId", room}, {"text", "top"}}).body["id"];
    const std::string elsewhere =
        state.create_message(state.proxy_id(), {{"roomId", other}, {"text", "x"}}).body["id"];

    const Reply reply = state.create_message(
        state.proxy_id(), {{"roomId", room}, {"text", "in thread"}, {"parentId", parent}});
    REQUIRE(reply.status == 200);
    CHECK(reply.body["parentId"] == parent);
    CHECK(state.get_message(state.proxy_id(), reply.body["id"]).body["parentId"] == parent);
    CHECK_FALSE(state.get_message(state.proxy_id(), parent).body.contains("parentId"));
    const json delivered = json::parse(deliveries.back().body);
    CHECK(delivered["data"]["parentId"] == parent);

    struct Row {
        const char* name;
        json parent_id;
    };
    const Row refused[] = {{"unknown", "nope"},
                           {"a reply itself", reply.body["id"]},
                           {"of another room", elsewhere},
                           {"not a string", 7}};
    for (const Row& row : refused) {
        CAPTURE(row.name);
        const Reply answer = state.create_message(
            state.proxy_id(), {{"roomId", room}, {"text", "x"}, {"parentId", row.parent_id}});
        CHECK(answer.status == 400);
    }
    // An agent answering in the thread through the admin API.
    const Reply agent = state.admin_post(
        room, {{"as", "alice@sandbox.example"}, {"text", "me too"}, {"parentId", parent}});
    CHECK(agent.body["parentId"] == parent);
}

TEST_CASE("files: a webhook delivery carries the files' URLs") {
    SparkState state(seed());
    std::vector<Delivery> deliveries;
    state.set_delivery_sink([&](Delivery d) { deliveries.push_back(std::move(d)); });
    REQUIRE(state
                .create_webhook(state.proxy_id(), {{"name", "n"},
                                                   {"targetUrl", "http://127.0.0.1:1/h"},
                                                   {"resource", "messages"},
                                                   {"event", "created"}})
                .status == 200);
    const std::string room = state.create_room(state.proxy_id(), {{"title", "r"}}).body["id"];
    const Reply posted = state.create_message(
        state.proxy_id(), {{"roomId", room}, {"files", {"http://127.0.0.1/a"}}}, kPicture);
    REQUIRE(deliveries.size() == 1);
    const json delivered = json::parse(deliveries[0].body);
    CHECK(delivered["data"]["files"] == posted.body["files"]);
    CHECK_FALSE(delivered["data"].contains("parentId"));
}
