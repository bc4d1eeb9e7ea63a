#pragma once
// An event accepted from a producer, as the delivery contract hands it to a handler: shared by
// the node (delivery.h), the incoming streams and the journal records.
#include <cstdint>
#include <string>

#include "switchboard/events.h"

namespace sb::delivery {

// Names one accepted event: its stream (producer instance, epoch, topic) and position.
struct InboundRef {
    std::string stream;
    std::uint64_t seq = 0;
    bool operator<(const InboundRef& other) const {
        return stream != other.stream ? stream < other.stream : seq < other.seq;
    }
    bool operator==(const InboundRef& other) const {
        return stream == other.stream && seq == other.seq;
    }
};

struct Inbound {
    InboundRef ref;
    std::string topic;
    std::string producer;
    Envelope event;
};

}  // namespace sb::delivery
