#include "router_service.h"

#include <spdlog/spdlog.h>

#include <random>

#include "switchboard/logging.h"
#include "switchboard/service.h"
#include "switchboard/thread_guard.h"
#include "switchboard/topics.h"

namespace sb::router {
namespace {

constexpr auto kTickEvery = std::chrono::milliseconds(500);

// Each of them split per partition when there are several (partitions.h).
std::vector<std::string_view> consumed_topics() {
    return {topics::customer_messages, topics::agent_messages, topics::spark_results,
            topics::sms_reports};
}

// The core reads no clock: the wall clock it needs (the SMS cap's hours) comes in its input.
Input stamped(Input input) {
    input.wall = std::chrono::system_clock::now();
    return input;
}

Random seeded_random() {
    return [engine = std::mt19937_64(std::random_device{}())]() mutable { return engine(); };
}

struct CounterMetric {
    std::uint64_t Counters::*field;
    const char* name;
    const char* help;
    Labels labels;
};

const std::vector<CounterMetric>& counter_metrics() {
    static const std::vector<CounterMetric> all = {
        {&Counters::rooms_created, "router_rooms_created_total", "Customer rooms created", {}},
        {&Counters::messages_to_rooms,
         "router_messages_routed_total",
         "Messages routed, by direction",
         {{"direction", "to_room"}}},
        {&Counters::messages_to_customers,
         "router_messages_routed_total",
         "Messages routed, by direction",
         {{"direction", "to_customer"}}},
        {&Counters::welcomes, "router_welcomes_total", "Welcome SMS sent to new customers", {}},
        {&Counters::calls_forwarded, "router_calls_forwarded_total", "Voice calls forwarded", {}},
        {&Counters::whispers, "router_whispers_total", "Agent messages kept in the room", {}},
        {&Counters::echoes_dropped,
         "router_echoes_dropped_total",
         "The bridge's own posts not sent back out",
         {}},
        {&Counters::duplicates, "router_duplicates_total", "Agent messages seen twice", {}},
        {&Counters::ignored,
         "router_ignored_total",
         "Events with nothing to do (non-customer rooms, stale results)",
         {}},
        {&Counters::foreign_rooms,
         "router_foreign_room_messages_total",
         "Agent messages from rooms outside the agents' team (never sent, never learned)",
         {}},
        {&Counters::malformed, "router_malformed_total", "Events dropped as malformed", {}},
        {&Counters::syncs, "router_syncs_total", "Complete directory syncs", {}},
        {&Counters::sync_failures, "router_sync_failures_total", "Directory syncs that failed", {}},
        {&Counters::create_failures,
         "router_create_room_failures_total",
         "CreateRoom commands that failed (retried)",
         {}},
        {&Counters::command_failures,
         "router_command_failures_total",
         "Commands that ended in CommandFailed",
         {}},
        {&Counters::post_failures,
         "router_post_failures_total",
         "Customer posts that failed (kept and retried, or re-posted in a new room)",
         {}},
        {&Counters::rooms_gone,
         "router_rooms_gone_total",
         "Customer rooms a post found deleted or left (a new room is made)",
         {}},
        {&Counters::files_refused,
         "router_files_refused_total",
         "Customers' attachments Webex would not take as files (shown as links instead)",
         {}},
        {&Counters::presence_lookups,
         "router_presence_lookups_total",
         "Agent assignment look-ups (room and team members)",
         {}},
        {&Counters::agents_added, "router_agents_added_total", "Agents added to rooms", {}},
        {&Counters::customers_waiting,
         "router_customers_waiting_total",
         "Customers told that no agent is available",
         {}},
        {&Counters::delivery_failures,
         "router_delivery_failures_total",
         "SMS reported not sent, not delivered or refused (opted out)",
         {}},
        {&Counters::opted_out_reports,
         "router_opted_out_reports_total",
         "SMS the carrier refused because the customer opted out",
         {}},
        {&Counters::calls_answered,
         "router_calls_answered_total",
         "Forwarded calls the contact center answered",
         {}},
        {&Counters::missed_calls,
         "router_missed_calls_total",
         "Forwarded calls nobody answered",
         {}},
        {&Counters::missed_call_texts,
         "router_missed_call_texts_total",
         "SMS sent to callers nobody answered (MISSED_CALL_TEXT)",
         {}},
        {&Counters::sms_refused_country,
         "router_sms_refused_total",
         "SMS not sent to numbers that never texted us, by reason",
         {{"reason", "country"}}},
        {&Counters::sms_refused_cap,
         "router_sms_refused_total",
         "SMS not sent to numbers that never texted us, by reason",
         {{"reason", "cap"}}},
        {&Counters::opt_outs, "router_opt_outs_total", "Customers opted out (STOP, 21610)", {}},
        {&Counters::opt_ins, "router_opt_ins_total", "Customers opted back in (START)", {}},
        {&Counters::help_requests, "router_help_requests_total", "HELP or INFO texted", {}},
        {&Counters::keyword_answers,
         "router_keyword_answers_total",
         "SMS answering STOP, START or HELP where the carrier does not",
         {}},
        {&Counters::replies_blocked,
         "router_replies_blocked_total",
         "Agents' replies not texted: the customer opted out",
         {}},
        {&Counters::sms_withheld_opted_out,
         "router_sms_withheld_total",
         "The router's own SMS (welcome, agents busy) not sent: the customer opted out",
         {}},
        {&Counters::opt_outs_from_titles,
         "router_opt_outs_from_titles_total",
         "Opt-outs read back from room titles (the journal had no record)",
         {}},
        {&Counters::rooms_renamed,
         "router_rooms_renamed_total",
         "Room titles marked or unmarked as opted out",
         {}},
        {&Counters::replies_undone,
         "router_replies_undone_total",
         "Agent replies deleted in Webex inside their undo window (never sent)",
         {}},
        {&Counters::deletions_ignored,
         "router_deletions_ignored_total",
         "Deleted messages with no reply waiting (already sent, or never a reply)",
         {}},
    };
    return all;
}

std::string summary(const Outputs& outputs) {
    std::string text;
    for (const Outbound& out : outputs.publish) text += " " + out.event.type;
    for (const Outbound& out : outputs.send_now) text += " " + out.event.type + "(now)";
    return text.empty() ? " nothing" : text;
}

}  // namespace

RouterService::RouterService(const CommonConfig& config, Settings settings, Metrics& metrics,
                             const partitions::Place& place)
    : node_(partition_delivery_options(config, place, consumed_topics())),
      metrics_(metrics),
      core_(std::move(settings), seeded_random()) {
    for (const CounterMetric& metric : counter_metrics()) {
        metrics_.counter(metric.name, metric.help, metric.labels);  // shown from zero
    }
    metrics_.gauge("router_customers_known", "Customers in the directory", [this] {
        std::lock_guard lock(mutex_);
        return static_cast<double>(core_.customers_known());
    });
    metrics_.gauge("router_queue_depth",
                   "Events held by the router (waiting for a sync, a room or a post's result)",
                   [this] {
                       std::lock_guard lock(mutex_);
                       return static_cast<double>(core_.held());
                   });
    metrics_.gauge("router_replies_waiting",
                   "Agent replies waiting out their undo window (SMS_UNDO_SECONDS)", [this] {
                       std::lock_guard lock(mutex_);
                       return static_cast<double>(core_.replies_waiting());
                   });
    metrics_.gauge("router_ready", "1 once the first directory sync is complete", [this] {
        std::lock_guard lock(mutex_);
        return core_.ready() ? 1.0 : 0.0;
    });
    node_.register_metrics(metrics_);
    node_.on_event([this](const delivery::Inbound& inbound, delivery::Transaction& transaction) {
        handle(inbound, transaction);
    });
}

RouterService::~RouterService() {
    stop();
}

void RouterService::start() {
    node_.start();                   // held events from an earlier life reach handle() from here on
    Memory memory = node_.memory();  // what earlier lives remembered (remembered.h)
    spdlog::info("router: {} remembered facts restored", memory.size());
    {
        std::lock_guard lock(mutex_);
        // Nothing reaches dispatch before this step: events wait for the sync it starts.
        Outputs outputs = core_.step(stamped(Input::start(SteadyClock::now(), std::move(memory))));
        delivery::Transaction transaction;
        apply(outputs, transaction);
        node_.commit(std::move(transaction));
        update_metrics();
    }
    spdlog::info("router: directory sync requested");
    // A tick's exception is caught inside the loop (it goes on); the guard is for anything else.
    timer_ = std::thread([this] { run_guarded("router timer", [this] { tick_loop(); }); });
}

void RouterService::stop() {
    {
        std::lock_guard lock(timer_mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    timer_wake_.notify_all();
    if (timer_.joinable()) timer_.join();
    node_.stop();
    if (on_ready_) on_ready_(false);
}

bool RouterService::ready() const {
    std::lock_guard lock(mutex_);
    return core_.ready();
}

void RouterService::handle(const delivery::Inbound& inbound, delivery::Transaction& transaction) {
    std::lock_guard lock(mutex_);
    Outputs outputs = core_.step(stamped(Input::received(
        SteadyClock::now(), EventRef{inbound.ref.stream, inbound.ref.seq}, inbound.event)));
    spdlog::info("router: {} ->{}{}{}", logging::event_fields(inbound.topic, inbound.event),
                 summary(outputs), outputs.hold ? " (held)" : "",
                 outputs.complete.empty()
                     ? std::string()
                     : " (+" + std::to_string(outputs.complete.size()) + " released)");
    apply(outputs, transaction);
    update_metrics();
}

void RouterService::tick_loop() {
    std::unique_lock timer_lock(timer_mutex_);
    while (!stopping_) {
        timer_wake_.wait_for(timer_lock, kTickEvery, [this] { return stopping_; });
        if (stopping_) break;
        timer_lock.unlock();
        // A tick that throws (a journal write that failed) is logged and counted, and the timer
        // goes on: the next tick asks the core again, and what the failed one decided is
        // decided again from the same state.
        try {
            std::lock_guard lock(mutex_);
            Outputs outputs = core_.step(stamped(Input::tick(SteadyClock::now())));
            if (!outputs.publish.empty() || !outputs.complete.empty()) {
                spdlog::info("router: tick ->{}", summary(outputs));
            }
            delivery::Transaction transaction;
            apply(outputs, transaction);
            // Committed under the core's lock, so commands leave in the order decided.
            node_.commit(std::move(transaction));
            update_metrics();
        } catch (const std::exception& error) {
            note_caught_exception("router timer", error.what());
        }
        timer_lock.lock();
    }
}

void RouterService::apply(Outputs& outputs, delivery::Transaction& transaction) {
    for (Outbound& reply : outputs.send_now) {
        spdlog::info("router: replying {}", logging::event_fields(reply.topic, reply.event));
        node_.send_now(reply.topic, std::move(reply.event));
    }
    for (Outbound& command : outputs.publish) {
        transaction.publish(command.topic, std::move(command.event));
    }
    for (const EventRef& ref : outputs.complete) {
        transaction.complete(delivery::InboundRef{ref.stream, ref.seq});
    }
    // In the same record as what they came with: an SMS counted is on disk exactly when it is
    // published, a message acted on exactly when what it caused is.
    for (Remembered& change : outputs.remember) {
        if (change.value) {
            transaction.remember(std::move(change.key), std::move(*change.value));
        } else {
            transaction.forget(std::move(change.key));
        }
    }
    if (outputs.hold) transaction.hold();
}

void RouterService::update_metrics() {
    const Counters& now = core_.counters();
    for (const CounterMetric& metric : counter_metrics()) {
        const std::uint64_t delta = now.*metric.field - reported_.*metric.field;
        if (delta > 0) metrics_.counter(metric.name, metric.help, metric.labels).add(delta);
    }
    reported_ = now;
    if (core_.ready() != reported_ready_) {
        reported_ready_ = core_.ready();
        if (reported_ready_) spdlog::info("router: ready: first directory sync complete");
        if (on_ready_) on_ready_(reported_ready_);
    }
}

}  // namespace sb::router
