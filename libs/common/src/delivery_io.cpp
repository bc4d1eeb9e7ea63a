// The delivery node's I/O thread (the only user of the sockets) and its worker (hands accepted
// events to the handler, in order). Both feed the stream state machines and carry out what they
// return: frames to send, records to append.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <zmq_addon.hpp>

#include "switchboard/bus_security.h"
#include "switchboard/delivery.h"
#include "switchboard/delivery_journal_records.h"
#include "switchboard/delivery_wire.h"
#include "switchboard/journal.h"
#include "switchboard/logging.h"
#include "switchboard/shutdown.h"
#include "switchboard/thread_guard.h"
#include "switchboard/time_format.h"
#include "switchboard/topics.h"

namespace sb::delivery {
namespace {

using nlohmann::json;

constexpr int kSocketHighWaterMark = 200000;
constexpr std::chrono::milliseconds kIdlePoll{50};
constexpr std::size_t kReceiveBatch = 128;
constexpr std::size_t kHandleBatch = 64;
// What of a frame that could not be decoded goes to the dead letters when it is too big to keep.
constexpr std::size_t kDeadLetterKeepBytes = 64 * 1024;
// The I/O thread starts over (new sockets, same streams) after an unexpected exception; this many
// in a row, each within kQuickFailure of starting, and the service stops instead.
constexpr int kMaxQuickIoFailures = 10;
constexpr std::chrono::seconds kQuickFailure{10};
constexpr std::chrono::milliseconds kIoRestartPause{100};

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

// No exception may leave the I/O thread. One that escapes io_loop (a journal write that failed,
// a socket error) is logged and counted, and the loop starts over on new sockets: every stream's
// state is in memory and on disk, and retransmission covers whatever the old sockets held. If it
// keeps failing straight away, the service stops cleanly rather than run deaf.
void Node::io_thread_main() {
    int quick_failures = 0;
    while (running_) {
        const auto started = SteadyClock::now();
        try {
            io_loop();
            return;  // stopped
        } catch (const std::exception& error) {
            note_caught_exception("delivery I/O thread", error.what());
        } catch (...) {
            note_caught_exception("delivery I/O thread", "unknown exception");
        }
        count_failure();
        quick_failures = SteadyClock::now() - started < kQuickFailure ? quick_failures + 1 : 1;
        if (quick_failures >= kMaxQuickIoFailures) {
            spdlog::error("delivery: the I/O thread failed {} times in a row; stopping the service",
                          quick_failures);
            shutdown::request();
            return;
        }
        const auto resume = SteadyClock::now() + kIoRestartPause;
        while (running_ && SteadyClock::now() < resume) std::this_thread::sleep_for(kIdlePoll / 5);
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
            zmq::poll(items, 2, awaiting_sync() ? Incoming::kAckSyncDelay : kIdlePoll);
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
    const std::string event_error = frame.event_error;

    std::lock_guard lock(mutex_);
    Arrival arrival = incoming_.on_data(topic, frame);
    switch (arrival.verdict) {
        case Verdict::duplicate: {
            std::lock_guard stats_lock(stats_mutex_);
            ++stats_.duplicates;
            return;
        }
        case Verdict::out_of_order: {
            std::lock_guard stats_lock(stats_mutex_);
            ++stats_.out_of_order;
            return;
        }
        case Verdict::skipped:
            dead_letter(topic, kept_body(body), event_error);
            break;
        case Verdict::accepted:
            break;
    }
    const std::uint64_t position = journal_->append(records::encode(*arrival.record));
    incoming_.journaled(arrival, position, SteadyClock::now());
    if (auto* in = std::get_if<records::In>(&*arrival.record)) {
        accepted.push_back({{std::move(in->stream), in->seq},
                            std::move(in->topic),
                            std::move(in->producer),
                            std::move(in->event)});
        std::lock_guard stats_lock(stats_mutex_);
        ++stats_.accepted;
    }
}

bool Node::awaiting_sync() const {
    std::lock_guard lock(mutex_);
    return incoming_.awaiting_sync();
}

void Node::acknowledge_durable() {
    std::optional<std::uint64_t> overdue;
    {
        std::lock_guard lock(mutex_);
        if (!incoming_.awaiting_sync()) return;
        overdue = incoming_.overdue_sync(SteadyClock::now());
    }
    if (overdue) journal_->sync(*overdue);
    const std::uint64_t durable = journal_->durable_position();
    std::lock_guard lock(mutex_);
    incoming_.on_durable(durable);
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
    std::vector<Frame> acks;
    {
        std::lock_guard lock(mutex_);
        acks = incoming_.take_acks();
    }
    for (const Frame& ack : acks) send_frames(pub, ack.topic, ack.body);
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
    std::uint64_t newly_acked = 0;
    {
        std::lock_guard lock(mutex_);
        Outgoing::AckOutcome outcome = outgoing_.on_ack(*decoded.frame, SteadyClock::now());
        if (outcome.record) journal_->append(records::encode(*outcome.record));
        newly_acked = outcome.newly_acked;
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
    std::vector<Frame> frames;
    std::uint64_t retransmitted = 0;
    {
        std::lock_guard lock(mutex_);
        frames.swap(direct_);
        retransmitted = outgoing_.pump(SteadyClock::now(), frames);
    }
    for (const Frame& frame : frames) send_frames(pub, frame.topic, frame.body);
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

}  // namespace sb::delivery
