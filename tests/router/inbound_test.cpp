// Decoding once (inbound.h): each type the router handles becomes its payload type, any other
// type is NotForRouter, and a payload that does not match its type is an error, not a guess.
#include "inbound.h"

#include <doctest/doctest.h>

using namespace sb;
using namespace sb::router;

namespace {

Envelope event_of(std::string_view type, json payload) {
    Envelope event;
    event.id = "evt-1";
    event.type = std::string(type);
    event.correlation_id = "cmd-1";
    event.payload = std::move(payload);
    return event;
}

template <class T>
bool decodes_as(std::string_view type, const json& payload) {
    const Inbound inbound = decode(EventRef{"s", 7}, event_of(type, payload));
    return std::holds_alternative<T>(inbound.payload);
}

}  // namespace

TEST_CASE("inbound: each type is decoded once into its payload") {
    CHECK(decodes_as<CustomerMessage>(
        event_type::customer_message,
        CustomerMessage{
            "+12088675309", "sms", "hi", "", {}, "", "", "2026-05-01T10:00:00Z", std::nullopt}));
    AgentMessage agent;
    agent.message_id = "m";
    agent.room_id = "r";
    CHECK(decodes_as<AgentMessage>(event_type::agent_message, agent));
    CHECK(decodes_as<RoomsPage>(event_type::rooms_page, RoomsPage{"sync", 0, true, {}}));
    CHECK(decodes_as<RoomCreated>(event_type::room_created,
                                  RoomCreated{"+12088675309", "r1", "2088675309"}));
    CHECK(decodes_as<RoomMembers>(event_type::room_members, RoomMembers{"r1", {}}));
    CHECK(decodes_as<TeamMembers>(event_type::team_members, TeamMembers{}));
    CHECK(decodes_as<MessagePosted>(event_type::message_posted, MessagePosted{"r1", "m1"}));
    CHECK(decodes_as<MemberAdded>(event_type::member_added, MemberAdded{"r1", "p", ""}));
    CHECK(decodes_as<CommandFailed>(event_type::command_failed,
                                    CommandFailed{"PostMessage", "gone", 404}));
    CHECK(decodes_as<DeliveryReport>(event_type::delivery_report,
                                     DeliveryReport{"+12088675309", "failed", 0, "x", "r1"}));
    // Commands are not the router's to take in, nor anything unknown.
    CHECK(decodes_as<NotForRouter>(event_type::post_message, PostMessage{"r1", "", "x"}));
    CHECK(decodes_as<NotForRouter>("SomethingElse", json::object()));

    const Inbound inbound =
        decode(EventRef{"s", 7}, event_of(event_type::message_posted, MessagePosted{"r1", "m1"}));
    CHECK(inbound.ref == EventRef{"s", 7});
    CHECK(inbound.id == "evt-1");
    CHECK(inbound.correlation_id == "cmd-1");
    CHECK(std::get<MessagePosted>(inbound.payload).message_id == "m1");
}

TEST_CASE("inbound: a payload that does not match its type throws") {
    CHECK_THROWS(decode(EventRef{}, event_of(event_type::customer_message, {{"customer", 42}})));
    CHECK_THROWS(decode(EventRef{}, event_of(event_type::rooms_page, json::array())));
    CHECK_THROWS(decode(EventRef{}, event_of(event_type::message_posted, json::object())));
    CHECK_NOTHROW(decode(EventRef{}, event_of("SomethingElse", json::array())));
}
