// The core's small shared rules, alone: the doubling pause after failures (backoff.h) and the
// one "earliest first" order (earliest_first.h), both once for all the core's machines.
#include "backoff.h"

#include <doctest/doctest.h>

#include "earliest_first.h"

using namespace sb::router;
using namespace std::chrono_literals;

TEST_CASE("backoff: each failure doubles the pause up to the ceiling, a success starts over") {
    const RetryPolicy policy{5s, 60s};
    const Time t0 = Time{} + 1000s;
    struct Row {
        const char* step;  // "fail", "reset", "disarm"
        std::chrono::seconds pause;
        bool waiting;
    };
    const Row rows[] = {
        {"fail", 5s, true},   {"fail", 10s, true}, {"fail", 20s, true},    {"fail", 40s, true},
        {"fail", 60s, true},  {"fail", 60s, true}, {"disarm", 60s, false}, {"fail", 60s, true},
        {"reset", 0s, false}, {"fail", 5s, true},
    };
    Backoff backoff;
    CHECK_FALSE(backoff.waiting());
    CHECK_FALSE(backoff.due(t0 + 1000s));
    for (const Row& row : rows) {
        const std::string step = row.step;
        CAPTURE(step);
        if (step == "fail") backoff.failed(t0, policy);
        if (step == "reset") backoff.reset();
        if (step == "disarm") backoff.disarm();
        CHECK(backoff.pause == row.pause);
        CHECK(backoff.waiting() == row.waiting);
        if (row.waiting) {
            CHECK_FALSE(backoff.due(t0 + row.pause - 1s));
            CHECK(backoff.due(t0 + row.pause));
        }
    }
}

TEST_CASE("earliest first: earlier time, then an unknown time last, then the id") {
    struct Row {
        const char* time_a;
        const char* id_a;
        const char* time_b;
        const char* id_b;
        bool a_first;
    };
    const Row rows[] = {
        {"2026-01-01T00:00:00Z", "z", "2026-01-02T00:00:00Z", "a", true},  // time beats id
        {"2026-01-02T00:00:00Z", "a", "2026-01-01T00:00:00Z", "z", false},
        {"2026-01-01T00:00:00Z", "z", "", "a", true},  // unknown is last
        {"", "a", "2026-01-01T00:00:00Z", "z", false},
        {"not a time", "a", "2026-01-01T00:00:00Z", "z", false},  // unreadable is unknown
        {"2026-01-01T00:00:00Z", "a", "2026-01-01T00:00:00.000Z", "b", true},  // same time: id
        {"2026-01-01T00:00:00Z", "b", "2026-01-01T00:00:00Z", "a", false},
        {"", "a", "", "b", true},  // both unknown: id
        {"", "b", "garbage", "a", false},
        {"", "a", "", "a", false},  // strict: never before itself
    };
    for (const Row& row : rows) {
        const std::string pair =
            std::string(row.time_a) + " " + row.id_a + " | " + row.time_b + " " + row.id_b;
        CAPTURE(pair);
        CHECK(earliest_first(row.time_a, row.id_a, row.time_b, row.id_b) == row.a_first);
    }
}
