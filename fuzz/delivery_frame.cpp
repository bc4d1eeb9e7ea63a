// A delivery frame's body as it comes off the bus: {"delivery": {producer, epoch, seq, base},
// ...the envelope's own members}. Anyone who can reach the bus can send one; decoding it must
// refuse what breaks the contract and never crash. See delivery_frame_decoder.h for what is
// decoded where.
#include "delivery_frame_decoder.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const sb::fuzz::DecodedFrame frame =
        sb::fuzz::decode_delivery_frame(sb::fuzz::as_text(data, size));
    if (!frame.json_object) return 0;
    const sb::ParsedEnvelope& parsed = frame.envelope;
    FUZZ_CHECK(parsed.envelope.has_value() == parsed.error.empty());
    if (parsed) {
        // An accepted event is journaled as JSON and handed on: it must read back the same.
        const sb::ParsedEnvelope again = sb::parse_envelope(sb::json(*parsed.envelope).dump());
        FUZZ_CHECK(again.envelope.has_value());
        FUZZ_CHECK(again.envelope->payload == parsed.envelope->payload);
        FUZZ_CHECK(!sb::json(*parsed.envelope).contains("delivery"));
    }
    return 0;
}
