#pragma once
// At most one log line per interval for something a stranger can trigger at will (a refused
// connection), so a port scan or a reconnect loop cannot flood the log; the line that is
// written says how many were left out.
#include <chrono>
#include <cstdint>

#include "switchboard/clocks.h"

namespace sb::bus {

class LogThrottle {
  public:
    explicit LogThrottle(std::chrono::milliseconds interval) : interval_(interval) {}

    // Whether to log the occurrence at `now`; when it returns true, `suppressed` is how many
    // occurrences since the last logged one were not.
    bool admit(SteadyClock::time_point now, std::uint64_t& suppressed);

  private:
    std::chrono::milliseconds interval_;
    bool logged_once_ = false;
    SteadyClock::time_point last_logged_{};
    std::uint64_t suppressed_ = 0;
};

}  // namespace sb::bus
