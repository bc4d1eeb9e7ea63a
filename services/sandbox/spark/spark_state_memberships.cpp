// Webex REST rules for room memberships (list, add, remove) and team memberships (list, add).
#include <algorithm>

#include "paging.h"
#include "spark_state.h"
#include "webex_ids.h"

namespace sb::sandbox::spark {

Reply SparkState::list_memberships(const std::string& caller, const Query& query) const {
    std::lock_guard lock(mutex_);
    const auto max = read_max(query, kListPageSize);
    if (!max) return bad_max(kListPageSize);
    const std::string room = query_value(query, "roomId");
    const std::string person = query_value(query, "personId");
    const std::string email = query_value(query, "personEmail");
    if (!room.empty() && (!rooms_.count(room) || !is_member(room, caller))) {
        return fail(404, "Could not find a room with the specified id.");
    }
    std::vector<const Membership*> matching;
    for (const Membership& membership : memberships_) {
        if (!room.empty() && membership.room_id != room) continue;
        if (room.empty() && !is_member(membership.room_id, caller)) continue;
        if (room.empty() && person.empty() && email.empty() && membership.person_id != caller) {
            continue;  // without a room, Webex lists the caller's own memberships
        }
        if (!person.empty() && membership.person_id != person) continue;
        if (!email.empty()) {
            const Person* who = find_person(membership.person_id);
            if (!who || who->email != email) continue;
        }
        matching.push_back(&membership);
    }
    return page_reply(
        matching, query, *max, Order::ascending,
        [](const Membership& membership) { return sequence_key(membership.seq); },
        [&](const Membership& membership) { return membership_json(membership); });
}

Reply SparkState::create_membership(const std::string& caller, const json& body) {
    std::lock_guard lock(mutex_);
    const std::string room = string_field(body, "roomId");
    if (room.empty()) return fail(400, "roomId cannot be empty.");
    if (!rooms_.count(room) || !is_member(room, caller)) {
        return fail(404, "Could not find a room with the specified id.");
    }
    std::string who = string_field(body, "personId");
    if (who.empty()) who = string_field(body, "personEmail");
    if (who.empty()) return fail(400, "personId or personEmail must be specified.");
    const Person* person = find_person(who);
    if (!person) return fail(404, "Person not found.");
    if (is_member(room, person->id)) return fail(409, "User is already a participant.");
    const bool moderator = bool_field(body, "isModerator");
    return ok(membership_json(add_membership(room, person->id, moderator)));
}

Reply SparkState::delete_membership(const std::string& caller, const std::string& id) {
    std::lock_guard lock(mutex_);
    const auto found = std::find_if(memberships_.begin(), memberships_.end(),
                                    [&](const Membership& m) { return m.id == id; });
    if (found == memberships_.end() || !is_member(found->room_id, caller)) {
        return fail(404, "Membership not found.");
    }
    member_index_.erase({found->room_id, found->person_id});
    memberships_.erase(found);
    return no_content();
}

Reply SparkState::list_team_memberships(const std::string& caller, const Query& query) const {
    std::lock_guard lock(mutex_);
    const std::string team = query_value(query, "teamId");
    if (team.empty()) return fail(400, "teamId cannot be empty.");
    const auto max = read_max(query, kListPageSize);
    if (!max) return bad_max(kListPageSize);
    if (team != team_id_ || !is_team_member(team, caller)) {
        return fail(404, "Could not find a team with that id.");
    }
    std::vector<const TeamMembership*> matching;
    for (const TeamMembership& membership : team_memberships_) {
        if (membership.team_id == team) matching.push_back(&membership);
    }
    return page_reply(
        matching, query, *max, Order::ascending,
        [](const TeamMembership& membership) { return sequence_key(membership.seq); },
        [&](const TeamMembership& membership) { return team_membership_json(membership); });
}

Reply SparkState::create_team_membership(const std::string& caller, const json& body) {
    std::lock_guard lock(mutex_);
    const std::string team = string_field(body, "teamId");
    if (team.empty()) return fail(400, "teamId cannot be empty.");
    if (team != team_id_ || !is_team_member(team, caller)) {
        return fail(404, "Could not find a team with that id.");
    }
    std::string who = string_field(body, "personId");
    if (who.empty()) who = string_field(body, "personEmail");
    const Person* person = who.empty() ? nullptr : find_person(who);
    if (!person) return fail(404, "Person not found.");
    if (is_team_member(team, person->id)) return fail(409, "User is already a team member.");
    TeamMembership membership;
    membership.id = new_webex_id("TEAM_MEMBERSHIP");
    membership.team_id = team;
    membership.person_id = person->id;
    membership.is_moderator = bool_field(body, "isModerator");
    membership.created = tick();
    membership.seq = next_record_seq_++;
    team_memberships_.push_back(membership);
    return ok(team_membership_json(membership));
}

}  // namespace sb::sandbox::spark
