#include "webhook_delivery.h"

#include <algorithm>

#include "switchboard/time_format.h"
#include "webex_json.h"

namespace sb::sandbox::spark {

bool filter_admits(const Webhook& webhook, const Message& message, const Person* author,
                   const std::string& room_type) {
    bool matches = true;
    size_t at = 0;
    while (matches && at < webhook.filter.size()) {
        const auto end = webhook.filter.find('&', at);
        const std::string condition = webhook.filter.substr(at, end - at);
        at = end == std::string::npos ? webhook.filter.size() : end + 1;
        const auto equals = condition.find('=');
        if (equals == std::string::npos) continue;
        const std::string name = condition.substr(0, equals);
        const std::string value = condition.substr(equals + 1);
        if (name == "roomId")
            matches = value == message.room_id;
        else if (name == "personId")
            matches = value == message.person_id;
        else if (name == "personEmail")
            matches = author && value == author->email;
        else if (name == "roomType")
            matches = value == room_type;
        else if (name == "mentionedPeople") {
            const std::string wanted = value == "me" ? webhook.owner_id : value;
            matches = std::find(message.mentioned_people.begin(), message.mentioned_people.end(),
                                wanted) != message.mentioned_people.end();
        }
    }
    return matches;
}

namespace {

std::optional<nlohmann::json> envelope_for(const Webhook& webhook, const Message& message,
                                           const Person* author, const std::string& room_type,
                                           const std::string& org_id, const std::string& event,
                                           const std::string& actor_id) {
    if (webhook.status != "active") return std::nullopt;
    if (webhook.resource != "messages" && webhook.resource != "all") return std::nullopt;
    if (webhook.event != event && webhook.event != "all") return std::nullopt;
    if (!filter_admits(webhook, message, author, room_type)) return std::nullopt;
    nlohmann::json envelope = webhook_json(webhook, org_id);
    envelope.erase("secret");
    envelope["actorId"] = actor_id;
    envelope["data"] = {{"id", message.id},
                        {"roomId", message.room_id},
                        {"roomType", room_type},
                        {"personId", message.person_id},
                        {"personEmail", author ? author->email : ""},
                        {"created", iso8601(message.created)}};
    return envelope;
}

}  // namespace

std::optional<Delivery> deletion_for(const Webhook& webhook, const Message& message,
                                     const Person* author, const std::string& room_type,
                                     const std::string& org_id, const std::string& actor_id) {
    auto envelope = envelope_for(webhook, message, author, room_type, org_id, "deleted", actor_id);
    if (!envelope) return std::nullopt;
    (*envelope)["event"] = "deleted";  // a webhook for "all" tells which event this is
    return Delivery{webhook.id, webhook.target_url, webhook.secret, envelope->dump()};
}

std::optional<Delivery> delivery_for(const Webhook& webhook, const Message& message,
                                     const Person* author, const std::string& room_type,
                                     const std::string& org_id) {
    auto envelope =
        envelope_for(webhook, message, author, room_type, org_id, "created", message.person_id);
    if (!envelope) return std::nullopt;
    // Like Webex: the files' URLs and the thread travel with the ids (the text does not).
    if (!message.files.empty()) (*envelope)["data"]["files"] = message.files;
    if (!message.parent_id.empty()) (*envelope)["data"]["parentId"] = message.parent_id;
    return Delivery{webhook.id, webhook.target_url, webhook.secret, envelope->dump()};
}

}  // namespace sb::sandbox::spark
