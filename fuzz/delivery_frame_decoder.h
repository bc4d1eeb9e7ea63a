#pragma once
// The delivery frame decoder the delivery_frame target fuzzes, behind one function so the target
// and its corpus stay when the decoder moves.
//
// Today a consumed frame is decoded inside delivery::Node::on_consumed, a private member next
// to the journal and the sockets: the header checks (producer, epoch, seq, base) have no pure
// function to call. What is pure is the rest of the path: the frame's JSON, its "delivery"
// member taken off, and validate_envelope on what is left (the same calls on_consumed makes).
// When libs/common has a checked frame decoder, make decode_delivery_frame call it, add what it
// reports of the header to DecodedFrame, and check that in delivery_frame.cpp (e.g. an accepted
// frame has a non-empty producer and epoch and 0 < base <= seq); the corpus stays as it is.
#include <cstdint>
#include <string>
#include <string_view>

#include "switchboard/events.h"

namespace sb::fuzz {

struct DecodedFrame {
    bool json_object = false;  // the body is a JSON object with an object "delivery" member
    ParsedEnvelope envelope;   // the envelope without its delivery header
};

inline DecodedFrame decode_delivery_frame(std::string_view body) {
    DecodedFrame frame;
    if (body.size() > kMaxEventBytes + 512) return frame;  // on_consumed's size limit
    json document = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded() || !document.is_object()) return frame;
    const auto header = document.find("delivery");
    if (header == document.end() || !header->is_object()) return frame;
    frame.json_object = true;
    document.erase("delivery");
    frame.envelope = validate_envelope(document);
    return frame;
}

}  // namespace sb::fuzz
