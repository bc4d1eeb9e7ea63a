#pragma once
// The delivery contract every service uses (README, "Delivery contract").
//
// Producer side: an event is written to this instance's journal under DATA_DIR and synced
// *before* publish()/commit() return, so a caller may answer its HTTP client or ack its own
// producer right after. Events are numbered per (instance, topic) stream and published, then
// re-published with capped exponential backoff until the consumer acknowledges them; acks are
// cumulative and addressed to this instance, so instances of one service run side by side.
//
// Consumer side: an event is accepted only in stream order, journaled, synced, and only then
// acked; anything at or below the stream's position is a duplicate and is dropped (and re-acked),
// so a re-publication is never acted on twice. Accepted events reach the handler in order, one
// at a time; the handler's outputs and the event's completion are committed as one journal
// record, so a crash either keeps both or neither. An event the handler holds stays pending and
// is handed to the handler again after a restart.
//
// Node is the I/O shell: the journal, the sockets, the threads and the clock. What the streams
// decide lives in pure state machines (delivery_outgoing.h, delivery_incoming.h), and what the
// journal holds is defined in one place (delivery_journal_records.h).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "switchboard/bus_keys.h"
#include "switchboard/delivery_inbound.h"
#include "switchboard/delivery_incoming.h"
#include "switchboard/delivery_outgoing.h"
#include "switchboard/events.h"

namespace sb {
class Journal;
class Metrics;
}  // namespace sb

namespace sb::delivery {

// What a handler (or any thread, through Node::commit) does atomically: publish events and mark
// accepted events done.
class Transaction {
  public:
    void publish(std::string_view topic, Envelope event);
    void complete(const InboundRef& ref) { completes_.push_back(ref); }
    // Keep the event being handled pending: it is not done until a later transaction completes
    // it, and it is handed to the handler again after a restart.
    void hold() { hold_current_ = true; }
    // The handler's own small durable memory, committed with the rest: `key` is kept (with
    // `value`) until a transaction forgets it, and Node::memory() gives it back after a
    // restart. For bounded facts such as the ids of events already acted on. In call order.
    void remember(std::string key, nlohmann::json value = nullptr) {
        memory_.push_back({std::move(key), std::move(value)});
    }
    void forget(std::string key) { memory_.push_back({std::move(key), std::nullopt}); }
    bool empty() const { return outs_.empty() && completes_.empty() && memory_.empty(); }

  private:
    friend class Node;
    std::vector<std::pair<std::string, Envelope>> outs_;
    std::vector<InboundRef> completes_;
    // key -> value to remember, or nullopt to forget
    std::vector<std::pair<std::string, std::optional<nlohmann::json>>> memory_;
    bool hold_current_ = false;
};

struct Options {
    std::string service;   // for logs
    std::string instance;  // unique among running instances; names the journal
    std::filesystem::path data_dir;
    std::string publish_endpoint;                      // the bus's XSUB
    std::string subscribe_endpoint;                    // the bus's XPUB
    std::optional<bus_security::ClientKeys> bus_keys;  // CURVE to the bus; nullopt: plaintext
    std::vector<std::string> consume;  // topics this service consumes (it is their only consumer)
    // The wire topic of what this node publishes (a partition's topic: partitions.h); unset, the
    // topic as the service names it. Replies (send_now) are never routed.
    std::function<std::string(const std::string& topic, const Envelope& event)> route;
    std::chrono::milliseconds first_retry{100};
    std::chrono::milliseconds max_retry{2000};
    std::size_t window = 1000;  // unacknowledged events in flight per stream
    std::uint64_t compact_after_bytes = 64u << 20;
};

struct Stats {
    std::uint64_t published = 0;     // events committed for publication
    std::uint64_t acknowledged = 0;  // of those, acked by their consumer
    std::uint64_t retransmitted = 0;
    std::uint64_t accepted = 0;           // events accepted from producers
    std::uint64_t duplicates = 0;         // re-publications dropped
    std::uint64_t out_of_order = 0;       // arrivals past a gap, dropped until the gap is filled
    std::uint64_t rejected = 0;           // dead letters: bad event frames, handler failures
    std::uint64_t malformed_control = 0;  // bad acks and replies, dropped (logged)
    std::uint64_t failures = 0;           // exceptions caught on the I/O and worker threads
    std::uint64_t handled = 0;
    std::uint64_t pending_out = 0;  // awaiting an ack
    std::uint64_t pending_in = 0;   // accepted, not yet done (held included)
    std::uint64_t replies = 0;
};

class Node {
  public:
    using Handler = std::function<void(const Inbound&, Transaction&)>;
    using ReplyHandler = std::function<void(const Envelope&)>;

