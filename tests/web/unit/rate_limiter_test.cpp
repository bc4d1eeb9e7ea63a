#include "rate_limiter.h"

#include <doctest/doctest.h>

using namespace sb::web;
using namespace std::chrono_literals;

TEST_CASE("a client gets its burst, then waits for the refill, told how long") {
    RateLimiter limiter(3, 30s);
    const auto start = sb::SteadyClock::time_point{} + 1000h;
    for (int i = 0; i < 3; ++i) CHECK(limiter.take("10.0.0.1", start).allowed);
    const RateDecision refused = limiter.take("10.0.0.1", start);
    CHECK_FALSE(refused.allowed);
    CHECK(refused.retry_after == 30s);
    CHECK(limiter.take("10.0.0.1", start + 10s).retry_after == 20s);
    CHECK(limiter.take("10.0.0.1", start + 30s).allowed);
    CHECK_FALSE(limiter.take("10.0.0.1", start + 31s).allowed);
}

TEST_CASE("clients are limited separately") {
    RateLimiter limiter(1, 60s);
    const auto now = sb::SteadyClock::time_point{} + 1000h;
    CHECK(limiter.take("a", now).allowed);
    CHECK_FALSE(limiter.take("a", now).allowed);
    CHECK(limiter.take("b", now).allowed);
}

TEST_CASE("the refill never exceeds the burst, and retry_after is at least a second") {
    RateLimiter limiter(2, 500ms);
    const auto now = sb::SteadyClock::time_point{} + 1000h;
    CHECK(limiter.take("a", now).allowed);
    CHECK(limiter.take("a", now + 24h).allowed);
    CHECK(limiter.take("a", now + 24h).allowed);
    const RateDecision refused = limiter.take("a", now + 24h);
    CHECK_FALSE(refused.allowed);
    CHECK(refused.retry_after == 1s);
}

TEST_CASE("memory stays bounded under many addresses, idle clients forgotten first") {
    RateLimiter limiter(2, 1s, /*max_clients=*/100);
    const auto now = sb::SteadyClock::time_point{} + 1000h;
    for (int i = 0; i < 1000; ++i) limiter.take("10.0.0." + std::to_string(i), now);
    CHECK(limiter.tracked_clients() <= 100);
    CHECK(limiter.take("busy", now + 10s).allowed);
    CHECK(limiter.take("busy", now + 10s).allowed);
    for (int i = 0; i < 200; ++i) limiter.take("later." + std::to_string(i), now + 10s);
    CHECK_FALSE(limiter.take("busy", now + 10s).allowed);  // still limited: it was not idle
}
