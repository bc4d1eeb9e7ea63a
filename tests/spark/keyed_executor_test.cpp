// spark-gateway's KeyedExecutor: per-key order, keys side by side, and barriers (ListRooms).
// Real threads, no sockets.
#include "keyed_executor.h"

#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "process.h"

using namespace sb::spark_gateway;
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
    KeyedExecutor executor(4);
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
    KeyedExecutor executor(4);
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
    "keyed executor: a barrier with nothing before it runs at once; a throwing one "
    "releases the rest") {
    KeyedExecutor executor(2);
    Log log;
    executor.submit_barrier([&] {
        log.add("barrier");
        throw std::runtime_error("boom");
    });
    executor.submit("a", [&] { log.add("a"); });
    REQUIRE(wait_until([&] { return log.size() == 2; }, 5s));
    CHECK(log.entries() == std::vector<std::string>{"barrier", "a"});
}
