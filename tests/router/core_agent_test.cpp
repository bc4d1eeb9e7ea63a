// Room -> customer (echo, whisper, renames, unknown rooms, duplicates) and agent assignment.
#include <doctest/doctest.h>

#include "core_harness.h"

using namespace sb;
using namespace sb::router;
using namespace sb::router::testing;

TEST_CASE("an agent message becomes an SMS only when it should") {
    struct Row {
        const char* name;
        std::function<void(AgentMessage&)> change;
        const char* sms_to;  // "" when nothing is sent
        std::uint64_t Counters::*counted;
    };
    const std::vector<Row> rows = {
        {"plain reply in a customer room", [](AgentMessage&) {}, "+12088675309",
         &Counters::messages_to_customers},
        {"renamed room keeps its number",
         [](AgentMessage& m) {
             m.room_id = "r2";
             m.room_title = "Tommy Tutone 2085550111";
         },
         "+12085550111", &Counters::messages_to_customers},
        {"international number",
         [](AgentMessage& m) {
             m.room_id = "r3";
             m.room_title = "Ana +447911123456";
         },
         "+447911123456", &Counters::messages_to_customers},
        {"room without a number",
         [](AgentMessage& m) {
             m.room_id = "general";
             m.room_title = "General";
         },
         "", &Counters::ignored},
        {"unknown room without a number",
         [](AgentMessage& m) {
             m.room_id = "x";
             m.room_title = "Lunch plans";
         },
         "", &Counters::ignored},
        {"unknown room ending in a number joins the directory",
         [](AgentMessage& m) {
             m.room_id = "new";
             m.room_title = "Bob 2085550177";
         },
         "+12085550177", &Counters::messages_to_customers},
        {"echo: posted by the bridge", [](AgentMessage& m) { m.from_bridge = true; }, "",
         &Counters::echoes_dropped},
        {"echo: the proxy's email, any case",
         [](AgentMessage& m) { m.author_email = "SwitchBoard@Sandbox.Example"; }, "",
         &Counters::echoes_dropped},
        {"whisper: mentions a person", [](AgentMessage& m) { m.mentioned_people = {"person-2"}; },
         "", &Counters::whispers},
        {"whisper: mentions a group", [](AgentMessage& m) { m.mentioned_groups = {"all"}; }, "",
         &Counters::whispers},
        {"direct room", [](AgentMessage& m) { m.room_type = "direct"; }, "", &Counters::ignored},
        {"nothing to say", [](AgentMessage& m) { m.text = "  \n "; }, "", &Counters::ignored},
    };
    for (const Row& row : rows) {
        const std::string name = row.name;
        CAPTURE(name);
        Harness h;
        h.start_with({room("r1", "2088675309"), room("r2", "2085550111"),
                      room("r3", "+447911123456"), room("general", "General")});
        AgentMessage message = agent_says("r1", "2088675309", "On my way!", "m1");
        row.change(message);
        const std::uint64_t before = h.core->counters().*row.counted;
        h.send(event_type::agent_message, message);
        CHECK_FALSE(h.last.hold);
        const auto texts = h.payloads<SendSms>(event_type::send_sms);
        if (row.sms_to[0] == '\0') {
            CHECK(texts.empty());
        } else {
            REQUIRE(texts.size() == 1);
            CHECK(texts[0].to == row.sms_to);
            CHECK(texts[0].text == "On my way!");
            CHECK(texts[0].room_id == message.room_id);
            CHECK(h.latest(event_type::send_sms).topic == topics::sms_to_send);
            CHECK(h.latest(event_type::send_sms).event.key == row.sms_to);
        }
        CHECK(h.core->counters().*row.counted == before + 1);
    }
}

TEST_CASE("an agent's markdown reaches the customer as readable text") {
    Harness h;
    h.start_with({room("r1", "2088675309")});
    AgentMessage message = agent_says("r1", "2088675309", "", "m1");
    message.markdown = "**Hi!** See [the guide](https://example.com/g) and `reset`";
    message.text = "Hi! See the guide and reset";
    h.send(event_type::agent_message, message);
    CHECK(h.payloads<SendSms>(event_type::send_sms).at(0).text ==
          "Hi! See the guide (https://example.com/g) and reset");
}

