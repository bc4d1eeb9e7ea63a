#pragma once
// The delivery frame decoders the delivery_frame target fuzzes: libs/common's checked decoders
// (switchboard/delivery_wire.h), the very functions delivery::Node calls on every frame that
// arrives on a consumed topic and on its ack topic.
#include <string_view>

#include "switchboard/delivery_wire.h"

namespace sb::fuzz {

inline delivery::wire::Decoded<delivery::wire::DataFrame> decode_delivery_frame(
    std::string_view body) {
    return delivery::wire::decode_data_frame(body);
}

inline delivery::wire::Decoded<delivery::wire::Ack> decode_delivery_ack(std::string_view body) {
    return delivery::wire::decode_ack(body);
}

}  // namespace sb::fuzz
