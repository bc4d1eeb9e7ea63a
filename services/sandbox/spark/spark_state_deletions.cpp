// Webex REST rules for deleting a message: only its author or a moderator of its room may (403
// for other members, 404 for a message the caller cannot see); the message is gone from every
// listing and from GET, and each webhook it matches gets `messages`/`deleted` with its ids.
// Replies in its thread stay, as in Webex.
#include <algorithm>

#include "spark_state.h"

namespace sb::sandbox::spark {

bool SparkState::is_moderator(const std::string& room_id, const std::string& person_id) const {
    return std::any_of(memberships_.begin(), memberships_.end(), [&](const Membership& m) {
        return m.room_id == room_id && m.person_id == person_id && m.is_moderator;
    });
}

Reply SparkState::delete_message(const std::string& caller, const std::string& id) {
    std::lock_guard lock(mutex_);
    const auto found = messages_.find(id);
    if (found == messages_.end() || !is_member(found->second.room_id, caller)) {
        return fail(404, "Could not find a message with the specified id.");
    }
    const Message message = found->second;
    if (message.person_id != caller && !is_moderator(message.room_id, caller)) {
        return fail(403, "Only the author or a moderator can delete this message.");
    }
    messages_.erase(found);
    auto& ids = room_messages_[message.room_id];
    ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
    deliver_deletion_locked(message, caller);
    return no_content();
}

Reply SparkState::admin_delete_message(const std::string& message_id, const std::string& as) {
    std::string caller;
    {
        std::lock_guard lock(mutex_);
        const auto found = messages_.find(message_id);
        if (found == messages_.end()) {
            return fail(404, "Could not find a message with the specified id.");
        }
        if (as.empty()) {
            caller = found->second.person_id;
        } else if (const Person* person = find_person(as)) {
            caller = person->id;
        } else {
            return fail(404, "Unknown person: " + as.substr(0, 80));
        }
    }
    return delete_message(caller, message_id);
}

void SparkState::deliver_deletion_locked(const Message& message, const std::string& actor_id) {
    if (!sink_) return;
    const Person* author = find_person(message.person_id);
    const auto room = rooms_.find(message.room_id);
    const std::string room_type = room != rooms_.end() ? room->second.type : "group";
    for (const Webhook& webhook : webhooks_) {
        if (auto delivery = deletion_for(webhook, message, author, room_type, org_id_, actor_id)) {
            sink_(std::move(*delivery));
        }
    }
}

}  // namespace sb::sandbox::spark
