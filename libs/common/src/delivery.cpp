#include "switchboard/delivery.h"

#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <zmq_addon.hpp>

#include "switchboard/ids.h"
#include "switchboard/journal.h"
#include "switchboard/logging.h"
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

std::string stream_id(const std::string& producer, const std::string& epoch,
                      const std::string& topic) {
    return producer + "|" + epoch + "|" + topic;
}

// The wire body is the envelope with a "delivery" member in front of its own members.
std::string wire_body(const std::string& producer, const std::string& epoch, std::uint64_t seq,
                      std::uint64_t base, const std::string& envelope_json) {
    const json header = {{"producer", producer}, {"epoch", epoch}, {"seq", seq}, {"base", base}};
    return "{\"delivery\":" + header.dump() + "," + envelope_json.substr(1);
}

void send_frames(zmq::socket_t& socket, const std::string& topic, const std::string& body) {
    // Non-blocking: when a high-water mark drops a message, retransmission brings it back.
    auto sent = socket.send(zmq::buffer(topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
    if (!sent) return;
    (void)socket.send(zmq::buffer(body), zmq::send_flags::dontwait);
}

std::uint64_t uint_field(const json& object, const char* name) {
    const auto found = object.find(name);
    if (found == object.end() || !found->is_number_unsigned()) {
        throw std::runtime_error(std::string("delivery.") + name + " missing");
    }
    return found->get<std::uint64_t>();
}

std::string string_field(const json& object, const char* name) {
    const auto found = object.find(name);
    if (found == object.end() || !found->is_string() || found->get_ref<const std::string&>().empty()) {
        throw std::runtime_error(std::string("delivery.") + name + " missing");
    }
    return found->get<std::string>();
}

}  // namespace

void Transaction::publish(std::string_view topic, Envelope event) {
    outs_.emplace_back(std::string(topic), stamp(std::move(event)));
}

Node::Node(Options options) : options_(std::move(options)) {
    if (options_.instance.empty()) options_.instance = options_.service;
}

Node::~Node() { stop(); }

void Node::on_event(Handler handler) { handler_ = std::move(handler); }
void Node::on_reply(ReplyHandler handler) { reply_handler_ = std::move(handler); }

// ---- Recovery and compaction -----------------------------------------------------------------

void Node::start() {
    std::vector<json> records;
    journal_ = std::make_unique<Journal>(options_.data_dir / (options_.instance + ".journal"),
                                         records);
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
    io_thread_ = std::thread([this] { io_loop(); });
    worker_thread_ = std::thread([this] { worker_loop(); });
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
        const std::string kind = record.value("k", "");
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

void Node::io_loop() {
    zmq::socket_t pub(context_, zmq::socket_type::pub);
    zmq::socket_t sub(context_, zmq::socket_type::sub);
    for (zmq::socket_t* socket : {&pub, &sub}) {
        socket->set(zmq::sockopt::linger, 0);
        socket->set(zmq::sockopt::sndhwm, kSocketHighWaterMark);
        socket->set(zmq::sockopt::rcvhwm, kSocketHighWaterMark);
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
        const auto received = zmq::recv_multipart(sub, std::back_inserter(frames),
                                                  zmq::recv_flags::dontwait);
        if (!received) break;
        if (frames.size() != 2) {
            std::lock_guard lock(stats_mutex_);
            ++stats_.rejected;
            continue;
        }
        const std::string topic = frames[0].to_string();
        const std::string body = frames[1].to_string();
        if (topic == topics::acks_for(options_.instance)) {
            on_ack(body);
        } else if (topic == topics::replies_for(options_.instance)) {
            on_reply_frame(body);
        } else if (std::find(options_.consume.begin(), options_.consume.end(), topic) !=
                   options_.consume.end()) {
            on_consumed(topic, body, accepted);
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
    const auto reject = [&](const std::string& why) {
        spdlog::warn("delivery: dropped a frame on {}: {}", topic, why);
        std::lock_guard lock(stats_mutex_);
        ++stats_.rejected;
    };
    if (body.size() > kMaxEventBytes + 512) return reject("oversized frame");
    json document = json::parse(body, nullptr, false);
    if (document.is_discarded() || !document.is_object()) return reject("not a JSON object");
    const auto header = document.find("delivery");
    if (header == document.end() || !header->is_object()) return reject("no delivery header");

    std::string producer, epoch;
    std::uint64_t seq = 0, base = 0;
    try {
        producer = string_field(*header, "producer");
        epoch = string_field(*header, "epoch");
        seq = uint_field(*header, "seq");
        base = uint_field(*header, "base");
    } catch (const std::exception& error) {
        return reject(error.what());
    }
    if (seq == 0 || base == 0 || base > seq) return reject("inconsistent delivery header");
    document.erase("delivery");

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
    ParsedEnvelope parsed = validate_envelope(document);
    if (!parsed) {
        dead_letter(topic, body, parsed.error);
        position = journal_->append(
            {{"k", "skip"}, {"st", id}, {"p", producer}, {"x", epoch}, {"t", topic}, {"s", seq}});
    } else {
        Inbound inbound{{id, seq}, topic, producer, std::move(*parsed.envelope)};
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
            json ack = {{"consumer", options_.instance},
                        {"topic", stream.topic},
                        {"epoch", stream.epoch},
                        {"seq", stream.ack_due}};
            if (stream.gap) ack["gap"] = true;
            acks.emplace_back(topics::acks_for(stream.producer), ack.dump());
            stream.ack_due = 0;
            stream.gap = false;
        }
    }
    for (const auto& [topic, body] : acks) send_frames(pub, topic, body);
}

void Node::on_ack(const std::string& body) {
    const json ack = json::parse(body, nullptr, false);
    if (ack.is_discarded() || !ack.is_object() || ack.value("epoch", "") != epoch_) return;
    const auto topic = ack.find("topic");
    const auto seq_field = ack.find("seq");
    if (topic == ack.end() || !topic->is_string() || seq_field == ack.end() ||
        !seq_field->is_number_unsigned()) {
        return;
    }
    const auto seq = seq_field->get<std::uint64_t>();
    std::uint64_t newly_acked = 0;
    {
        std::lock_guard lock(mutex_);
        const auto found = out_.find(topic->get<std::string>());
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
        if (ack.value("gap", false) && now - stream.last_fast_retry > kFastRetryGap) {
            stream.sent = stream.acked;  // resend from the gap at once
            stream.congestion_window = std::max(kBurstAfterTimeout, stream.congestion_window / 2);
            stream.last_fast_retry = now;
        }
    }
    std::lock_guard lock(stats_mutex_);
    stats_.acknowledged += newly_acked;
}

void Node::on_reply_frame(const std::string& body) {
    ParsedEnvelope parsed = parse_envelope(body);
    if (!parsed) {
        spdlog::warn("delivery: dropped a malformed reply: {}", parsed.error);
        return;
    }
    {
        std::lock_guard lock(stats_mutex_);
        ++stats_.replies;
    }
    if (reply_handler_) reply_handler_(*parsed.envelope);
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
            try {
                if (handler_) handler_(inbound, transaction);
            } catch (const std::exception& error) {
                // A handler that throws would throw again on every retry: set the event aside.
                spdlog::error("delivery: handler failed on {}: {}",
                              logging::event_fields(inbound.topic, inbound.event), error.what());
                dead_letter(inbound.topic, json(inbound.event).dump(), error.what());
                transaction = Transaction{};
            }
            if (!transaction.hold_current_) transaction.complete(inbound.ref);
            for (auto& out : transaction.outs_) combined.outs_.push_back(std::move(out));
            for (auto& ref : transaction.completes_) combined.completes_.push_back(std::move(ref));
            for (auto& entry : transaction.memory_) combined.memory_.push_back(std::move(entry));
        }
        commit(std::move(combined));
    }
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
