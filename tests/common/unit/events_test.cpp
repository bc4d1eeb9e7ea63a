#include "switchboard/events.h"

#include <doctest/doctest.h>

#include "switchboard/topics.h"

using namespace sb;

namespace {

CustomerMessage sample_sms() {
    CustomerMessage message;
    message.customer = "+12088675309";
    message.channel = "sms";
    message.text = "Is my order ready?";
    message.received_at = "2026-11-24T08:45:44.123Z";
    return message;
}

template <class Payload>
Payload round_trip(EventName<Payload> type, const Payload& payload) {
    const Envelope sent = stamp(make_event(type, "test", "key-1", payload, "cmd-1"));
    const std::string wire = json(sent).dump();
    const ParsedEnvelope parsed = parse_envelope(wire);
    REQUIRE_MESSAGE(parsed, parsed.error);
    CHECK(parsed.envelope->id == sent.id);
    CHECK(parsed.envelope->type == type);
    CHECK(parsed.envelope->key == "key-1");
    CHECK(parsed.envelope->correlation_id == "cmd-1");
    CHECK(parsed.envelope->schema_version == kSchemaVersion);
    return parsed.envelope->payload_as<Payload>();
}

}  // namespace

TEST_CASE("every event type survives a round trip through JSON") {
    SUBCASE("CustomerMessage from the web form, with email and files") {
        CustomerMessage message = sample_sms();
        message.channel = "web";
        message.email = "tommy@example.com";
        message.name = "Tommy";
        message.files = {"https://example.com/a.png"};
        const auto back = round_trip(event_type::customer_message, message);
        CHECK(back.customer == message.customer);
        CHECK(back.channel == "web");
        CHECK(back.email == "tommy@example.com");
        CHECK(back.name == "Tommy");
        CHECK(back.files == message.files);
        CHECK_FALSE(back.call);
    }
    SUBCASE("CustomerMessage for a call") {
        CustomerMessage message = sample_sms();
        message.channel = "voice";
        message.text.clear();
        message.call = CallInfo{"call-9", topics::replies_for("tropo-gateway")};
        const auto back = round_trip(event_type::customer_message, message);
        REQUIRE(back.call);
        CHECK(back.call->call_id == "call-9");
        CHECK(back.call->reply_to == "reply.tropo-gateway");
    }
    SUBCASE("AgentMessage") {
        AgentMessage message;
        message.message_id = "m1";
        message.room_id = "r1";
        message.room_title = "Tommy Tutone 2088675309";
        message.author_id = "p1";
        message.author_email = "ana@example.com";
        message.author_name = "Ana";
        message.text = "On its way";
        message.markdown = "**On its way**";
        message.mentioned_people = {"p2"};
        message.mentioned_groups = {"all"};
        message.created = "2026-11-24T08:45:44.123Z";
        const auto back = round_trip(event_type::agent_message, message);
        CHECK(back.room_title == message.room_title);
        CHECK(back.mentioned_people == message.mentioned_people);
        CHECK(back.mentioned_groups == message.mentioned_groups);
        CHECK(back.markdown == message.markdown);
    }
    SUBCASE("spark commands and results") {
        CHECK(round_trip(event_type::list_rooms, ListRooms{"s1"}).sync_id == "s1");
        RoomsPage page{"s1", 2, true, {{"r1", "2088675309", "2026-11-24T08:45:44.123Z", ""}}};
        const auto page_back = round_trip(event_type::rooms_page, page);
        CHECK(page_back.page == 2);
        CHECK(page_back.last);
        REQUIRE(page_back.rooms.size() == 1);
        CHECK(page_back.rooms[0].title == "2088675309");
        CHECK(round_trip(event_type::create_room, CreateRoom{"+12088675309", "2088675309"}).title ==
              "2088675309");
        CHECK(
            round_trip(event_type::room_created, RoomCreated{"+12088675309", "r1", "t"}).room_id ==
            "r1");
        CHECK(round_trip(event_type::post_message, PostMessage{"r1", "hi", ""}).text == "hi");
        CHECK(round_trip(event_type::message_posted, MessagePosted{"r1", "m1"}).message_id == "m1");
        CHECK(round_trip(event_type::add_member, AddMember{"r1", "p1", ""}).person_id == "p1");
        CHECK(round_trip(event_type::member_added, MemberAdded{"r1", "", "a@b.c"}).person_email ==
              "a@b.c");
        CHECK(round_trip(event_type::list_room_members, ListRoomMembers{"r1"}).room_id == "r1");
        Member member{"p1", "a@b.c", "Ana", "active", "2026-11-24T08:45:44.123Z"};
        CHECK(round_trip(event_type::room_members, RoomMembers{"r1", {member}})
                  .members.at(0)
                  .status == "active");
        (void)round_trip(event_type::list_team_members, ListTeamMembers{});
        CHECK(round_trip(event_type::team_members, TeamMembers{{member}}).members.size() == 1);
    }
    SUBCASE("tropo commands, results and replies") {
        CHECK(round_trip(event_type::send_sms, SendSms{"+12088675309", "hello", "r1"}).room_id ==
              "r1");
        CHECK(round_trip(event_type::delivery_report,
                         DeliveryReport{"+12088675309", "failed", 2, "tropo said no", "r1"})
                  .reason == "tropo said no");
        CHECK(
            round_trip(event_type::call_decision, CallDecision{"c1", "+18005551234"}).forward_to ==
            "+18005551234");
        CHECK(round_trip(event_type::command_failed, CommandFailed{"PostMessage", "gone", 404})
                  .status == 404);
    }
    SUBCASE("an agent's message deleted") {
        CHECK(round_trip(event_type::agent_message_deleted, AgentMessageDeleted{"m1", "r1"})
                  .message_id == "m1");
    }
}

