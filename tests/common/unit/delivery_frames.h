#pragma once
// Sound delivery frames to start from, shared by the decoder tables (delivery_wire_test.cpp) and
// the node's hostile-frame test (delivery_test.cpp).
#include <string>

#include "in_process_bus.h"

namespace sb::testing {

inline json good_event() {
    return json(stamp(customer_event("hello")));
}

inline json good_ack() {
    return {{"consumer", "c1"}, {"topic", "t"}, {"epoch", "e1"}, {"seq", 7}};
}

// The good ack with member `name` set to `value` (or removed, for null).
inline std::string ack_with(const std::string& name, const json& value) {
    json ack = good_ack();
    if (value.is_null()) {
        ack.erase(name);
    } else {
        ack[name] = value;
    }
    return ack.dump();
}

}  // namespace sb::testing
