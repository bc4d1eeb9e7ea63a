#include "router_core.h"

#include <type_traits>

#include "room_text.h"
#include "switchboard/topics.h"

namespace sb::router {
namespace {

constexpr size_t kRememberedMessages = 20000;
constexpr size_t kRememberedEarlierPosts = 20000;

// Webex's answers for a room that is no more: deleted (404, 410), or the proxy is no longer a
// member (403, e.g. it was removed or left).
bool room_gone(int status) {
    return status == 404 || status == 403 || status == 410;
}

}  // namespace

Core::Core(Settings settings, Random random)
    : settings_(std::move(settings)),
      commands_(settings_.source, std::move(random)),
      directory_(settings_.team_id),
      sync_(directory_, settings_.team_id, RetryPolicy::of(settings_), settings_.resync_every),
      rooms_(RetryPolicy::of(settings_)),
      posts_(RetryPolicy::of(settings_), settings_.redirect_dn),
      earlier_posts_(kRememberedEarlierPosts),
      agent_replies_(kRememberedMessages, settings_.proxy_email),
      assignments_(RetryPolicy::of(settings_), settings_.unanswered_after,
                   settings_.lookup_timeout) {}

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
    agent_replies_.restore(seen);
    sms_policy_.restore(memory);  // takes its own keys
}

// ---- Inbound events -----------------------------------------------------------------------

// A decoded event, handled once the directory is known. True when the event is done, false
// when the core keeps it held.
struct Core::Handle {
    Core& core;
    const Inbound& inbound;
    Outputs& out;

    bool operator()(const CustomerMessage& message) const {
        return core.on_customer_message(inbound, message, out);
    }
    bool operator()(const AgentMessage& message) const {
        core.on_agent_message(message, out);
        return true;
    }
    bool operator()(const RoomCreated& created) const {
        core.on_room_created(created, out);
        return true;
    }
    bool operator()(const RoomMembers& members) const {
        Assignments::Lookup decided;
        const auto answer =
            core.assignments_.on_room_members(inbound.correlation_id, members.members, decided);
        core.on_lookup_answer(answer, decided, out);
        return true;
    }
    bool operator()(const TeamMembers& members) const {
        Assignments::Lookup decided;
        const auto answer =
            core.assignments_.on_team_members(inbound.correlation_id, members.members, decided);
        core.on_lookup_answer(answer, decided, out);
        return true;
    }
    bool operator()(const CommandFailed& failed) const {
        core.on_command_failed(inbound.correlation_id, failed, out);
        return true;
    }
    bool operator()(const MessagePosted&) const {
        core.on_message_posted(inbound.correlation_id, out);
        return true;
    }
    bool operator()(const DeliveryReport& report) const {
        core.on_delivery_report(report, out);
        return true;
    }
    bool operator()(const MemberAdded&) const {
        ++core.counters_.agents_added;
        core.assignments_.member_added(inbound.correlation_id);
        return true;
    }
    // RoomsPage never waits for the directory (before_ready), nor does anything else here.
    bool operator()(const RoomsPage&) const { return true; }
    bool operator()(const NotForRouter&) const {
        ++core.counters_.ignored;  // a type that is not the router's to handle
        return true;
    }
};

void Core::on_received(const EventRef& ref, const Envelope& event, Outputs& out) {
    try {
        const Inbound inbound = decode(ref, event);
        if (before_ready(inbound, out)) return;
        if (!sync_.ready()) {
            deferred_.push_back(inbound);
            out.hold = true;
            return;
        }
        if (!dispatch(inbound, out)) out.hold = true;
    } catch (const std::exception&) {
        // The delivery layer validated it; a payload that still does not decode is dropped
        // rather than held forever.
        ++counters_.malformed;
    }
}

// What may not wait for the directory: a call's answer (the gateway holds the call for about a
// second), what completes a sync, and what an earlier life posted. True when that was all.
bool Core::before_ready(const Inbound& inbound, Outputs& out) {
    return std::visit(
        [&](const auto& payload) -> bool {
            using T = std::decay_t<decltype(payload)>;
            if constexpr (std::is_same_v<T, CustomerMessage>) {
                if (payload.call) answer_call(inbound, payload, out);
            } else if constexpr (std::is_same_v<T, RoomsPage>) {
                on_rooms_page(payload, out);
                return true;
            } else if constexpr (std::is_same_v<T, CommandFailed>) {
                if (payload.command_type == event_type::list_rooms) {
                    if (sync_.on_failed(inbound.correlation_id, now_)) {
                        ++counters_.sync_failures;
                    } else {
                        ++counters_.ignored;
                    }
                    return true;
                }
            } else if constexpr (std::is_same_v<T, MessagePosted>) {
                // A result from an earlier life, handed back before this life posts again.
                if (!posts_.owns(inbound.correlation_id)) {
                    earlier_posts_.note(inbound.correlation_id);
                }
            }
            return false;
        },
        inbound.payload);
}

