// The admin API's rules (tests and the UI): the whole state, presence, rooms made and renamed,
// posts as an agent, a room's history.
#include <algorithm>

#include "message_files.h"
#include "spark_state.h"
#include "switchboard/time_format.h"

namespace sb::sandbox::spark {

json SparkState::admin_people() const {
    std::lock_guard lock(mutex_);
    json items = json::array();
    for (const Person& person : people_) {
        json entry = person_json(person, true);
        entry["email"] = person.email;
        entry["isProxy"] = person.id == proxy_id_;
        entry["teamMember"] = is_team_member(team_id_, person.id);
        items.push_back(entry);
    }
    return {{"items", items}};
}

json SparkState::admin_rooms() const {
    std::lock_guard lock(mutex_);
    std::vector<const Room*> rooms;
    for (const auto& [id, room] : rooms_) rooms.push_back(&room);
    std::sort(rooms.begin(), rooms.end(),
              [](const Room* a, const Room* b) { return a->created < b->created; });
    // One pass over the memberships (in creation order), not one per room.
    std::map<std::string, json> members_of;
    for (const Membership& membership : memberships_) {
        const Person* person = find_person(membership.person_id);
        if (!person) continue;
        auto& members = members_of[membership.room_id];
        if (members.is_null()) members = json::array();
        members.push_back(person->email);
    }
    json items = json::array();
    for (const Room* room : rooms) {
        json entry = room_json(*room);
        const auto members = members_of.find(room->id);
        entry["members"] = members == members_of.end() ? json::array() : members->second;
        const auto ids = room_messages_.find(room->id);
        entry["messageCount"] = ids == room_messages_.end() ? 0 : ids->second.size();
        entry["isGeneral"] = rooms.front() == room;
        items.push_back(entry);
    }
    return {{"items", items}};
}

json SparkState::admin_state() const {
    json webhooks = json::array();
    json team;
    {
        std::lock_guard lock(mutex_);
        for (const Webhook& webhook : webhooks_) {
            json entry = webhook_json(webhook);
            entry.erase("secret");
            entry["failures"] = webhook.failures;
            webhooks.push_back(entry);
        }
        team = {{"id", team_id_}, {"name", team_name_}, {"created", iso8601(team_created_)}};
    }
    return {{"team", team},
            {"proxyId", proxy_id()},
            {"people", admin_people()["items"]},
            {"rooms", admin_rooms()["items"]},
            {"webhooks", webhooks}};
}

Reply SparkState::admin_set_status(const std::string& who, const json& body) {
    std::lock_guard lock(mutex_);
    for (Person& person : people_) {
        if (person.id != who && person.email != who) continue;
        const std::string status = string_field(body, "status");
        static const std::vector<std::string> known = {"active",      "inactive",   "call",
                                                       "meeting",     "presenting", "DoNotDisturb",
                                                       "OutOfOffice", "pending",    "unknown"};
        if (std::find(known.begin(), known.end(), status) == known.end()) {
            return fail(400, "status must be one of Webex's presence values.");
        }
        person.status = status;
        const std::string last = string_field(body, "lastActivity");
        if (!last.empty()) {
            const auto parsed = parse_iso8601(last);
            if (!parsed) return fail(400, "lastActivity must be ISO 8601.");
            person.last_activity = *parsed;
        } else if (status == "active") {
            person.last_activity = WallClock::now();
        }
        return ok(person_json(person, true));
    }
    return fail(404, "Person not found.");
}

Reply SparkState::admin_create_rooms(const json& body) {
    std::lock_guard lock(mutex_);
    std::vector<std::string> titles;
    if (body.contains("titles") && body["titles"].is_array()) {
        for (const json& title : body["titles"]) {
            if (title.is_string() && !title.get<std::string>().empty()) {
                titles.push_back(title.get<std::string>());
            }
        }
    } else if (!string_field(body, "title").empty()) {
        titles.push_back(string_field(body, "title"));
    }
    if (titles.empty() || titles.size() > 5000) {
        return fail(400, "give a title, or titles (1 to 5000)");
    }
    std::string creator = proxy_id_;
    if (!string_field(body, "as").empty()) {
        const Person* person = find_person(string_field(body, "as"));
        if (!person) return fail(404, "Person not found.");
        creator = person->id;
    }
    // `"teamId": null` makes a space in no team: what any Webex user can create and add the
    // proxy to (DESIGN §2.12: it must never count as a customer room).
    const bool no_team = body.contains("teamId") && body["teamId"].is_null();
    const std::string team = no_team                                ? std::string()
                             : string_field(body, "teamId").empty() ? team_id_
                                                                    : string_field(body, "teamId");
    json items = json::array();
    for (const std::string& title : titles) {
        Room& room = add_room(title, team, creator);
        // The bridge must see the room (the lab's proxy is in every customer room).
        if (!is_member(room.id, proxy_id_)) add_membership(room.id, proxy_id_, false);
        items.push_back(room_json(room));
    }
    return ok({{"items", items}});
}

Reply SparkState::admin_rename_room(const std::string& room_id, const json& body) {
    std::lock_guard lock(mutex_);
    const auto found = rooms_.find(room_id);
    if (found == rooms_.end()) return fail(404, "Could not find a room with the specified id.");
    const std::string title = string_field(body, "title");
    if (title.empty()) return fail(400, "title cannot be empty.");
    found->second.title = title;
    return ok(room_json(found->second));
}

Reply SparkState::admin_post(const std::string& room_id, const json& body,
                             const std::optional<NewFile>& file) {
    std::lock_guard lock(mutex_);
    const std::string as = string_field(body, "as");
    const Person* author = as.empty() ? nullptr : find_person(as);
    if (!author) return fail(404, "Person not found: give `as` (an email or person id).");
    if (!rooms_.count(room_id)) return fail(404, "Could not find a room with the specified id.");
    std::string text = string_field(body, "text");
    std::string markdown = string_field(body, "markdown");
    if (body.contains("mentions") && body["mentions"].is_array()) {
        std::string tags;
        for (const json& mention : body["mentions"]) {
            if (!mention.is_string()) continue;
            const Person* person = find_person(mention.get<std::string>());
            if (!person) return fail(404, "Mentioned person not found.");
            tags += "<@personEmail:" + person->email + "|" + person->first_name + "> ";
        }
        if (!tags.empty()) {
            markdown = tags + (markdown.empty() ? text : markdown);
            text.clear();
        }
    }
    // A team member opening a team room joins it, as in the Webex clients.
    if (!is_member(room_id, author->id)) add_membership(room_id, author->id, false);
    return post_locked(author->id, room_id, text, markdown, file, string_field(body, "parentId"));
}

Reply SparkState::admin_history(const std::string& room_id) const {
    std::lock_guard lock(mutex_);
    const auto room = rooms_.find(room_id);
    if (room == rooms_.end()) return fail(404, "Could not find a room with the specified id.");
    json items = json::array();
    const auto ids = room_messages_.find(room_id);
    if (ids != room_messages_.end()) {
        for (const std::string& id : ids->second) {
            const Message& message = messages_.at(id);
            json entry = message_json(message);
            const Person* author = find_person(message.person_id);
            entry["authorName"] = author ? author->display_name : "";
            entry["fromProxy"] = message.person_id == proxy_id_;
            // What the UI needs to show a file (a picture inline, anything else as a link)
            // without a token: its admin path, type and name.
            json files = json::array();
            for (const std::string& url : message.files) {
                const auto content_id = content_id_in(url);
                const auto content = content_id ? contents_.find(*content_id) : contents_.end();
                if (content == contents_.end()) continue;
                files.push_back({{"path", "/sandbox/spark/contents/" + *content_id},
                                 {"contentType", content->second.content_type},
                                 {"filename", content->second.filename},
                                 {"size", content->second.bytes.size()}});
            }
            if (!files.empty()) entry["fileDetails"] = files;
            entry["arrivedMicros"] = std::chrono::duration_cast<std::chrono::microseconds>(
                                         message.arrived.time_since_epoch())
                                         .count();
            items.push_back(entry);
        }
    }
    return ok({{"room", room_json(room->second)}, {"items", items}});
}

}  // namespace sb::sandbox::spark
