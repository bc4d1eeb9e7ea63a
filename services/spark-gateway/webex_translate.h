#pragma once
// Pure translations between Webex JSON and Switchboard's events: no sockets, no clock.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "switchboard/events.h"
#include "webex_cache.h"

namespace sb::spark_gateway {

using json = nlohmann::json;

// What a messages/created delivery tells: ids only (the text must be fetched).
struct WebhookNotice {
    std::string message_id;
    std::string room_id;
    std::string room_type;
    std::string person_id;
    std::string person_email;
    std::string created;
};

struct ParsedNotice {
    std::optional<WebhookNotice> notice;  // a messages/created (or messages/deleted) delivery
    bool deleted = false;                 // the notice is of messages/deleted (same data)
    bool ignored = false;                 // well-formed, but another resource/event
    std::string error;                    // malformed: why
};
ParsedNotice parse_webhook(const std::string& body);

// The notice travels durably on the gateway's own journal topic as a skeleton AgentMessage
// (ids only, no title or text) so a crash after the 2xx loses nothing.
AgentMessage skeleton_from(const WebhookNotice& notice);
WebhookNotice notice_from(const AgentMessage& skeleton);

// GET /messages/{id} (or the POST /messages answer) and the room it is in -> AgentMessage.
AgentMessage agent_message_from(const json& message, const RoomFacts& room,
                                const std::string& author_name, bool from_bridge);

RoomSummary room_summary_from(const json& room);

// A membership or team membership plus, when known, the person's presence.
Member member_from(const json& membership, const json* person);

// What to do so that exactly one messages/`event` webhook named `name` points at `target` with
// `secret`, given GET /webhooks's items. Webhooks of other names and targets are not ours and
// are left alone, and so are ours for another event (each event has its own webhook and plan).
struct WebhookPlan {
    std::string keep_id;                  // the webhook to keep (maybe after an update)
    bool create = false;                  // none fits: create one
    bool update = false;                  // keep_id needs a PUT (target, secret, name, status)
    std::vector<std::string> delete_ids;  // duplicates and leftovers
    bool noop() const { return !create && !update && delete_ids.empty(); }
};
WebhookPlan plan_webhook(const json& items, const std::string& name, const std::string& target,
                         const std::string& secret, const std::string& event = "created");

// Bodies for POST and PUT /webhooks.
json webhook_create_body(const std::string& name, const std::string& target,
                         const std::string& secret, const std::string& event = "created");
json webhook_update_body(const std::string& name, const std::string& target,
                         const std::string& secret);

// Field readers that never throw: missing or mistyped reads as empty.
std::string text_field(const json& object, const char* name);
std::string first_email(const json& person);  // people's "emails"[0]

// UTF-8 byte limit of Webex's text and markdown.
inline constexpr size_t kMaxMessageBytes = 7439;

}  // namespace sb::spark_gateway
