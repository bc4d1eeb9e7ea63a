// The delivery node's lifecycle, recovery, compaction and commits. The I/O thread and the worker
// are in delivery_io.cpp; what the streams decide is in delivery_outgoing.cpp and
// delivery_incoming.cpp, and the journal's records in delivery_journal_records.cpp.
#include "switchboard/delivery.h"

#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

#include "switchboard/delivery_journal_records.h"
#include "switchboard/ids.h"
#include "switchboard/journal.h"
#include "switchboard/metrics.h"
#include "switchboard/thread_guard.h"

namespace sb::delivery {
namespace {

using nlohmann::json;

Options with_instance(Options options) {
    if (options.instance.empty()) options.instance = options.service;
    return options;
}

OutgoingSettings outgoing_settings(const Options& options) {
    return {options.first_retry, options.max_retry, options.window};
}

// Calls one overload per record kind; lambdas make the visitor.
template <class... Visitors>
struct Overloaded : Visitors... {
    using Visitors::operator()...;
};
template <class... Visitors>
Overloaded(Visitors...) -> Overloaded<Visitors...>;

// The nodes shown on each registry: a process may run several (an intake node and a node per
// partition, which come and go), and /metrics shows their sum. A node leaves when destroyed.
struct Shown {
    std::mutex mutex;
    std::map<const Metrics*, std::vector<const Node*>> nodes;
};
Shown& shown() {
    static Shown* all = new Shown;  // never destroyed: nodes may outlive static destruction
    return *all;
}

}  // namespace

void Transaction::publish(std::string_view topic, Envelope event) {
    outs_.emplace_back(std::string(topic), stamp(std::move(event)));
}

Node::Node(Options options)
    : options_(with_instance(std::move(options))),
      outgoing_(outgoing_settings(options_)),
      incoming_(options_.instance) {}

Node::~Node() {
    stop();
    std::lock_guard lock(shown().mutex);
    for (auto& [registry, nodes] : shown().nodes) {
        nodes.erase(std::remove(nodes.begin(), nodes.end(), this), nodes.end());
    }
}

void Node::on_event(Handler handler) {
    handler_ = std::move(handler);
}
void Node::on_reply(ReplyHandler handler) {
    reply_handler_ = std::move(handler);
}

// ---- Recovery and compaction -----------------------------------------------------------------

void Node::start() {
    std::vector<json> records;
    journal_ =
        std::make_unique<Journal>(options_.data_dir / (options_.instance + ".journal"), records);
    recover(records);
    if (epoch_.empty()) epoch_ = new_id();
    std::uint64_t pending_in = 0;
    {
        std::lock_guard lock(mutex_);
        outgoing_.set_identity(options_.instance, epoch_);
        journal_->rewrite(snapshot());  // start from a compact file
        outgoing_.all_durable();
        std::vector<Inbound> pending = incoming_.pending();
        pending_in = pending.size();
        for (Inbound& inbound : pending) work_.push_back(std::move(inbound));
    }
    spdlog::info("delivery: journal {} recovered: epoch={} pending_out={} pending_in={}",
                 journal_->path().string(), epoch_, stats().pending_out, pending_in);

    wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd_ < 0) throw std::runtime_error("eventfd failed");
    running_ = true;
    io_thread_ = std::thread([this] { io_thread_main(); });
    // worker_loop catches what handlers and commits throw; the guard is for anything else.
    worker_thread_ =
        std::thread([this] { run_guarded("delivery worker", [this] { worker_loop(); }); });
}

void Node::stop() {
    if (!running_.exchange(false)) return;
    wake();
    work_ready_.notify_all();
    if (io_thread_.joinable()) io_thread_.join();
    if (worker_thread_.joinable()) worker_thread_.join();
    context_.shutdown();
    context_.close();
    if (wake_fd_ >= 0) ::close(wake_fd_);
    wake_fd_ = -1;
    journal_.reset();
}

void Node::recover(const std::vector<json>& journal_records) {
    std::lock_guard lock(mutex_);
    std::size_t index = 0;
    for (const json& stored : journal_records) {
        ++index;
        wire::Decoded<records::Record> decoded = records::decode(stored);
        if (!decoded) {
            // The CRC says the bytes are what was written, so this is not a torn tail but a
            // record this code cannot read: starting without it would lose or repeat events.
            throw std::runtime_error(journal_->path().string() + ": record " +
                                     std::to_string(index) + " is unreadable: " + decoded.error);
        }
        std::visit(
            Overloaded{
                [](const records::Unknown&) {},  // a kind from elsewhere: not ours
                [&](const records::Epoch& record) { epoch_ = record.epoch; },
                [&](const records::OutStream& record) { outgoing_.recover(record); },
                [&](const records::Out& record) { outgoing_.recover(record); },
                [&](const records::Ack& record) { outgoing_.recover(record); },
                [&](const records::InStream& record) { incoming_.recover(record); },
                [&](const records::In& record) { incoming_.recover(record); },
                [&](const records::Skip& record) { incoming_.recover(record); },
                [&](const records::Transaction& record) { apply_transaction_record(record); },
                [&](const records::Memory& record) {
                    apply_memory_locked(record.key, record.value);
                },
            },
            *decoded.frame);
    }
    incoming_.finish_recovery();
}

void Node::apply_transaction_record(const records::Transaction& record) {
    for (const InboundRef& ref : record.done) incoming_.complete(ref);
    for (const records::TxOut& out : record.outs) outgoing_.recover(out);
    for (const records::MemoryChange& change : record.memory) {
        apply_memory_locked(change.key, change.value);
    }
}

