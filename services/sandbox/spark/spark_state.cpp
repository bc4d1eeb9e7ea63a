#include "spark_state.h"

#include <algorithm>
#include <regex>

#include "switchboard/time_format.h"
#include "webex_ids.h"

namespace sb::sandbox::spark {
namespace {

constexpr int kDefaultMax = 100;

Reply fail(int status, const std::string& message) {
    return Reply{status,
                 json{{"message", message}, {"errors", json::array({{{"description", message}}})}},
                 {}};
}

Reply ok(json body) {
    return Reply{200, std::move(body), {}};
}

std::string get(const Query& query, const std::string& name) {
    const auto found = query.find(name);
    return found == query.end() ? std::string() : found->second;
}

// max: absent -> fallback; otherwise a whole number in [1, limit].
std::optional<int> parse_max(const Query& query, int fallback, int limit) {
    const std::string text = get(query, "max");
    if (text.empty()) return fallback;
    if (text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;
    }
    const int value = std::stoi(text);
    if (value < 1 || value > limit) return std::nullopt;
    return value;
}

std::string cursor_for(const std::string& key, const std::string& id) {
    return base64url_encode(key + '\n' + id);
}

std::optional<std::pair<std::string, std::string>> parse_cursor(const std::string& cursor) {
    const auto decoded = base64url_decode(cursor);
    if (!decoded) return std::nullopt;
    const auto split = decoded->find('\n');
    if (split == std::string::npos) return std::nullopt;
    return std::make_pair(decoded->substr(0, split), decoded->substr(split + 1));
}

std::string query_string(const Query& query) {
    std::string out;
    for (const auto& [name, value] : query) {
        if (value.empty()) continue;
        if (!out.empty()) out += '&';
        out += name + '=';
        for (const unsigned char c : value) {
            if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
                out += static_cast<char>(c);
            } else {
                static constexpr char kHex[] = "0123456789ABCDEF";
                out += '%';
                out += kHex[c >> 4];
                out += kHex[c & 15];
            }
        }
    }
    return out;
}

// One page of `items` (already sorted, each with a sort key and an id) after the query's cursor.
template <class Item, class KeyOf>
std::optional<std::vector<const Item*>> page_of(const std::vector<const Item*>& items,
                                                const Query& query, int max, KeyOf key_of,
                                                bool descending, std::string& next_query) {
    size_t start = 0;
    const std::string cursor = get(query, "cursor");
    if (!cursor.empty()) {
        const auto position = parse_cursor(cursor);
        if (!position) return std::nullopt;
        // Keyset paging: resume strictly after the last item returned, wherever it moved.
        const auto after = [&](const Item* item) {
            const auto mine = std::make_pair(key_of(*item), item->id);
            return descending ? mine < *position : mine > *position;
        };
        start =
            static_cast<size_t>(std::find_if(items.begin(), items.end(), after) - items.begin());
    }
    std::vector<const Item*> page;
    for (size_t i = start; i < items.size() && page.size() < static_cast<size_t>(max); ++i) {
        page.push_back(items[i]);
    }
    if (start + page.size() < items.size() && !page.empty()) {
        Query next = query;
        next["cursor"] = cursor_for(key_of(*page.back()), page.back()->id);
        next["max"] = std::to_string(max);
        next_query = query_string(next);
    }
    return page;
}

bool valid_utf8_size(const std::string& text) {
    return text.size() <= kMaxMessageBytes;
}

std::string html_escape(const std::string& text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

const std::regex& mention_pattern() {
    static const std::regex pattern(R"(<@(personEmail|personId):([^>|]+)(?:\|([^>]*))?>|<@all>)");
    return pattern;
}

}  // namespace

std::string string_field(const json& body, const char* name) {
    if (!body.is_object()) return {};
    const auto found = body.find(name);
    if (found == body.end() || !found->is_string()) return {};
    return found->get<std::string>();
}

std::optional<long long> int_field(const json& body, const char* name) {
    if (!body.is_object()) return std::nullopt;
    const auto found = body.find(name);
    if (found == body.end() || !found->is_number_integer()) return std::nullopt;
    return found->get<long long>();
}

bool bool_field(const json& body, const char* name) {
    if (!body.is_object()) return false;
    const auto found = body.find(name);
    return found != body.end() && found->is_boolean() && found->get<bool>();
}

json webex_error(const std::string& message, const std::string& tracking_id) {
    return json{{"message", message},
                {"errors", json::array({{{"description", message}}})},
                {"trackingId", tracking_id}};
}

std::string markdown_to_text(const std::string& markdown,
                             const std::function<std::string(const std::string&)>& name_of) {
    std::string out;
    auto begin = std::sregex_iterator(markdown.begin(), markdown.end(), mention_pattern());
    size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
        const auto& match = *it;
        out += markdown.substr(last, static_cast<size_t>(match.position(0)) - last);
        if (match[0].str() == "<@all>") {
            out += "all";
        } else if (match[3].matched && !match[3].str().empty()) {
            out += match[3].str();
        } else {
            out += name_of(match[2].str());
        }
        last = static_cast<size_t>(match.position(0) + match.length(0));
    }
    out += markdown.substr(last);
    // Emphasis and code marks are presentation, not text.
    std::string plain;
    for (size_t i = 0; i < out.size(); ++i) {
        if ((out[i] == '*' || out[i] == '_') && i + 1 < out.size() && out[i + 1] == out[i]) {
            ++i;
            continue;
        }
        if (out[i] == '`') continue;
        plain += out[i];
    }
    return plain;
}

