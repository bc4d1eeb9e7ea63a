#pragma once
// Drives router::Core the way the delivery Node does: every event gets a ref, held events stay
// pending until an output completes them, and a "restart" hands the pending ones to a fresh core.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "router_core.h"
#include "switchboard/topics.h"

namespace sb::router::testing {

using namespace std::chrono_literals;

inline constexpr const char* kTeam = "team-agents";  // SPARK_AGENT_TEAM_ID

inline Settings test_settings() {
    Settings settings;
    settings.redirect_dn = "+18005550199";
    settings.proxy_email = "switchboard@sandbox.example";
    settings.team_id = kTeam;
    settings.company_name = "Acme";
    settings.assign_agents = false;  // scenarios about assignment turn it on
    settings.unanswered_after = 120s;
    settings.resync_every = 600s;
    settings.first_retry = 5s;
    settings.max_retry = 60s;
    // +447911123456, the scenarios' British number, is Guernsey's to libphonenumber.
    settings.sms.allowed_countries = {"US", "GB", "GG"};
    return settings;
}

struct Harness {
    explicit Harness(Settings s = test_settings()) : settings(std::move(s)) { reset_core(); }

    Settings settings;
    std::uint64_t random_state = 0;
    std::unique_ptr<Core> core;
    Time now = Time{} + 1000s;
    WallTime wall{};                         // every input's wall clock
    std::vector<nlohmann::json> remembered;  // every Outputs::remember, as the shell keeps them
    std::uint64_t next_seq = 0;
    std::uint64_t next_event = 0;
    std::map<std::uint64_t, Envelope> pending;  // by seq: accepted, not completed
    std::vector<Outbound> published;            // every command, in order
    std::vector<Outbound> replies;              // every send_now
    std::vector<std::string> memory;  // the journal's memory of AgentMessage ids, oldest first
    Outputs last;
    // Playing spark-gateway's happy path: every PostMessage is answered with MessagePosted
    // right after the step that published it. Failure scenarios turn it off and answer by hand.
    bool confirm_posts = true;
    size_t confirmed_upto = 0;  // published[] before this index has been looked at
    bool confirming = false;

    // A new life: memory gone but for what the journal kept (its pending events, handed back in
    // order, and the ids of the AgentMessages acted on) and what the SMS policy kept.
    void reset_core() {
        core = std::make_unique<Core>(settings, [this] { return ++random_state; });
        core->restore_sms_policy(remembered);
    }
    void restart() {
        reset_core();
        const auto replay = pending;
        for (const auto& [seq, event] : replay) feed(seq, event);
        step(Input::start(now, memory));
    }
    // What the shell does with a step's seen/unseen: the journal's memory.
    void keep(const Outputs& outputs) {
        for (const std::string& id : outputs.seen) memory.push_back(id);
        for (const std::string& id : outputs.unseen) {
            memory.erase(std::remove(memory.begin(), memory.end(), id), memory.end());
        }
    }

    Outputs step(Input input) {
        input.wall = wall;
        last = core->step(input);
        remembered.insert(remembered.end(), last.remember.begin(), last.remember.end());
        keep(last);
        for (const EventRef& ref : last.complete) pending.erase(ref.seq);
        published.insert(published.end(), last.publish.begin(), last.publish.end());
        replies.insert(replies.end(), last.send_now.begin(), last.send_now.end());
        const Outputs result = last;
        confirm();
        last = result;  // what the step itself did, not its confirmations
        return last;
    }
    Outputs feed(std::uint64_t seq, const Envelope& event) {
        pending[seq] = event;
        Input input = Input::received(now, EventRef{"stream", seq}, event);
        input.wall = wall;
        const Outputs result = core->step(input);
        last = result;
        remembered.insert(remembered.end(), last.remember.begin(), last.remember.end());
        keep(last);
        for (const EventRef& ref : last.complete) pending.erase(ref.seq);
        published.insert(published.end(), last.publish.begin(), last.publish.end());
        replies.insert(replies.end(), last.send_now.begin(), last.send_now.end());
        if (!last.hold) pending.erase(seq);
        confirm();
        last = result;
        return last;
    }
    // Answers the posts published since the last look, the ones those answers cause too.
    void confirm() {
        if (!confirm_posts || confirming) return;
        confirming = true;
        while (confirmed_upto < published.size()) {
            const Outbound out = published[confirmed_upto++];
            if (out.event.type != event_type::post_message) continue;
            answer_post(out);
        }
        confirming = false;
    }
    Outputs answer_post(const Outbound& post, std::string message_id = {}) {
        const auto request = post.event.payload_as<PostMessage>();
        if (message_id.empty()) message_id = "msg-" + std::to_string(next_event + 1);
        return send(event_type::message_posted, MessagePosted{request.room_id, message_id},
                    post.event.id);
    }
    Outputs fail_post(const Outbound& post, int status, std::string reason = "failed") {
        return send(event_type::command_failed,
                    CommandFailed{std::string(event_type::post_message), std::move(reason), status},
                    post.event.id);
    }

