// The core's façade (router_core.h): each step decodes its event once and visits it, time
// drives the retries and the checks, and the directory's syncs gate everything else. The
// customer -> room half is router_core_customer.cpp, room -> customer router_core_agent.cpp.
#include "router_core.h"

#include <type_traits>

#include "switchboard/topics.h"

namespace sb::router {
namespace {

constexpr size_t kRememberedMessages = 20000;
constexpr size_t kRememberedEarlierPosts = 20000;

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
            restore_waiting_replies(input.memory, out);
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
    for (Remembered& change : opt_outs_.take_changes()) out.remember.push_back(std::move(change));
    for (Remembered& change : notes_.take_changes()) out.remember.push_back(std::move(change));
    return out;
}

void Core::restore(const Memory& memory) {
    std::vector<std::string> seen;
    for (const auto& [key, value] : memory) {
        if (has_prefix(key, kSeenPrefix)) seen.push_back(key.substr(kSeenPrefix.size()));
    }
    agent_replies_.restore(seen);
    sms_policy_.restore(memory);    // takes its own keys
    opt_outs_.restore(memory);      // so does the opt-out state
    notes_.restore(memory, now_);   // and the thread notes not yet posted
    missed_calls_.restore(memory);  // and the calls texted back
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
    bool operator()(const RoomRenamed& renamed) const {
        core.on_room_renamed(inbound.correlation_id, renamed);
        return true;
    }
    bool operator()(const AgentMessageDeleted& deleted) const {
        core.on_agent_message_deleted(deleted, out);
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
                if (payload.call && payload.call->outcome == "incoming") {
                    answer_call(inbound, payload, out);
                }
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
        release_due_replies(out);  // replies whose undo window ended
    }
    assignments_.expire(now_);
    retry_notes(out);  // a thread note Webex did not take
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
            adopt_title_marks(page);
            break;
        case DirectorySync::Page::finished:
            adopt_title_marks(page);
            ++counters_.syncs;
            finish_sync(first, out);
            break;
    }
}

void Core::finish_sync(bool first, Outputs& out) {
    // Customers still waiting for a room: theirs may be listed now; if not and no CreateRoom is
    // in flight (it failed earlier), ask again.
    rename_failed_.clear();  // a title the last rename could not fix is tried again
    for (const std::string& customer : opt_outs_.numbers()) fix_title(customer, out);
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

}  // namespace sb::router
