#include "webex_json.h"

#include "switchboard/time_format.h"
#include "webex_ids.h"

namespace sb::sandbox::spark {

using json = nlohmann::json;

json person_json(const Person& person, const std::string& org_id, bool with_presence) {
    json out = {{"id", person.id},
                {"emails", json::array({person.email})},
                {"displayName", person.display_name},
                {"nickName", person.first_name},
                {"firstName", person.first_name},
                {"lastName", person.last_name},
                {"orgId", org_id},
                {"created", iso8601(person.created)},
                {"type", "person"}};
    // Presence is shown only within the caller's organization (here: always), and optional.
    if (with_presence && person.has_presence) {
        out["status"] = person.status;
        out["lastActivity"] = iso8601(person.last_activity);
    }
    return out;
}

json room_json(const Room& room, const std::string& org_id) {
    json out = {{"id", room.id},
                {"title", room.title},
                {"type", room.type},
                {"isLocked", false},
                {"lastActivity", iso8601(room.last_activity)},
                {"creatorId", room.creator_id},
                {"created", iso8601(room.created)},
                {"ownerId", org_id}};
    if (!room.team_id.empty()) out["teamId"] = room.team_id;
    return out;
}

json membership_json(const Membership& membership, const Person* person,
                     const std::string& org_id) {
    return {{"id", membership.id},
            {"roomId", membership.room_id},
            {"personId", membership.person_id},
            {"personEmail", person ? person->email : ""},
            {"personDisplayName", person ? person->display_name : ""},
            {"personOrgId", org_id},
            {"isModerator", membership.is_moderator},
            {"isMonitor", false},
            {"created", iso8601(membership.created)}};
}

json team_membership_json(const TeamMembership& membership, const Person* person,
                          const std::string& org_id) {
    return {{"id", membership.id},
            {"teamId", membership.team_id},
            {"personId", membership.person_id},
            {"personEmail", person ? person->email : ""},
            {"personDisplayName", person ? person->display_name : ""},
            {"personOrgId", org_id},
            {"isModerator", membership.is_moderator},
            {"created", iso8601(membership.created)}};
}

json message_json(const Message& message, const Person* author, const std::string& room_type) {
    json out = {{"id", message.id},
                {"roomId", message.room_id},
                {"roomType", room_type},
                {"text", message.text},
                {"personId", message.person_id},
                {"personEmail", author ? author->email : ""},
                {"created", iso8601(message.created)}};
    if (!message.markdown.empty()) out["markdown"] = message.markdown;
    if (!message.html.empty()) out["html"] = message.html;
    if (!message.mentioned_people.empty()) out["mentionedPeople"] = message.mentioned_people;
    if (!message.mentioned_groups.empty()) out["mentionedGroups"] = message.mentioned_groups;
    if (!message.files.empty()) out["files"] = message.files;
    if (!message.parent_id.empty()) out["parentId"] = message.parent_id;
    return out;
}

json webhook_json(const Webhook& webhook, const std::string& org_id) {
    json out = {{"id", webhook.id},
                {"name", webhook.name},
                {"targetUrl", webhook.target_url},
                {"resource", webhook.resource},
                {"event", webhook.event},
                {"orgId", org_id},
                {"createdBy", webhook.owner_id},
                {"appId", webex_id("APPLICATION", "sandbox-app")},
                {"ownedBy", "creator"},
                {"status", webhook.status},
                {"created", iso8601(webhook.created)}};
    if (!webhook.filter.empty()) out["filter"] = webhook.filter;
    if (!webhook.secret.empty()) out["secret"] = webhook.secret;
    return out;
}

}  // namespace sb::sandbox::spark
