// tropo-gateway's send pool: one customer's SMS in order, different customers side by side.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "keyed_pool.h"

using sb::tropo_gateway::KeyedPool;

namespace {
constexpr auto kDeadline = std::chrono::seconds(10);
}

TEST_CASE("keyed pool: tasks of one key run in submission order, never two at once") {
    std::mutex mutex;
    std::condition_variable done_cv;
    std::vector<int> order;
    int running = 0;
    int most_running = 0;
    {
        KeyedPool pool(4);
        for (int i = 0; i < 200; ++i) {
            REQUIRE(pool.submit("+15551230001", [&, i] {
                {
                    std::lock_guard lock(mutex);
                    most_running = std::max(most_running, ++running);
                }
                std::lock_guard lock(mutex);
                --running;
                order.push_back(i);
                done_cv.notify_all();
            }));
        }
        std::unique_lock lock(mutex);
        REQUIRE(done_cv.wait_for(lock, kDeadline, [&] { return order.size() == 200; }));
    }
    CHECK(most_running == 1);
    for (int i = 0; i < 200; ++i) CHECK(order[static_cast<size_t>(i)] == i);
}

TEST_CASE("keyed pool: a blocked key does not hold up another key") {
    std::mutex mutex;
    std::condition_variable changed;
    bool other_ran = false;
    bool first_saw_other = false;
    bool first_done = false;
    KeyedPool pool(2);
    // The first customer's send waits until the second's has run: with one send at a time this
    // would time out.
    pool.submit("+15551230001", [&] {
        std::unique_lock lock(mutex);
        first_saw_other = changed.wait_for(lock, kDeadline, [&] { return other_ran; });
        first_done = true;
        changed.notify_all();
    });
    pool.submit("+15551230002", [&] {
        std::lock_guard lock(mutex);
        other_ran = true;
        changed.notify_all();
    });
    {
        std::unique_lock lock(mutex);
        REQUIRE(changed.wait_for(lock, 2 * kDeadline, [&] { return first_done; }));
    }
    CHECK(other_ran);
    CHECK(first_saw_other);
}

TEST_CASE("keyed pool: after stop nothing new is taken") {
    KeyedPool pool(1);
    pool.stop();
    bool ran = false;
    CHECK_FALSE(pool.submit("+15551230001", [&] { ran = true; }));
    pool.join();
    CHECK_FALSE(ran);
}
