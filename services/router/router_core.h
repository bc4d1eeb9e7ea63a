#pragma once
// The router's decisions (DESIGN §2) as a pure state machine: step(state, input) gives the new
// state and what to do about it. No sockets, no clock, no randomness of its own: time arrives
// in every input and ids and random choices come from the injected source, so every rule is a
// table of scenarios in tests/router.
//
// Its memory is lost on restart by design (the room titles are the directory). What makes that
// safe: an event the core has not finished with is held, and the delivery layer hands held
// events back after a restart; the first sync after a start lists rooms created by earlier
// CreateRooms (spark-gateway executes commands in order); and a held CustomerMessage is only
// completed together with the MessagePosted that says its last post is in the room.
//
// What it keeps beyond that: the ids of the AgentMessages it acted on (Outputs::seen,
// Input::start), and the SMS policy's few facts (who texted in, this hour's count), which the
// shell keeps on disk (Outputs::remember) and hands back (restore_sms_policy).
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "directory.h"
#include "seen_messages.h"
#include "sms_policy.h"
#include "switchboard/events.h"

namespace sb::router {

using Clock = std::chrono::steady_clock;
using Time = Clock::time_point;

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
    std::vector<std::string> seen;  // start only: AgentMessage ids kept by earlier lives

    static Input start(Time now, std::vector<std::string> seen = {});
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
    // Changes to the SMS policy's state (who texted in, this hour's count): kept on disk before
    // `publish` goes out, handed back through restore_sms_policy() after a restart.
    std::vector<nlohmann::json> remember;
    // AgentMessage ids first acted on in this step, and the oldest ids let go to make room: kept
    // in the journal with this step's transaction, handed back in Input::start after a restart,
    // so a message spark-gateway takes in again never reaches the customer twice.
    std::vector<std::string> seen;
    std::vector<std::string> unseen;
};

struct Counters {
    std::uint64_t rooms_created = 0;
    std::uint64_t messages_to_rooms = 0;      // customer -> room
    std::uint64_t messages_to_customers = 0;  // room -> customer
    std::uint64_t welcomes = 0;
    std::uint64_t calls_forwarded = 0;
    std::uint64_t whispers = 0;
    std::uint64_t echoes_dropped = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t ignored = 0;  // non-customer or unknown rooms, results nobody awaits
    std::uint64_t foreign_rooms = 0;  // agent messages from rooms outside the agents' team
    std::uint64_t malformed = 0;
    std::uint64_t syncs = 0;  // completed
    std::uint64_t sync_failures = 0;
    std::uint64_t create_failures = 0;
    std::uint64_t command_failures = 0;
    std::uint64_t post_failures = 0;  // a customer's post failed: kept, retried
    std::uint64_t rooms_gone = 0;     // a post found the customer's room deleted or left
    std::uint64_t presence_lookups = 0;
    std::uint64_t agents_added = 0;
    std::uint64_t customers_waiting = 0;  // nobody available: customer told, team told
    std::uint64_t delivery_failures = 0;
    std::uint64_t sms_refused_country = 0;  // to a never-texted number of a country not allowed
    std::uint64_t sms_refused_cap = 0;      // the hour's automatic SMS to such numbers are spent
};

using Random = std::function<std::uint64_t()>;

class Core {
  public:
    Core(Settings settings, Random random);

    Outputs step(const Input& input);

    bool ready() const { return ready_; }  // the first sync is complete
    const Counters& counters() const { return counters_; }
    size_t customers_known() const { return directory_.customers(); }
    size_t held() const;  // events the core keeps pending
    const Directory& directory() const { return directory_; }
    const Settings& settings() const { return settings_; }
    // Before the first step: what earlier lives' Outputs::remember recorded, in order.
    void restore_sms_policy(const std::vector<nlohmann::json>& records) {
        sms_policy_.restore(records);
    }
    const SmsPolicy& sms_policy() const { return sms_policy_; }

