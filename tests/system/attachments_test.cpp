// DESIGN §2 rule 15, the customer's half, end to end: a CustomerMessage with an attachment (an
// MMS picture a carrier gateway holds at a URL) lands in the customer's room as a Webex file,
// through the real bus, router, spark-gateway and sandbox. The picture is served by a loopback
// FileServer standing in for the gateway's media route.
#include <doctest/doctest.h>

#include "file_server.h"
#include "http_client.h"
#include "steps.h"
#include "switchboard/time_format.h"
#include "switchboard/topics.h"

using namespace sb::testing;

namespace {

const std::string kJpeg = std::string("\xFF\xD8\xFF\xE0", 4) + std::string(3000, '\x11');

std::vector<json> file_posts(const SandboxClient& sandbox, const std::string& room) {
    std::vector<json> found;
    for (const json& message : sandbox.history(room)) {
        if (message.contains("files")) found.push_back(message);
    }
    return found;
}

}  // namespace

TEST_CASE("MMS: a customer's picture lands in their room as a Webex file, after the text") {
    System system({"bus", "sandbox", "spark-gateway", "router"});
    const SandboxClient sandbox = system.sandbox();
    FileServer media;
    media.put("/api/twilio/media/opaque-token", "image/jpeg", kJpeg);

    auto gateway = system.recorder("mms-gateway", {});
    gateway->start();
    sb::CustomerMessage message;
    message.customer = "+12085550177";
    message.channel = "sms";
    message.text = "here is the broken part";
    message.received_at = sb::iso8601(std::chrono::system_clock::now());
    message.attachments = {{media.url("/api/twilio/media/opaque-token"), "image/jpeg", ""}};
    gateway->publish(sb::topics::customer_messages,
                     sb::stamp(sb::make_event(sb::event_type::customer_message, "twilio-gateway",
                                              message.customer, message)));

    const std::string room = wait_for_room(system, "2085550177");
    require_eventually(
        system, [&] { return !file_posts(sandbox, room).empty(); }, "a file in the room");
    const std::vector<json> history = sandbox.history(room);
    REQUIRE(history.size() == 2);  // the text, then the picture
    CHECK(history[0]["text"].get<std::string>().find("here is the broken part") !=
          std::string::npos);
    const json& picture = history[1];
    REQUIRE(picture["files"].size() == 1);
    const std::string url = picture["files"][0];
    const size_t at = url.find("/v1/contents/");
    REQUIRE(at != std::string::npos);
    CHECK(picture["markdown"].get<std::string>().find("picture 1 of 1") != std::string::npos);
    CHECK(media.requests("/api/twilio/media/opaque-token") == 1);  // Webex fetched it once

    const HttpAnswer bytes =
        http_json(system.port("sandbox"), "GET", url.substr(at), nullptr, demo().spark_token);
    REQUIRE(bytes.status == 200);
    CHECK(bytes.raw == kJpeg);
    CHECK(bytes.header("Content-Type") == "image/jpeg");
    require_eventually(
        system,
        [&] {
            return system.metric("router", "switchboard_router_messages_routed_total",
                                 "direction=\"to_room\"") == 1;
        },
        "the router counted one message to the room");
}

TEST_CASE("failures are visible: the note about an SMS not sent is in the thread of the reply") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550178";
    const std::string room = established(system, number, "2085550178", "text me back please");

    // Tropo refuses the session; Twilio refuses a customer who replied STOP (21610).
    const std::string note_says = sandbox.carrier_refuses(number);
    const std::string reply = sandbox.post(room, kAlice, {{"text", "This reply will not arrive"}});
    wait_for_posts(system, room, note_says);
    std::vector<json> notes;
    for (const json& message : sandbox.history(room)) {
        if (message["text"].get<std::string>().find(note_says) != std::string::npos) {
            notes.push_back(message);
        }
    }
    REQUIRE(notes.size() == 1);
    CHECK(notes[0]["fromProxy"] == true);
    CHECK(notes[0]["parentId"] == reply);  // router -> spark-gateway (parentId) -> Webex
}