TEST_CASE("known_event_types lists every type the contracts define") {
    CHECK(known_event_types().size() == 21);
}

TEST_CASE("malformed, oversized and unknown events are rejected with a reason") {
    const json good = json(stamp(make_event(event_type::customer_message, "t", "k", sample_sms())));
    REQUIRE(validate_envelope(good));

    const auto rejected_with = [](const json& document, const std::string& reason) {
        const ParsedEnvelope parsed = validate_envelope(document);
        CHECK_FALSE(parsed);
        CHECK_MESSAGE(parsed.error.find(reason) != std::string::npos, parsed.error);
    };

    SUBCASE("not JSON at all") {
        const ParsedEnvelope parsed = parse_envelope("{\"id\": ");
        CHECK_FALSE(parsed);
        CHECK(parsed.error == "event is not valid JSON");
    }
    SUBCASE("not an object") {
        rejected_with(json::array({1, 2}), "expected an object");
    }
    SUBCASE("oversized") {
        const ParsedEnvelope parsed = parse_envelope(std::string(kMaxEventBytes + 1, ' '));
        CHECK_FALSE(parsed);
        CHECK(parsed.error.find("exceeds") != std::string::npos);
    }
    SUBCASE("unknown type") {
        json document = good;
        document["type"] = "DropAllTables";
        rejected_with(document, "unknown event type 'DropAllTables'");
    }
    SUBCASE("missing id") {
        json document = good;
        document.erase("id");
        rejected_with(document, "missing id");
    }
    SUBCASE("wrong schema version") {
        json document = good;
        document["schema_version"] = 99;
        rejected_with(document, "unsupported schema_version 99");
    }
    SUBCASE("time that is no timestamp") {
        json document = good;
        document["time"] = "yesterday";
        rejected_with(document, "time must be an ISO 8601 timestamp");
    }
    SUBCASE("payload field of the wrong type") {
        json document = good;
        document["payload"]["text"] = 42;
        rejected_with(document, "text must be a string");
    }
    SUBCASE("customer that is not E.164") {
        json document = good;
        document["payload"]["customer"] = "2088675309";
        rejected_with(document, "customer must be an E.164 number");
    }
    SUBCASE("unknown channel") {
        json document = good;
        document["payload"]["channel"] = "fax";
        rejected_with(document, "channel has an unknown value");
    }
    SUBCASE("a message with nothing in it") {
        json document = good;
        document["payload"].erase("text");
        rejected_with(document, "needs text, markdown or files");
    }
    SUBCASE("a text field beyond its cap") {
        json document = good;
        document["payload"]["text"] = std::string(70 * 1024, 'x');
        rejected_with(document, "text is too long");
    }
    SUBCASE("hostile nesting is answered, not crashed on") {
        std::string deep(10000, '[');
        deep += std::string(10000, ']');
        CHECK_FALSE(parse_envelope(deep));
    }
}

TEST_CASE("is_e164 follows the E.164 shape") {
    CHECK(is_e164("+12088675309"));
    CHECK(is_e164("+447911123456"));
    CHECK_FALSE(is_e164("12088675309"));
    CHECK_FALSE(is_e164("+02088675309"));
    CHECK_FALSE(is_e164("+1208867530912345"));
    CHECK_FALSE(is_e164("+1208-867"));
}