  private:
    // A customer message not yet shown in full. Its posts go one at a time: a failed post is
    // retried before anything behind it, so the room shows the customer's messages in order.
    struct Queued {
        EventRef ref;
        std::string event_id;  // names its posts, so a new life knows what an old one posted
        CustomerMessage message;
        std::vector<std::string> parts;  // the posts (split to fit), made when first posted
        size_t posted = 0;               // parts confirmed by MessagePosted
        std::string in_flight;           // the PostMessage awaiting its result; empty when none
        std::string in_flight_room;      // where it went
        bool counted = false;
    };
    struct Customer {
        std::deque<Queued> queue;      // not yet shown in full, in arrival order
        std::string create_id;         // the CreateRoom in flight; empty when none
        bool room_wanted = false;      // messages wait for a room nobody has listed yet
        std::optional<Time> retry_at;  // a failed CreateRoom is retried after this
        std::chrono::seconds backoff{0};
        std::optional<Time> post_retry_at;  // a failed post is retried after this
        std::chrono::seconds post_backoff{0};
        bool texted = false;  // wrote (not only called) in this life: owed the welcome
        bool welcomed = false;
        std::optional<Time> waiting_since;  // unanswered since
        bool assignment_checked = false;    // during this wait
        std::optional<Time> assignment_retry_at;  // a failed look-up or AddMember: try again
        std::chrono::seconds assignment_backoff{0};
    };
    struct Assignment {
        std::string customer;
        std::string room_id;
        std::string room_command;
        std::string team_command;
        Time started{};
        std::optional<std::vector<Member>> room_members;
        std::optional<std::vector<Member>> team_members;
    };
    struct Sync {
        std::string sync_id;
        std::string command_id;
    };

    void on_received(const EventRef& ref, const Envelope& event, Outputs& out);
    bool dispatch(const EventRef& ref, const Envelope& event, Outputs& out);
    void replay(const EventRef& ref, const Envelope& event, Outputs& out);
    void on_tick(Outputs& out);

    void start_sync(Outputs& out);
    void on_rooms_page(const Envelope& event, Outputs& out);
    void on_sync_failed(const Envelope& event);
    void finish_sync(Outputs& out);

    bool on_customer_message(const EventRef& ref, const Envelope& event, Outputs& out);
    void answer_call(const Envelope& event, const CustomerMessage& message, Outputs& out);
    void on_room_created(const RoomCreated& created, Outputs& out);
    void on_agent_message(const AgentMessage& message, Outputs& out);
    void on_members(const Envelope& event, Outputs& out);
    void on_command_failed(const Envelope& event, Outputs& out);
    void on_message_posted(const Envelope& event, Outputs& out);
    void on_post_failed(const std::string& number, const CommandFailed& failed, Outputs& out);
    void assignment_failed(const std::string& number);
    void note_earlier_post(const Envelope& event);
    void on_delivery_report(const DeliveryReport& report, Outputs& out);

    void create_room(const std::string& customer, Customer& state, Outputs& out);
    void pump(const std::string& customer, Customer& state, Outputs& out);
    void welcome(const std::string& customer, Customer& state, const RoomInfo& room, Outputs& out);
    void room_learned(const std::string& customer, Outputs& out);
    void start_assignment(const std::string& customer, const RoomInfo& room, Outputs& out);
    void decide_assignment(const Assignment& assignment, Outputs& out);
    void forget_assignment(const std::string& room_id);
    bool is_bridge(const std::string& email, const std::string& person_id) const;
    // Whether an SMS to `number` may go (router_core_sms.cpp); if not, the room says why.
    bool sms_allowed(const std::string& number, SmsKind kind, const std::string& room_id,
                     std::string_view headline, Outputs& out);

    Envelope command(std::string_view type, std::string key, const json& payload);
    void publish(Outputs& out, std::string_view topic, Envelope event);
    std::string new_id();
    std::chrono::seconds next_backoff(std::chrono::seconds current) const;

    Settings settings_;
    Random random_;
    Directory directory_;
    Counters counters_;
    Time now_{};

    bool ready_ = false;
    std::optional<Sync> sync_;  // in flight
    std::optional<Time> next_sync_at_;
    std::chrono::seconds sync_backoff_{0};
    std::deque<std::pair<EventRef, Envelope>> deferred_;  // until the first sync completes

    std::map<std::string, Customer> customers_;           // by E.164
    std::map<std::string, std::string> create_commands_;  // CreateRoom id -> customer
    std::map<std::string, std::string> post_commands_;    // PostMessage id -> customer
    std::map<std::string, std::string> add_commands_;     // AddMember id -> customer
    std::map<std::string, size_t> earlier_posts_;  // event id -> parts an earlier life posted
    std::deque<std::string> earlier_order_;
    std::map<std::string, Assignment> assignments_;       // by room id
    std::map<std::string, std::string> lookup_commands_;  // look-up id -> room id
    std::set<std::string> bridge_identities_;             // the proxy's email / person id
    SeenMessages seen_messages_;                          // AgentMessage ids already handled
    SmsPolicy sms_policy_{settings_.sms};
    WallTime wall_now_{};
};

}  // namespace sb::router