TEST_CASE("an agent message seen twice is sent once") {
    Harness h;
    h.start_with({room("r1", "2088675309")});
    h.send(event_type::agent_message, agent_says("r1", "2088675309", "once", "m1"));
    h.send(event_type::agent_message, agent_says("r1", "2088675309", "once", "m1"));
    CHECK(h.commands(event_type::send_sms).size() == 1);
    CHECK(h.core->counters().duplicates == 1);
}

TEST_CASE("a room renamed away from the number is no longer the customer's") {
    Harness h;
    h.start_with({room("r1", "2088675309")});
    h.send(event_type::agent_message, agent_says("r1", "Tommy Tutone 2088675309", "a", "m1"));
    CHECK(h.core->directory().room_of("+12088675309")->title == "Tommy Tutone 2088675309");
    h.send(event_type::customer_message, sms("+12088675309", "still me"));
    CHECK(h.commands(event_type::create_room).empty());

    h.send(event_type::agent_message, agent_says("r1", "Closed: Tommy", "bye", "m2"));
    CHECK(h.commands(event_type::send_sms).size() == 1);  // not a customer room any more
    h.send(event_type::customer_message, sms("+12088675309", "hello again"));
    CHECK(h.commands(event_type::create_room).size() == 1);
}

TEST_CASE("a room learned from an agent message releases messages waiting for it") {
    Harness h;
    h.start_with({});
    h.send(event_type::customer_message, sms("+12085550111", "waiting"));
    const Outbound create = h.latest(event_type::create_room);
    h.send(event_type::command_failed, CommandFailed{"CreateRoom", "timeout", 0}, create.event.id);
    // Someone made the room by hand and wrote in it.
    h.send(event_type::agent_message, agent_says("manual", "2085550111", "hi", "m1"));
    CHECK(h.commands(event_type::post_message).size() == 1);
    CHECK(h.pending.empty());
    CHECK(h.commands(event_type::create_room).size() == 1);
}

// ---- Agent assignment ------------------------------------------------------------------------

namespace {

Settings assigning(bool most_idle = true) {
    Settings settings = test_settings();
    settings.assign_agents = true;
    settings.assign_most_idle = most_idle;
    return settings;
}

// A new customer's room is made; returns with the two look-ups published.
void new_customer(Harness& h) {
    h.start_with({room("general", "General", "2020-01-01T00:00:00Z")});
    h.send(event_type::customer_message, sms("+12085550111", "I need help"));
    h.create_room_answer("+12085550111", "room-n");
    REQUIRE(h.commands(event_type::list_room_members).size() == 1);
    REQUIRE(h.commands(event_type::list_team_members).size() == 1);
}

void answer_lookups(Harness& h, std::vector<Member> in_room, std::vector<Member> team) {
    const Outbound room_lookup = h.latest(event_type::list_room_members);
    const Outbound team_lookup = h.latest(event_type::list_team_members);
    CHECK(room_lookup.event.payload_as<ListRoomMembers>().room_id == "room-n");
    h.send(event_type::room_members, RoomMembers{"room-n", std::move(in_room)},
           room_lookup.event.id);
    h.send(event_type::team_members, TeamMembers{std::move(team)}, team_lookup.event.id);
}

const Member kProxy =
    member("proxy", "active", "2026-05-01T07:00:00Z", "switchboard@sandbox.example");

}  // namespace

TEST_CASE("assignment: an active agent already in the room means nothing to do") {
    Harness h(assigning());
    new_customer(h);
    const size_t before = h.published.size();
    answer_lookups(h, {kProxy, member("ann", "active")},
                   {member("ann", "active"), member("bob", "active")});
    CHECK(h.published.size() == before);
}

