// Webex files and threads through the real sandbox process, and through spark-gateway: a post
// names a file by URL, the sandbox fetches it from a loopback server as Webex would, and the
// message then carries a /v1/contents/{id} URL whose bytes are the file's.
#include <doctest/doctest.h>

#include "file_server.h"
#include "spark_fixture.h"

using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(2000, '\x42');

std::string room_in(SparkStack& stack) {
    const HttpAnswer room =
        stack.sandbox("POST", "/v1/rooms", {{"title", "2088675309"}, {"teamId", demo().team_id}},
                      demo().spark_token);
    REQUIRE(room.status == 200);
    return room.body["id"];
}

// The path of a sandbox URL ("http://127.0.0.1:p/v1/contents/x" -> "/v1/contents/x").
std::string path_of(const std::string& url) {
    return url.substr(url.find('/', url.find("://") + 3));
}

}  // namespace

TEST_CASE("sandbox: a posted file URL is fetched, stored and served as /v1/contents/{id}") {
    SparkStack stack;
    stack.start_sandbox({{"SANDBOX_SPARK_MAX_FILE_BYTES", "4096"}});
    FileServer files;
    files.put("/media/cat.png", "image/png", kPng);
    files.put("/media/big.bin", "application/octet-stream", std::string(5000, 'x'));
    files.put("/media/gone.png", "image/png", "", 404);
    const std::string room = room_in(stack);

    const HttpAnswer posted = stack.sandbox(
        "POST", "/v1/messages",
        {{"roomId", room}, {"markdown", "**MMS**"}, {"files", {files.url("/media/cat.png")}}},
        demo().spark_token);
    REQUIRE(posted.status == 200);
    CHECK(files.requests("/media/cat.png") == 1);
    REQUIRE(posted.body["files"].size() == 1);
    const std::string content = posted.body["files"][0];
    CHECK(content.find("/v1/contents/") != std::string::npos);
    CHECK(content.rfind(stack.url("sandbox"), 0) == 0);

    const HttpAnswer bytes = stack.sandbox("GET", path_of(content), nullptr, demo().spark_token);
    REQUIRE(bytes.status == 200);
    CHECK(bytes.raw == kPng);
    CHECK(bytes.header("Content-Type") == "image/png");
    CHECK(bytes.header("Content-Disposition") == "attachment; filename=\"cat.png\"");
    CHECK(stack.sandbox("GET", path_of(content), nullptr, "wrong").status == 401);
    // The UI's way: no token, through the admin API.
    const std::string id = content.substr(content.rfind('/') + 1);
    CHECK(stack.sandbox("GET", "/sandbox/spark/contents/" + id).raw == kPng);

    // Refused like Webex: two files, a fetch that fails, a file over the cap. Nothing is posted.
    const auto post_file = [&](const json& urls) {
        return stack.sandbox("POST", "/v1/messages", {{"roomId", room}, {"files", urls}},
                             demo().spark_token);
    };
    CHECK(post_file({files.url("/media/cat.png"), files.url("/media/cat.png")}).status == 400);
    const HttpAnswer gone = post_file({files.url("/media/gone.png")});
    CHECK(gone.status == 400);
    CHECK(gone.body["message"].get<std::string>().find("Unable to retrieve content") == 0);
    CHECK(post_file({files.url("/media/big.bin")}).status == 400);
    CHECK(post_file({"http://127.0.0.1:1/nothing-listens"}).status == 400);
    const HttpAnswer listed =
        stack.sandbox("GET", "/v1/messages?roomId=" + room, nullptr, demo().spark_token);
    CHECK(listed.body["items"].size() == 1);
}

TEST_CASE("sandbox: while a file is being scanned its contents answer 423 with Retry-After") {
    SparkStack stack;
    stack.start_sandbox();
    FileServer files;
    files.put("/a.png", "image/png", kPng);
    REQUIRE(stack.sandbox("POST", "/sandbox/spark/scanning", {{"answers", 1}, {"retry_after", 2}})
                .status == 200);
    const HttpAnswer posted = stack.sandbox(
        "POST", "/v1/messages", {{"roomId", room_in(stack)}, {"files", {files.url("/a.png")}}},
        demo().spark_token);
    REQUIRE(posted.status == 200);
    const std::string path = path_of(posted.body["files"][0]);
    const HttpAnswer scanning = stack.sandbox("GET", path, nullptr, demo().spark_token);
    CHECK(scanning.status == 423);
    CHECK(scanning.header("Retry-After") == "2");
    CHECK(stack.sandbox("GET", path, nullptr, demo().spark_token).raw == kPng);
}

TEST_CASE("spark-gateway: a PostMessage's file lands as a Webex file, its note in the thread") {
    SparkStack stack;
    stack.start_all();
    FileServer files;
    files.put("/api/twilio/media/tok", "image/jpeg", kPng);
    const std::string room = stack.new_room("2088675309");
    const std::string parent =
        stack.post_in_room(room, {{"as", "alice@sandbox.example"}, {"text", "on its way"}});
    const std::string reply = stack.post_in_room(
        room, {{"as", "alice@sandbox.example"}, {"text", "in thread"}, {"parentId", parent}});

    sb::PostMessage picture{room, "", "**MMS** · picture 1 of 1"};
    picture.files = {files.url("/api/twilio/media/tok")};
    sb::PostMessage note{room, "", "**SMS not delivered**"};
    note.parent_id = parent;
    // A reply's id is no thread to post in: Webex answers 400, the gateway posts it unthreaded.
    sb::PostMessage late_note{room, "", "**SMS not sent**"};
    late_note.parent_id = reply;
    const std::vector<sb::Envelope> commands = {
        stack.send_command(sb::event_type::post_message, room, picture),
        stack.send_command(sb::event_type::post_message, room, note),
        stack.send_command(sb::event_type::post_message, room, late_note)};
    REQUIRE(stack.wait_for_results(commands, 20s));
    for (const sb::Envelope& command : commands) {
        const auto results = stack.results_for(command.id);
        REQUIRE(results.size() == 1);
        CHECK(results[0].type == sb::event_type::message_posted);
    }

    const HttpAnswer history = stack.sandbox("GET", "/sandbox/spark/rooms/" + room + "/messages");
    REQUIRE(history.body["items"].size() == 5);
    const json& file_post = history.body["items"][2];
    REQUIRE(file_post["files"].size() == 1);
    CHECK(stack.sandbox("GET", path_of(file_post["files"][0]), nullptr, demo().spark_token).raw ==
          kPng);
    CHECK(history.body["items"][3]["parentId"] == parent);
    CHECK(visible(history.body["items"][4]["markdown"]) == "**SMS not sent**");
    CHECK_FALSE(history.body["items"][4].contains("parentId"));
}
