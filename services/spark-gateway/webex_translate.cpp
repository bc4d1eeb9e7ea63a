#include "webex_translate.h"

#include <cctype>

namespace sb::spark_gateway {
namespace {

constexpr size_t kMaxIdBytes = 512;

std::string text_of(const json& object, const char* name) {
    if (!object.is_object()) return {};
    const auto found = object.find(name);
    if (found == object.end() || !found->is_string()) return {};
    return found->get<std::string>();
}

std::vector<std::string> strings_of(const json& object, const char* name) {
    std::vector<std::string> values;
    if (!object.is_object()) return values;
    const auto found = object.find(name);
    if (found == object.end() || !found->is_array()) return values;
    for (const json& item : *found) {
        if (item.is_string()) values.push_back(item.get<std::string>());
    }
    return values;
}

// Ours for `event`: messages/created and messages/deleted each have a webhook of their own.
bool is_ours(const json& hook, const std::string& name, const std::string& target,
             const std::string& event) {
    const std::string hook_event = text_of(hook, "event");
    return (text_of(hook, "targetUrl") == target || text_of(hook, "name") == name) &&
           (hook_event == event || hook_event.empty());
}

bool fits(const json& hook, const std::string& target, const std::string& event) {
    return text_of(hook, "resource") == "messages" && text_of(hook, "event") == event &&
           text_of(hook, "filter").empty() && text_of(hook, "targetUrl") == target;
}

}  // namespace

std::string text_field(const json& object, const char* name) {
    return object.is_object() ? text_of(object, name) : std::string();
}

std::string first_email(const json& person) {
    const auto emails = strings_of(person, "emails");
    return emails.empty() ? std::string() : emails.front();
}

ParsedNotice parse_webhook(const std::string& body) {
    ParsedNotice parsed;
    const json document = json::parse(body, nullptr, false);
    if (document.is_discarded()) {
        parsed.error = "body is not JSON";
        return parsed;
    }
    if (!document.is_object()) {
        parsed.error = "body is not a JSON object";
        return parsed;
    }
    const std::string resource = text_of(document, "resource");
    const std::string event = text_of(document, "event");
    if (resource.empty() || event.empty()) {
        parsed.error = "resource and event are required";
        return parsed;
    }
    const auto data = document.find("data");
    if (data == document.end() || !data->is_object()) {
        parsed.error = "data must be an object";
        return parsed;
    }
    if (resource != "messages" || (event != "created" && event != "deleted")) {
        parsed.ignored = true;
        return parsed;
    }
    parsed.deleted = event == "deleted";  // same data: ids only
    WebhookNotice notice;
    notice.message_id = text_of(*data, "id");
    notice.room_id = text_of(*data, "roomId");
    notice.room_type = text_of(*data, "roomType");
    notice.person_id = text_of(*data, "personId");
    notice.person_email = text_of(*data, "personEmail");
    notice.created = text_of(*data, "created");
    if (notice.message_id.empty() || notice.room_id.empty()) {
        parsed.error = "data.id and data.roomId are required";
        return parsed;
    }
    for (const std::string* value : {&notice.message_id, &notice.room_id, &notice.room_type,
                                     &notice.person_id, &notice.person_email, &notice.created}) {
        if (value->size() > kMaxIdBytes) {
            parsed.error = "a data field is too long";
            return parsed;
        }
    }
    // Ids are base64: anything else is hostile (they end up in URL paths).
    for (const std::string* id : {&notice.message_id, &notice.room_id}) {
        for (const char c : *id) {
            const bool allowed = std::isalnum(static_cast<unsigned char>(c)) || c == '+' ||
                                 c == '/' || c == '=' || c == '-' || c == '_';
            if (!allowed) {
                parsed.error = "data.id and data.roomId must be Webex ids";
                return parsed;
            }
        }
    }
    parsed.notice = notice;
    return parsed;
}

AgentMessage skeleton_from(const WebhookNotice& notice) {
    AgentMessage skeleton;
    skeleton.message_id = notice.message_id;
    skeleton.room_id = notice.room_id;
    skeleton.room_type = notice.room_type;
    skeleton.author_id = notice.person_id;
    skeleton.author_email = notice.person_email;
    skeleton.created = notice.created;
    return skeleton;
}

WebhookNotice notice_from(const AgentMessage& skeleton) {
    return WebhookNotice{skeleton.message_id, skeleton.room_id,      skeleton.room_type,
                         skeleton.author_id,  skeleton.author_email, skeleton.created};
}

AgentMessage agent_message_from(const json& message, const RoomFacts& room,
                                const std::string& author_name, bool from_bridge) {
    AgentMessage out;
    out.message_id = text_of(message, "id");
    out.room_id = text_of(message, "roomId");
    out.room_title = room.title;
    out.room_type = text_of(message, "roomType");
    out.room_team_id = room.team_id;
    out.author_id = text_of(message, "personId");
    out.author_email = text_of(message, "personEmail");
    out.author_name = author_name;
    out.text = text_of(message, "text");
    out.markdown = text_of(message, "markdown");
    out.files = strings_of(message, "files");
    out.mentioned_people = strings_of(message, "mentionedPeople");
    out.mentioned_groups = strings_of(message, "mentionedGroups");
    out.created = text_of(message, "created");
    out.from_bridge = from_bridge;
    return out;
}

RoomSummary room_summary_from(const json& room) {
    return RoomSummary{text_of(room, "id"), text_of(room, "title"), text_of(room, "lastActivity"),
                       text_of(room, "created")};
}

Member member_from(const json& membership, const json* person) {
    Member member;
    member.person_id = text_of(membership, "personId");
    member.email = text_of(membership, "personEmail");
    member.display_name = text_of(membership, "personDisplayName");
    if (person != nullptr && person->is_object()) {
        // status and lastActivity are optional in Webex: absent means unknown.
        member.status = text_of(*person, "status");
        member.last_activity = text_of(*person, "lastActivity");
        if (member.display_name.empty()) member.display_name = text_of(*person, "displayName");
    }
    return member;
}

WebhookPlan plan_webhook(const json& items, const std::string& name, const std::string& target,
                         const std::string& secret, const std::string& event) {
    WebhookPlan plan;
    if (!items.is_array()) {
        plan.create = true;
        return plan;
    }
    // Prefer one that already delivers messages/created to our target; else any of ours
    // (stale target after PUBLIC_BASE_URL changed) that a PUT can fix.
    const json* keep = nullptr;
    for (const json& hook : items) {
        if (hook.is_object() && fits(hook, target, event)) {
            keep = &hook;
            break;
        }
    }
    if (keep == nullptr) {
        for (const json& hook : items) {
            if (hook.is_object() && text_of(hook, "name") == name &&
                text_of(hook, "resource") == "messages" && text_of(hook, "event") == event &&
                text_of(hook, "filter").empty()) {
                keep = &hook;
                break;
            }
        }
    }
    for (const json& hook : items) {
        if (!hook.is_object() || &hook == keep || !is_ours(hook, name, target, event)) continue;
        plan.delete_ids.push_back(text_of(hook, "id"));
    }
    if (keep == nullptr) {
        plan.create = true;
        return plan;
    }
    plan.keep_id = text_of(*keep, "id");
    // Webex lists the secret; when it does not, set it again rather than trust it.
    plan.update = text_of(*keep, "targetUrl") != target || text_of(*keep, "name") != name ||
                  text_of(*keep, "status") != "active" || text_of(*keep, "secret") != secret;
    return plan;
}

json webhook_create_body(const std::string& name, const std::string& target,
                         const std::string& secret, const std::string& event) {
    return {{"name", name},
            {"targetUrl", target},
            {"resource", "messages"},
            {"event", event},
            {"secret", secret}};
}

json webhook_update_body(const std::string& name, const std::string& target,
                         const std::string& secret) {
    return {{"name", name}, {"targetUrl", target}, {"secret", secret}, {"status", "active"}};
}

}  // namespace sb::spark_gateway