TEST_CASE("a payload of the wrong shape is a rejection with a reason, for every type") {
    struct Bad {
        std::string what;
        std::string_view type;
        json payload;
        std::string reason;
    };
    const json room = {{"id", "r1"}, {"title", "+12088675309"}};
    const std::vector<Bad> table = {
        {"page a string",
         event_type::rooms_page,
         {{"sync_id", "s"}, {"last", true}, {"rooms", json::array()}, {"page", "1"}},
         "page must be an integer"},
        {"page negative",
         event_type::rooms_page,
         {{"sync_id", "s"}, {"last", true}, {"rooms", json::array()}, {"page", -1}},
         "page must be at least 0"},
        {"page beyond int",
         event_type::rooms_page,
         {{"sync_id", "s"}, {"last", true}, {"rooms", json::array()}, {"page", 1LL << 40}},
         "page is out of range"},
        {"last a string",
         event_type::rooms_page,
         {{"sync_id", "s"}, {"last", "yes"}, {"rooms", json::array()}},
         "last must be a boolean"},
        {"rooms an object",
         event_type::rooms_page,
         {{"sync_id", "s"}, {"last", true}, {"rooms", room}},
         "rooms must be an array"},
        {"a room a number",
         event_type::rooms_page,
         {{"sync_id", "s"}, {"last", true}, {"rooms", {1}}},
         "expected an object"},
        {"a room's id a number",
         event_type::rooms_page,
         {{"sync_id", "s"}, {"last", true}, {"rooms", {{{"id", 5}, {"title", "t"}}}}},
         "id must be a string"},
        {"segments negative",
         event_type::delivery_report,
         {{"to", "+12088675309"}, {"status", "sent"}, {"segments", -2}},
         "segments must be at least 0"},
        {"segments a fraction",
         event_type::delivery_report,
         {{"to", "+12088675309"}, {"status", "sent"}, {"segments", 1.5}},
         "segments must be an integer"},
        {"status beyond int",
         event_type::command_failed,
         {{"command_type", "PostMessage"}, {"reason", "r"}, {"status", 3000000000ULL}},
         "status is out of range"},
        {"status below int",
         event_type::command_failed,
         {{"command_type", "PostMessage"}, {"reason", "r"}, {"status", -3000000000LL}},
         "status must be at least"},
        {"from_bridge a string",
         event_type::agent_message,
         {{"message_id", "m"},
          {"room_id", "r"},
          {"room_title", "t"},
          {"author_id", "a"},
          {"created", "2026-11-24T08:45:44Z"},
          {"from_bridge", "yes"}},
         "from_bridge must be a boolean"},
        {"mentions hold numbers",
         event_type::agent_message,
         {{"message_id", "m"},
          {"room_id", "r"},
          {"room_title", "t"},
          {"author_id", "a"},
          {"created", "2026-11-24T08:45:44Z"},
          {"mentioned_people", {1, 2}}},
         "mentioned_people must hold strings"},
        {"call a string",
         event_type::customer_message,
         {{"customer", "+12088675309"}, {"channel", "voice"}, {"received_at", "x"}, {"call", "c1"}},
         "expected an object"},
        {"call_id a number",
         event_type::customer_message,
         {{"customer", "+12088675309"},
          {"channel", "voice"},
          {"received_at", "x"},
          {"call", {{"call_id", 7}}}},
         "call_id must be a string"},
        {"members an object",
         event_type::team_members,
         {{"members", room}},
         "members must be an array"},
        {"a member without person_id",
         event_type::room_members,
         {{"room_id", "r"}, {"members", {{{"email", "a@b"}}}}},
         "missing person_id"},
        {"to a number",
         event_type::send_sms,
         {{"to", 12088675309LL}, {"text", "hi"}},
         "to must be a string"},
        {"forward_to null",
         event_type::call_decision,
         {{"call_id", "c"}, {"forward_to", nullptr}},
         "missing forward_to"},
        {"payload an array", event_type::list_team_members, json::array(),
         "payload must be an object"},
    };
    for (const Bad& bad : table) {
        CAPTURE(bad.what);
        json document = json(stamp(make_event(bad.type, "t", "k", json::object())));
        document["payload"] = bad.payload;
        const ParsedEnvelope parsed = validate_envelope(document);
        CHECK_FALSE(parsed);
        CHECK_MESSAGE(parsed.error.find(bad.reason) != std::string::npos, parsed.error);
        // A reason names the field; nlohmann's own type errors would not.
        CHECK(parsed.error.find("json.exception") == std::string::npos);
    }
}

TEST_CASE("envelope members of the wrong type are rejections, not exceptions") {
    const json good = json(stamp(make_event(event_type::customer_message, "t", "k", sample_sms())));
    const std::vector<std::pair<std::string, json>> table = {
        {"id", 5},
        {"type", json::array()},
        {"time", 1.5},
        {"source", true},
        {"key", json::object()},
        {"correlation_id", 3},
        {"schema_version", "1"},
        {"schema_version", 4294967297ULL},
        {"schema_version", -1},
        {"schema_version", 1.0},
        {"payload", "{}"},
    };
    for (const auto& row : table) {
        // Not a structured binding: C++17 lets no lambda (CAPTURE's) capture one.
        const auto& member = row.first;
        const auto& value = row.second;
        CAPTURE(member);
        CAPTURE(value.dump());
        json document = good;
        document[member] = value;
        const ParsedEnvelope parsed = validate_envelope(document);
        CHECK_FALSE(parsed);
        CHECK_MESSAGE(parsed.error.find(member) != std::string::npos, parsed.error);
    }
}

TEST_CASE("per-instance topics keep the names their journals were written under") {
    CHECK(topics::acks_for("router-1") == "ack.router-1");
    CHECK(topics::replies_for("tropo-gateway") == "reply.tropo-gateway");
    CHECK(topics::spark_webhooks_for("spark-gateway-2") == "spark.webhook.spark-gateway-2");
}
