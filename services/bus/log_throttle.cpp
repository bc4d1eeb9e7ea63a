#include "log_throttle.h"

namespace sb::bus {

bool LogThrottle::admit(SteadyClock::time_point now, std::uint64_t& suppressed) {
    if (logged_once_ && now - last_logged_ < interval_) {
        ++suppressed_;
        return false;
    }
    suppressed = suppressed_;
    suppressed_ = 0;
    logged_once_ = true;
    last_logged_ = now;
    return true;
}

}  // namespace sb::bus
