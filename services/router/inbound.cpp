#include "inbound.h"

#include <functional>
#include <map>

namespace sb::router {
namespace {

using Decoder = std::function<Payload(const json&)>;

template <class T>
Decoder as() {
    return [](const json& payload) { return Payload{payload.get<T>()}; };
}

const std::map<std::string, Decoder, std::less<>>& decoders() {
    static const std::map<std::string, Decoder, std::less<>> table{
        {std::string(event_type::customer_message), as<CustomerMessage>()},
        {std::string(event_type::agent_message), as<AgentMessage>()},
        {std::string(event_type::rooms_page), as<RoomsPage>()},
        {std::string(event_type::room_created), as<RoomCreated>()},
        {std::string(event_type::room_members), as<RoomMembers>()},
        {std::string(event_type::team_members), as<TeamMembers>()},
        {std::string(event_type::message_posted), as<MessagePosted>()},
        {std::string(event_type::member_added), as<MemberAdded>()},
        {std::string(event_type::command_failed), as<CommandFailed>()},
        {std::string(event_type::delivery_report), as<DeliveryReport>()},
        {std::string(event_type::room_renamed), as<RoomRenamed>()},
        {std::string(event_type::agent_message_deleted), as<AgentMessageDeleted>()},
    };
    return table;
}

}  // namespace

Inbound decode(const EventRef& ref, const Envelope& event) {
    Inbound inbound;
    inbound.ref = ref;
    inbound.id = event.id;
    inbound.correlation_id = event.correlation_id;
    const auto decoder = decoders().find(event.type);
    inbound.payload =
        decoder == decoders().end() ? Payload{NotForRouter{}} : decoder->second(event.payload);
    return inbound;
}

}  // namespace sb::router