bool Core::dispatch(const Inbound& inbound, Outputs& out) {
    return std::visit(Handle{*this, inbound, out}, inbound.payload);
}

void Core::replay(const Inbound& inbound, Outputs& out) {
    try {
        if (dispatch(inbound, out)) out.complete.push_back(inbound.ref);
    } catch (const std::exception&) {
        ++counters_.malformed;
        out.complete.push_back(inbound.ref);
    }
}

// ---- Time -------------------------------------------------------------------------------------

void Core::on_tick(Outputs& out) {
    if (sync_.due(now_)) start_sync(out);
    // A failed CreateRoom is retried after a fresh sync: the failure may have come after the
    // room was made, and a second room is worse than a late one.
    if (rooms_.retry_due(now_) && !sync_.in_flight()) start_sync(out);
    // A failed post is retried in place: the room is known, only the provider was not willing.
    if (sync_.ready()) {
        for (const std::string& customer : posts_.retries_due(now_)) pump(customer, out);
    }
    assignments_.expire(now_);
    if (!sync_.ready() || !settings_.assign_agents) return;
    for (const std::string& customer : assignments_.due(now_)) {
        if (const RoomInfo* room = directory_.room_of(customer)) {
            start_assignment(customer, *room, out);
        }
    }
}

// ---- The directory ---------------------------------------------------------------------------

void Core::start_sync(Outputs& out) {
    if (auto list = sync_.start(commands_)) publish(out, topics::spark_commands, std::move(*list));
}

void Core::on_rooms_page(const RoomsPage& page, Outputs& out) {
    const bool first = !sync_.ready();
    switch (sync_.on_page(page, now_)) {
        case DirectorySync::Page::ignored:
            ++counters_.ignored;  // a page of a sync given up on, or of an earlier life
            break;
        case DirectorySync::Page::more:
            break;
        case DirectorySync::Page::finished:
            ++counters_.syncs;
            finish_sync(first, out);
            break;
    }
}

void Core::finish_sync(bool first, Outputs& out) {
    // Customers still waiting for a room: theirs may be listed now; if not and no CreateRoom is
    // in flight (it failed earlier), ask again.
    for (const std::string& customer : posts_.customers_waiting()) {
        if (directory_.room_of(customer)) {
            room_learned(customer, out);
        } else {
            rooms_.want(customer);
            if (!rooms_.in_flight(customer)) {
                publish(out, topics::spark_commands, rooms_.request(customer, commands_));
            }
        }
    }
    if (!first) return;
    // What arrived while the directory was unknown, in arrival order.
    while (!deferred_.empty()) {
        const Inbound inbound = std::move(deferred_.front());
        deferred_.pop_front();
        replay(inbound, out);
    }
}

// A customer's room became known other than by our RoomCreated: send what waited for it. The
// welcome goes now unless a CreateRoom is still in flight (its RoomCreated will send it).
void Core::room_learned(const std::string& customer, Outputs& out) {
    const RoomInfo* room = directory_.room_of(customer);
    if (room == nullptr || posts_.empty(customer)) return;
    pump(customer, out);
    if (!rooms_.wanted(customer)) return;  // the room was known: nothing new about it
    rooms_.placed(customer);
    if (!rooms_.in_flight(customer)) {
        welcome(customer, *room, out);
        start_assignment(customer, *room, out);
    }
}

// ---- Customer -> room ------------------------------------------------------------------------

void Core::answer_call(const Inbound& inbound, const CustomerMessage& message, Outputs& out) {
    // Replies go only to a gateway's reply topic, never into a command stream.
    const std::string prefix = topics::replies_for("");
    if (message.call->reply_to.compare(0, prefix.size(), prefix) != 0 ||
        message.call->reply_to.size() == prefix.size()) {
        ++counters_.malformed;
        return;
    }
    Envelope decision = commands_.make(event_type::call_decision, message.customer,
                                       CallDecision{message.call->call_id, settings_.redirect_dn});
    decision.correlation_id = inbound.id;
    out.send_now.push_back({message.call->reply_to, std::move(decision)});
    ++counters_.calls_forwarded;
}

