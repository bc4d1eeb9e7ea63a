#include "switchboard/delivery.h"

#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <zmq_addon.hpp>

#include "switchboard/bus_security.h"
#include "switchboard/delivery_wire.h"
#include "switchboard/ids.h"
#include "switchboard/journal.h"
#include "switchboard/logging.h"
#include "switchboard/metrics.h"
#include "switchboard/shutdown.h"
#include "switchboard/thread_guard.h"
#include "switchboard/time_format.h"
#include "switchboard/topics.h"

namespace sb::delivery {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr int kSocketHighWaterMark = 200000;
constexpr std::chrono::milliseconds kIdlePoll{50};
constexpr std::chrono::milliseconds kFastRetryGap{20};
constexpr std::size_t kReceiveBatch = 128;
// An accepted event is acknowledged once its journal record is on disk. The handler's own
// commit usually gets it there within a millisecond, in the same fdatasync as the handler's
// outputs; only when nothing has synced it for this long does the I/O thread sync by itself.
constexpr std::chrono::milliseconds kAckSyncDelay{5};
constexpr std::uint64_t kBurstAfterTimeout = 32;
constexpr std::size_t kHandleBatch = 64;
// What of a frame that could not be decoded goes to the dead letters when it is too big to keep.
constexpr std::size_t kDeadLetterKeepBytes = 64 * 1024;
// The I/O thread starts over (new sockets, same streams) after an unexpected exception; this many
// in a row, each within kQuickFailure of starting, and the service stops instead.
constexpr int kMaxQuickIoFailures = 10;
constexpr std::chrono::seconds kQuickFailure{10};
constexpr std::chrono::milliseconds kIoRestartPause{100};

std::string stream_id(const std::string& producer, const std::string& epoch,
                      const std::string& topic) {
    return producer + "|" + epoch + "|" + topic;
}

// The wire body is the envelope with a "delivery" member in front of its own members.
std::string wire_body(const std::string& producer, const std::string& epoch, std::uint64_t seq,
                      std::uint64_t base, const std::string& envelope_json) {
    return wire::encode_data_frame({producer, epoch, seq, base}, envelope_json);
}

void send_frames(zmq::socket_t& socket, const std::string& topic, const std::string& body) {
    // Non-blocking: when a high-water mark drops a message, retransmission brings it back.
    auto sent =
        socket.send(zmq::buffer(topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
    if (!sent) return;
    (void)socket.send(zmq::buffer(body), zmq::send_flags::dontwait);
}

// What of an undecodable body a dead letter keeps: all of it, unless it is huge.
std::string kept_body(const std::string& body) {
    return body.size() <= wire::kMaxParsedBytes ? body : body.substr(0, kDeadLetterKeepBytes);
}

}  // namespace

void Transaction::publish(std::string_view topic, Envelope event) {
    outs_.emplace_back(std::string(topic), stamp(std::move(event)));
}

Node::Node(Options options) : options_(std::move(options)) {
    if (options_.instance.empty()) options_.instance = options_.service;
}

Node::~Node() {
    stop();
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
    {
        std::lock_guard lock(mutex_);
        journal_->rewrite(snapshot());  // start from a compact file
        for (auto& [topic, stream] : out_) stream.durable = stream.next_seq - 1;
        for (const auto& [order, inbound] : pending_in_) work_.push_back(inbound);
    }
    spdlog::info("delivery: journal {} recovered: epoch={} pending_out={} pending_in={}",
                 journal_->path().string(), epoch_, stats().pending_out, pending_in_.size());

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

void Node::recover(const std::vector<json>& records) {
    std::lock_guard lock(mutex_);
    for (const json& record : records) {
        const auto kind_field = record.find("k");
        const std::string kind = kind_field != record.end() && kind_field->is_string()
                                     ? kind_field->get_ref<const std::string&>()
                                     : std::string();
        if (kind == "epoch") {
            epoch_ = record.at("epoch").get<std::string>();
        } else if (kind == "outstream") {
            OutStream& stream = out_[record.at("t").get<std::string>()];
            stream.next_seq = record.at("next").get<std::uint64_t>();
            stream.acked = record.at("acked").get<std::uint64_t>();
        } else if (kind == "out") {
            OutStream& stream = out_[record.at("t").get<std::string>()];
            const auto seq = record.at("s").get<std::uint64_t>();
            stream.pending[seq].body = record.at("e").dump();
            stream.next_seq = std::max(stream.next_seq, seq + 1);
        } else if (kind == "ack") {
            OutStream& stream = out_[record.at("t").get<std::string>()];
            const auto seq = record.at("s").get<std::uint64_t>();
            stream.acked = std::max(stream.acked, seq);
            stream.pending.erase(stream.pending.begin(), stream.pending.upper_bound(seq));
        } else if (kind == "instream") {
            InStream& stream = in_[record.at("st").get<std::string>()];
            stream.producer = record.at("p").get<std::string>();
            stream.epoch = record.at("x").get<std::string>();
            stream.topic = record.at("t").get<std::string>();
            stream.next = record.at("next").get<std::uint64_t>();
        } else if (kind == "in" || kind == "skip") {
            InStream& stream = in_[record.at("st").get<std::string>()];
            stream.producer = record.at("p").get<std::string>();
            stream.epoch = record.at("x").get<std::string>();
            stream.topic = record.at("t").get<std::string>();
            const auto seq = record.at("s").get<std::uint64_t>();
            stream.next = std::max(stream.next, seq + 1);
            if (kind == "in") {
                Inbound inbound;
                inbound.ref = {record.at("st").get<std::string>(), seq};
                inbound.topic = stream.topic;
                inbound.producer = stream.producer;
                inbound.event = record.at("e").get<Envelope>();
                const auto order = record.at("n").get<std::uint64_t>();
                pending_index_[inbound.ref] = order;
                pending_in_[order] = std::move(inbound);
                next_accept_ = std::max(next_accept_, order + 1);
            }
        } else if (kind == "tx") {
            apply_transaction_record(record);
        } else if (kind == "mem") {
            apply_memory_locked(record.at("key").get<std::string>(), record.at("v"));
        }
    }
    for (auto& [id, stream] : in_) stream.durable = stream.next - 1;  // it was read from disk
}

void Node::apply_transaction_record(const json& record) {
    for (const json& ref : record.at("done")) {
        const InboundRef key{ref.at(0).get<std::string>(), ref.at(1).get<std::uint64_t>()};
        const auto found = pending_index_.find(key);
        if (found == pending_index_.end()) continue;
        pending_in_.erase(found->second);
        pending_index_.erase(found);
    }
    for (const json& out : record.at("outs")) {
        OutStream& stream = out_[out.at("t").get<std::string>()];
        const auto seq = out.at("s").get<std::uint64_t>();
        if (seq > stream.acked) stream.pending[seq].body = out.at("e").dump();
        stream.next_seq = std::max(stream.next_seq, seq + 1);
    }
    // Only transactions that remember or forget write "mem": [[key, value] | [key], ...].
    if (const auto found = record.find("mem"); found != record.end()) {
        for (const json& entry : *found) {
            apply_memory_locked(entry.at(0).get<std::string>(),
                                entry.size() > 1 ? std::optional<json>(entry.at(1)) : std::nullopt);
        }
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
    std::vector<json> records;
    records.push_back({{"k", "epoch"}, {"epoch", epoch_}});
    for (const auto& [topic, stream] : out_) {
        records.push_back(
            {{"k", "outstream"}, {"t", topic}, {"next", stream.next_seq}, {"acked", stream.acked}});
        for (const auto& [seq, event] : stream.pending) {
            records.push_back(
                {{"k", "out"}, {"t", topic}, {"s", seq}, {"e", json::parse(event.body)}});
        }
    }
    for (const auto& [id, stream] : in_) {
        records.push_back({{"k", "instream"},
                           {"st", id},
                           {"p", stream.producer},
                           {"x", stream.epoch},
                           {"t", stream.topic},
                           {"next", stream.next}});
    }
    for (const auto& [order, inbound] : pending_in_) {
        records.push_back({{"k", "in"},
                           {"n", order},
                           {"st", inbound.ref.stream},
                           {"p", inbound.producer},
                           {"x", in_.at(inbound.ref.stream).epoch},
                           {"t", inbound.topic},
                           {"s", inbound.ref.seq},
                           {"e", inbound.event}});
    }
    for (auto& [key, value] : memory_locked()) {  // oldest first: a recovery keeps the order
        records.push_back({{"k", "mem"}, {"key", std::move(key)}, {"v", std::move(value)}});
    }
    return records;
}

void Node::maybe_compact() {
    if (journal_->size_bytes() < options_.compact_after_bytes) return;
    std::lock_guard lock(mutex_);
    journal_->rewrite(snapshot());
    for (auto& [topic, stream] : out_) stream.durable = stream.next_seq - 1;
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
    json record = {{"k", "tx"}, {"done", json::array()}, {"outs", json::array()}};
    std::vector<std::pair<std::string, std::uint64_t>> assigned;
    std::uint64_t position = 0;
    {
        std::lock_guard lock(mutex_);
        for (const InboundRef& ref : transaction.completes_) {
            const auto found = pending_index_.find(ref);
            if (found == pending_index_.end()) continue;
            pending_in_.erase(found->second);
            pending_index_.erase(found);
            record["done"].push_back({ref.stream, ref.seq});
        }
        for (auto& [topic, event] : transaction.outs_) {
            OutStream& stream = out_[topic];
            const std::uint64_t seq = stream.next_seq++;
            json body = event;
            stream.pending[seq].body = body.dump();
            record["outs"].push_back({{"t", topic}, {"s", seq}, {"e", std::move(body)}});
            assigned.emplace_back(topic, seq);
        }
        if (!transaction.memory_.empty()) {
            json& memory = record["mem"] = json::array();
            for (auto& [key, value] : transaction.memory_) {
                memory.push_back(value ? json::array({key, *value}) : json::array({key}));
                apply_memory_locked(key, std::move(value));
            }
        }
        position = journal_->append(record);
    }
    journal_->sync(position);
    {
        std::lock_guard lock(mutex_);
        for (const auto& [topic, seq] : assigned) {
            OutStream& stream = out_[topic];
            stream.durable = std::max(stream.durable, seq);
        }
    }
    std::lock_guard lock(stats_mutex_);
    stats_.published += assigned.size();
    stats_.handled += transaction.completes_.size();
}

void Node::send_now(std::string_view topic, Envelope event) {
    {
        std::lock_guard lock(mutex_);
        direct_.emplace_back(std::string(topic), json(stamp(std::move(event))).dump());
    }
    wake();
}

void Node::wake() {
    if (wake_fd_ < 0) return;
    const std::uint64_t one = 1;
    (void)::write(wake_fd_, &one, sizeof one);
}

// ---- The I/O thread: the only user of the sockets ------------------------------------------

// No exception may leave the I/O thread. One that escapes io_loop (a journal write that failed,
// a socket error) is logged and counted, and the loop starts over on new sockets: every stream's
// state is in memory and on disk, and retransmission covers whatever the old sockets held. If it
// keeps failing straight away, the service stops cleanly rather than run deaf.
void Node::io_thread_main() {
    int quick_failures = 0;
    while (running_) {
        const auto started = Clock::now();
        try {
            io_loop();
            return;  // stopped
        } catch (const std::exception& error) {
            note_caught_exception("delivery I/O thread", error.what());
        } catch (...) {
            note_caught_exception("delivery I/O thread", "unknown exception");
        }
        count_failure();
        quick_failures = Clock::now() - started < kQuickFailure ? quick_failures + 1 : 1;
        if (quick_failures >= kMaxQuickIoFailures) {
            spdlog::error("delivery: the I/O thread failed {} times in a row; stopping the service",
                          quick_failures);
            shutdown::request();
            return;
        }
        const auto resume = Clock::now() + kIoRestartPause;
        while (running_ && Clock::now() < resume) std::this_thread::sleep_for(kIdlePoll / 5);
    }
}

void Node::count_failure() {
    std::lock_guard lock(stats_mutex_);
    ++stats_.failures;
}

void Node::io_loop() {
    zmq::socket_t pub(context_, zmq::socket_type::pub);
    zmq::socket_t sub(context_, zmq::socket_type::sub);
    for (zmq::socket_t* socket : {&pub, &sub}) {
        socket->set(zmq::sockopt::linger, 0);
        socket->set(zmq::sockopt::sndhwm, kSocketHighWaterMark);
        socket->set(zmq::sockopt::rcvhwm, kSocketHighWaterMark);
        bus_security::secure_client(*socket, options_.bus_keys);
    }
    pub.connect(options_.publish_endpoint);
    for (const std::string& topic : options_.consume) sub.set(zmq::sockopt::subscribe, topic);
    sub.set(zmq::sockopt::subscribe, topics::acks_for(options_.instance));
    sub.set(zmq::sockopt::subscribe, topics::replies_for(options_.instance));
    sub.connect(options_.subscribe_endpoint);

    while (running_) {
        zmq::pollitem_t items[] = {{sub.handle(), 0, ZMQ_POLLIN, 0},
                                   {nullptr, wake_fd_, ZMQ_POLLIN, 0}};
        try {
            zmq::poll(items, 2, awaiting_sync() ? kAckSyncDelay : kIdlePoll);
        } catch (const zmq::error_t& error) {
            if (error.num() == ETERM) break;
            if (error.num() != EINTR) throw;
        }
        if (items[1].revents & ZMQ_POLLIN) {
            std::uint64_t count = 0;
            (void)::read(wake_fd_, &count, sizeof count);
        }
        if (items[0].revents & ZMQ_POLLIN) receive_batch(sub);
        acknowledge_durable();
        send_acks(pub);
        pump(pub);
        maybe_compact();
    }
}

void Node::receive_batch(zmq::socket_t& sub) {
    std::vector<Inbound> accepted;
    for (std::size_t i = 0; i < kReceiveBatch; ++i) {
        std::vector<zmq::message_t> frames;
        const auto received =
            zmq::recv_multipart(sub, std::back_inserter(frames), zmq::recv_flags::dontwait);
        if (!received) break;
        if (frames.size() != 2) {
            spdlog::warn("delivery: dropped a message of {} frames (expected [topic, body])",
                         frames.size());
            std::lock_guard lock(stats_mutex_);
            ++stats_.malformed_control;
            continue;
        }
        const std::string topic = frames[0].to_string();
        const std::string body = frames[1].to_string();
        // The decoders do not throw; this is for what they cannot foresee (a journal write that
        // fails): one frame's trouble must not end the thread, and the next frame goes on.
        try {
            if (topic == topics::acks_for(options_.instance)) {
                on_ack(body);
            } else if (topic == topics::replies_for(options_.instance)) {
                on_reply_frame(body);
            } else if (std::find(options_.consume.begin(), options_.consume.end(), topic) !=
                       options_.consume.end()) {
                on_consumed(topic, body, accepted);
            }
        } catch (const std::exception& error) {
            note_caught_exception("delivery: a frame on " + topic.substr(0, 128), error.what());
            count_failure();
        }
    }
    // Handled before the acceptance is on disk: the handler's commit then syncs both at once.
    // A crash before that loses nothing, since nothing was acknowledged: the producer resends.
    if (!accepted.empty()) {
        {
            std::lock_guard lock(work_mutex_);
            for (Inbound& inbound : accepted) work_.push_back(std::move(inbound));
        }
        work_ready_.notify_one();
    }
}

void Node::on_consumed(const std::string& topic, const std::string& body,
                       std::vector<Inbound>& accepted) {
    wire::Decoded<wire::DataFrame> decoded = wire::decode_data_frame(body);
    if (!decoded) {
        // No sound header: the frame belongs to no stream, so there is nothing to acknowledge and
        // nobody will send it again. Dead-lettered all the same: it may be somebody's message
        // (a producer that skipped the delivery contract), and a log line would not keep it.
        dead_letter(topic, kept_body(body), "undeliverable frame: " + decoded.error);
        return;
    }
    wire::DataFrame& frame = *decoded.frame;
    const std::string& producer = frame.header.producer;
    const std::string& epoch = frame.header.epoch;
    const std::uint64_t seq = frame.header.seq;
    const std::uint64_t base = frame.header.base;

    std::lock_guard lock(mutex_);
    const std::string id = stream_id(producer, epoch, topic);
    auto [entry, is_new] = in_.try_emplace(id);
    InStream& stream = entry->second;
    if (is_new) {
        stream.producer = producer;
        stream.epoch = epoch;
        stream.topic = topic;
        stream.next = base;  // what came before was acknowledged to an earlier life of ours
    }
    stream.next = std::max(stream.next, base);
    if (seq < stream.next) {
        stream.ack_due = stream.durable;  // the producer missed an ack; what is on disk, again
        std::lock_guard stats_lock(stats_mutex_);
        ++stats_.duplicates;
        return;
    }
    if (seq > stream.next) {
        stream.ack_due = stream.durable;
        stream.gap = true;
        std::lock_guard stats_lock(stats_mutex_);
        ++stats_.out_of_order;
        return;
    }

    std::uint64_t position = 0;
    if (!frame.event) {
        // It holds its place in the stream: set aside, journaled as skipped, and acknowledged.
        dead_letter(topic, kept_body(body), frame.event_error);
        position = journal_->append(
            {{"k", "skip"}, {"st", id}, {"p", producer}, {"x", epoch}, {"t", topic}, {"s", seq}});
    } else {
        Inbound inbound{{id, seq}, topic, producer, std::move(*frame.event)};
        const std::uint64_t order = next_accept_++;
        position = journal_->append({{"k", "in"},
                                     {"n", order},
                                     {"st", id},
                                     {"p", producer},
                                     {"x", epoch},
                                     {"t", topic},
                                     {"s", seq},
                                     {"e", inbound.event}});
        pending_index_[inbound.ref] = order;
        pending_in_[order] = inbound;
        accepted.push_back(std::move(inbound));
        std::lock_guard stats_lock(stats_mutex_);
        ++stats_.accepted;
    }
    stream.next = seq + 1;
    unsynced_.push_back({id, seq, position, std::chrono::steady_clock::now()});
}

bool Node::awaiting_sync() const {
    std::lock_guard lock(mutex_);
    return !unsynced_.empty();
}

void Node::acknowledge_durable() {
    std::uint64_t newest = 0;
    bool overdue = false;
    {
        std::lock_guard lock(mutex_);
        if (unsynced_.empty()) return;
        newest = unsynced_.back().position;
        overdue = std::chrono::steady_clock::now() - unsynced_.front().since >= kAckSyncDelay;
    }
    if (overdue) journal_->sync(newest);
    const std::uint64_t durable = journal_->durable_position();
    std::lock_guard lock(mutex_);
    while (!unsynced_.empty() && unsynced_.front().position <= durable) {
        const UnsyncedAccept& accepted = unsynced_.front();
        const auto stream = in_.find(accepted.stream);
        if (stream != in_.end()) {
            stream->second.durable = std::max(stream->second.durable, accepted.seq);
            stream->second.ack_due = std::max(stream->second.ack_due, stream->second.durable);
        }
        unsynced_.pop_front();
    }
}

void Node::dead_letter(const std::string& topic, const std::string& body, const std::string& why) {
    spdlog::error("delivery: dead letter on {}: {}", topic, why);
    const auto path = options_.data_dir / (options_.instance + ".dead-letters.jsonl");
    std::ofstream out(path, std::ios::app);
    out << json{{"time", iso8601_now()}, {"topic", topic}, {"reason", why}, {"body", body}}.dump(
               -1, ' ', false, json::error_handler_t::replace)
        << '\n';
    std::lock_guard lock(stats_mutex_);
    ++stats_.rejected;
}

void Node::send_acks(zmq::socket_t& pub) {
    std::vector<std::pair<std::string, std::string>> acks;
    {
        std::lock_guard lock(mutex_);
        for (auto& [id, stream] : in_) {
            if (stream.ack_due == 0 && !stream.gap) continue;
            const wire::Ack ack{options_.instance, stream.topic, stream.epoch, stream.ack_due,
                                stream.gap};
            acks.emplace_back(topics::acks_for(stream.producer), wire::encode_ack(ack));
            stream.ack_due = 0;
            stream.gap = false;
        }
    }
    for (const auto& [topic, body] : acks) send_frames(pub, topic, body);
}

void Node::on_ack(const std::string& body) {
    const wire::Decoded<wire::Ack> decoded = wire::decode_ack(body);
    if (!decoded) {
        // An ack carries no event and is cumulative: the consumer's next one says it again, so a
        // bad one is only logged and counted, not dead-lettered.
        spdlog::warn("delivery: dropped a malformed ack: {}", decoded.error);
        std::lock_guard lock(stats_mutex_);
        ++stats_.malformed_control;
        return;
    }
    const wire::Ack& ack = *decoded.frame;
    if (ack.epoch != epoch_) return;  // for an earlier journal of ours: nothing of it is pending
    const std::uint64_t seq = ack.seq;
    std::uint64_t newly_acked = 0;
    {
        std::lock_guard lock(mutex_);
        const auto found = out_.find(ack.topic);
        if (found == out_.end()) return;
        OutStream& stream = found->second;
        const auto now = Clock::now();
        if (seq > stream.acked && seq <= stream.durable) {
            const auto last = stream.pending.upper_bound(seq);
            if (last != stream.pending.begin()) {
                const PendingEvent& newest = std::prev(last)->second;
                if (!newest.resent && newest.first_sent != Clock::time_point{}) {
                    const double sample =
                        std::chrono::duration<double, std::milli>(now - newest.first_sent).count();
                    stream.smoothed_rtt_ms = stream.smoothed_rtt_ms == 0
                                                 ? sample
                                                 : 0.875 * stream.smoothed_rtt_ms + 0.125 * sample;
                }
            }
            newly_acked = static_cast<std::uint64_t>(std::distance(stream.pending.begin(), last));
            stream.pending.erase(stream.pending.begin(), last);
            stream.acked = seq;
            stream.sent = std::max(stream.sent, seq);
            const auto estimate =
                std::chrono::milliseconds(static_cast<long>(2 * stream.smoothed_rtt_ms) + 20);
            stream.timeout = std::clamp(estimate, options_.first_retry, options_.max_retry);
            stream.congestion_window =
                std::min<std::uint64_t>(options_.window, stream.congestion_window + newly_acked);
            stream.deadline = now + stream.timeout;
            journal_->append({{"k", "ack"}, {"t", found->first}, {"s", seq}});
        }
        if (ack.gap && now - stream.last_fast_retry > kFastRetryGap) {
            stream.sent = stream.acked;  // resend from the gap at once
            stream.congestion_window = std::max(kBurstAfterTimeout, stream.congestion_window / 2);
            stream.last_fast_retry = now;
        }
    }
    std::lock_guard lock(stats_mutex_);
    stats_.acknowledged += newly_acked;
}

void Node::on_reply_frame(const std::string& body) {
    ParsedEnvelope parsed = wire::decode_reply(body);
    if (!parsed) {
        // Best effort by contract (never journaled): whoever waited for it times out.
        spdlog::warn("delivery: dropped a malformed reply: {}", parsed.error);
        std::lock_guard lock(stats_mutex_);
        ++stats_.malformed_control;
        return;
    }
    {
        std::lock_guard lock(stats_mutex_);
        ++stats_.replies;
    }
    if (!reply_handler_) return;
    // The handler runs on the I/O thread: what it throws is logged and counted, and the thread
    // goes on with the next frame (a reply is best effort; the next one may well be fine).
    try {
        reply_handler_(*parsed.envelope);
    } catch (const std::exception& error) {
        note_caught_exception("delivery: reply handler", error.what());
        count_failure();
    } catch (...) {
        note_caught_exception("delivery: reply handler", "unknown exception");
        count_failure();
    }
}

void Node::pump(zmq::socket_t& pub) {
    std::vector<std::pair<std::string, std::string>> frames;
    std::uint64_t retransmitted = 0;
    {
        std::lock_guard lock(mutex_);
        frames.swap(direct_);
        const auto now = Clock::now();
        for (auto& [topic, stream] : out_) {
            if (stream.timeout.count() == 0) stream.timeout = options_.first_retry;
            if (stream.congestion_window == 0) stream.congestion_window = options_.window;
            if (stream.sent > stream.acked && now >= stream.deadline) {
                // No ack in time: go back to the first unacknowledged event, gently.
                retransmitted += stream.sent - stream.acked;
                stream.sent = stream.acked;
                stream.timeout = std::min(stream.timeout * 2, options_.max_retry);
                stream.congestion_window = kBurstAfterTimeout;
            }
            stream.sent = std::max(stream.sent, stream.acked);  // e.g. after recovery
            const std::uint64_t base = stream.acked + 1;
            const std::uint64_t in_flight = std::min<std::uint64_t>(
                options_.window, std::max(stream.congestion_window, kBurstAfterTimeout));
            const std::uint64_t limit = std::min(stream.durable, stream.acked + in_flight);
            const bool was_idle = stream.sent == stream.acked;
            while (stream.sent < limit) {
                const std::uint64_t seq = stream.sent + 1;
                const auto found = stream.pending.find(seq);
                if (found == stream.pending.end()) break;
                PendingEvent& event = found->second;
                if (event.first_sent == Clock::time_point{}) {
                    event.first_sent = now;
                } else {
                    event.resent = true;
                }
                frames.emplace_back(topic,
                                    wire_body(options_.instance, epoch_, seq, base, event.body));
                stream.sent = seq;
            }
            if (was_idle && stream.sent > stream.acked) stream.deadline = now + stream.timeout;
        }
    }
    for (const auto& [topic, body] : frames) send_frames(pub, topic, body);
    if (retransmitted > 0) {
        std::lock_guard lock(stats_mutex_);
        stats_.retransmitted += retransmitted;
    }
}

// ---- The worker: hands accepted events to the handler, in order ---------------------------

void Node::worker_loop() {
    while (true) {
        std::vector<Inbound> batch;
        {
            std::unique_lock lock(work_mutex_);
            work_ready_.wait_for(lock, kIdlePoll, [this] { return !work_.empty() || !running_; });
            if (!running_) return;
            while (!work_.empty() && batch.size() < kHandleBatch) {
                batch.push_back(std::move(work_.front()));
                work_.pop_front();
            }
        }
        if (batch.empty()) continue;
        // Events waiting together are handled together and committed as one record: one sync
        // for the batch instead of one per event. Nothing a handler publishes leaves before
        // the commit, so this changes timing only.
        Transaction combined;
        for (const Inbound& inbound : batch) {
            Transaction transaction;
            std::string failure;
            try {
                if (handler_) handler_(inbound, transaction);
            } catch (const std::exception& error) {
                failure = error.what();
            } catch (...) {
                failure = "unknown exception";
            }
            if (!failure.empty()) {
                // A handler that throws would throw again on every retry: set the event aside.
                spdlog::error("delivery: handler failed on {}: {}",
                              logging::event_fields(inbound.topic, inbound.event), failure);
                dead_letter(inbound.topic, json(inbound.event).dump(), failure);
                transaction = Transaction{};
            }
            if (!transaction.hold_current_) transaction.complete(inbound.ref);
            for (auto& out : transaction.outs_) combined.outs_.push_back(std::move(out));
            for (auto& ref : transaction.completes_) combined.completes_.push_back(std::move(ref));
            for (auto& entry : transaction.memory_) combined.memory_.push_back(std::move(entry));
        }
        try {
            commit(std::move(combined));
        } catch (const std::exception& error) {
            // The journal cannot record the batch: its events are accepted, their outputs
            // unrecorded, and no later promise could be kept either. Stop the service cleanly;
            // after a restart the journal hands the batch over again.
            note_caught_exception("delivery worker: commit", error.what());
            count_failure();
            spdlog::error("delivery: cannot commit to the journal; stopping the service");
            shutdown::request();
            return;
        }
    }
}

void Node::register_metrics(Metrics& metrics) const {
    const auto show = [&](const std::string& name, const std::string& help,
                          std::uint64_t Stats::*field, const Labels& labels = {}) {
        metrics.gauge(
            name, help, [this, field] { return static_cast<double>(stats().*field); }, labels);
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
    copy.pending_out = 0;
    for (const auto& [topic, stream] : out_) copy.pending_out += stream.pending.size();
    copy.pending_in = pending_in_.size();
    return copy;
}

}  // namespace sb::delivery
