#pragma once
// The delivery journal's records (proto/delivery-journal.md), defined once: their kinds, their
// field names, how each is encoded, and the one checked decoder. The journal file (journal.h)
// frames each record with a CRC; this header says what a record means. The format is the one
// the first journals were written in: a file written then recovers unchanged.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "switchboard/delivery_inbound.h"
#include "switchboard/delivery_wire.h"
#include "switchboard/events.h"

namespace sb::delivery::records {

// Each record's "k" member names its kind.
namespace kind {
inline constexpr const char* epoch = "epoch";
inline constexpr const char* out_stream = "outstream";
inline constexpr const char* out = "out";
inline constexpr const char* ack = "ack";
inline constexpr const char* in_stream = "instream";
inline constexpr const char* in = "in";
inline constexpr const char* skip = "skip";
inline constexpr const char* transaction = "tx";
inline constexpr const char* memory = "mem";
}  // namespace kind

// The members' names, short because every accepted and published event writes them.
namespace field {
inline constexpr const char* kind = "k";
inline constexpr const char* epoch = "epoch";         // epoch: this journal's epoch
inline constexpr const char* topic = "t";             // the stream's topic
inline constexpr const char* seq = "s";               // a position in a stream
inline constexpr const char* event = "e";             // an envelope, as JSON
inline constexpr const char* next = "next";           // the stream's next position
inline constexpr const char* acked = "acked";         // outstream: acknowledged up to here
inline constexpr const char* stream = "st";           // an inbound stream's id
inline constexpr const char* producer = "p";          // the inbound stream's producer
inline constexpr const char* producer_epoch = "x";    // the inbound stream's producer epoch
inline constexpr const char* order = "n";             // in: acceptance order
inline constexpr const char* done = "done";           // tx: [[stream, seq], ...] completed
inline constexpr const char* outs = "outs";           // tx: [{t, s, e}, ...] published
inline constexpr const char* memory_changes = "mem";  // tx: [[key, value] | [key], ...]
inline constexpr const char* key = "key";             // mem: the remembered key
inline constexpr const char* value = "v";             // mem: its value
}  // namespace field

// This journal's epoch: the name of its outbound streams (a new journal starts new ones).
struct Epoch {
    std::string epoch;
};
// An outbound stream's position (snapshots).
struct OutStream {
    std::string topic;
    std::uint64_t next = 1;
    std::uint64_t acked = 0;
};
// An outbound event not yet acknowledged (snapshots).
struct Out {
    std::string topic;
    std::uint64_t seq = 0;
    nlohmann::json event;
};
// The consumer acknowledged `topic` up to `seq`.
struct Ack {
    std::string topic;
    std::uint64_t seq = 0;
};
// Where an inbound stream stands (snapshots).
struct InStream {
    std::string stream;
    std::string producer;
    std::string epoch;
    std::string topic;
    std::uint64_t next = 1;
};
// An inbound event accepted and not yet done.
struct In {
    std::uint64_t order = 0;
    std::string stream;
    std::string producer;
    std::string epoch;
    std::string topic;
    std::uint64_t seq = 0;
    Envelope event;
};
// An inbound position whose event was bad: set aside, its place in the stream kept.
struct Skip {
    std::string stream;
    std::string producer;
    std::string epoch;
    std::string topic;
    std::uint64_t seq = 0;
};
// One committed transaction: events done, events published, memory changed, all at once.
struct TxOut {
    std::string topic;
    std::uint64_t seq = 0;
    nlohmann::json event;
};
struct MemoryChange {
    std::string key;
    std::optional<nlohmann::json> value;  // nullopt: forgotten
};
struct Transaction {
    std::vector<InboundRef> done;
    std::vector<TxOut> outs;
    std::vector<MemoryChange> memory;  // written only when not empty
};
// A remembered key and its value (snapshots).
struct Memory {
    std::string key;
    nlohmann::json value;
};
// A record of a kind this code does not know (or without one): recovery passes over it.
struct Unknown {
    std::string kind;
};

using Record =
    std::variant<Unknown, Epoch, OutStream, Out, Ack, InStream, In, Skip, Transaction, Memory>;

nlohmann::json encode(const Record& record);
// The commit path's own: moves the events into the record instead of copying them.
nlohmann::json encode(Transaction&& transaction);

// Never throws: a record that is not what its kind says gives the reason, naming the field.
wire::Decoded<Record> decode(const nlohmann::json& record);

}  // namespace sb::delivery::records
