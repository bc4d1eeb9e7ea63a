// A delivery frame's body as it comes off the bus: {"delivery": {producer, epoch, seq, base},
// ...the envelope's own members}, and an ack {consumer, topic, epoch, seq, gap?}. Anyone who can
// reach the bus can send either; decoding must refuse what breaks the contract and never crash,
// and what it accepts must keep the contract's promises.
#include "delivery_frame_decoder.h"
#include "fuzz_check.h"

namespace wire = sb::delivery::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body = sb::fuzz::as_text(data, size);

    const auto frame = sb::fuzz::decode_delivery_frame(body);
    FUZZ_CHECK(frame.frame.has_value() == frame.error.empty());
    if (frame) {
        const wire::Header& header = frame.frame->header;
        FUZZ_CHECK(!header.producer.empty() && !header.epoch.empty());
        FUZZ_CHECK(header.base >= 1 && header.base <= header.seq);
        FUZZ_CHECK(header.seq <= wire::kMaxPosition);
        FUZZ_CHECK(frame.frame->event.has_value() == frame.frame->event_error.empty());
        if (frame.frame->event) {
            // An accepted event is journaled as JSON and handed on: re-encoded with its header,
            // it must decode to the same frame.
            const auto again = sb::fuzz::decode_delivery_frame(
                wire::encode_data_frame(header, sb::json(*frame.frame->event).dump()));
            FUZZ_CHECK(again && again.frame->event);
            FUZZ_CHECK(again.frame->header.seq == header.seq);
            FUZZ_CHECK(again.frame->event->payload == frame.frame->event->payload);
        }
    }

    const auto ack = sb::fuzz::decode_delivery_ack(body);
    FUZZ_CHECK(ack.frame.has_value() == ack.error.empty());
    if (ack) {
        FUZZ_CHECK(!ack.frame->consumer.empty() && !ack.frame->topic.empty());
        FUZZ_CHECK(ack.frame->seq <= wire::kMaxPosition);
        const auto again = sb::fuzz::decode_delivery_ack(wire::encode_ack(*ack.frame));
        FUZZ_CHECK(again && again.frame->seq == ack.frame->seq &&
                   again.frame->gap == ack.frame->gap);
    }
    return 0;
}
