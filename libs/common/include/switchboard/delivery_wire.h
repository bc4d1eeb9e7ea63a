#pragma once
// The delivery contract's frames as they travel on the bus (proto/delivery.schema.json), and the
// one checked decoder for each kind. Every body that arrives is untrusted bytes: these pure
// functions turn it into a typed frame or into a reason, and never throw, so no frame can take a
// consumer down. They hold no state: the stream logic (numbering, gaps, acks) takes the typed
// frames as its inputs, wherever it lives.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "switchboard/events.h"

namespace sb::delivery::wire {

// Positions stay below 2^53, the integers every JSON reader holds exactly; it also keeps
// `seq + 1` far from wrapping around.
inline constexpr std::uint64_t kMaxPosition = (std::uint64_t{1} << 53) - 1;
// Producer, epoch, consumer and topic names.
inline constexpr std::size_t kMaxNameBytes = 256;
// Bodies above this are not even parsed (parsing costs several times the body in memory).
// Up to it, a data frame's header is read even when its event is over kMaxEventBytes, so the
// frame can be acknowledged and set aside instead of being re-sent for ever.
inline constexpr std::size_t kMaxParsedBytes = 4 * kMaxEventBytes;
inline constexpr std::size_t kMaxAckBytes = 4096;
// Nesting deeper than this is refused before parsing: copying or printing a deeply nested
// value recurses, and a 1 MiB frame of '[' would exhaust a thread's stack. Events nest 4 deep.
inline constexpr int kMaxDepth = 32;

// The "delivery" member a producer puts in front of each envelope it publishes.
struct Header {
    std::string producer;    // the producing instance
    std::string epoch;       // its journal: a new journal starts new streams
    std::uint64_t seq = 0;   // position in the (producer, epoch, topic) stream, >= 1
    std::uint64_t base = 0;  // lowest position not yet acknowledged, 1 <= base <= seq
};

// A data frame whose header is sound. Its event may still be bad: the frame holds a place in
// its stream all the same, so it is set aside (dead-lettered) and acknowledged like any other.
struct DataFrame {
    Header header;
    std::optional<Envelope> event;
    std::string event_error;  // why `event` is empty
};

// A consumer's cumulative acknowledgement, on topic ack.<producer>.
struct Ack {
    std::string consumer;
    std::string topic;
    std::string epoch;
    std::uint64_t seq = 0;  // everything up to seq is safe with the consumer; 0: nothing yet
    bool gap = false;       // the consumer saw a later event first: resend from seq + 1 now
};

// Either a frame or the reason there is none.
template <class Frame>
struct Decoded {
    std::optional<Frame> frame;
    std::string error;
    explicit operator bool() const { return frame.has_value(); }
    static Decoded rejected(std::string why) { return {std::nullopt, std::move(why)}; }
};

// A frame on a consumed topic: header, then the envelope around it (events' schemas).
Decoded<DataFrame> decode_data_frame(std::string_view body);
// A frame on ack.<this instance>.
Decoded<Ack> decode_ack(std::string_view body);
// A frame on reply.<this instance>: a bare envelope, no header (best effort, never journaled).
ParsedEnvelope decode_reply(std::string_view body);

// What producers and consumers put on the wire; the decoders above accept exactly these.
std::string encode_data_frame(const Header& header, std::string_view envelope_json);
std::string encode_ack(const Ack& ack);

// Pure helpers, exposed for their tests.
// True when `text`, read as JSON, nests arrays and objects deeper than `max_depth`.
bool nests_deeper_than(std::string_view text, int max_depth);

}  // namespace sb::delivery::wire