    template <class Payload>
    Envelope envelope(std::string_view type, const Payload& payload, std::string key = {},
                      std::string correlation = {}) {
        Envelope event;
        event.id = "evt-" + std::to_string(++next_event);
        event.type = std::string(type);
        event.time = "2026-05-01T10:00:00.000Z";
        event.source = "test";
        event.key = std::move(key);
        event.correlation_id = std::move(correlation);
        event.payload = payload;
        return event;
    }
    template <class Payload>
    Outputs send(std::string_view type, const Payload& payload, std::string correlation = {}) {
        return feed(++next_seq, envelope(type, payload, {}, std::move(correlation)));
    }

    Outputs start() { return step(Input::start(now)); }
    Outputs tick(std::chrono::seconds later = 0s) {
        now += later;
        return step(Input::tick(now));
    }

    // ---- Playing spark-gateway -----------------------------------------------------------
    const Outbound* last_command(std::string_view type) const {
        for (auto it = published.rbegin(); it != published.rend(); ++it) {
            if (it->event.type == type) return &*it;
        }
        return nullptr;
    }
    // The latest command of a type (a copy); fails the test when there is none.
    Outbound latest(std::string_view type) const {
        for (auto it = published.rbegin(); it != published.rend(); ++it) {
            if (it->event.type == type) return *it;
        }
        FAIL("no " << type << " was published");
        return {};
    }
    std::vector<Outbound> commands(std::string_view type, size_t since = 0) const {
        std::vector<Outbound> found;
        for (size_t i = since; i < published.size(); ++i) {
            if (published[i].event.type == type) found.push_back(published[i]);
        }
        return found;
    }
    template <class Payload>
    std::vector<Payload> payloads(std::string_view type, size_t since = 0) const {
        std::vector<Payload> found;
        for (const Outbound& out : commands(type, since)) {
            found.push_back(out.event.payload_as<Payload>());
        }
        return found;
    }

    // Answers the latest ListRooms with these pages.
    void answer_sync(const std::vector<std::vector<RoomSummary>>& pages) {
        const Outbound list = latest(event_type::list_rooms);
        const auto request = list.event.payload_as<ListRooms>();
        for (size_t i = 0; i < pages.size(); ++i) {
            RoomsPage page;
            page.sync_id = request.sync_id;
            page.page = static_cast<int>(i);
            page.last = i + 1 == pages.size();
            page.rooms = pages[i];
            send(event_type::rooms_page, page, list.event.id);
        }
    }
    // Start and a first sync listing `rooms` on one page.
    void start_with(const std::vector<RoomSummary>& rooms) {
        start();
        answer_sync({rooms});
        REQUIRE(core->ready());
    }
    // Answers the latest CreateRoom for `customer`.
    Outputs create_room_answer(const std::string& customer, const std::string& room_id) {
        const auto creates = commands(event_type::create_room);
        auto found = std::find_if(creates.rbegin(), creates.rend(), [&](const Outbound& out) {
            return out.event.payload_as<CreateRoom>().customer == customer;
        });
        REQUIRE(found != creates.rend());
        const auto create = found->event.payload_as<CreateRoom>();
        return send(event_type::room_created, RoomCreated{customer, room_id, create.title},
                    found->event.id);
    }
};

inline RoomSummary room(std::string id, std::string title, std::string created = {}) {
    RoomSummary summary;
    summary.id = std::move(id);
    summary.title = std::move(title);
    summary.created = created.empty() ? "2026-01-01T00:00:00.000Z" : std::move(created);
    return summary;
}

inline CustomerMessage sms(std::string customer, std::string text) {
    CustomerMessage message;
    message.customer = std::move(customer);
    message.channel = "sms";
    message.text = std::move(text);
    message.received_at = "2026-05-01T10:00:00.000Z";
    return message;
}

inline CustomerMessage call(std::string customer, std::string call_id,
                            std::string reply_to = "reply.tropo-gateway") {
    CustomerMessage message;
    message.customer = std::move(customer);
    message.channel = "voice";
    message.received_at = "2026-05-01T10:00:00.000Z";
    message.call = CallInfo{std::move(call_id), std::move(reply_to)};
    return message;
}

inline AgentMessage agent_says(std::string room_id, std::string title, std::string text,
                               std::string message_id) {
    AgentMessage message;
    message.message_id = std::move(message_id);
    message.room_id = std::move(room_id);
    message.room_title = std::move(title);
    message.room_type = "group";
    message.room_team_id = kTeam;
    message.author_id = "person-agent";
    message.author_email = "agent@example.com";
    message.text = std::move(text);
    message.created = "2026-05-01T10:00:01.000Z";
    return message;
}

inline Member member(std::string id, std::string status, std::string last_activity = {},
                     std::string email = {}) {
    Member m;
    m.person_id = std::move(id);
    m.email = email.empty() ? m.person_id + "@example.com" : std::move(email);
    m.status = std::move(status);
    m.last_activity = std::move(last_activity);
    return m;
}

}  // namespace sb::router::testing