// The message stays held until MessagePosted says its last part is in the room: a post that
// fails, or a crash before its result, leaves it to be posted again rather than lost.
bool Core::on_customer_message(const Inbound& inbound, const CustomerMessage& message,
                               Outputs& out) {
    const std::string& customer = message.customer;
    rooms_.serve(customer);
    if (message.channel != "voice") rooms_.texted(customer);
    if (message.channel == "sms") sms_policy_.texted_in(customer);  // answered, always
    posts_.push(customer, inbound.ref, inbound.id, message);  // nothing may overtake what waits
    if (directory_.room_of(customer) != nullptr) {
        pump(customer, out);
    } else {
        want_room(customer, out);  // one room per customer: the rest wait behind the first
    }
    return false;
}

// Messages wait for a room nobody has listed: ask for one, unless a CreateRoom is in flight or
// a failed one waits for its retry.
void Core::want_room(const std::string& customer, Outputs& out) {
    rooms_.want(customer);
    if (!rooms_.in_flight(customer) && !rooms_.retry_waiting(customer)) {
        publish(out, topics::spark_commands, rooms_.request(customer, commands_));
    }
}

void Core::pump(const std::string& customer, Outputs& out) {
    PostQueue::Pumped pumped =
        posts_.pump(customer, directory_.room_of(customer), earlier_posts_, commands_);
    counters_.messages_to_rooms += pumped.shown;
    if (pumped.text_shown) assignments_.waiting(customer, now_);
    out.complete.insert(out.complete.end(), pumped.complete.begin(), pumped.complete.end());
    if (pumped.post) publish(out, topics::spark_commands, std::move(*pumped.post));
}

void Core::on_message_posted(const std::string& command_id, Outputs& out) {
    // Completes the message when that was its last part.
    if (const auto customer = posts_.posted(command_id)) pump(*customer, out);
}

void Core::welcome(const std::string& customer, const RoomInfo& room, Outputs& out) {
    if (!rooms_.owes_welcome(customer)) return;  // no welcome SMS for a call alone
    rooms_.welcomed(customer);
    if (!sms_allowed(customer, SmsKind::automatic, room.id, "No welcome SMS sent", out)) return;
    ++counters_.welcomes;
    publish(out, topics::tropo_commands,
            commands_.make(event_type::send_sms, customer,
                           SendSms{customer, welcome_sms(settings_.company_name), room.id}));
}

void Core::on_room_created(const RoomCreated& created, Outputs& out) {
    ++counters_.rooms_created;
    directory_.learn(created.room_id, created.title, settings_.team_id);  // made in the team
    const std::string& customer = created.customer;
    if (!rooms_.serves(customer)) return;  // a room for nobody we are serving: just learn it
    rooms_.created(customer);
    const RoomInfo* room = directory_.room_of(customer);
    if (room == nullptr) {
        rooms_.unplaced(customer, now_);  // the title does not name them: retry through a sync
        return;
    }
    rooms_.placed(customer);
    pump(customer, out);
    welcome(customer, *room, out);
    start_assignment(customer, *room, out);
}

// ---- Room -> customer ------------------------------------------------------------------------

void Core::on_agent_message(const AgentMessage& message, Outputs& out) {
    AgentReplies::Admitted admitted = agent_replies_.admit(message, directory_);
    if (admitted.outcome == AgentReplies::Outcome::foreign_room) {
        ++counters_.foreign_rooms;
        return;
    }
    if (admitted.outcome == AgentReplies::Outcome::duplicate) {
        ++counters_.duplicates;
        return;
    }
    for (Remembered& change : admitted.remember) out.remember.push_back(std::move(change));
    if (admitted.outcome == AgentReplies::Outcome::ignored) {
        ++counters_.ignored;  // a direct room
        return;
    }
    // The title it carries is the room's current one: renames and unknown rooms are learned.
    if (has_title(message)) {
        directory_.learn(message.room_id, message.room_title, message.room_team_id);
    }
    const RoomInfo* room = directory_.room(message.room_id);
    if (room != nullptr && !room->customer.empty()) room_learned(room->customer, out);

    const AgentReplies::Reply reply = agent_replies_.reply(message, room);
    switch (reply.outcome) {
        case AgentReplies::Outcome::echo:
            ++counters_.echoes_dropped;
            return;
        case AgentReplies::Outcome::whisper:
            ++counters_.whispers;
            return;
        case AgentReplies::Outcome::reply:
            break;
        default:
            ++counters_.ignored;  // the team's own rooms, rooms nobody can place, no text
            return;
    }
    const std::string customer = room->customer;
    if (sms_allowed(customer, SmsKind::agent_reply, room->id, "Reply not sent by SMS", out)) {
        publish(out, topics::tropo_commands,
                commands_.make(event_type::send_sms, customer,
                               SendSms{customer, reply.text, room->id}));
        ++counters_.messages_to_customers;
    }
    rooms_.serve(customer);
    assignments_.answered(customer);
}