TEST_CASE("assignment: the most idle active team member is added") {
    Harness h(assigning());
    new_customer(h);
    answer_lookups(h, {kProxy, member("zed", "inactive")},
                   {kProxy, member("ann", "active", "2026-05-01T10:00:00Z"),
                    member("bob", "active", "2026-05-01T09:00:00Z"),
                    member("cat", "inactive", "2026-05-01T08:00:00Z"),
                    member("dan", "DoNotDisturb", "2026-05-01T06:00:00Z")});
    const auto adds = h.payloads<AddMember>(event_type::add_member);
    REQUIRE(adds.size() == 1);
    CHECK(adds[0].room_id == "room-n");
    CHECK(adds[0].person_id == "bob");
    CHECK(adds[0].person_email == "bob@example.com");
    CHECK(h.commands(event_type::send_sms).size() == 1);  // only the welcome
}

TEST_CASE("assignment: with most-idle off, a random active team member is added") {
    Harness h(assigning(false));
    new_customer(h);
    // The harness's random source counts up, so the choice is predictable here.
    answer_lookups(h, {kProxy}, {member("ann", "active"), member("bob", "active")});
    const auto adds = h.payloads<AddMember>(event_type::add_member);
    REQUIRE(adds.size() == 1);
    CHECK((adds[0].person_id == "ann" || adds[0].person_id == "bob"));
}

TEST_CASE("assignment: nobody available -> the customer is told and the team is told") {
    Harness h(assigning());
    new_customer(h);
    answer_lookups(h, {kProxy}, {kProxy, member("ann", "inactive"), member("bob", "meeting")});
    CHECK(h.commands(event_type::add_member).empty());
    const auto texts = h.payloads<SendSms>(event_type::send_sms);
    REQUIRE(texts.size() == 2);  // welcome, then "agents will answer soon"
    CHECK(texts[1].to == "+12085550111");
    CHECK(texts[1].text.find("will answer you soon") != std::string::npos);
    const auto posts = h.payloads<PostMessage>(event_type::post_message);
    REQUIRE(posts.size() == 2);
    CHECK(posts[1].room_id == "general");
    CHECK(posts[1].markdown.find("**Customer waiting**") != std::string::npos);
    CHECK(posts[1].markdown.find("2085550111") != std::string::npos);
}

TEST_CASE("assignment: a customer unanswered for the configured time is checked again, once") {
    Harness h(assigning());
    h.start_with({room("r1", "2088675309")});
    h.send(event_type::customer_message, sms("+12088675309", "anyone?"));
    CHECK(h.commands(event_type::list_room_members).empty());  // no look-up per message
    h.tick(119s);
    CHECK(h.commands(event_type::list_room_members).empty());
    h.tick(1s);
    CHECK(h.commands(event_type::list_room_members).size() == 1);
    CHECK(h.commands(event_type::list_team_members).size() == 1);
    h.tick(500s);
    CHECK(h.commands(event_type::list_room_members).size() == 1);
}

TEST_CASE("assignment: a steady conversation costs one post per SMS and no look-ups") {
    Harness h(assigning());
    h.start_with({room("r1", "2088675309")});
    for (int i = 0; i < 10; ++i) {
        h.tick(60s);
        h.send(event_type::customer_message, sms("+12088675309", "q" + std::to_string(i)));
        h.tick(30s);
        h.send(event_type::agent_message,
               agent_says("r1", "2088675309", "a" + std::to_string(i), "m" + std::to_string(i)));
    }
    h.tick(100s);
    CHECK(h.commands(event_type::post_message).size() == 10);
    CHECK(h.commands(event_type::send_sms).size() == 10);
    CHECK(h.commands(event_type::list_room_members).empty());
    CHECK(h.commands(event_type::list_team_members).empty());
    CHECK(h.core->counters().presence_lookups == 0);
}

TEST_CASE("assignment: a failed look-up is given up without noise") {
    Harness h(assigning());
    new_customer(h);
    const Outbound team_lookup = h.latest(event_type::list_team_members);
    const size_t before = h.published.size();
    h.send(event_type::command_failed, CommandFailed{"ListTeamMembers", "403", 403},
           team_lookup.event.id);
    h.send(event_type::room_members, RoomMembers{"room-n", {kProxy}},
           h.latest(event_type::list_room_members).event.id);
    CHECK(h.published.size() == before);
}
