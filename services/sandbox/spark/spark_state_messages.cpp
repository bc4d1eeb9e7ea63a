// Webex REST rules for messages: post (text or markdown, mentions, size cap, one file, a reply
// in a thread), get, list newest first (paged); every post is handed to the webhooks it matches.
#include "markdown_text.h"
#include "mentions.h"
#include "message_files.h"
#include "paging.h"
#include "spark_state.h"
#include "switchboard/text.h"
#include "webex_ids.h"

namespace sb::sandbox::spark {

Reply SparkState::create_message(const std::string& caller, const json& body,
                                 const std::optional<NewFile>& file) {
    std::lock_guard lock(mutex_);
    const std::string room = string_field(body, "roomId");
    if (room.empty()) {
        if (body.contains("toPersonId") || body.contains("toPersonEmail")) {
            return fail(400, "Direct messages are not supported by the sandbox.");
        }
        return fail(400, "roomId cannot be empty.");
    }
    if (body.contains("text") && !body["text"].is_string()) {
        return fail(400, "text must be a string.");
    }
    if (body.contains("markdown") && !body["markdown"].is_string()) {
        return fail(400, "markdown must be a string.");
    }
    if (body.contains("parentId") && !body["parentId"].is_string()) {
        return fail(400, "parentId must be a string.");
    }
    const FileAsked asked = file_asked(body);
    if (asked.error) return *asked.error;
    if (asked.url && !file) return fetch_failed("nothing was fetched");
    return post_locked(caller, room, string_field(body, "text"), string_field(body, "markdown"),
                       asked.url ? file : std::nullopt, string_field(body, "parentId"));
}

Reply SparkState::post_locked(const std::string& caller, const std::string& room_id,
                              const std::string& text, const std::string& markdown,
                              const std::optional<NewFile>& file, const std::string& parent_id) {
    const auto room = rooms_.find(room_id);
    if (room == rooms_.end() || !is_member(room_id, caller)) {
        return fail(404, "Could not find a room with the specified id.");
    }
    if (text.empty() && markdown.empty() && !file) {
        return fail(400, "Message must contain text, markdown or files.");
    }
    if (!parent_id.empty()) {
        // Webex threads one level deep: the parent is a top-level message of the same room.
        const auto parent = messages_.find(parent_id);
        if (parent == messages_.end() || parent->second.room_id != room_id ||
            !parent->second.parent_id.empty()) {
            return fail(400, "Invalid parentId: it must be a top-level message of this room.");
        }
    }
    if (text.size() > kMaxMessageBytes || markdown.size() > kMaxMessageBytes) {
        return fail(400, "Message text or markdown exceeds the maximum length of 7439 bytes.");
    }
    Message message;
    message.id = new_webex_id("MESSAGE");
    message.room_id = room_id;
    message.person_id = caller;
    message.markdown = markdown;
    message.parent_id = parent_id;
    if (file) {
        Content content;
        content.id = new_webex_id("CONTENT");
        content.room_id = room_id;
        content.content_type = file->content_type;
        content.filename = file->filename;
        content.bytes = file->bytes;
        content.scans_left = scan_answers_;
        content.verdict = scan_verdict_;
        message.files.push_back(content_url(public_base_, content.id));
        contents_[content.id] = std::move(content);
    }
    if (!markdown.empty()) {
        Mentions mentions = mentions_in(markdown, [this](const std::string& key) {
            const Person* person = find_person(key);
            return person ? std::optional<std::string>(person->id) : std::nullopt;
        });
        message.mentioned_people = std::move(mentions.people);
        message.mentioned_groups = std::move(mentions.groups);
        const auto name_of = [this](const std::string& key) {
            const Person* person = find_person(key);
            return person ? person->display_name : key;
        };
        message.text = text.empty() ? markdown_to_text(markdown, name_of) : text;
        message.html = "<p>" + sb::html_escape(message.text) + "</p>";
    } else {
        message.text = text;
    }
    message.created = tick();
    message.arrived = WallClock::now();
    message.seq = next_seq_++;
    room->second.last_activity = message.created;
    for (Person& person : people_) {
        if (person.id == caller) {
            person.last_activity = message.created;
            if (person.status == "inactive") person.status = "active";
        }
    }
    messages_[message.id] = message;
    room_messages_[room_id].push_back(message.id);
    deliver_locked(message);
    return ok(message_json(message));
}

Reply SparkState::get_message(const std::string& caller, const std::string& id) const {
    std::lock_guard lock(mutex_);
    const auto found = messages_.find(id);
    if (found == messages_.end() || !is_member(found->second.room_id, caller)) {
        return fail(404, "Could not find a message with the specified id.");
    }
    return ok(message_json(found->second));
}

Reply SparkState::list_messages(const std::string& caller, const Query& query) const {
    std::lock_guard lock(mutex_);
    const std::string room = query_value(query, "roomId");
    if (room.empty()) return fail(400, "roomId cannot be empty.");
    const auto max = read_max(query, kMessagePageSize);
    if (!max) return bad_max(kMessagePageSize);
    if (!rooms_.count(room) || !is_member(room, caller)) {
        return fail(404, "Could not find a room with the specified id.");
    }
    std::vector<const Message*> newest_first;
    const auto ids = room_messages_.find(room);
    if (ids != room_messages_.end()) {
        for (auto it = ids->second.rbegin(); it != ids->second.rend(); ++it) {
            newest_first.push_back(&messages_.at(*it));
        }
    }
    const auto key_of = [](const Message& message) { return sequence_key(message.seq); };
    return page_reply(newest_first, query, *max, Order::descending, key_of,
                      [&](const Message& message) { return message_json(message); });
}

}  // namespace sb::sandbox::spark
