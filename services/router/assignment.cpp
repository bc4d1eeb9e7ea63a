#include "assignment.h"

#include <algorithm>
#include <set>

#include "earliest_first.h"

namespace sb::router {
namespace {

constexpr std::string_view kTeamKey = "team";

// Most idle first: the oldest last activity; unknown activity after every known one.
bool more_idle(const Member& a, const Member& b) {
    return earliest_first(a.last_activity, a.person_id, b.last_activity, b.person_id);
}

}  // namespace

AgentChoice choose_agent(const std::vector<Member>& room, const std::vector<Member>& team,
                         const BridgeIdentities& bridge, bool most_idle,
                         const std::function<std::uint64_t()>& draw) {
    std::set<std::string> in_room;
    for (const Member& member : room) {
        if (bridge.is(member.email, member.person_id)) continue;
        if (member.status == "active") return {AgentChoice::Kind::covered, {}};
        in_room.insert(member.person_id);
    }
    std::vector<Member> candidates;
    for (const Member& member : team) {
        if (member.status == "active" && !bridge.is(member.email, member.person_id) &&
            in_room.count(member.person_id) == 0) {
            candidates.push_back(member);
        }
    }
    if (candidates.empty()) return {AgentChoice::Kind::nobody, {}};
    std::sort(candidates.begin(), candidates.end(), more_idle);
    const Member& chosen = most_idle ? candidates.front() : candidates[draw() % candidates.size()];
    return {AgentChoice::Kind::add, chosen};
}

void Assignments::waiting(const std::string& customer, Time now) {
    Customer& state = customers_[customer];
    if (state.waiting_since) return;
    state.waiting_since = now;
    state.checked = false;
}

void Assignments::answered(const std::string& customer) {
    Customer& state = customers_[customer];
    state.waiting_since.reset();
    state.checked = false;
}

std::vector<Envelope> Assignments::start(const std::string& customer, const RoomInfo& room,
                                         Time now, Commands& commands) {
    Customer& state = customers_[customer];
    if (!state.waiting_since || state.checked || lookups_.count(room.id) > 0) return {};
    state.checked = true;
    Lookup lookup;
    lookup.customer = customer;
    lookup.room_id = room.id;
    lookup.started = now;
    Envelope room_lookup =
        commands.make(event_type::list_room_members, customer, ListRoomMembers{room.id});
    Envelope team_lookup =
        commands.make(event_type::list_team_members, std::string(kTeamKey), ListTeamMembers{});
    lookup.room_command = room_lookup.id;
    lookup.team_command = team_lookup.id;
    commands_[room_lookup.id] = room.id;
    commands_[team_lookup.id] = room.id;
    lookups_[room.id] = std::move(lookup);
    return {std::move(room_lookup), std::move(team_lookup)};
}

Assignments::Answer Assignments::on_room_members(const std::string& command_id,
                                                 std::vector<Member> members, Lookup& decided) {
    return on_members(command_id, true, std::move(members), decided);
}

Assignments::Answer Assignments::on_team_members(const std::string& command_id,
                                                 std::vector<Member> members, Lookup& decided) {
    return on_members(command_id, false, std::move(members), decided);
}

Assignments::Answer Assignments::on_members(const std::string& command_id, bool room,
                                            std::vector<Member> members, Lookup& decided) {
    const auto command = commands_.find(command_id);
    if (command == commands_.end()) return Answer::ignored;  // an earlier life's, or given up
    Lookup& lookup = lookups_.at(command->second);
    (room ? lookup.room_members : lookup.team_members) = std::move(members);
    if (!lookup.room_members || !lookup.team_members) return Answer::partial;
    decided = lookup;
    forget_room(decided.room_id);
    customers_[decided.customer].retry.pause = std::chrono::seconds{0};
    return Answer::complete;
}

bool Assignments::add_failed(const std::string& command_id, Time now) {
    const auto add = adds_.find(command_id);
    if (add == adds_.end()) return false;
    const std::string customer = add->second;
    adds_.erase(add);
    failed(customer, now);
    return true;
}

bool Assignments::lookup_failed(const std::string& command_id, Time now) {
    const auto command = commands_.find(command_id);
    if (command == commands_.end()) return false;
    const std::string room_id = command->second;
    const auto lookup = lookups_.find(room_id);
    if (lookup != lookups_.end()) failed(lookup->second.customer, now);
    forget_room(room_id);
    return true;
}

void Assignments::forget_room(const std::string& room_id) {
    const auto found = lookups_.find(room_id);
    if (found == lookups_.end()) return;
    commands_.erase(found->second.room_command);
    commands_.erase(found->second.team_command);
    lookups_.erase(found);
}

// A look-up or AddMember that failed must not end assignment for this wait: try again later.
void Assignments::failed(const std::string& customer, Time now) {
    const auto found = customers_.find(customer);
    if (found == customers_.end()) return;
    found->second.retry.failed(now, retry_);
}

void Assignments::expire(Time now) {
    for (auto it = lookups_.begin(); it != lookups_.end();) {
        if (now - it->second.started >= lookup_timeout_) {
            commands_.erase(it->second.room_command);
            commands_.erase(it->second.team_command);
            failed(it->second.customer, now);
            it = lookups_.erase(it);
        } else {
            ++it;
        }
    }
}

std::vector<std::string> Assignments::due(Time now) {
    std::vector<std::string> due;
    for (auto& [customer, state] : customers_) {
        bool retry = false;
        if (state.retry.due(now)) {
            // The check that failed was already due: it runs again, not after another wait.
            state.retry.disarm();
            state.checked = false;
            retry = true;
        }
        if (!state.waiting_since || state.checked) continue;
        if (!retry && now - *state.waiting_since < unanswered_after_) continue;
        due.push_back(customer);
    }
    return due;
}

}  // namespace sb::router