SparkState::SparkState(const Seed& seed) {
    const auto now = Clock::now();
    org_id_ = webex_id("ORGANIZATION", "sandbox-org");
    team_id_ = seed.team_id;
    team_name_ = seed.team_name;
    team_created_ = now - std::chrono::hours(24 * 90);
    last_tick_ = team_created_;

    const auto add_person = [&](std::string key, std::string email, std::string first,
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

Clock::time_point SparkState::tick() {
    auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now());
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

const SparkState::Person* SparkState::find_person(const std::string& id_or_email) const {
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
    json out = {{"id", person.id},
                {"emails", json::array({person.email})},
                {"displayName", person.display_name},
                {"nickName", person.first_name},
                {"firstName", person.first_name},
                {"lastName", person.last_name},
                {"orgId", org_id_},
                {"created", iso8601(person.created)},
                {"type", "person"}};
    // Presence is shown only within the caller's organization (here: always), and optional.
    if (with_presence && person.has_presence) {
        out["status"] = person.status;
        out["lastActivity"] = iso8601(person.last_activity);
    }
    return out;
}

json SparkState::room_json(const Room& room) const {
    json out = {{"id", room.id},
                {"title", room.title},
                {"type", room.type},
                {"isLocked", false},
                {"lastActivity", iso8601(room.last_activity)},
                {"creatorId", room.creator_id},
                {"created", iso8601(room.created)},
                {"ownerId", org_id_}};
    if (!room.team_id.empty()) out["teamId"] = room.team_id;
    return out;
}

json SparkState::membership_json(const Membership& membership) const {
    const Person* person = find_person(membership.person_id);
    return {{"id", membership.id},
            {"roomId", membership.room_id},
            {"personId", membership.person_id},
            {"personEmail", person ? person->email : ""},
            {"personDisplayName", person ? person->display_name : ""},
            {"personOrgId", org_id_},
            {"isModerator", membership.is_moderator},
            {"isMonitor", false},
            {"created", iso8601(membership.created)}};
}

json SparkState::team_membership_json(const TeamMembership& membership) const {
    const Person* person = find_person(membership.person_id);
    return {{"id", membership.id},
            {"teamId", membership.team_id},
            {"personId", membership.person_id},
            {"personEmail", person ? person->email : ""},
            {"personDisplayName", person ? person->display_name : ""},
            {"personOrgId", org_id_},
            {"isModerator", membership.is_moderator},
            {"created", iso8601(membership.created)}};
}

json SparkState::message_json(const Message& message) const {
    const Person* author = find_person(message.person_id);
    const auto room = rooms_.find(message.room_id);
    json out = {{"id", message.id},
                {"roomId", message.room_id},
                {"roomType", room != rooms_.end() ? room->second.type : "group"},
                {"text", message.text},
                {"personId", message.person_id},
                {"personEmail", author ? author->email : ""},
                {"created", iso8601(message.created)}};
    if (!message.markdown.empty()) out["markdown"] = message.markdown;
    if (!message.html.empty()) out["html"] = message.html;
    if (!message.mentioned_people.empty()) out["mentionedPeople"] = message.mentioned_people;
    if (!message.mentioned_groups.empty()) out["mentionedGroups"] = message.mentioned_groups;
    return out;
}

json SparkState::webhook_json(const Webhook& webhook) const {
    json out = {{"id", webhook.id},
                {"name", webhook.name},
                {"targetUrl", webhook.target_url},
                {"resource", webhook.resource},
                {"event", webhook.event},
                {"orgId", org_id_},
                {"createdBy", webhook.owner_id},
                {"appId", webex_id("APPLICATION", "sandbox-app")},
                {"ownedBy", "creator"},
                {"status", webhook.status},
                {"created", iso8601(webhook.created)}};
    if (!webhook.filter.empty()) out["filter"] = webhook.filter;
    if (!webhook.secret.empty()) out["secret"] = webhook.secret;
    return out;
}

SparkState::Room& SparkState::add_room(const std::string& title, const std::string& team_id,
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

SparkState::Membership& SparkState::add_membership(const std::string& room_id,
                                                   const std::string& person_id, bool moderator) {
    Membership membership;
    membership.id = new_webex_id("MEMBERSHIP");
    membership.room_id = room_id;
    membership.person_id = person_id;
    membership.is_moderator = moderator;
    membership.created = tick();
    member_index_.emplace(room_id, person_id);
    memberships_.push_back(membership);
    return memberships_.back();
}

// ---- People ----------------------------------------------------------------------------------

Reply SparkState::people_me(const std::string& caller) const {
    std::lock_guard lock(mutex_);
    const Person* me = find_person(caller);
    if (!me) return fail(404, "The requested resource could not be found.");
    return ok(person_json(*me, true));
}

Reply SparkState::get_person(const std::string&, const std::string& id) const {
    std::lock_guard lock(mutex_);
    const Person* person = find_person(id);
    if (!person || person->id != id) return fail(404, "Person not found.");
    return ok(person_json(*person, true));
}

Reply SparkState::list_people(const std::string&, const Query& query) const {
    std::lock_guard lock(mutex_);
    const std::string email = get(query, "email");
    const std::string id = get(query, "id");
    if (email.empty() && id.empty() && get(query, "displayName").empty()) {
        return fail(400, "Email, displayName, or id list should be specified.");
    }
    json items = json::array();
    for (const Person& person : people_) {
        if (!email.empty() && person.email != email) continue;
        if (!id.empty() && person.id != id) continue;
        if (!get(query, "displayName").empty() &&
            person.display_name.rfind(get(query, "displayName"), 0) != 0) {
            continue;
        }
        items.push_back(person_json(person, true));
    }
    return ok({{"items", items}, {"notFoundIds", nullptr}});
}

// ---- Rooms -----------------------------------------------------------------------------------

Reply SparkState::list_rooms(const std::string& caller, const Query& query) const {
    std::lock_guard lock(mutex_);
    const auto max = parse_max(query, kDefaultMax, 1000);
    if (!max) return fail(400, "max must be a number from 1 to 1000.");
    const std::string team = get(query, "teamId");
    const std::string type = get(query, "type");
    const std::string sort = get(query, "sortBy");
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
    const bool descending = sort == "lastactivity" || sort == "created";
    std::sort(rooms.begin(), rooms.end(), [&](const Room* a, const Room* b) {
        const auto ka = std::make_pair(key_of(*a), a->id);
        const auto kb = std::make_pair(key_of(*b), b->id);
        return descending ? kb < ka : ka < kb;
    });
    Reply reply;
    const auto page = page_of(rooms, query, *max, key_of, descending, reply.next_query);
    if (!page) return fail(400, "Invalid cursor.");
    json items = json::array();
    for (const Room* room : *page) items.push_back(room_json(*room));
    reply.body = {{"items", items}};
    return reply;
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

// ---- Memberships -----------------------------------------------------------------------------

Reply SparkState::list_memberships(const std::string& caller, const Query& query) const {
    std::lock_guard lock(mutex_);
    const auto max = parse_max(query, kDefaultMax, 1000);
    if (!max) return fail(400, "max must be a number from 1 to 1000.");
    const std::string room = get(query, "roomId");
    const std::string person = get(query, "personId");
    const std::string email = get(query, "personEmail");
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
    Reply reply;
    const auto page = page_of(
        matching, query, *max, [](const Membership&) { return std::string(); }, false,
        reply.next_query);
    if (!page) return fail(400, "Invalid cursor.");
    json items = json::array();
    for (const Membership* membership : *page) items.push_back(membership_json(*membership));
    reply.body = {{"items", items}};
    return reply;
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
    return Reply{204, nullptr, {}};
}

Reply SparkState::list_team_memberships(const std::string& caller, const Query& query) const {
    std::lock_guard lock(mutex_);
    const std::string team = get(query, "teamId");
    if (team.empty()) return fail(400, "teamId cannot be empty.");
    const auto max = parse_max(query, kDefaultMax, 1000);
    if (!max) return fail(400, "max must be a number from 1 to 1000.");
    if (team != team_id_ || !is_team_member(team, caller)) {
        return fail(404, "Could not find a team with that id.");
    }
    std::vector<const TeamMembership*> matching;
    for (const TeamMembership& membership : team_memberships_) {
        if (membership.team_id == team) matching.push_back(&membership);
    }
    Reply reply;
    const auto page = page_of(
        matching, query, *max, [](const TeamMembership&) { return std::string(); }, false,
        reply.next_query);
    if (!page) return fail(400, "Invalid cursor.");
    json items = json::array();
    for (const TeamMembership* membership : *page) {
        items.push_back(team_membership_json(*membership));
    }
    reply.body = {{"items", items}};
    return reply;
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
    team_memberships_.push_back(membership);
    return ok(team_membership_json(membership));
}

// ---- Messages --------------------------------------------------------------------------------

Reply SparkState::create_message(const std::string& caller, const json& body) {
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
    return post_locked(caller, room, string_field(body, "text"), string_field(body, "markdown"));
}

Reply SparkState::post_locked(const std::string& caller, const std::string& room_id,
                              std::string text, std::string markdown) {
    const auto room = rooms_.find(room_id);
    if (room == rooms_.end() || !is_member(room_id, caller)) {
        return fail(404, "Could not find a room with the specified id.");
    }
    if (text.empty() && markdown.empty()) {
        return fail(400, "Message must contain text, markdown or files.");
    }
    if (!valid_utf8_size(text) || !valid_utf8_size(markdown)) {
        return fail(400, "Message text or markdown exceeds the maximum length of 7439 bytes.");
    }
    Message message;
    message.id = new_webex_id("MESSAGE");
    message.room_id = room_id;
    message.person_id = caller;
    message.markdown = markdown;
    if (!markdown.empty()) {
        for (auto it = std::sregex_iterator(markdown.begin(), markdown.end(), mention_pattern());
             it != std::sregex_iterator(); ++it) {
            const auto& match = *it;
            if (match[0].str() == "<@all>") {
                message.mentioned_groups.push_back("all");
                continue;
            }
            const Person* person = find_person(match[2].str());
            if (person &&
                std::find(message.mentioned_people.begin(), message.mentioned_people.end(),
                          person->id) == message.mentioned_people.end()) {
                message.mentioned_people.push_back(person->id);
            }
        }
        const auto name_of = [this](const std::string& key) {
            const Person* person = find_person(key);
            return person ? person->display_name : key;
        };
        message.text = text.empty() ? markdown_to_text(markdown, name_of) : text;
        message.html = "<p>" + html_escape(message.text) + "</p>";
    } else {
        message.text = text;
    }
    message.created = tick();
    message.arrived = Clock::now();
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

void SparkState::deliver_locked(const Message& message) {
    if (!sink_) return;
    const Person* author = find_person(message.person_id);
    const std::string room_type = rooms_.at(message.room_id).type;
    for (const Webhook& webhook : webhooks_) {
        if (webhook.status != "active") continue;
        if (webhook.resource != "messages" && webhook.resource != "all") continue;
        if (webhook.event != "created" && webhook.event != "all") continue;
        // Filters: "roomId=..&personEmail=.." (every condition must hold).
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
                matches =
                    std::find(message.mentioned_people.begin(), message.mentioned_people.end(),
                              wanted) != message.mentioned_people.end();
            }
        }
        if (!matches) continue;
        json envelope = webhook_json(webhook);
        envelope.erase("secret");
        envelope["actorId"] = message.person_id;
        // Ids only: the receiver fetches the text with its own token.
        envelope["data"] = {{"id", message.id},
                            {"roomId", message.room_id},
                            {"roomType", room_type},
                            {"personId", message.person_id},
                            {"personEmail", author ? author->email : ""},
                            {"created", iso8601(message.created)}};
        sink_(Delivery{webhook.id, webhook.target_url, webhook.secret, envelope.dump()});
    }
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
    const std::string room = get(query, "roomId");
    if (room.empty()) return fail(400, "roomId cannot be empty.");
    const auto max = parse_max(query, 50, 1000);
    if (!max) return fail(400, "max must be a number from 1 to 1000.");
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
    const auto key_of = [](const Message& message) {
        char key[24];
        std::snprintf(key, sizeof key, "%020llu", static_cast<unsigned long long>(message.seq));
        return std::string(key);
    };
    Reply reply;
    const auto page = page_of(newest_first, query, *max, key_of, true, reply.next_query);
    if (!page) return fail(400, "Invalid cursor.");
    json items = json::array();
    for (const Message* message : *page) items.push_back(message_json(*message));
    reply.body = {{"items", items}};
    return reply;
}

// ---- Webhooks --------------------------------------------------------------------------------

Reply SparkState::list_webhooks(const std::string& caller, const Query& query) const {
    std::lock_guard lock(mutex_);
    const auto max = parse_max(query, kDefaultMax, 1000);
    if (!max) return fail(400, "max must be a number from 1 to 1000.");
    json items = json::array();
    for (const Webhook& webhook : webhooks_) {
        if (webhook.owner_id != caller) continue;
        if (items.size() >= static_cast<size_t>(*max)) break;
        items.push_back(webhook_json(webhook));
    }
    return ok({{"items", items}});
}

Reply SparkState::create_webhook(const std::string& caller, const json& body) {
    std::lock_guard lock(mutex_);
    Webhook webhook;
    webhook.name = string_field(body, "name");
    webhook.target_url = string_field(body, "targetUrl");
    webhook.resource = string_field(body, "resource");
    webhook.event = string_field(body, "event");
    webhook.filter = string_field(body, "filter");
    webhook.secret = string_field(body, "secret");
    if (webhook.name.empty() || webhook.target_url.empty() || webhook.resource.empty() ||
        webhook.event.empty()) {
        return fail(400, "name, targetUrl, resource and event are required.");
    }
    if (webhook.target_url.rfind("http://", 0) != 0 &&
        webhook.target_url.rfind("https://", 0) != 0) {
        return fail(400, "targetUrl must be an http(s) URL.");
    }
    webhook.id = new_webex_id("WEBHOOK");
    webhook.owner_id = caller;
    webhook.created = tick();
    webhooks_.push_back(webhook);
    return ok(webhook_json(webhook));
}

Reply SparkState::get_webhook(const std::string& caller, const std::string& id) const {
    std::lock_guard lock(mutex_);
    for (const Webhook& webhook : webhooks_) {
        if (webhook.id == id && webhook.owner_id == caller) return ok(webhook_json(webhook));
    }
    return fail(404, "Webhook not found.");
}

Reply SparkState::update_webhook(const std::string& caller, const std::string& id,
                                 const json& body) {
    std::lock_guard lock(mutex_);
    for (Webhook& webhook : webhooks_) {
        if (webhook.id != id || webhook.owner_id != caller) continue;
        const std::string name = string_field(body, "name");
        const std::string target = string_field(body, "targetUrl");
        if (name.empty() || target.empty()) return fail(400, "name and targetUrl are required.");
        const std::string status = string_field(body, "status");
        if (!status.empty() && status != "active" && status != "inactive") {
            return fail(400, "status must be active or inactive.");
        }
        webhook.name = name;
        webhook.target_url = target;
        if (body.contains("secret")) webhook.secret = string_field(body, "secret");
        if (!status.empty()) {
            webhook.status = status;
            webhook.failures = 0;
        }
        return ok(webhook_json(webhook));
    }
    return fail(404, "Webhook not found.");
}

Reply SparkState::delete_webhook(const std::string& caller, const std::string& id) {
    std::lock_guard lock(mutex_);
    const auto found = std::find_if(webhooks_.begin(), webhooks_.end(), [&](const Webhook& w) {
        return w.id == id && w.owner_id == caller;
    });
    if (found == webhooks_.end()) return fail(404, "Webhook not found.");
    webhooks_.erase(found);
    return Reply{204, nullptr, {}};
}

void SparkState::delivery_result(const std::string& webhook_id, bool delivered) {
    std::lock_guard lock(mutex_);
    for (Webhook& webhook : webhooks_) {
        if (webhook.id != webhook_id) continue;
        webhook.failures = delivered ? 0 : webhook.failures + 1;
        if (webhook.failures >= failure_limit) webhook.status = "inactive";
    }
}

// ---- Admin -----------------------------------------------------------------------------------

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
            person.last_activity = Clock::now();
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

Reply SparkState::admin_post(const std::string& room_id, const json& body) {
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
    return post_locked(author->id, room_id, text, markdown);
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
            entry["arrivedMicros"] = std::chrono::duration_cast<std::chrono::microseconds>(
                                         message.arrived.time_since_epoch())
                                         .count();
            items.push_back(entry);
        }
    }
    return ok({{"room", room_json(room->second)}, {"items", items}});
}

}  // namespace sb::sandbox::spark
