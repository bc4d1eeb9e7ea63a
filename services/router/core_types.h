#pragma once
// What goes into the router's core and what comes out of it (router_core.h): its settings, its
// inputs, its outputs and its counters. Every sub-machine of the core speaks these types, so
// they live apart from the façade that composes them.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "remembered.h"
#include "sms_policy.h"
#include "switchboard/clocks.h"
#include "switchboard/events.h"

namespace sb::router {

using Time = SteadyClock::time_point;

struct Settings {
    std::string redirect_dn;  // CUSTOMER_SERVICE_REDIRECT_DN, E.164
    std::string proxy_email;  // SPARK_CUSTOMER_PROXY_EMAIL; may be empty
    std::string team_id;      // SPARK_AGENT_TEAM_ID: only its rooms are customer rooms
    std::string company_name = "Switchboard";
    bool assign_agents = true;
    bool assign_most_idle = true;  // else a random active agent
    std::chrono::seconds unanswered_after{300};
    std::chrono::seconds resync_every{900};
    std::chrono::seconds first_retry{5};  // after a failed CreateRoom or ListRooms, doubling...
    std::chrono::seconds max_retry{120};  // ...up to this
    std::chrono::seconds lookup_timeout{600};  // an assignment look-up nobody answered
    // SMS_ALLOWED_COUNTRIES, SMS_UNSOLICITED_PER_HOUR: who may be texted without having texted
    // us (sms_policy.h). No country listed: nobody.
    SmsRules sms;
    // MISSED_CALL_TEXT: the SMS a caller gets when nobody answered their forwarded call (one per
    // call, missed_calls.h); empty: none.
    std::string missed_call_text;
    // SMS_UNDO_SECONDS (undo_window.h): how long an agent's reply waits, deletable, before it is
    // sent. 0: at once.
    std::chrono::seconds undo_window{0};
    std::string source = "router";
};

// Names an inbound event the delivery layer may hold for the core (its InboundRef).
struct EventRef {
    std::string stream;
    std::uint64_t seq = 0;
    bool operator==(const EventRef& other) const {
        return stream == other.stream && seq == other.seq;
    }
};

struct Input {
    enum class Kind { start, tick, event };
    Kind kind = Kind::tick;
    Time now{};
    // The wall clock, for what outlives the process: the SMS cap's hours.
    WallTime wall{};
    EventRef ref;    // event only
    Envelope event;  // event only
    Memory memory;   // start only: what earlier lives remembered (Node::memory())

    static Input start(Time now, Memory memory = {});
    static Input tick(Time now);
    static Input received(Time now, EventRef ref, Envelope event);
};

struct Outbound {
    std::string topic;
    Envelope event;
};

// One step's effects. `publish` and `complete` (and `hold`) belong in one delivery
// transaction; `send_now` goes out at once, best effort.
struct Outputs {
    std::vector<Outbound> publish;
    std::vector<Outbound> send_now;
    bool hold = false;               // the input event stays pending
    std::vector<EventRef> complete;  // events held by earlier steps, now done
    // Facts to keep (or let go) in the same transaction, handed back in Input::start after a
    // restart (remembered.h): the AgentMessage ids first acted on and the oldest let go to make
    // room, so a message spark-gateway takes in again never reaches the customer twice; and the
    // SMS policy's changes, so an SMS counted is on disk exactly when it is published.
    std::vector<Remembered> remember;
};

inline void publish(Outputs& out, std::string_view topic, Envelope event) {
    out.publish.push_back({std::string(topic), std::move(event)});
}

struct Counters {
    std::uint64_t rooms_created = 0;
    std::uint64_t messages_to_rooms = 0;      // customer -> room
    std::uint64_t messages_to_customers = 0;  // room -> customer
    std::uint64_t welcomes = 0;
    std::uint64_t calls_forwarded = 0;
    std::uint64_t whispers = 0;
    std::uint64_t echoes_dropped = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t ignored = 0;        // non-customer or unknown rooms, results nobody awaits
    std::uint64_t foreign_rooms = 0;  // agent messages from rooms outside the agents' team
    std::uint64_t malformed = 0;
    std::uint64_t syncs = 0;  // completed
    std::uint64_t sync_failures = 0;
    std::uint64_t create_failures = 0;
    std::uint64_t command_failures = 0;
    std::uint64_t post_failures = 0;  // a customer's post failed: kept, retried
    std::uint64_t rooms_gone = 0;     // a post found the customer's room deleted or left
    std::uint64_t files_refused = 0;  // an attachment Webex would not take: shown as a link
    std::uint64_t presence_lookups = 0;
    std::uint64_t agents_added = 0;
    std::uint64_t customers_waiting = 0;    // nobody available: customer told, team told
    std::uint64_t delivery_failures = 0;    // reports of SMS not sent, not delivered, opted out
    std::uint64_t opted_out_reports = 0;    // of those: refused because the customer opted out
    std::uint64_t missed_calls = 0;         // forwarded calls nobody answered
    std::uint64_t calls_answered = 0;       // forwarded calls the contact center answered
    std::uint64_t missed_call_texts = 0;    // SMS sent to callers nobody answered
    std::uint64_t sms_refused_country = 0;  // to a never-texted number of a country not allowed
    std::uint64_t sms_refused_cap = 0;      // the hour's automatic SMS to such numbers are spent
    // Opt-out (opt_out.h)
    std::uint64_t opt_outs = 0;                // STOP and the like, and carriers' refusals
    std::uint64_t opt_ins = 0;                 // START and the like
    std::uint64_t help_requests = 0;           // HELP, INFO
    std::uint64_t keyword_answers = 0;         // SMS answering them (where the carrier does not)
    std::uint64_t replies_blocked = 0;         // agents' replies not texted: opted out
    std::uint64_t sms_withheld_opted_out = 0;  // the router's own SMS not sent: opted out
    std::uint64_t opt_outs_from_titles = 0;    // adopted from room titles (journal lost)
    std::uint64_t rooms_renamed = 0;           // titles marked or unmarked
    std::uint64_t replies_undone = 0;          // agent replies deleted inside their undo window
    std::uint64_t deletions_ignored = 0;       // deletions of messages not waiting (sent, unknown)
};

using Random = std::function<std::uint64_t()>;

}  // namespace sb::router
