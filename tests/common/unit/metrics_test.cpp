#include "switchboard/metrics.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

using namespace sb;
using namespace std::chrono_literals;

TEST_CASE("a scrape reading a gauge never deadlocks with a service counting under its own lock") {
    // The router's shape: its gauges take the core's lock, and its handler adds to counters
    // while holding that lock.
    Metrics metrics;
    std::timed_mutex core;
    std::atomic<bool> gauge_entered{false};
    metrics.gauge("queue_depth", "Work waiting", [&] {
        gauge_entered = true;
        // Bounded, so that a regression fails this test instead of hanging it.
        std::unique_lock lock(core, std::defer_lock);
        return lock.try_lock_for(10s) ? 1.0 : -1.0;
    });
    Counter& handled = metrics.counter("handled_total", "Events handled");

    std::unique_lock handler_holds(core);
    auto scrape = std::async(std::launch::async, [&] { return metrics.render(); });
    while (!gauge_entered) std::this_thread::yield();  // the scrape now waits for `core`
    auto counting = std::async(std::launch::async,
                               [&] { metrics.counter("handled_total", "Events handled").add(); });
    CHECK(counting.wait_for(5s) == std::future_status::ready);  // not stuck behind the scrape
    handler_holds.unlock();
    counting.wait();
    const std::string text = scrape.get();
    CHECK(text.find("switchboard_queue_depth 1") != std::string::npos);
    CHECK(handled.value() == 1);
}
