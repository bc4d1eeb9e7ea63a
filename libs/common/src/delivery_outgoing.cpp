#include "switchboard/delivery_outgoing.h"

#include <algorithm>
#include <iterator>

namespace sb::delivery {

void Outgoing::set_identity(std::string producer, std::string epoch) {
    producer_ = std::move(producer);
    epoch_ = std::move(epoch);
}

void Outgoing::recover(const records::OutStream& record) {
    Stream& stream = streams_[record.topic];
    stream.next_seq = record.next;
    stream.acked = record.acked;
}

void Outgoing::recover(const records::Out& record) {
    Stream& stream = streams_[record.topic];
    stream.pending[record.seq].body = record.event.dump();
    stream.next_seq = std::max(stream.next_seq, record.seq + 1);
}

void Outgoing::recover(const records::Ack& record) {
    Stream& stream = streams_[record.topic];
    stream.acked = std::max(stream.acked, record.seq);
    stream.pending.erase(stream.pending.begin(), stream.pending.upper_bound(record.seq));
}

void Outgoing::recover(const records::TxOut& record) {
    Stream& stream = streams_[record.topic];
    if (record.seq > stream.acked) stream.pending[record.seq].body = record.event.dump();
    stream.next_seq = std::max(stream.next_seq, record.seq + 1);
}

std::uint64_t Outgoing::add(const std::string& topic, std::string body) {
    Stream& stream = streams_[topic];
    const std::uint64_t seq = stream.next_seq++;
    stream.pending[seq].body = std::move(body);
    return seq;
}

void Outgoing::durable(const std::string& topic, std::uint64_t seq) {
    Stream& stream = streams_[topic];
    stream.durable = std::max(stream.durable, seq);
}

void Outgoing::all_durable() {
    for (auto& [topic, stream] : streams_) stream.durable = stream.next_seq - 1;
}

Outgoing::AckOutcome Outgoing::on_ack(const wire::Ack& ack, SteadyClock::time_point now) {
    AckOutcome outcome;
    if (ack.epoch != epoch_) return outcome;  // for an earlier journal of ours: nothing pending
    const auto found = streams_.find(ack.topic);
    if (found == streams_.end()) return outcome;
    Stream& stream = found->second;
    const std::uint64_t seq = ack.seq;
    // An ack beyond what is on disk cannot be ours: nothing above `durable` has left.
    if (seq > stream.acked && seq <= stream.durable) {
        const auto last = stream.pending.upper_bound(seq);
        if (last != stream.pending.begin()) {
            const PendingEvent& newest = std::prev(last)->second;
            if (!newest.resent && newest.first_sent != SteadyClock::time_point{}) {
                const double sample =
                    std::chrono::duration<double, std::milli>(now - newest.first_sent).count();
                stream.smoothed_rtt_ms = stream.smoothed_rtt_ms == 0
                                             ? sample
                                             : 0.875 * stream.smoothed_rtt_ms + 0.125 * sample;
            }
        }
        outcome.newly_acked =
            static_cast<std::uint64_t>(std::distance(stream.pending.begin(), last));
        stream.pending.erase(stream.pending.begin(), last);
        stream.acked = seq;
        stream.sent = std::max(stream.sent, seq);
        const auto estimate =
            std::chrono::milliseconds(static_cast<long>(2 * stream.smoothed_rtt_ms) + 20);
        stream.timeout = std::clamp(estimate, settings_.first_retry, settings_.max_retry);
        stream.congestion_window = std::min<std::uint64_t>(
            settings_.window, stream.congestion_window + outcome.newly_acked);
        stream.deadline = now + stream.timeout;
        outcome.record = records::Ack{found->first, seq};
    }
    if (ack.gap && now - stream.last_fast_retry > kFastRetryGap) {
        stream.sent = stream.acked;  // resend from the gap at once
        stream.congestion_window = std::max(kBurstAfterTimeout, stream.congestion_window / 2);
        stream.last_fast_retry = now;
    }
    return outcome;
}

std::uint64_t Outgoing::pump(SteadyClock::time_point now, std::vector<Frame>& frames) {
    std::uint64_t retransmitted = 0;
    for (auto& [topic, stream] : streams_) pump_stream(topic, stream, now, frames, retransmitted);
    return retransmitted;
}

void Outgoing::pump_stream(const std::string& topic, Stream& stream, SteadyClock::time_point now,
                           std::vector<Frame>& frames, std::uint64_t& retransmitted) {
    if (stream.timeout.count() == 0) stream.timeout = settings_.first_retry;
    if (stream.congestion_window == 0) stream.congestion_window = settings_.window;
    if (stream.sent > stream.acked && now >= stream.deadline) {
        // No ack in time: go back to the first unacknowledged event, gently.
        retransmitted += stream.sent - stream.acked;
        stream.sent = stream.acked;
        stream.timeout = std::min(stream.timeout * 2, settings_.max_retry);
        stream.congestion_window = kBurstAfterTimeout;
    }
    stream.sent = std::max(stream.sent, stream.acked);  // e.g. after recovery
    const std::uint64_t base = stream.acked + 1;
    const std::uint64_t in_flight = std::min<std::uint64_t>(
        settings_.window, std::max(stream.congestion_window, kBurstAfterTimeout));
    const std::uint64_t limit = std::min(stream.durable, stream.acked + in_flight);
    const bool was_idle = stream.sent == stream.acked;
    while (stream.sent < limit) {
        const std::uint64_t seq = stream.sent + 1;
        const auto found = stream.pending.find(seq);
        if (found == stream.pending.end()) break;
        PendingEvent& event = found->second;
        if (event.first_sent == SteadyClock::time_point{}) {
            event.first_sent = now;
        } else {
            event.resent = true;
        }
        frames.push_back(
            {topic, wire::encode_data_frame({producer_, epoch_, seq, base}, event.body)});
        stream.sent = seq;
    }
    if (was_idle && stream.sent > stream.acked) stream.deadline = now + stream.timeout;
}

void Outgoing::snapshot(std::vector<records::Record>& out) const {
    for (const auto& [topic, stream] : streams_) {
        out.push_back(records::OutStream{topic, stream.next_seq, stream.acked});
        for (const auto& [seq, event] : stream.pending) {
            out.push_back(records::Out{topic, seq, nlohmann::json::parse(event.body)});
        }
    }
}

std::uint64_t Outgoing::pending() const {
    std::uint64_t count = 0;
    for (const auto& [topic, stream] : streams_) count += stream.pending.size();
    return count;
}

std::optional<Outgoing::View> Outgoing::view(const std::string& topic) const {
    const auto found = streams_.find(topic);
    if (found == streams_.end()) return std::nullopt;
    const Stream& stream = found->second;
    return View{stream.next_seq,          stream.acked,          stream.sent,
                stream.durable,           stream.pending.size(), stream.timeout,
                stream.congestion_window, stream.smoothed_rtt_ms};
}

}  // namespace sb::delivery
