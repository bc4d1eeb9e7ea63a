#pragma once
// How each resource looks in Webex's JSON. Pure: whatever the rendering needs from elsewhere in
// the state (the organization, a person looked up, a room's type) is passed in.
#include <nlohmann/json.hpp>
#include <string>

#include "webex_model.h"

namespace sb::sandbox::spark {

// Presence (status, lastActivity) only `with_presence` and when the person has it.
nlohmann::json person_json(const Person& person, const std::string& org_id, bool with_presence);
nlohmann::json room_json(const Room& room, const std::string& org_id);
// `person`: the member, or null when unknown (email and name then read empty).
nlohmann::json membership_json(const Membership& membership, const Person* person,
                               const std::string& org_id);
nlohmann::json team_membership_json(const TeamMembership& membership, const Person* person,
                                    const std::string& org_id);
// `author` may be null; `room_type` is the type of the message's room.
nlohmann::json message_json(const Message& message, const Person* author,
                            const std::string& room_type);
nlohmann::json webhook_json(const Webhook& webhook, const std::string& org_id);

}  // namespace sb::sandbox::spark
