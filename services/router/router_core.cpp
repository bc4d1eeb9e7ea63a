#include "router_core.h"

#include <algorithm>
#include <cctype>

#include "room_text.h"
#include "switchboard/phone.h"
#include "switchboard/time_format.h"
#include "switchboard/topics.h"

namespace sb::router {
namespace {

constexpr size_t kRememberedMessages = 20000;
constexpr size_t kRememberedEarlierPosts = 20000;
constexpr std::string_view kPostIdPrefix = "post.";
constexpr size_t kMaxLinkedEventId = 96;  // so a post id stays within the envelope's 128

// Webex's answers for a room that is no more: deleted (404, 410), or the proxy is no longer a
// member (403, e.g. it was removed or left).
bool room_gone(int status) {
    return status == 404 || status == 403 || status == 410;
}

// "post.<part>.<nonce>.<customer event id>": a post names the event it shows, so a result that
// reaches a later life still says which message, and which part of it, is in the room.
std::optional<std::pair<std::string, size_t>> parse_post_id(std::string_view id) {
    if (id.substr(0, kPostIdPrefix.size()) != kPostIdPrefix) return std::nullopt;
    id.remove_prefix(kPostIdPrefix.size());
    const size_t part_end = id.find('.');
    if (part_end == std::string_view::npos || part_end == 0 || part_end > 4) return std::nullopt;
    size_t part = 0;
    for (const char c : id.substr(0, part_end)) {
        if (c < '0' || c > '9') return std::nullopt;
        part = part * 10 + static_cast<size_t>(c - '0');
    }
    const size_t nonce_end = id.find('.', part_end + 1);
    if (nonce_end == std::string_view::npos || nonce_end + 1 >= id.size()) return std::nullopt;
    return std::make_pair(std::string(id.substr(nonce_end + 1)), part);
}
constexpr std::string_view kDirectoryKey = "directory";
constexpr std::string_view kTeamKey = "team";

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool blank(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
}

// Most idle first: the oldest last activity; unknown activity after every known one.
bool more_idle(const Member& a, const Member& b) {
    const auto ta = parse_iso8601(a.last_activity);
    const auto tb = parse_iso8601(b.last_activity);
    if (ta && tb && *ta != *tb) return *ta < *tb;
    if (ta.has_value() != tb.has_value()) return ta.has_value();
    return a.person_id < b.person_id;
}

}  // namespace

Input Input::start(Time now, Memory memory) {
    Input input;
    input.kind = Kind::start;
    input.now = now;
    input.memory = std::move(memory);
    return input;
}

Input Input::tick(Time now) {
    Input input;
    input.kind = Kind::tick;
    input.now = now;
    return input;
}

Input Input::received(Time now, EventRef ref, Envelope event) {
    Input input;
    input.kind = Kind::event;
    input.now = now;
    input.ref = std::move(ref);
    input.event = std::move(event);
    return input;
}

Core::Core(Settings settings, Random random)
    : settings_(std::move(settings)),
      random_(std::move(random)),
      directory_(settings_.team_id),
      seen_messages_(kRememberedMessages) {
    if (!settings_.proxy_email.empty()) {
        bridge_identities_.insert(lowercase(settings_.proxy_email));
    }
}

size_t Core::held() const {
    size_t count = deferred_.size();
    for (const auto& [number, customer] : customers_) count += customer.queue.size();
    return count;
}

Outputs Core::step(const Input& input) {
    now_ = input.now;
    wall_now_ = input.wall;
    Outputs out;
    switch (input.kind) {
        case Input::Kind::start:
            restore(input.memory);
            start_sync(out);
            break;
        case Input::Kind::tick:
            on_tick(out);
            break;
        case Input::Kind::event:
            on_received(input.ref, input.event, out);
            break;
    }
    for (Remembered& change : sms_policy_.take_changes()) out.remember.push_back(std::move(change));
    return out;
}

void Core::restore(const Memory& memory) {
    std::vector<std::string> seen;
    for (const auto& [key, value] : memory) {
        if (has_prefix(key, kSeenPrefix)) seen.push_back(key.substr(kSeenPrefix.size()));
    }
    seen_messages_.restore(seen);
    sms_policy_.restore(memory);  // takes its own keys
}

// ---- Inbound events -----------------------------------------------------------------------

void Core::on_received(const EventRef& ref, const Envelope& event, Outputs& out) {
    try {
        if (event.type == event_type::customer_message) {
            const auto message = event.payload_as<CustomerMessage>();
            // The gateway holds the call for about a second: answer now, whatever else waits.
            if (message.call) answer_call(event, message, out);
        }
        // What completes a sync is never made to wait for one.
        if (event.type == event_type::rooms_page) return on_rooms_page(event, out);
        if (event.type == event_type::command_failed &&
            event.payload_as<CommandFailed>().command_type == event_type::list_rooms) {
            return on_sync_failed(event);
        }
        if (event.type == event_type::message_posted) note_earlier_post(event);
        if (!ready_) {
            deferred_.emplace_back(ref, event);
            out.hold = true;
            return;
        }
        if (!dispatch(ref, event, out)) out.hold = true;
    } catch (const std::exception&) {
        // The delivery layer validated it; a payload that still does not decode is dropped
        // rather than held forever.
        ++counters_.malformed;
    }
}

void Core::replay(const EventRef& ref, const Envelope& event, Outputs& out) {
    try {
        if (dispatch(ref, event, out)) out.complete.push_back(ref);
    } catch (const std::exception&) {
        ++counters_.malformed;
        out.complete.push_back(ref);
    }
}

// Returns true when the event is done, false when the core keeps it held.
bool Core::dispatch(const EventRef& ref, const Envelope& event, Outputs& out) {
    const std::string& type = event.type;
    if (type == event_type::customer_message) {
        return on_customer_message(ref, event, out);
    }
    if (type == event_type::agent_message) {
        on_agent_message(event.payload_as<AgentMessage>(), out);
    } else if (type == event_type::room_created) {
        on_room_created(event.payload_as<RoomCreated>(), out);
    } else if (type == event_type::room_members || type == event_type::team_members) {
        on_members(event, out);
    } else if (type == event_type::command_failed) {
        on_command_failed(event, out);
    } else if (type == event_type::message_posted) {
        on_message_posted(event, out);
    } else if (type == event_type::delivery_report) {
        on_delivery_report(event.payload_as<DeliveryReport>(), out);
    } else if (type == event_type::member_added) {
        ++counters_.agents_added;
        add_commands_.erase(event.correlation_id);
    } else {
        ++counters_.ignored;  // a type that is not the router's to handle
    }
    return true;
}

// ---- Time -------------------------------------------------------------------------------------

void Core::on_tick(Outputs& out) {
    if (!sync_ && next_sync_at_ && now_ >= *next_sync_at_) start_sync(out);
    // A failed CreateRoom is retried after a fresh sync: the failure may have come after the
    // room was made, and a second room is worse than a late one.
    const bool retry_due = std::any_of(customers_.begin(), customers_.end(), [&](const auto& c) {
        return c.second.retry_at && now_ >= *c.second.retry_at;
    });
    if (retry_due && !sync_) start_sync(out);
    // A failed post is retried in place: the room is known, only the provider was not willing.
    if (ready_) {
        for (auto& [number, customer] : customers_) {
            if (customer.post_retry_at && now_ >= *customer.post_retry_at) {
                customer.post_retry_at.reset();
                pump(number, customer, out);
            }
        }
    }

    for (auto it = assignments_.begin(); it != assignments_.end();) {
        if (now_ - it->second.started >= settings_.lookup_timeout) {
            lookup_commands_.erase(it->second.room_command);
            lookup_commands_.erase(it->second.team_command);
            assignment_failed(it->second.customer);
            it = assignments_.erase(it);
        } else {
            ++it;
        }
    }
    if (!ready_ || !settings_.assign_agents) return;
    for (auto& [number, customer] : customers_) {
        bool due = false;
        if (customer.assignment_retry_at && now_ >= *customer.assignment_retry_at) {
            // The check that failed was already due: it runs again, not after another wait.
            customer.assignment_retry_at.reset();
            customer.assignment_checked = false;
            due = true;
        }
        if (!customer.waiting_since || customer.assignment_checked) continue;
        if (!due && now_ - *customer.waiting_since < settings_.unanswered_after) continue;
        if (const RoomInfo* room = directory_.room_of(number)) {
            start_assignment(number, *room, out);
        }
    }
}

// ---- The directory ---------------------------------------------------------------------------

void Core::start_sync(Outputs& out) {
    if (sync_) return;
    sync_ = Sync{new_id(), new_id()};
    directory_.begin_sync();
    Envelope list =
        command(event_type::list_rooms, std::string(kDirectoryKey), ListRooms{sync_->sync_id});
    list.id = sync_->command_id;
    publish(out, topics::spark_commands, std::move(list));
}

void Core::on_rooms_page(const Envelope& event, Outputs& out) {
    const auto page = event.payload_as<RoomsPage>();
    if (!sync_ || page.sync_id != sync_->sync_id) {
        ++counters_.ignored;  // a page of a sync given up on, or of an earlier life
        return;
    }
    // spark-gateway lists the team's rooms (GET /rooms?teamId=): each is one of the team's.
    for (const RoomSummary& room : page.rooms) {
        directory_.learn(room.id, room.title, settings_.team_id, room.created);
    }
    if (page.last) finish_sync(out);
}

void Core::on_sync_failed(const Envelope& event) {
    if (!sync_ || (!event.correlation_id.empty() && event.correlation_id != sync_->command_id)) {
        ++counters_.ignored;
        return;
    }
    sync_.reset();
    ++counters_.sync_failures;
    sync_backoff_ = next_backoff(sync_backoff_);
    next_sync_at_ = now_ + sync_backoff_;
}

void Core::finish_sync(Outputs& out) {
    directory_.end_sync();
    sync_.reset();
    ++counters_.syncs;
    sync_backoff_ = std::chrono::seconds{0};
    next_sync_at_ = now_ + settings_.resync_every;

    // Customers still waiting for a room: theirs may be listed now; if not and no CreateRoom is
    // in flight (it failed earlier), ask again.
    std::vector<std::string> waiting;
    for (const auto& [number, customer] : customers_) {
        if (!customer.queue.empty()) waiting.push_back(number);
    }
    for (const std::string& number : waiting) {
        Customer& customer = customers_[number];
        if (directory_.room_of(number)) {
            room_learned(number, out);
        } else {
            customer.room_wanted = true;
            if (customer.create_id.empty()) create_room(number, customer, out);
        }
    }

    if (!ready_) {
        ready_ = true;
        // What arrived while the directory was unknown, in arrival order.
        while (!deferred_.empty()) {
            auto [ref, event] = std::move(deferred_.front());
            deferred_.pop_front();
            replay(ref, event, out);
        }
    }
}

// A customer's room became known other than by our RoomCreated: send what waited for it. The
// welcome goes now unless a CreateRoom is still in flight (its RoomCreated will send it).
void Core::room_learned(const std::string& number, Outputs& out) {
    const auto found = customers_.find(number);
    const RoomInfo* room = directory_.room_of(number);
    if (found == customers_.end() || room == nullptr || found->second.queue.empty()) return;
    Customer& customer = found->second;
    pump(number, customer, out);
    if (!customer.room_wanted) return;  // the room was known: nothing new about it
    customer.room_wanted = false;
    customer.retry_at.reset();
    customer.backoff = std::chrono::seconds{0};
    if (customer.create_id.empty()) {
        welcome(number, customer, *room, out);
        start_assignment(number, *room, out);
    }
}

// ---- Customer -> room ------------------------------------------------------------------------

void Core::answer_call(const Envelope& event, const CustomerMessage& message, Outputs& out) {
    // Replies go only to a gateway's reply topic, never into a command stream.
    const std::string prefix = topics::replies_for("");
    if (message.call->reply_to.compare(0, prefix.size(), prefix) != 0 ||
        message.call->reply_to.size() == prefix.size()) {
        ++counters_.malformed;
        return;
    }
    Envelope decision = command(event_type::call_decision, message.customer,
                                CallDecision{message.call->call_id, settings_.redirect_dn});
    decision.correlation_id = event.id;
    out.send_now.push_back({message.call->reply_to, std::move(decision)});
    ++counters_.calls_forwarded;
}

// The message stays held until MessagePosted says its last part is in the room: a post that
// fails, or a crash before its result, leaves it to be posted again rather than lost.
bool Core::on_customer_message(const EventRef& ref, const Envelope& event, Outputs& out) {
    const auto message = event.payload_as<CustomerMessage>();
    Customer& customer = customers_[message.customer];
    if (message.channel != "voice") customer.texted = true;
    if (message.channel == "sms") sms_policy_.texted_in(message.customer);  // answered, always
    Queued queued;
    queued.ref = ref;
    queued.event_id = event.id;
    queued.message = message;
    customer.queue.push_back(std::move(queued));  // nothing may overtake what waits
    if (directory_.room_of(message.customer) != nullptr) {
        pump(message.customer, customer, out);
    } else {
        // One room per customer: the first message asks for it, the rest wait behind it.
        customer.room_wanted = true;
        if (customer.create_id.empty() && !customer.retry_at) {
            create_room(message.customer, customer, out);
        }
    }
    return false;
}

void Core::create_room(const std::string& number, Customer& customer, Outputs& out) {
    Envelope create =
        command(event_type::create_room, number, CreateRoom{number, phone::room_title_for(number)});
    customer.create_id = create.id;
    customer.retry_at.reset();
    create_commands_[create.id] = number;
    publish(out, topics::spark_commands, std::move(create));
}

// Sends the next post of the customer's oldest unshown message, unless one is in flight or a
// failed one waits for its retry. One at a time per customer, so order survives any failure.
void Core::pump(const std::string& number, Customer& customer, Outputs& out) {
    const RoomInfo* room = directory_.room_of(number);
    if (room == nullptr || customer.post_retry_at) return;
    while (!customer.queue.empty()) {
        Queued& front = customer.queue.front();
        if (!front.in_flight.empty()) return;
        if (!front.counted) {
            front.counted = true;
            front.parts = customer_posts(front.message, settings_.redirect_dn);
            ++counters_.messages_to_rooms;
            if (front.message.channel != "voice" && !customer.waiting_since) {
                customer.waiting_since = now_;
                customer.assignment_checked = false;
            }
        }
        // Parts an earlier life saw posted are not posted twice.
        const auto earlier = earlier_posts_.find(front.event_id);
        if (earlier != earlier_posts_.end()) front.posted = std::max(front.posted, earlier->second);
        if (front.posted >= front.parts.size()) {
            out.complete.push_back(front.ref);  // done with the result that showed its last part
            earlier_posts_.erase(front.event_id);
            customer.queue.pop_front();
            continue;
        }
        Envelope post = command(event_type::post_message, number,
                                PostMessage{room->id, "", front.parts[front.posted]});
        if (front.event_id.size() <= kMaxLinkedEventId) {
            post.id = std::string(kPostIdPrefix) + std::to_string(front.posted) + "." +
                      post.id.substr(0, 12) + "." + front.event_id;
        }
        front.in_flight = post.id;
        front.in_flight_room = room->id;
        post_commands_[post.id] = number;
        publish(out, topics::spark_commands, std::move(post));
        return;
    }
}

void Core::on_message_posted(const Envelope& event, Outputs& out) {
    const auto found = post_commands_.find(event.correlation_id);
    if (found == post_commands_.end()) return;  // notes, and posts of an earlier life
    const std::string number = found->second;
    post_commands_.erase(found);
    Customer& customer = customers_[number];
    if (customer.queue.empty() || customer.queue.front().in_flight != event.correlation_id) return;
    Queued& front = customer.queue.front();
    front.in_flight.clear();
    ++front.posted;
    customer.post_backoff = std::chrono::seconds{0};
    pump(number, customer, out);  // completes the message when that was its last part
}

// A result from an earlier life, handed back before this life posts again: remember how much
// of that message is already in the room.
void Core::note_earlier_post(const Envelope& event) {
    if (post_commands_.count(event.correlation_id) > 0) return;  // one of ours
    const auto post = parse_post_id(event.correlation_id);
    if (!post) return;
    auto [entry, added] = earlier_posts_.emplace(post->first, 0);
    entry->second = std::max(entry->second, post->second + 1);
    if (added) earlier_order_.push_back(post->first);
    if (earlier_order_.size() > kRememberedEarlierPosts) {
        earlier_posts_.erase(earlier_order_.front());
        earlier_order_.pop_front();
    }
}

void Core::welcome(const std::string& number, Customer& customer, const RoomInfo& room,
                   Outputs& out) {
    if (!customer.texted || customer.welcomed) return;  // no welcome SMS for a call alone
    customer.welcomed = true;
    if (!sms_allowed(number, SmsKind::automatic, room.id, "No welcome SMS sent", out)) return;
    ++counters_.welcomes;
    publish(out, topics::tropo_commands,
            command(event_type::send_sms, number,
                    SendSms{number, welcome_sms(settings_.company_name), room.id}));
}

void Core::on_room_created(const RoomCreated& created, Outputs& out) {
    ++counters_.rooms_created;
    directory_.learn(created.room_id, created.title, settings_.team_id);  // made in the team
    const auto found = customers_.find(created.customer);
    if (found == customers_.end()) return;  // a room for nobody we are serving: just learn it
    Customer& customer = found->second;
    create_commands_.erase(customer.create_id);
    customer.create_id.clear();
    const RoomInfo* room = directory_.room_of(created.customer);
    if (room == nullptr) {
        // The title does not name the customer it was made for: retry through a sync.
        customer.backoff = next_backoff(customer.backoff);
        customer.retry_at = now_ + customer.backoff;
        return;
    }
    customer.room_wanted = false;
    customer.retry_at.reset();
    customer.backoff = std::chrono::seconds{0};
    pump(created.customer, customer, out);
    welcome(created.customer, customer, *room, out);
    start_assignment(created.customer, *room, out);
}

// ---- Room -> customer ------------------------------------------------------------------------

bool Core::is_bridge(const std::string& email, const std::string& person_id) const {
    return (!email.empty() && bridge_identities_.count(lowercase(email)) > 0) ||
           (!person_id.empty() && bridge_identities_.count(person_id) > 0);
}

void Core::on_agent_message(const AgentMessage& message, Outputs& out) {
    // Anyone can title a space `Anything 3055550111` and add the proxy: only the team's rooms
    // are customer rooms (DESIGN §2.12). Such a message causes nothing, not even a memory.
    if (!directory_.in_team(message.room_team_id)) {
        ++counters_.foreign_rooms;
        return;
    }
    const SeenMessages::Change seen = seen_messages_.admit(message.message_id);
    if (!seen.added) {
        ++counters_.duplicates;
        return;
    }
    out.remember.push_back(
        {std::string(kSeenPrefix) + message.message_id, nlohmann::json(nullptr)});
    if (seen.forgotten) out.remember.push_back({std::string(kSeenPrefix) + *seen.forgotten, {}});
    if (message.room_type == "direct") {
        ++counters_.ignored;
        return;
    }
    // The title it carries is the room's current one: renames and unknown rooms are learned.
    if (!blank(message.room_title)) {
        directory_.learn(message.room_id, message.room_title, message.room_team_id);
    }
    const RoomInfo* room = directory_.room(message.room_id);
    if (room != nullptr && !room->customer.empty()) room_learned(room->customer, out);

    if (message.from_bridge) {
        // Remember who the bridge is, so its membership never passes for an agent's.
        if (!message.author_email.empty())
            bridge_identities_.insert(lowercase(message.author_email));
        if (!message.author_id.empty()) bridge_identities_.insert(message.author_id);
    }
    if (message.from_bridge || is_bridge(message.author_email, "")) {
        ++counters_.echoes_dropped;
        return;
    }
    if (room == nullptr || room->customer.empty()) {
        ++counters_.ignored;  // the team's own rooms, and rooms nobody can place
        return;
    }
    if (!message.mentioned_people.empty() || !message.mentioned_groups.empty()) {
        ++counters_.whispers;
        return;
    }
    const std::string text = agent_sms_text(message);
    if (blank(text)) {
        ++counters_.ignored;
        return;
    }
    const std::string number = room->customer;
    if (sms_allowed(number, SmsKind::agent_reply, room->id, "Reply not sent by SMS", out)) {
        publish(out, topics::tropo_commands,
                command(event_type::send_sms, number, SendSms{number, text, room->id}));
        ++counters_.messages_to_customers;
    }
    Customer& customer = customers_[number];
    customer.waiting_since.reset();
    customer.assignment_checked = false;
}

// ---- Agent assignment ------------------------------------------------------------------------

void Core::start_assignment(const std::string& number, const RoomInfo& room, Outputs& out) {
    Customer& customer = customers_[number];
    if (!settings_.assign_agents || !customer.waiting_since || customer.assignment_checked ||
        assignments_.count(room.id) > 0) {
        return;
    }
    customer.assignment_checked = true;
    Assignment assignment;
    assignment.customer = number;
    assignment.room_id = room.id;
    assignment.started = now_;
    Envelope room_lookup = command(event_type::list_room_members, number, ListRoomMembers{room.id});
    Envelope team_lookup =
        command(event_type::list_team_members, std::string(kTeamKey), ListTeamMembers{});
    assignment.room_command = room_lookup.id;
    assignment.team_command = team_lookup.id;
    lookup_commands_[room_lookup.id] = room.id;
    lookup_commands_[team_lookup.id] = room.id;
    assignments_[room.id] = std::move(assignment);
    ++counters_.presence_lookups;
    publish(out, topics::spark_commands, std::move(room_lookup));
    publish(out, topics::spark_commands, std::move(team_lookup));
}

void Core::forget_assignment(const std::string& room_id) {
    const auto found = assignments_.find(room_id);
    if (found == assignments_.end()) return;
    lookup_commands_.erase(found->second.room_command);
    lookup_commands_.erase(found->second.team_command);
    assignments_.erase(found);
}

void Core::on_members(const Envelope& event, Outputs& out) {
    const auto command_found = lookup_commands_.find(event.correlation_id);
    if (command_found == lookup_commands_.end()) {
        ++counters_.ignored;  // a look-up of an earlier life, or one given up on
        return;
    }
    Assignment& assignment = assignments_.at(command_found->second);
    if (event.type == event_type::room_members) {
        assignment.room_members = event.payload_as<RoomMembers>().members;
    } else {
        assignment.team_members = event.payload_as<TeamMembers>().members;
    }
    if (!assignment.room_members || !assignment.team_members) return;
    const Assignment decided = assignment;
    forget_assignment(decided.room_id);
    customers_[decided.customer].assignment_backoff = std::chrono::seconds{0};
    decide_assignment(decided, out);
}

void Core::decide_assignment(const Assignment& assignment, Outputs& out) {
    std::set<std::string> in_room;
    for (const Member& member : *assignment.room_members) {
        if (is_bridge(member.email, member.person_id)) continue;
        if (member.status == "active") return;  // an active agent is already there
        in_room.insert(member.person_id);
    }
    std::vector<Member> candidates;
    for (const Member& member : *assignment.team_members) {
        if (member.status == "active" && !is_bridge(member.email, member.person_id) &&
            in_room.count(member.person_id) == 0) {
            candidates.push_back(member);
        }
    }
    if (!candidates.empty()) {
        std::sort(candidates.begin(), candidates.end(), more_idle);
        const Member& chosen = settings_.assign_most_idle
                                   ? candidates.front()
                                   : candidates[random_() % candidates.size()];
        Envelope add = command(event_type::add_member, assignment.customer,
                               AddMember{assignment.room_id, chosen.person_id, chosen.email});
        add_commands_[add.id] = assignment.customer;
        publish(out, topics::spark_commands, std::move(add));
        return;
    }
    ++counters_.customers_waiting;
    if (sms_allowed(assignment.customer, SmsKind::automatic, assignment.room_id,
                    "No \"agents are busy\" SMS sent", out)) {
        publish(out, topics::tropo_commands,
                command(event_type::send_sms, assignment.customer,
                        SendSms{assignment.customer, agents_busy_sms(settings_.company_name),
                                assignment.room_id}));
    }
    const RoomInfo* room = directory_.room(assignment.room_id);
    const RoomInfo* general = directory_.general_room();
    if (general != nullptr && general->id != assignment.room_id) {
        const std::string title = room != nullptr ? room->title : assignment.customer;
        publish(out, topics::spark_commands,
                command(event_type::post_message, general->id,
                        PostMessage{general->id, "", customer_waiting_note(title)}));
    }
}

// ---- Failures --------------------------------------------------------------------------------

void Core::on_command_failed(const Envelope& event, Outputs& out) {
    const auto failed = event.payload_as<CommandFailed>();
    ++counters_.command_failures;
    if (const auto post = post_commands_.find(event.correlation_id); post != post_commands_.end()) {
        const std::string number = post->second;
        post_commands_.erase(post);
        return on_post_failed(number, failed, out);
    }
    if (const auto add = add_commands_.find(event.correlation_id); add != add_commands_.end()) {
        const std::string number = add->second;
        add_commands_.erase(add);
        return assignment_failed(number);
    }
    if (failed.command_type == event_type::create_room) {
        const auto found = create_commands_.find(event.correlation_id);
        if (found == create_commands_.end()) return;
        Customer& customer = customers_[found->second];
        create_commands_.erase(found);
        ++counters_.create_failures;
        customer.create_id.clear();
        customer.backoff = next_backoff(customer.backoff);
        customer.retry_at = now_ + customer.backoff;  // its messages stay held meanwhile
        return;
    }
    const auto lookup = lookup_commands_.find(event.correlation_id);
    if (lookup != lookup_commands_.end()) {
        const auto assignment = assignments_.find(lookup->second);
        if (assignment != assignments_.end()) assignment_failed(assignment->second.customer);
        forget_assignment(lookup->second);
    }
}

void Core::on_post_failed(const std::string& number, const CommandFailed& failed, Outputs& out) {
    Customer& customer = customers_[number];
    if (customer.queue.empty() || customer.queue.front().in_flight.empty()) return;
    Queued& front = customer.queue.front();
    const std::string room_id = front.in_flight_room;
    front.in_flight.clear();
    ++counters_.post_failures;
    if (room_gone(failed.status) && !room_id.empty()) {
        // The room was deleted or the proxy removed: a new one, once; then everything that
        // waits is posted there, in order. The customer had a room, so no second welcome.
        ++counters_.rooms_gone;
        directory_.forget(room_id);
        forget_assignment(room_id);
        customer.welcomed = true;
        customer.post_retry_at.reset();
        customer.post_backoff = std::chrono::seconds{0};
        if (directory_.room_of(number) != nullptr) {
            pump(number, customer, out);  // another room of theirs is listed
        } else {
            customer.room_wanted = true;
            if (customer.create_id.empty() && !customer.retry_at)
                create_room(number, customer, out);
        }
        return;
    }
    // Busy or broken for now (429 or 5xx after spark-gateway's own retries, the network): the
    // message stays first in line and is posted again later; nothing behind it overtakes it.
    customer.post_backoff = next_backoff(customer.post_backoff);
    customer.post_retry_at = now_ + customer.post_backoff;
}

// A look-up or AddMember that failed must not end assignment for this wait: try again later.
void Core::assignment_failed(const std::string& number) {
    const auto found = customers_.find(number);
    if (found == customers_.end()) return;
    Customer& customer = found->second;
    customer.assignment_backoff = next_backoff(customer.assignment_backoff);
    customer.assignment_retry_at = now_ + customer.assignment_backoff;
}

void Core::on_delivery_report(const DeliveryReport& report, Outputs& out) {
    if (report.status != "failed") return;
    ++counters_.delivery_failures;
    const RoomInfo* room = directory_.room(report.room_id);
    if (room == nullptr) room = directory_.room_of(report.to);
    if (room == nullptr) {
        ++counters_.ignored;
        return;
    }
    publish(out, topics::spark_commands,
            command(event_type::post_message, room->customer.empty() ? room->id : room->customer,
                    PostMessage{room->id, "", delivery_failed_note(report)}));
}

// ---- Building commands -----------------------------------------------------------------------

Envelope Core::command(std::string_view type, std::string key, const json& payload) {
    Envelope envelope;
    envelope.id = new_id();
    envelope.type = std::string(type);
    envelope.source = settings_.source;
    envelope.key = std::move(key);
    envelope.payload = payload;
    return envelope;  // the time is stamped when it is published
}

void Core::publish(Outputs& out, std::string_view topic, Envelope event) {
    out.publish.push_back({std::string(topic), std::move(event)});
}

std::string Core::new_id() {
    static const char kHex[] = "0123456789abcdef";
    std::string id;
    for (int word = 0; word < 2; ++word) {
        std::uint64_t bits = random_();
        for (int i = 0; i < 16; ++i) {
            id += kHex[bits & 0xF];
            bits >>= 4;
        }
    }
    return id;
}

std::chrono::seconds Core::next_backoff(std::chrono::seconds current) const {
    if (current.count() == 0) return settings_.first_retry;
    return std::min(current * 2, settings_.max_retry);
}

}  // namespace sb::router
