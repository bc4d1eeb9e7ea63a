#pragma once
// The producer's side of the delivery contract as a pure state machine: one stream per topic,
// numbered from 1, each event re-sent until the consumer's cumulative ack covers it. No sockets,
// no clock, no threads: the node (delivery.h) feeds it events, acks and `now`, sends the frames
// it returns and appends the journal records it returns.
//
// Retransmission adapts to the consumer like TCP's: a smoothed round-trip time sets the
// timeout (Karn: an event sent twice says nothing about it), and after a timeout only a small
// burst is resent, growing again with acks, so a slow consumer is not buried under copies it
// already has. A gap the consumer reports is resent at once, at most every kFastRetryGap.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "switchboard/clocks.h"
#include "switchboard/delivery_journal_records.h"
#include "switchboard/delivery_wire.h"

namespace sb::delivery {

// One [topic, body] message for the bus.
struct Frame {
    std::string topic;
    std::string body;
    bool operator==(const Frame& other) const { return topic == other.topic && body == other.body; }
};

struct OutgoingSettings {
    std::chrono::milliseconds first_retry{100};
    std::chrono::milliseconds max_retry{2000};
    std::uint64_t window = 1000;  // unacknowledged events in flight per stream
};

class Outgoing {
  public:
    static constexpr std::chrono::milliseconds kFastRetryGap{20};
    static constexpr std::uint64_t kBurstAfterTimeout = 32;

    explicit Outgoing(OutgoingSettings settings) : settings_(settings) {}

    // Who sends: the frames' header names them, and acks for another epoch are ignored.
    void set_identity(std::string producer, std::string epoch);

    // Recovery, in journal order.
    void recover(const records::OutStream& record);
    void recover(const records::Out& record);
    void recover(const records::Ack& record);
    void recover(const records::TxOut& record);

    // Numbers a new event on `topic` (its envelope JSON); it leaves only once durable().
    std::uint64_t add(const std::string& topic, std::string body);
    // Everything on `topic` up to `seq` is on disk.
    void durable(const std::string& topic, std::uint64_t seq);
    // Everything numbered so far is on disk (after a recovery or a compaction).
    void all_durable();

    struct AckOutcome {
        std::uint64_t newly_acked = 0;
        std::optional<records::Ack> record;  // to append when the ack moved the stream on
    };
    AckOutcome on_ack(const wire::Ack& ack, SteadyClock::time_point now);

    // What is due now: first transmissions within the window, and retransmissions after a
    // timeout or a gap. Appends to `frames`; returns how many events went back for resending.
    std::uint64_t pump(SteadyClock::time_point now, std::vector<Frame>& frames);

    // Records that recreate every stream: its position, then its unacknowledged events.
    void snapshot(std::vector<records::Record>& out) const;
    std::uint64_t pending() const;

    // A stream's state, for tests and logs.
    struct View {
        std::uint64_t next_seq = 1;
        std::uint64_t acked = 0;
        std::uint64_t sent = 0;
        std::uint64_t durable = 0;
        std::uint64_t pending = 0;
        std::chrono::milliseconds timeout{0};
        std::uint64_t congestion_window = 0;
        double smoothed_rtt_ms = 0;
    };
    std::optional<View> view(const std::string& topic) const;

  private:
    struct PendingEvent {
        std::string body;  // envelope JSON
        SteadyClock::time_point first_sent{};
        bool resent = false;  // its ack says nothing about the round-trip time (Karn)
    };
    struct Stream {
        std::uint64_t next_seq = 1;
        std::uint64_t acked = 0;
        std::uint64_t sent = 0;     // highest seq sent since the last (re)transmission round
        std::uint64_t durable = 0;  // highest seq on disk: nothing above it may leave
        std::map<std::uint64_t, PendingEvent> pending;
        double smoothed_rtt_ms = 0;
        std::chrono::milliseconds timeout{0};
        std::uint64_t congestion_window = 0;
        SteadyClock::time_point deadline{};
        SteadyClock::time_point last_fast_retry{};
    };
    void pump_stream(const std::string& topic, Stream& stream, SteadyClock::time_point now,
                     std::vector<Frame>& frames, std::uint64_t& retransmitted);

    OutgoingSettings settings_;
    std::string producer_;
    std::string epoch_;
    std::map<std::string, Stream> streams_;  // by topic
};

}  // namespace sb::delivery
