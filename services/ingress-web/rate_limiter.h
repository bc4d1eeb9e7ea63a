#pragma once
// A token bucket per client: `burst` submissions at once, then one more every `refill`. The clock
// is passed in, so tests step time instead of sleeping.
#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "switchboard/clocks.h"

namespace sb::web {

struct RateDecision {
    bool allowed = true;
    std::chrono::seconds retry_after{0};  // when refused: wait this long for the next token
};

// The bucket a client's address falls in: an IPv4 address is its own; an IPv6 address counts as
// its /64 ("2001:db8:1:2::/64"), the block one subscriber is given (RFC 6177), so an IPv6 client
// cannot step through fresh addresses of its own block for fresh buckets. Text that is not an
// address is its own key.
std::string rate_limit_key(std::string_view client);

class RateLimiter {
  public:
    RateLimiter(int burst, std::chrono::milliseconds refill, std::size_t max_clients = 10000);

    // Takes one token from `client`'s bucket when it has one. Thread-safe.
    RateDecision take(const std::string& client, SteadyClock::time_point now);

    std::size_t tracked_clients() const;

  private:
    struct Bucket {
        double tokens = 0;
        SteadyClock::time_point updated{};
    };
    void refill(Bucket& bucket, SteadyClock::time_point now) const;
    void forget_idle(SteadyClock::time_point now);

    double burst_;
    std::chrono::milliseconds refill_;
    std::size_t max_clients_;
    mutable std::mutex mutex_;
    std::map<std::string, Bucket> buckets_;
};

}  // namespace sb::web
