// Agent -> SMS alone (agent_replies.h): which AgentMessages become an SMS, and what is
// remembered of those acted on.
#include "agent_replies.h"

#include <doctest/doctest.h>

using namespace sb;
using namespace sb::router;

namespace {

constexpr const char* kTeam = "team-agents";
using Outcome = AgentReplies::Outcome;

AgentMessage says(std::string text) {
    AgentMessage message;
    message.message_id = "m-1";
    message.room_id = "r1";
    message.room_title = "Ana 2088675309";
    message.room_type = "group";
    message.room_team_id = kTeam;
    message.author_id = "person-agent";
    message.author_email = "agent@example.com";
    message.text = std::move(text);
    return message;
}

}  // namespace

TEST_CASE("agent replies: what is admitted, and the ids remembered") {
    Directory directory(kTeam);
    AgentReplies replies(2, "proxy@example.com");
    struct Row {
        const char* name;
        AgentMessage message;
        Outcome outcome;
        size_t remembered;  // changes to the memory of ids
    };
    AgentMessage foreign = says("hi");
    foreign.room_team_id = "team-other";
    foreign.message_id = "m-foreign";
    AgentMessage direct = says("hi");
    direct.room_type = "direct";
    direct.message_id = "m-direct";
    AgentMessage third = says("hi");
    third.message_id = "m-3";
    const Row rows[] = {
        {"a room outside the team: not even a memory", foreign, Outcome::foreign_room, 0},
        {"a team room's message", says("hi"), Outcome::go_on, 1},
        {"the same id again", says("hi again"), Outcome::duplicate, 0},
        {"a direct room: remembered, not answered", direct, Outcome::ignored, 1},
        {"a third id lets the oldest go", third, Outcome::go_on, 2},
        {"so the oldest is new again", says("hi"), Outcome::go_on, 2},
    };
    for (const Row& row : rows) {
        const std::string name = row.name;
        CAPTURE(name);
        const auto admitted = replies.admit(row.message, directory);
        CHECK(admitted.outcome == row.outcome);
        CHECK(admitted.remember.size() == row.remembered);
        if (row.remembered > 0) {
            CHECK(admitted.remember[0].key == "seen." + row.message.message_id);
            CHECK(admitted.remember[0].value.has_value());
        }
        if (row.remembered > 1) CHECK_FALSE(admitted.remember[1].value.has_value());
    }
    AgentReplies restored(10, "");
    restored.restore({"m-1"});
    CHECK(restored.admit(says("hi"), directory).outcome == Outcome::duplicate);
}

TEST_CASE("agent replies: the SMS, or why none") {
    const RoomInfo customer_room{"r1", "Ana 2088675309", "", "+12088675309", 0};
    const RoomInfo team_room{"g", "General", "", "", 0};
    AgentMessage from_bridge = says("echo");
    from_bridge.from_bridge = true;
    from_bridge.author_email = "Bridge@Example.com";
    from_bridge.author_id = "person-bridge";
    AgentMessage proxy = says("echo");
    proxy.author_email = "PROXY@example.com";  // the configured proxy, in any case
    AgentMessage whisper = says("psst");
    whisper.mentioned_people = {"person-2"};
    AgentMessage group_whisper = says("all");
    group_whisper.mentioned_groups = {"all"};
    AgentMessage markdown = says("");
    markdown.markdown = "**Hello** there";
    AgentMessage file_only = says("");
    file_only.files = {"https://webexapis.com/v1/contents/Y2lz"};
    file_only.attachments = {{"https://sb.example/api/files/aa11", "application/pdf", "a.pdf"}};
    AgentMessage unfetched = says("");
    unfetched.files = {"https://webexapis.com/v1/contents/Y2lz"};  // spark-gateway passed none on
    struct Row {
        const char* name;
        AgentMessage message;
        const RoomInfo* room;
        Outcome outcome;
        const char* text;
    };
    const Row rows[] = {
        {"an agent's answer, markdown as plain text", markdown, &customer_room, Outcome::reply,
         "Hello there"},
        {"the bridge's own post", from_bridge, &customer_room, Outcome::echo, ""},
        {"an agent's answer after an echo", says("x"), &customer_room, Outcome::reply, "x"},
        {"the proxy's email", proxy, &customer_room, Outcome::echo, ""},
        {"a room nobody can place", says("hi"), nullptr, Outcome::ignored, ""},
        {"the team's own room", says("hi"), &team_room, Outcome::ignored, ""},
        {"a mention is a whisper", whisper, &customer_room, Outcome::whisper, ""},
        {"a group mention too", group_whisper, &customer_room, Outcome::whisper, ""},
        {"nothing to send", says(" \n\t"), &customer_room, Outcome::ignored, ""},
        {"a file alone is a reply, without its Webex URL", file_only, &customer_room,
         Outcome::reply, ""},
        {"a Webex URL is never sent", unfetched, &customer_room, Outcome::ignored, ""},
    };
    AgentReplies replies(10, "proxy@example.com");
    for (const Row& row : rows) {
        const std::string name = row.name;
        CAPTURE(name);
        const auto reply = replies.reply(row.message, row.room);
        CHECK(reply.outcome == row.outcome);
        if (row.outcome == Outcome::reply) CHECK(reply.text.find(row.text) != std::string::npos);
        CHECK(reply.text.find("webexapis") == std::string::npos);
        CHECK(reply.attachments.size() ==
              (row.outcome == Outcome::reply ? row.message.attachments.size() : 0U));
    }
    AgentMessage bridge_again = says("later");
    bridge_again.author_email = "bridge@example.com";
    CHECK(replies.reply(bridge_again, &customer_room).outcome == Outcome::echo);
    CHECK(replies.bridge().is("", "person-bridge"));  // its membership is no agent's either
    CHECK_FALSE(replies.bridge().is("agent@example.com", "person-agent"));
}
