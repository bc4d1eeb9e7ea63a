#pragma once
// The consumer's side of the delivery contract as a pure state machine: one stream per
// (producer, epoch, topic), accepted strictly in order. No sockets, no clock, no threads: the
// node (delivery.h) feeds it decoded frames, journal positions and `now`, appends the records
// it returns and sends the acks it returns.
//
// An event is accepted only at the stream's next position; below it is a duplicate (dropped,
// and what is on disk acknowledged again), above it is past a gap (dropped, and the producer
// told to resend from the gap). An acceptance is acknowledged only once its record is on disk.
// Accepted events stay pending, in acceptance order, until a transaction completes them.
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "switchboard/clocks.h"
#include "switchboard/delivery_inbound.h"
#include "switchboard/delivery_journal_records.h"
#include "switchboard/delivery_outgoing.h"
#include "switchboard/delivery_wire.h"

namespace sb::delivery {

// What became of one data frame.
enum class Verdict {
    accepted,      // in order: journal the record, hand the event to the handler
    skipped,       // in order but its event is bad: journal the record, dead-letter the frame
    duplicate,     // at or below the stream's position: dropped
    out_of_order,  // past a gap: dropped until the gap is filled
};

struct Arrival {
    Verdict verdict = Verdict::duplicate;
    // records::In (accepted) or records::Skip (skipped): append it, then call journaled(),
    // which is when the stream moves on and an accepted event becomes pending.
    std::optional<records::Record> record;
};

class Incoming {
  public:
    // An accepted event is acknowledged once its journal record is on disk. The handler's own
    // commit usually gets it there within a millisecond, in the same fdatasync as the
    // handler's outputs; only when nothing has synced it for this long must the node sync.
    static constexpr std::chrono::milliseconds kAckSyncDelay{5};

    // `consumer`: this instance, named in the acks it sends.
    explicit Incoming(std::string consumer) : consumer_(std::move(consumer)) {}

    static std::string stream_id(const std::string& producer, const std::string& epoch,
                                 const std::string& topic);

    // Recovery, in journal order; finish_recovery() once all records are in.
    void recover(const records::InStream& record);
    void recover(const records::In& record);
    void recover(const records::Skip& record);
    void finish_recovery();

    Arrival on_data(const std::string& topic, wire::DataFrame& frame);
    // The arrival's record is at journal `position`, appended at `now`: the stream moves past
    // it, an accepted event is pending, and it is acknowledged once `position` is on disk.
    void journaled(const Arrival& arrival, std::uint64_t position, SteadyClock::time_point now);

    // A journal position to sync now so acceptances waiting too long can be acknowledged.
    std::optional<std::uint64_t> overdue_sync(SteadyClock::time_point now) const;
    // The journal is on disk up to `position`: the acceptances up to it become ackable.
    void on_durable(std::uint64_t position);
    bool awaiting_sync() const { return !unsynced_.empty(); }
    // The acks due now, one per stream that has news (progress or a gap).
    std::vector<Frame> take_acks();

    // A transaction completed `ref`: false when it was not pending (already done, or unknown).
    bool complete(const InboundRef& ref);
    // The accepted events not yet done, in acceptance order.
    std::vector<Inbound> pending() const;
    std::uint64_t pending_count() const { return pending_.size(); }

    // Records that recreate every stream's position, then every pending event.
    void snapshot(std::vector<records::Record>& out) const;

  private:
    struct Stream {
        std::string producer;
        std::string epoch;
        std::string topic;
        std::uint64_t next = 1;
        std::uint64_t ack_due = 0;  // cumulative position to ack after the next sync
        std::uint64_t durable = 0;  // highest seq whose acceptance is on disk: ackable
        bool gap = false;
    };
    // An accepted event whose journal record is not on disk yet: acknowledged once it is.
    struct Unsynced {
        std::string stream;
        std::uint64_t seq = 0;
        std::uint64_t position = 0;
        SteadyClock::time_point since;
    };
    Stream& named(const std::string& id, const std::string& producer, const std::string& epoch,
                  const std::string& topic);
    void add_pending(Inbound inbound, std::uint64_t order);

    std::string consumer_;
    std::map<std::string, Stream> streams_;              // by stream id
    std::deque<Unsynced> unsynced_;                      // oldest first
    std::map<std::uint64_t, Inbound> pending_;           // by acceptance order
    std::map<InboundRef, std::uint64_t> pending_index_;  // ref -> acceptance order
    std::uint64_t next_accept_ = 1;
};

}  // namespace sb::delivery
