#pragma once
// An inbound event decoded once: its type string picks the payload type, the payload is read
// into it, and the core visits the result (std::visit). Nothing after this looks at the type
// string or the JSON again.
#include <string>
#include <variant>

#include "core_types.h"

namespace sb::router {

// A type the router does not handle: it is ignored (counted), never an error.
struct NotForRouter {};

using Payload = std::variant<NotForRouter, CustomerMessage, AgentMessage, RoomsPage, RoomCreated,
                             RoomMembers, TeamMembers, MessagePosted, MemberAdded, CommandFailed,
                             DeliveryReport, RoomRenamed, AgentMessageDeleted>;

struct Inbound {
    EventRef ref;
    std::string id;              // the event's own id (a CustomerMessage names its posts by it)
    std::string correlation_id;  // the command a result answers
    Payload payload;
};

// Throws (nlohmann's or ContractError) when the payload does not decode as its type says.
Inbound decode(const EventRef& ref, const Envelope& event);

}  // namespace sb::router