void Node::apply_memory_locked(const std::string& key, std::optional<json> value) {
    if (value) {
        memory_[key] = {next_memory_++, std::move(*value)};
    } else {
        memory_.erase(key);
    }
}

std::vector<std::pair<std::string, json>> Node::memory_locked() const {
    std::vector<const std::pair<const std::string, std::pair<std::uint64_t, json>>*> ordered;
    ordered.reserve(memory_.size());
    for (const auto& entry : memory_) ordered.push_back(&entry);
    std::sort(ordered.begin(), ordered.end(),
              [](const auto* a, const auto* b) { return a->second.first < b->second.first; });
    std::vector<std::pair<std::string, json>> out;
    out.reserve(ordered.size());
    for (const auto* entry : ordered) out.emplace_back(entry->first, entry->second.second);
    return out;
}

std::vector<std::pair<std::string, json>> Node::memory() const {
    std::lock_guard lock(mutex_);
    return memory_locked();
}

std::vector<json> Node::snapshot() const {
    std::vector<records::Record> snapshot;
    snapshot.push_back(records::Epoch{epoch_});
    outgoing_.snapshot(snapshot);
    incoming_.snapshot(snapshot);
    for (auto& [key, value] : memory_locked()) {  // oldest first: a recovery keeps the order
        snapshot.push_back(records::Memory{std::move(key), std::move(value)});
    }
    std::vector<json> encoded;
    encoded.reserve(snapshot.size());
    for (const records::Record& record : snapshot) encoded.push_back(records::encode(record));
    return encoded;
}

void Node::maybe_compact() {
    if (journal_->size_bytes() < options_.compact_after_bytes) return;
    std::lock_guard lock(mutex_);
    journal_->rewrite(snapshot());
    outgoing_.all_durable();
}

// ---- Producing ---------------------------------------------------------------------------

void Node::publish(std::string_view topic, Envelope event) {
    Transaction transaction;
    transaction.publish(topic, std::move(event));
    commit(std::move(transaction));
}

void Node::commit(Transaction transaction) {
    if (transaction.empty()) return;
    commit_locked_then_sync(transaction);
    wake();
}

void Node::commit_locked_then_sync(Transaction& transaction) {
    records::Transaction record;
    std::vector<std::pair<std::string, std::uint64_t>> assigned;
    std::uint64_t position = 0;
    {
        std::lock_guard lock(mutex_);
        for (const InboundRef& ref : transaction.completes_) {
            if (incoming_.complete(ref)) record.done.push_back(ref);
        }
        for (auto& [named, event] : transaction.outs_) {
            const std::string topic = options_.route ? options_.route(named, event) : named;
            json body = event;
            const std::uint64_t seq = outgoing_.add(topic, body.dump());
            record.outs.push_back({topic, seq, std::move(body)});
            assigned.emplace_back(topic, seq);
        }
        for (auto& [key, value] : transaction.memory_) {
            record.memory.push_back({key, value});
            apply_memory_locked(key, std::move(value));
        }
        position = journal_->append(records::encode(std::move(record)));
    }
    journal_->sync(position);
    {
        std::lock_guard lock(mutex_);
        for (const auto& [topic, seq] : assigned) outgoing_.durable(topic, seq);
    }
    std::lock_guard lock(stats_mutex_);
    stats_.published += assigned.size();
    stats_.handled += transaction.completes_.size();
}

void Node::send_now(std::string_view topic, Envelope event) {
    {
        std::lock_guard lock(mutex_);
        direct_.push_back({std::string(topic), json(stamp(std::move(event))).dump()});
    }
    wake();
}

void Node::wake() {
    if (wake_fd_ < 0) return;
    const std::uint64_t one = 1;
    (void)::write(wake_fd_, &one, sizeof one);
}

// ---- Stats -------------------------------------------------------------------------------

void Node::register_metrics(Metrics& metrics) const {
    {
        std::lock_guard lock(shown().mutex);
        shown().nodes[&metrics].push_back(this);
    }
    const Metrics* registry = &metrics;
    const auto show = [&](const std::string& name, const std::string& help,
                          std::uint64_t Stats::*field, const Labels& labels = {}) {
        metrics.gauge(
            name, help,
            [registry, field] {
                std::lock_guard lock(shown().mutex);
                std::uint64_t sum = 0;
                for (const Node* node : shown().nodes[registry]) sum += node->stats().*field;
                return static_cast<double>(sum);
            },
            labels);
    };
    const std::string rejected_help =
        "Frames set aside: event frames dead-lettered, control frames (acks, replies) dropped";
    show("delivery_rejected_frames_total", rejected_help, &Stats::rejected, {{"kind", "event"}});
    show("delivery_rejected_frames_total", rejected_help, &Stats::malformed_control,
         {{"kind", "control"}});
    show("delivery_thread_failures_total", "Exceptions caught on the delivery threads",
         &Stats::failures);
    show("delivery_accepted_total", "Events accepted from producers", &Stats::accepted);
    show("delivery_published_total", "Events committed for publication", &Stats::published);
    show("delivery_acknowledged_total", "Published events acknowledged by their consumer",
         &Stats::acknowledged);
    show("delivery_pending_out", "Published events awaiting an ack", &Stats::pending_out);
    show("delivery_pending_in", "Accepted events not yet done (held included)", &Stats::pending_in);
}

Stats Node::stats() const {
    Stats copy;
    {
        std::lock_guard lock(stats_mutex_);
        copy = stats_;
    }
    std::lock_guard lock(mutex_);
    copy.pending_out = outgoing_.pending();
    copy.pending_in = incoming_.pending_count();
    return copy;
}

}  // namespace sb::delivery
