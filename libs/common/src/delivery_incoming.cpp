#include "switchboard/delivery_incoming.h"

#include <algorithm>

#include "switchboard/topics.h"

namespace sb::delivery {

std::string Incoming::stream_id(const std::string& producer, const std::string& epoch,
                                const std::string& topic) {
    return producer + "|" + epoch + "|" + topic;
}

Incoming::Stream& Incoming::named(const std::string& id, const std::string& producer,
                                  const std::string& epoch, const std::string& topic) {
    Stream& stream = streams_[id];
    stream.producer = producer;
    stream.epoch = epoch;
    stream.topic = topic;
    return stream;
}

void Incoming::add_pending(Inbound inbound, std::uint64_t order) {
    pending_index_[inbound.ref] = order;
    pending_[order] = std::move(inbound);
    next_accept_ = std::max(next_accept_, order + 1);
}

void Incoming::recover(const records::InStream& record) {
    named(record.stream, record.producer, record.epoch, record.topic).next = record.next;
}

void Incoming::recover(const records::In& record) {
    Stream& stream = named(record.stream, record.producer, record.epoch, record.topic);
    stream.next = std::max(stream.next, record.seq + 1);
    add_pending({{record.stream, record.seq}, stream.topic, stream.producer, record.event},
                record.order);
}

void Incoming::recover(const records::Skip& record) {
    Stream& stream = named(record.stream, record.producer, record.epoch, record.topic);
    stream.next = std::max(stream.next, record.seq + 1);
}

void Incoming::finish_recovery() {
    for (auto& [id, stream] : streams_) stream.durable = stream.next - 1;  // read from disk
}

Arrival Incoming::on_data(const std::string& topic, wire::DataFrame& frame) {
    const std::string& producer = frame.header.producer;
    const std::string& epoch = frame.header.epoch;
    const std::uint64_t seq = frame.header.seq;
    const std::uint64_t base = frame.header.base;

    std::string id = stream_id(producer, epoch, topic);
    auto [entry, is_new] = streams_.try_emplace(id);
    Stream& stream = entry->second;
    if (is_new) {
        stream.producer = producer;
        stream.epoch = epoch;
        stream.topic = topic;
        stream.next = base;  // what came before was acknowledged to an earlier life of ours
    }
    stream.next = std::max(stream.next, base);
    if (seq < stream.next) {
        stream.ack_due = stream.durable;  // the producer missed an ack; what is on disk, again
        return {Verdict::duplicate, std::nullopt};
    }
    if (seq > stream.next) {
        stream.ack_due = stream.durable;
        stream.gap = true;
        return {Verdict::out_of_order, std::nullopt};
    }
    // In order. Nothing changes until the record is appended (journaled()): should the append
    // fail, the frame is taken again when the producer resends it.
    if (!frame.event) {
        // It holds its place in the stream: journaled as skipped, and acknowledged.
        return {Verdict::skipped, records::Skip{std::move(id), producer, epoch, topic, seq}};
    }
    return {Verdict::accepted, records::In{next_accept_, std::move(id), producer, epoch, topic, seq,
                                           std::move(*frame.event)}};
}

void Incoming::journaled(const Arrival& arrival, std::uint64_t position,
                         SteadyClock::time_point now) {
    if (!arrival.record) return;
    if (const auto* in = std::get_if<records::In>(&*arrival.record)) {
        streams_[in->stream].next = in->seq + 1;
        add_pending({{in->stream, in->seq}, in->topic, in->producer, in->event}, in->order);
        unsynced_.push_back({in->stream, in->seq, position, now});
    } else if (const auto* skip = std::get_if<records::Skip>(&*arrival.record)) {
        streams_[skip->stream].next = skip->seq + 1;
        unsynced_.push_back({skip->stream, skip->seq, position, now});
    }
}

std::optional<std::uint64_t> Incoming::overdue_sync(SteadyClock::time_point now) const {
    if (unsynced_.empty() || now - unsynced_.front().since < kAckSyncDelay) return std::nullopt;
    return unsynced_.back().position;
}

void Incoming::on_durable(std::uint64_t position) {
    while (!unsynced_.empty() && unsynced_.front().position <= position) {
        const Unsynced& accepted = unsynced_.front();
        const auto stream = streams_.find(accepted.stream);
        if (stream != streams_.end()) {
            stream->second.durable = std::max(stream->second.durable, accepted.seq);
            stream->second.ack_due = std::max(stream->second.ack_due, stream->second.durable);
        }
        unsynced_.pop_front();
    }
}

std::vector<Frame> Incoming::take_acks() {
    std::vector<Frame> acks;
    for (auto& [id, stream] : streams_) {
        if (stream.ack_due == 0 && !stream.gap) continue;
        const wire::Ack ack{consumer_, stream.topic, stream.epoch, stream.ack_due, stream.gap};
        acks.push_back({topics::acks_for(stream.producer), wire::encode_ack(ack)});
        stream.ack_due = 0;
        stream.gap = false;
    }
    return acks;
}

bool Incoming::complete(const InboundRef& ref) {
    const auto found = pending_index_.find(ref);
    if (found == pending_index_.end()) return false;
    pending_.erase(found->second);
    pending_index_.erase(found);
    return true;
}

std::vector<Inbound> Incoming::pending() const {
    std::vector<Inbound> out;
    out.reserve(pending_.size());
    for (const auto& [order, inbound] : pending_) out.push_back(inbound);
    return out;
}

void Incoming::snapshot(std::vector<records::Record>& out) const {
    for (const auto& [id, stream] : streams_) {
        out.push_back(
            records::InStream{id, stream.producer, stream.epoch, stream.topic, stream.next});
    }
    for (const auto& [order, inbound] : pending_) {
        out.push_back(records::In{order, inbound.ref.stream, inbound.producer,
                                  streams_.at(inbound.ref.stream).epoch, inbound.topic,
                                  inbound.ref.seq, inbound.event});
    }
}

}  // namespace sb::delivery
