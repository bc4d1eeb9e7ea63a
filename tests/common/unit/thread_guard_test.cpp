// No exception escapes a thread: what reaches the top of a pool task is noted and the pool goes
// on; what ends a guarded thread's body is noted and stops the service cleanly. Real threads.
#include "switchboard/thread_guard.h"

#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "process.h"
#include "switchboard/keyed_executor.h"
#include "switchboard/shutdown.h"

using namespace sb;
using namespace std::chrono_literals;

TEST_CASE("a pool task that throws anything is noted, and the next task of its key still runs") {
    const std::uint64_t before = exceptions_caught();
    std::atomic<int> ran{0};
    KeyedExecutor pool(2, "test pool");
    REQUIRE(pool.submit("k", [] { throw std::runtime_error("a task that fails"); }));
    REQUIRE(pool.submit("k", [] { throw 42; }));  // not a std::exception: std::terminate on main
    REQUIRE(pool.submit("k", [&] { ++ran; }));
    REQUIRE(testing::wait_until([&] { return ran == 1; }, 5s));
    CHECK(exceptions_caught() == before + 2);
}

// Last in this file: it requests the shutdown of this (test) process, which nothing here waits on.
TEST_CASE("a guarded thread that throws is noted and asks the service to stop") {
    const std::uint64_t before = exceptions_caught();
    CHECK_FALSE(shutdown::requested());
    std::thread thread([] { run_guarded("test thread", [] { throw 7; }); });
    thread.join();  // ended, not terminated
    CHECK(exceptions_caught() == before + 1);
    CHECK(shutdown::requested());
    bool ran = false;
    run_guarded("a body that returns", [&] { ran = true; });
    CHECK(ran);
    CHECK(exceptions_caught() == before + 1);
}