// ---- Agent assignment ------------------------------------------------------------------------

void Core::start_assignment(const std::string& customer, const RoomInfo& room, Outputs& out) {
    if (!settings_.assign_agents) return;
    std::vector<Envelope> lookups = assignments_.start(customer, room, now_, commands_);
    if (lookups.empty()) return;
    ++counters_.presence_lookups;
    for (Envelope& lookup : lookups) publish(out, topics::spark_commands, std::move(lookup));
}

void Core::on_lookup_answer(Assignments::Answer answer, const Assignments::Lookup& lookup,
                            Outputs& out) {
    if (answer == Assignments::Answer::ignored) {
        ++counters_.ignored;  // a look-up of an earlier life, or one given up on
    } else if (answer == Assignments::Answer::complete) {
        decide_assignment(lookup, out);
    }
}

void Core::decide_assignment(const Assignments::Lookup& lookup, Outputs& out) {
    const AgentChoice choice =
        choose_agent(*lookup.room_members, *lookup.team_members, agent_replies_.bridge(),
                     settings_.assign_most_idle, [this] { return commands_.draw(); });
    if (choice.kind == AgentChoice::Kind::covered) return;  // an active agent is already there
    if (choice.kind == AgentChoice::Kind::add) {
        Envelope add =
            commands_.make(event_type::add_member, lookup.customer,
                           AddMember{lookup.room_id, choice.member.person_id, choice.member.email});
        assignments_.add_requested(add.id, lookup.customer);
        publish(out, topics::spark_commands, std::move(add));
        return;
    }
    ++counters_.customers_waiting;
    if (sms_allowed(lookup.customer, SmsKind::automatic, lookup.room_id,
                    "No \"agents are busy\" SMS sent", out)) {
        publish(out, topics::tropo_commands,
                commands_.make(event_type::send_sms, lookup.customer,
                               SendSms{lookup.customer, agents_busy_sms(settings_.company_name),
                                       lookup.room_id}));
    }
    const RoomInfo* room = directory_.room(lookup.room_id);
    const RoomInfo* general = directory_.general_room();
    if (general != nullptr && general->id != lookup.room_id) {
        const std::string title = room != nullptr ? room->title : lookup.customer;
        publish(out, topics::spark_commands,
                commands_.make(event_type::post_message, general->id,
                               PostMessage{general->id, "", customer_waiting_note(title)}));
    }
}

// ---- Failures --------------------------------------------------------------------------------

void Core::on_command_failed(const std::string& command_id, const CommandFailed& failed,
                             Outputs& out) {
    ++counters_.command_failures;
    if (posts_.owns(command_id)) {
        if (const auto post = posts_.failed(command_id)) on_post_failed(*post, failed, out);
        return;
    }
    if (assignments_.add_failed(command_id, now_)) return;
    if (failed.command_type == event_type::create_room) {
        if (rooms_.failed(command_id, now_)) ++counters_.create_failures;
        return;
    }
    assignments_.lookup_failed(command_id, now_);
}

void Core::on_post_failed(const PostQueue::Failed& failed, const CommandFailed& why, Outputs& out) {
    ++counters_.post_failures;
    const std::string& customer = failed.customer;
    if (room_gone(why.status) && !failed.room_id.empty()) {
        // The room was deleted or the proxy removed: a new one, once; then everything that
        // waits is posted there, in order. The customer had a room, so no second welcome.
        ++counters_.rooms_gone;
        directory_.forget(failed.room_id);
        assignments_.forget_room(failed.room_id);
        rooms_.welcomed(customer);
        posts_.reset_retry(customer);
        if (directory_.room_of(customer) != nullptr) {
            pump(customer, out);  // another room of theirs is listed
        } else {
            want_room(customer, out);
        }
        return;
    }
    // Busy or broken for now (429 or 5xx after spark-gateway's own retries, the network): the
    // message stays first in line and is posted again later; nothing behind it overtakes it.
    posts_.retry_later(customer, now_);
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
    publish(
        out, topics::spark_commands,
        commands_.make(event_type::post_message, room->customer.empty() ? room->id : room->customer,
                       PostMessage{room->id, "", delivery_failed_note(report)}));
}

}  // namespace sb::router
