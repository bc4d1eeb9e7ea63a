// Webex REST rules for rooms: list (teamId, type, sortBy, paged), create, get, rename.
#include <algorithm>

#include "paging.h"
#include "spark_state.h"
#include "switchboard/time_format.h"

namespace sb::sandbox::spark {

Reply SparkState::list_rooms(const std::string& caller, const Query& query) const {
    std::lock_guard lock(mutex_);
    const auto max = read_max(query, kListPageSize);
    if (!max) return bad_max(kListPageSize);
    const std::string team = query_value(query, "teamId");
    const std::string type = query_value(query, "type");
    const std::string sort = query_value(query, "sortBy");
    if (!sort.empty() && sort != "id" && sort != "lastactivity" && sort != "created") {
        return fail(400, "sortBy must be one of id, lastactivity, created.");
    }
    if (!team.empty() && team_id_ != team) return fail(404, "Could not find a team with that id.");
    std::vector<const Room*> rooms;
    for (const auto& [id, room] : rooms_) {
        if (!team.empty() && room.team_id != team) continue;
        if (!type.empty() && room.type != type) continue;
        if (!is_member(id, caller)) continue;
        rooms.push_back(&room);
    }
    const auto key_of = [&](const Room& room) -> std::string {
        if (sort == "lastactivity") return iso8601(room.last_activity);
        if (sort == "created") return iso8601(room.created);
        return {};
    };
    const Order order =
        sort == "lastactivity" || sort == "created" ? Order::descending : Order::ascending;
    std::sort(rooms.begin(), rooms.end(), [&](const Room* a, const Room* b) {
        const auto ka = std::make_pair(key_of(*a), a->id);
        const auto kb = std::make_pair(key_of(*b), b->id);
        return order == Order::descending ? kb < ka : ka < kb;
    });
    return page_reply(rooms, query, *max, order, key_of,
                      [&](const Room& room) { return room_json(room); });
}

Reply SparkState::create_room(const std::string& caller, const json& body) {
    std::lock_guard lock(mutex_);
    const std::string title = string_field(body, "title");
    if (title.empty()) return fail(400, "title cannot be empty.");
    if (title.size() > 1024) return fail(400, "title is too long.");
    const std::string team = string_field(body, "teamId");
    if (!team.empty()) {
        if (team != team_id_) return fail(404, "Could not find a team with that id.");
        if (!is_team_member(team, caller)) return fail(403, "Not a member of the team.");
    }
    Room& room = add_room(title, team, caller);
    return ok(room_json(room));
}

Reply SparkState::get_room(const std::string& caller, const std::string& id) const {
    std::lock_guard lock(mutex_);
    const auto found = rooms_.find(id);
    if (found == rooms_.end() || !is_member(id, caller)) {
        return fail(404, "Could not find a room with the specified id.");
    }
    return ok(room_json(found->second));
}

Reply SparkState::update_room(const std::string& caller, const std::string& id, const json& body) {
    std::lock_guard lock(mutex_);
    const auto found = rooms_.find(id);
    if (found == rooms_.end() || !is_member(id, caller)) {
        return fail(404, "Could not find a room with the specified id.");
    }
    const std::string title = string_field(body, "title");
    if (title.empty()) return fail(400, "title cannot be empty.");
    found->second.title = title;
    return ok(room_json(found->second));
}

}  // namespace sb::sandbox::spark
