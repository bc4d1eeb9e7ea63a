// The HTTP edge's handler pool: grows with demand up to its cap, queues past it, shrinks when idle.
#include "switchboard/elastic_pool.h"

#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "process.h"

using namespace std::chrono_literals;
using sb::ElasticPool;
using sb::testing::wait_until;

TEST_CASE("the pool starts threads as jobs need them, up to its cap, and lets them go when idle") {
    ElasticPool pool(4, /*idle_before_exit=*/100ms);
    CHECK(pool.threads() == 0);
    std::mutex mutex;
    std::condition_variable released;
    bool release = false;
    std::atomic<int> started{0};
    std::atomic<int> finished{0};
    for (int i = 0; i < 6; ++i) {
        pool.submit([&] {
            ++started;
            std::unique_lock lock(mutex);
            released.wait(lock, [&] { return release; });
            ++finished;
        });
    }
    // Four run at once; the other two wait for a free thread rather than a fifth being started.
    REQUIRE(wait_until([&] { return started == 4; }, 5s));
    CHECK(pool.threads() == 4);
    CHECK(started == 4);
    {
        std::lock_guard lock(mutex);
        release = true;
    }
    released.notify_all();
    REQUIRE(wait_until([&] { return finished == 6; }, 5s));
    // Idle threads end; the pool comes back when there is work again.
    CHECK(wait_until([&] { return pool.threads() == 0; }, 5s));
    std::atomic<bool> ran{false};
    pool.submit([&] { ran = true; });
    CHECK(wait_until([&] { return ran.load(); }, 5s));
    pool.shutdown();
}

TEST_CASE("shutdown runs what was queued and joins, a job that throws does not end its thread") {
    std::atomic<int> ran{0};
    {
        ElasticPool pool(2);
        pool.submit([] { throw std::runtime_error("handler failed"); });
        for (int i = 0; i < 10; ++i) pool.submit([&] { ++ran; });
        pool.shutdown();
        CHECK(ran == 10);
        pool.submit([&] { ++ran; });  // after shutdown: not run
    }
    CHECK(ran == 10);
}
