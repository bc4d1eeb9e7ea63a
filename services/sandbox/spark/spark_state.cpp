// The state's foundation: the seeded world, the clock, lookups, and the adders and renderers the
// REST rules (spark_state_<resource>.cpp) and the admin API (spark_state_admin.cpp) share.
#include "spark_state.h"

#include <algorithm>

#include "webex_ids.h"
#include "webex_json.h"

namespace sb::sandbox::spark {

SparkState::SparkState(const Seed& seed) {
    const auto now = WallClock::now();
    org_id_ = webex_id("ORGANIZATION", "sandbox-org");
    team_id_ = seed.team_id;
    team_name_ = seed.team_name;
    team_created_ = now - std::chrono::hours(24 * 90);
    last_tick_ = team_created_;

    const auto add_person = [&](const std::string& key, std::string email, std::string first,
                                std::string last, std::string status, std::chrono::seconds idle,
                                std::string token) {
        Person person;
        person.id = webex_id("PEOPLE", key);
        person.email = std::move(email);
        person.first_name = std::move(first);
        person.last_name = std::move(last);
        person.display_name = person.first_name + " " + person.last_name;
        person.status = std::move(status);
        person.token = std::move(token);
        person.created = team_created_;
        person.last_activity = now - idle;
        people_.push_back(person);
        return people_.back().id;
    };
    using std::chrono::minutes;
    using std::chrono::seconds;
    proxy_id_ = add_person("switchboard-proxy", seed.proxy_email, "Switchboard", "Bridge", "active",
                           seconds(5), seed.proxy_token);
    // A small team: two active agents (one more idle than the other), one in a meeting, one
    // inactive for hours.
    const std::string alice =
        add_person("alice", "alice@sandbox.example", "Alice", "Anders", "active", minutes(7), "");
    const std::string bob =
        add_person("bob", "bob@sandbox.example", "Bob", "Baker", "active", seconds(40), "");
    const std::string carol =
        add_person("carol", "carol@sandbox.example", "Carol", "Chen", "inactive", minutes(190), "");
    const std::string dan =
        add_person("dan", "dan@sandbox.example", "Dan", "Diaz", "meeting", minutes(2), "");

    for (const std::string& person : {proxy_id_, alice, bob, carol, dan}) {
        TeamMembership membership;
        membership.id = new_webex_id("TEAM_MEMBERSHIP");
        membership.team_id = team_id_;
        membership.person_id = person;
        membership.is_moderator = person == proxy_id_ || person == alice;
        membership.created = team_created_;
        membership.seq = next_record_seq_++;
        team_memberships_.push_back(membership);
    }
    // The team's general room is its first room: the oldest `created`, titled like the team.
    Room& general = add_room(team_name_, team_id_, alice);
    for (const std::string& person : {proxy_id_, bob, carol, dan}) {
        add_membership(general.id, person, false);
    }
}

void SparkState::set_delivery_sink(std::function<void(Delivery)> sink) {
    std::lock_guard lock(mutex_);
    sink_ = std::move(sink);
}

Instant SparkState::tick() {
    auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(WallClock::now());
    if (now <= last_tick_)
        now = std::chrono::time_point_cast<std::chrono::milliseconds>(last_tick_ +
                                                                      std::chrono::milliseconds(1));
    last_tick_ = now;
    return now;
}

std::optional<std::string> SparkState::person_for_token(const std::string& token) const {
    if (token.empty()) return std::nullopt;
    std::lock_guard lock(mutex_);
    for (const Person& person : people_) {
        if (!person.token.empty() && person.token == token) return person.id;
    }
    return std::nullopt;
}

const Person* SparkState::find_person(const std::string& id_or_email) const {
    for (const Person& person : people_) {
        if (person.id == id_or_email || person.email == id_or_email) return &person;
    }
    return nullptr;
}

bool SparkState::is_member(const std::string& room_id, const std::string& person_id) const {
    return member_index_.count({room_id, person_id}) > 0;
}

bool SparkState::is_team_member(const std::string& team_id, const std::string& person_id) const {
    return std::any_of(
        team_memberships_.begin(), team_memberships_.end(),
        [&](const TeamMembership& m) { return m.team_id == team_id && m.person_id == person_id; });
}

json SparkState::person_json(const Person& person, bool with_presence) const {
    return spark::person_json(person, org_id_, with_presence);
}

json SparkState::room_json(const Room& room) const {
    return spark::room_json(room, org_id_);
}

json SparkState::membership_json(const Membership& membership) const {
    return spark::membership_json(membership, find_person(membership.person_id), org_id_);
}

json SparkState::team_membership_json(const TeamMembership& membership) const {
    return spark::team_membership_json(membership, find_person(membership.person_id), org_id_);
}

json SparkState::message_json(const Message& message) const {
    const auto room = rooms_.find(message.room_id);
    return spark::message_json(message, find_person(message.person_id),
                               room != rooms_.end() ? room->second.type : "group");
}

json SparkState::webhook_json(const Webhook& webhook) const {
    return spark::webhook_json(webhook, org_id_);
}

Room& SparkState::add_room(const std::string& title, const std::string& team_id,
                           const std::string& creator_id) {
    Room room;
    room.id = new_webex_id("ROOM");
    room.title = title;
    room.team_id = team_id;
    room.creator_id = creator_id;
    room.created = tick();
    room.last_activity = room.created;
    Room& stored = rooms_[room.id] = room;
    add_membership(stored.id, creator_id, !team_id.empty());
    return stored;
}

Membership& SparkState::add_membership(const std::string& room_id, const std::string& person_id,
                                       bool moderator) {
    Membership membership;
    membership.id = new_webex_id("MEMBERSHIP");
    membership.room_id = room_id;
    membership.person_id = person_id;
    membership.is_moderator = moderator;
    membership.created = tick();
    membership.seq = next_record_seq_++;
    member_index_.emplace(room_id, person_id);
    memberships_.push_back(membership);
    return memberships_.back();
}

void SparkState::deliver_locked(const Message& message) {
    if (!sink_) return;
    const Person* author = find_person(message.person_id);
    const std::string room_type = rooms_.at(message.room_id).type;
    for (const Webhook& webhook : webhooks_) {
        if (auto delivery = delivery_for(webhook, message, author, room_type, org_id_)) {
            sink_(std::move(*delivery));
        }
    }
}

}  // namespace sb::sandbox::spark
