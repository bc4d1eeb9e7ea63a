#pragma once
// The router's one way to wait after a failure (a ListRooms, CreateRoom, post or assignment
// step): the first pause is ROUTER_RETRY_SECONDS, each further failure doubles it, up to a
// ceiling; a success starts again from the first pause.
#include <algorithm>
#include <chrono>
#include <optional>

#include "core_types.h"

namespace sb::router {

struct RetryPolicy {
    std::chrono::seconds first{5};
    std::chrono::seconds max{120};

    static RetryPolicy of(const Settings& settings) {
        return {settings.first_retry, settings.max_retry};
    }
    std::chrono::seconds after(std::chrono::seconds current) const {
        if (current.count() == 0) return first;
        return std::min(current * 2, max);
    }
};

// One thing that may be retried: the pause it is at and when it is due, if it is.
struct Backoff {
    std::chrono::seconds pause{0};
    std::optional<Time> at;  // due then; none when nothing waits for a retry

    // A failure: the pause grows and the retry is due after it.
    void failed(Time now, const RetryPolicy& policy) {
        pause = policy.after(pause);
        at = now + pause;
    }
    // The retry is being made (or is no longer wanted): nothing is due, the pause is kept for
    // the next failure.
    void disarm() { at.reset(); }
    // A success: the next failure waits the first pause again.
    void reset() {
        pause = std::chrono::seconds{0};
        at.reset();
    }
    bool waiting() const { return at.has_value(); }
    bool due(Time now) const { return at && now >= *at; }
};

}  // namespace sb::router