    explicit Node(Options options);
    ~Node();
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;

    // Set before start(). The handler runs on one worker thread, in acceptance order, and
    // publishes through the Transaction it is given (never Node::commit from inside).
    void on_event(Handler handler);
    // Immediate replies addressed to this instance (topics::replies_for); run on the I/O thread.
    void on_reply(ReplyHandler handler);

    // Opens the journal, recovers, connects to the bus. Pending events are re-sent and pending
    // inbound events handed to the handler again.
    void start();
    void stop();

    // Durable publication: returns once the event is on disk. Thread-safe.
    void publish(std::string_view topic, Envelope event);
    void commit(Transaction transaction);
    // Best effort, never journaled: an answer somebody waits for right now.
    void send_now(std::string_view topic, Envelope event);

    Stats stats() const;
    // Shows stats() on /metrics as switchboard_delivery_* (read on each scrape), summed over
    // every node of the process registered on `metrics`, for as long as each exists.
    void register_metrics(Metrics& metrics) const;
    // What transactions remembered and have not forgotten, oldest first (a key remembered again
    // counts from then). Complete once start() has returned.
    std::vector<std::pair<std::string, nlohmann::json>> memory() const;
    const std::string& instance() const { return options_.instance; }
    const std::string& epoch() const { return epoch_; }

  private:
    void recover(const std::vector<nlohmann::json>& records);
    void apply_transaction_record(const records::Transaction& record);
    void apply_memory_locked(const std::string& key, std::optional<nlohmann::json> value);
    std::vector<std::pair<std::string, nlohmann::json>> memory_locked() const;
    std::vector<nlohmann::json> snapshot() const;
    void maybe_compact();
    void commit_locked_then_sync(Transaction& transaction);

    // The I/O thread and the worker (delivery_io.cpp).
    void io_thread_main();
    void io_loop();
    void count_failure();
    void worker_loop();
    void receive_batch(zmq::socket_t& sub);
    void on_consumed(const std::string& topic, const std::string& body,
                     std::vector<Inbound>& accepted);
    void acknowledge_durable();
    bool awaiting_sync() const;
    void on_ack(const std::string& body);
    void on_reply_frame(const std::string& body);
    void pump(zmq::socket_t& pub);
    void send_acks(zmq::socket_t& pub);
    void dead_letter(const std::string& topic, const std::string& body, const std::string& why);
    void wake();

    Options options_;
    std::string epoch_;
    Handler handler_;
    ReplyHandler reply_handler_;
    std::unique_ptr<Journal> journal_;

    // The stream logic; mutex_ guards them, the memory and direct_.
    mutable std::mutex mutex_;
    Outgoing outgoing_;
    Incoming incoming_;
    // Transaction::remember's keys -> (the order they were remembered in, value)
    std::map<std::string, std::pair<std::uint64_t, nlohmann::json>> memory_;
    std::uint64_t next_memory_ = 1;
    std::vector<Frame> direct_;  // send_now frames

    std::mutex work_mutex_;
    std::condition_variable work_ready_;
    std::deque<Inbound> work_;

    zmq::context_t context_{1};
    std::atomic<bool> running_{false};
    int wake_fd_ = -1;
    std::thread io_thread_;
    std::thread worker_thread_;

    mutable std::mutex stats_mutex_;
    Stats stats_;
};

}  // namespace sb::delivery
