#include "core_types.h"

namespace sb::router {

Input Input::start(Time now, Memory memory) {
    Input input;
    input.kind = Kind::start;
    input.now = now;
    input.memory = std::move(memory);
    return input;
}

Input Input::tick(Time now) {
    Input input;
    input.kind = Kind::tick;
    input.now = now;
    return input;
}

Input Input::received(Time now, EventRef ref, Envelope event) {
    Input input;
    input.kind = Kind::event;
    input.now = now;
    input.ref = std::move(ref);
    input.event = std::move(event);
    return input;
}

}  // namespace sb::router
