#pragma once
// The one reading of the clocks a request is decided with: steady time for the rate limit,
// wall time for token expiry and the received_at stamp. The HTTP shell reads it once per
// request; tests build one, so no decision reads a clock of its own.
#include <chrono>
#include <cstdint>

#include "switchboard/clocks.h"

namespace sb::web {

struct Moment {
    SteadyClock::time_point steady;
    WallClock::time_point wall;

    static Moment now() { return {SteadyClock::now(), WallClock::now()}; }
    std::int64_t unix_seconds() const {
        return std::chrono::duration_cast<std::chrono::seconds>(wall.time_since_epoch()).count();
    }
};

}  // namespace sb::web
