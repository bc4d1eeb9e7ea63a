#include "agent_replies.h"

#include "room_text.h"
#include "switchboard/text.h"

namespace sb::router {

bool has_title(const AgentMessage& message) {
    return !trim(message.room_title).empty();
}

AgentReplies::Admitted AgentReplies::admit(const AgentMessage& message,
                                           const Directory& directory) {
    Admitted admitted;
    // Anyone can title a space `Anything 3055550111` and add the proxy: only the team's rooms
    // are customer rooms. Such a message causes nothing, not even a memory.
    if (!directory.in_team(message.room_team_id)) {
        admitted.outcome = Outcome::foreign_room;
        return admitted;
    }
    const SeenMessages::Change seen = seen_.admit(message.message_id);
    if (!seen.added) {
        admitted.outcome = Outcome::duplicate;
        return admitted;
    }
    admitted.remember.push_back(
        {std::string(kSeenPrefix) + message.message_id, nlohmann::json(nullptr)});
    if (seen.forgotten) {
        admitted.remember.push_back({std::string(kSeenPrefix) + *seen.forgotten, {}});
    }
    if (message.room_type == "direct") admitted.outcome = Outcome::ignored;
    return admitted;
}

AgentReplies::Reply AgentReplies::reply(const AgentMessage& message, const RoomInfo* room) {
    // Remember who the bridge is, so its membership never passes for an agent's.
    if (message.from_bridge) bridge_.learn(message.author_email, message.author_id);
    if (message.from_bridge || bridge_.is(message.author_email, "")) return {Outcome::echo, {}};
    // The team's own rooms, and rooms nobody can place.
    if (room == nullptr || room->customer.empty()) return {Outcome::ignored, {}};
    if (!message.mentioned_people.empty() || !message.mentioned_groups.empty()) {
        return {Outcome::whisper, {}};
    }
    Reply reply;
    reply.file_refusals = message.file_refusals;
    reply.text = agent_sms_text(message);
    reply.attachments = message.attachments;
    // A file alone is still a reply (a picture needs no words).
    reply.outcome =
        trim(reply.text).empty() && reply.attachments.empty() ? Outcome::ignored : Outcome::reply;
    if (reply.outcome == Outcome::ignored) reply.text.clear();
    return reply;
}

}  // namespace sb::router
