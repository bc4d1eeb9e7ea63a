// KeyedExecutor: per-key order, keys side by side, barriers (spark-gateway's ListRooms), and
// stopping. Real threads, no sockets.
#include "switchboard/keyed_executor.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "process.h"

using sb::KeyedExecutor;
using namespace std::chrono_literals;
using sb::testing::wait_until;

namespace {

class Log {
  public:
    void add(const std::string& entry) {
        std::lock_guard lock(mutex_);
        entries_.push_back(entry);
    }
    std::vector<std::string> entries() const {
        std::lock_guard lock(mutex_);
        return entries_;
    }
    size_t size() const { return entries().size(); }

  private:
    mutable std::mutex mutex_;
    std::vector<std::string> entries_;
};

}  // namespace

TEST_CASE("keyed executor: different keys overtake a slow key, one key keeps its order") {
    KeyedExecutor executor(4, "test");
    Log log;
    std::atomic<bool> gate{false};
    executor.submit("slow", [&] {
        wait_until([&] { return gate.load(); }, 10s);
        log.add("slow-1");
    });
    executor.submit("slow", [&] { log.add("slow-2"); });
    executor.submit("fast", [&] { log.add("fast"); });
    // Without a barrier the other key runs while the slow one is blocked.
    REQUIRE(wait_until([&] { return log.size() == 1; }, 5s));
    CHECK(log.entries() == std::vector<std::string>{"fast"});
    gate = true;
    REQUIRE(wait_until([&] { return log.size() == 3; }, 5s));
    CHECK(log.entries() == std::vector<std::string>{"fast", "slow-1", "slow-2"});
}

TEST_CASE("keyed executor: a barrier starts after everything before it, and holds what follows") {
    KeyedExecutor executor(4, "test");
    Log log;
    std::atomic<bool> gate{false};
    std::atomic<bool> later_started{false};
    executor.submit("create-room", [&] {
        // Slow (a 429 storm): the barrier and the later command must not start meanwhile.
        // Waits for a later task to overtake; it never does when the barrier holds.
        wait_until([&] { return later_started.load() || gate.load(); }, 10s);
        log.add(later_started ? "create-room (overtaken)" : "create-room");
    });
    executor.submit("post", [&] { log.add("post"); });
    executor.submit_barrier([&] { log.add("list-rooms"); });
    executor.submit("later", [&] {
        later_started = true;
        log.add("later");
    });
    executor.submit_barrier([&] { log.add("list-rooms-2"); });
    executor.submit("last", [&] { log.add("last"); });

    REQUIRE(wait_until([&] { return log.size() == 1; }, 5s));
    CHECK(log.entries() == std::vector<std::string>{"post"});
    // The barrier and everything after it wait for the slow task on the other key.
    CHECK_FALSE(wait_until([&] { return log.size() > 1; }, 300ms));
    CHECK(executor.queued() == 4);  // the barrier + three held
    gate = true;
    REQUIRE(wait_until([&] { return log.size() == 6; }, 5s));
    CHECK(log.entries() == std::vector<std::string>{"post", "create-room", "list-rooms", "later",
                                                    "list-rooms-2", "last"});
    CHECK(executor.queued() == 0);
}

TEST_CASE(
    "keyed executor: a barrier with nothing before it runs at once, and a throwing one "
    "releases the rest") {
    KeyedExecutor executor(2, "test");
    Log log;
    executor.submit_barrier([&] {
        log.add("barrier");
        throw std::runtime_error("boom");
    });
    executor.submit("a", [&] { log.add("a"); });
    REQUIRE(wait_until([&] { return log.size() == 2; }, 5s));
    CHECK(log.entries() == std::vector<std::string>{"barrier", "a"});
}

TEST_CASE("keyed executor: tasks of one key run in submission order, never two at once") {
    std::mutex mutex;
    std::condition_variable done_cv;
    std::vector<int> order;
    int running = 0;
    int most_running = 0;
    {
        KeyedExecutor executor(4, "test");
        for (int i = 0; i < 200; ++i) {
            REQUIRE(executor.submit("+15551230001", [&, i] {
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
        REQUIRE(done_cv.wait_for(lock, 10s, [&] { return order.size() == 200; }));
    }
    CHECK(most_running == 1);
    for (int i = 0; i < 200; ++i) CHECK(order[static_cast<size_t>(i)] == i);
}

TEST_CASE("keyed executor: a blocked key does not hold up another key") {
    std::mutex mutex;
    std::condition_variable changed;
    bool other_ran = false;
    bool first_saw_other = false;
    bool first_done = false;
    KeyedExecutor executor(2, "test");
    // The first key's task waits until the second's has run: with one task at a time this
    // would time out.
    executor.submit("+15551230001", [&] {
        std::unique_lock lock(mutex);
        first_saw_other = changed.wait_for(lock, 10s, [&] { return other_ran; });
        first_done = true;
        changed.notify_all();
    });
    executor.submit("+15551230002", [&] {
        std::lock_guard lock(mutex);
        other_ran = true;
        changed.notify_all();
    });
    {
        std::unique_lock lock(mutex);
        REQUIRE(changed.wait_for(lock, 20s, [&] { return first_done; }));
    }
    CHECK(other_ran);
    CHECK(first_saw_other);
}

TEST_CASE("keyed executor: after stop nothing new is taken") {
    KeyedExecutor executor(1, "test");
    executor.stop();
    bool ran = false;
    CHECK_FALSE(executor.submit("+15551230001", [&] { ran = true; }));
    CHECK_FALSE(executor.submit_barrier([&] { ran = true; }));
    executor.join();
    CHECK_FALSE(ran);
}

TEST_CASE("keyed executor: stop drops what is queued and lets the running task finish") {
    KeyedExecutor executor(1, "test");
    std::atomic<bool> gate{false};
    std::atomic<bool> first_done{false};
    std::atomic<bool> second_ran{false};
    std::atomic<bool> started{false};
    executor.submit("a", [&] {
        started = true;
        wait_until([&] { return gate.load(); }, 10s);
        first_done = true;
    });
    executor.submit("a", [&] { second_ran = true; });
    REQUIRE(wait_until([&] { return started.load(); }, 5s));
    executor.stop();  // returns at once, with the first task still running
    CHECK_FALSE(first_done);
    gate = true;
    executor.join();
    CHECK(first_done);
    CHECK_FALSE(second_ran);
}
