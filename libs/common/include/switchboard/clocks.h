#pragma once

// The two clocks Switchboard uses, named once. Deadlines, timeouts and rates use SteadyClock,
// which never jumps; what is shown to people, written to providers or compared with a
// provider's timestamps uses WallClock.

#include <chrono>

namespace sb {

using SteadyClock = std::chrono::steady_clock;
using WallClock = std::chrono::system_clock;

}  // namespace sb
