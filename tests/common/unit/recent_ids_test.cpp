#include "switchboard/recent_ids.h"

#include <doctest/doctest.h>

#include <string>

using sb::RecentIds;

TEST_CASE("recent ids: a second insert of an id reports it as seen") {
    RecentIds ids(10);
    CHECK(ids.insert("a"));
    CHECK(ids.insert("b"));
    CHECK_FALSE(ids.insert("a"));
    CHECK(ids.contains("a"));
    CHECK_FALSE(ids.contains("c"));
    CHECK(ids.size() == 2);
}

TEST_CASE("recent ids: past the capacity the oldest is forgotten, in insertion order") {
    RecentIds ids(3);
    for (const char* id : {"1", "2", "3", "4"}) CHECK(ids.insert(id));
    CHECK(ids.size() == 3);
    CHECK_FALSE(ids.contains("1"));
    // A repeat does not refresh an id: "2" is still the oldest and goes next.
    CHECK_FALSE(ids.insert("2"));
    CHECK(ids.insert("5"));
    CHECK_FALSE(ids.contains("2"));
    CHECK(ids.contains("3"));
    // A forgotten id counts as new again.
    CHECK(ids.insert("1"));
    CHECK_FALSE(ids.contains("3"));
}
