#include "rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "ip_address.h"

namespace sb::web {

std::string rate_limit_key(std::string_view client) {
    const auto address = parse_ip_address(client);
    if (!address) return std::string(client);
    if (!address->v6) return address->text();
    IpAddress block = *address;
    std::fill(block.bytes.begin() + 8, block.bytes.end(), 0);
    return block.text() + "/64";
}

RateLimiter::RateLimiter(int burst, std::chrono::milliseconds refill, std::size_t max_clients)
    : burst_(burst), refill_(refill), max_clients_(max_clients) {
    if (burst < 1 || refill.count() <= 0 || max_clients < 1) {
        throw std::invalid_argument("rate limiter needs a burst >= 1 and a positive refill");
    }
}

void RateLimiter::refill(Bucket& bucket, SteadyClock::time_point now) const {
    if (now <= bucket.updated) return;
    const double elapsed_ms =
        std::chrono::duration<double, std::milli>(now - bucket.updated).count();
    bucket.tokens =
        std::min(burst_, bucket.tokens + elapsed_ms / static_cast<double>(refill_.count()));
    bucket.updated = now;
}

void RateLimiter::forget_idle(SteadyClock::time_point now) {
    // A full bucket is the same as no bucket: forgetting it changes nothing for its client.
    for (auto it = buckets_.begin(); it != buckets_.end();) {
        refill(it->second, now);
        it = it->second.tokens >= burst_ ? buckets_.erase(it) : std::next(it);
    }
    // Still too many (a flood from many addresses): forget the fullest buckets first, which
    // errs towards letting a client through rather than growing without bound.
    while (buckets_.size() >= max_clients_) {
        const auto fullest = std::max_element(
            buckets_.begin(), buckets_.end(),
            [](const auto& a, const auto& b) { return a.second.tokens < b.second.tokens; });
        buckets_.erase(fullest);
    }
}

RateDecision RateLimiter::take(const std::string& client, SteadyClock::time_point now) {
    std::lock_guard lock(mutex_);
    auto found = buckets_.find(client);
    if (found == buckets_.end()) {
        if (buckets_.size() >= max_clients_) forget_idle(now);
        found = buckets_.emplace(client, Bucket{burst_, now}).first;
    }
    Bucket& bucket = found->second;
    refill(bucket, now);
    if (bucket.tokens >= 1.0) {
        bucket.tokens -= 1.0;
        return {true, std::chrono::seconds(0)};
    }
    // Whole milliseconds first, so floating-point dust does not round 20 s up to 21 s.
    const long long wait_ms =
        std::llround((1.0 - bucket.tokens) * static_cast<double>(refill_.count()));
    const long long wait_s = (wait_ms + 999) / 1000;
    return {false, std::chrono::seconds(std::max<long long>(1, wait_s))};
}

std::size_t RateLimiter::tracked_clients() const {
    std::lock_guard lock(mutex_);
    return buckets_.size();
}

}  // namespace sb::web
