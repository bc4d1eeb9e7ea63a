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
// What it keeps beyond that, one way for all (remembered.h): the ids of the AgentMessages it
// acted on and the SMS policy's few facts (who texted in, this hour's count), named in
// Outputs::remember, kept by the shell in the step's delivery transaction, handed back in
// Input::start.
//
// Core is a façade: it decodes each event once (inbound.h), visits it, and composes small
// machines with one job each: directory_sync.h, room_requests.h (one room per customer and its
// welcome), post_queue.h, earlier_posts.h (crash-recovery bookkeeping), agent_replies.h,
// assignment.h, sms_policy.h, all pausing after failures the same way (backoff.h).
#include <deque>
#include <map>
#include <set>
#include <string>

#include "agent_replies.h"
#include "assignment.h"
#include "commands.h"
#include "core_types.h"
#include "directory.h"
#include "directory_sync.h"
#include "earlier_posts.h"
#include "inbound.h"
#include "missed_calls.h"
#include "opt_out.h"
#include "post_queue.h"
#include "room_requests.h"
#include "sms_policy.h"
#include "thread_notes.h"
#include "undo_window.h"

namespace sb::router {

class Core {
  public:
    Core(Settings settings, Random random);

    Outputs step(const Input& input);

    bool ready() const { return sync_.ready(); }  // the first sync is complete
    const Counters& counters() const { return counters_; }
    size_t customers_known() const { return directory_.customers(); }
    size_t held() const { return deferred_.size() + posts_.held(); }  // events kept pending
    const Directory& directory() const { return directory_; }
    const Settings& settings() const { return settings_; }
    size_t replies_waiting() const { return undo_.waiting(); }  // in their undo window

  private:
    struct Handle;  // the visitor of a decoded event (router_core.cpp)

    void on_received(const EventRef& ref, const Envelope& event, Outputs& out);
    bool before_ready(const Inbound& inbound, Outputs& out);
    bool dispatch(const Inbound& inbound, Outputs& out);
    void replay(const Inbound& inbound, Outputs& out);
    void on_tick(Outputs& out);
    void restore(const Memory& memory);  // Input::start: what earlier lives kept

    void start_sync(Outputs& out);
    void on_rooms_page(const RoomsPage& page, Outputs& out);
    void finish_sync(bool first, Outputs& out);

    bool on_customer_message(const Inbound& inbound, const CustomerMessage& message, Outputs& out);
    void answer_call(const Inbound& inbound, const CustomerMessage& message, Outputs& out);
    void on_room_created(const RoomCreated& created, Outputs& out);
    void on_agent_message(const AgentMessage& message, Outputs& out);
    void note_file_refusals(const AgentMessage& message, const std::vector<std::string>& refusals,
                            Outputs& out);
    void on_lookup_answer(Assignments::Answer answer, const Assignments::Lookup& lookup,
                          Outputs& out);
    void on_command_failed(const std::string& command_id, const CommandFailed& failed,
                           Outputs& out);
    void on_message_posted(const std::string& command_id, Outputs& out);
    void on_post_failed(const PostQueue::Failed& failed, const CommandFailed& why, Outputs& out);
    void on_delivery_report(const DeliveryReport& report, Outputs& out);

    void want_room(const std::string& customer, Outputs& out);
    void pump(const std::string& customer, Outputs& out);
    void welcome(const std::string& customer, const RoomInfo& room, Outputs& out);
    void room_learned(const std::string& customer, Outputs& out);
    void start_assignment(const std::string& customer, const RoomInfo& room, Outputs& out);
    void decide_assignment(const Assignments::Lookup& lookup, Outputs& out);
    // Whether an SMS to `number` may go (router_core_sms.cpp); if not, the room says why.
    bool sms_allowed(const std::string& number, SmsKind kind, const std::string& room_id,
                     std::string_view headline, Outputs& out);
    // The SMS owed to a caller whose call was missed, once their room is known
    // (router_core_missed.cpp).
    void text_back_missed_calls(const std::string& customer, Outputs& out);

    // Opt-out (router_core_opt_out.cpp, opt_out.h): keywords, blocked replies, the carrier's
    // refusals, and the room titles' marks that rebuild the state when the journal is lost.
    void on_keyword(const Inbound& inbound, const CustomerMessage& message, Outputs& out);
    bool reply_blocked(const std::string& customer, const RoomInfo& room,
                       const AgentMessage& message, Outputs& out);
    void carrier_opted_out(const DeliveryReport& report, const RoomInfo& room, Outputs& out);
    void adopt_title_marks(const RoomsPage& page);
    void fix_title(const std::string& customer, Outputs& out);
    void on_room_renamed(const std::string& command_id, const RoomRenamed& renamed);
    bool rename_failed(const std::string& command_id);
    // The notes in a reply's thread (thread_notes.h): results, and retries when due.
    bool on_note_result(const std::string& command_id, const CommandFailed* failed);
    void retry_notes(Outputs& out);
    // Undo send (router_core_undo.cpp, undo_window.h): an agent's reply waits out its window,
    // then goes out through send_agent_reply, unless the agent deleted it meanwhile.
    void send_or_park(const AgentMessage& message, const SendSms& sms, Outputs& out);
    void send_agent_reply(const SendSms& sms, Outputs& out);
    void on_agent_message_deleted(const AgentMessageDeleted& deleted, Outputs& out);
    void release_due_replies(Outputs& out);
    void restore_waiting_replies(const Memory& memory, Outputs& out);

    Settings settings_;
    Commands commands_;
    Directory directory_;
    Counters counters_;
    Time now_{};
    WallTime wall_now_{};

    DirectorySync sync_;
    std::deque<Inbound> deferred_;  // until the first sync completes, in arrival order
    RoomRequests rooms_;
    PostQueue posts_;
    EarlierPosts earlier_posts_;
    AgentReplies agent_replies_;
    Assignments assignments_;
    SmsPolicy sms_policy_{settings_.sms};
    MissedCalls missed_calls_{20000};
    OptOuts opt_outs_;
    ThreadNotes notes_{RetryPolicy::of(settings_)};
    std::map<std::string, std::string> renames_;  // RenameRoom in flight: command id -> room id
    std::set<std::string> rename_failed_;         // rooms not renamed until the next sync
    UndoWindow undo_{settings_.undo_window};
};

}  // namespace sb::router
