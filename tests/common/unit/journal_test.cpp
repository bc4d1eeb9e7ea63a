#include "switchboard/journal.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "process.h"

using namespace sb;
using nlohmann::json;

namespace {

std::vector<json> reopen(const std::filesystem::path& path) {
    std::vector<json> records;
    Journal journal(path, records);
    return records;
}

}  // namespace

TEST_CASE("synced records survive a reopen, in order") {
    const auto path = std::filesystem::path(testing::make_temp_dir("journal")) / "a.journal";
    {
        std::vector<json> records;
        Journal journal(path, records);
        CHECK(records.empty());
        std::uint64_t last = 0;
        for (int i = 0; i < 100; ++i) last = journal.append({{"n", i}});
        journal.sync(last);
    }
    const auto records = reopen(path);
    REQUIRE(records.size() == 100);
    CHECK(records.front()["n"] == 0);
    CHECK(records.back()["n"] == 99);
}

TEST_CASE("a torn or corrupt tail is cut, and what came before is kept") {
    const auto path = std::filesystem::path(testing::make_temp_dir("journal")) / "b.journal";
    {
        std::vector<json> records;
        Journal journal(path, records);
        journal.sync(journal.append({{"n", 1}}));
        journal.sync(journal.append({{"n", 2}}));
    }
    SUBCASE("a half-written last line") {
        std::ofstream(path, std::ios::app) << Journal::frame({{"n", 3}}).substr(0, 12);
    }
    SUBCASE("a line whose checksum does not match") {
        std::string framed = Journal::frame({{"n", 3}});
        framed[12] = framed[12] == '3' ? '4' : '3';
        std::ofstream(path, std::ios::app) << framed;
    }
    SUBCASE("garbage") {
        std::ofstream(path, std::ios::app) << "\x01\x02 not a record\n";
    }
    const auto records = reopen(path);
    REQUIRE(records.size() == 2);
    CHECK(records[1]["n"] == 2);
    // The cut tail is gone from the file, so new appends follow the intact records.
    {
        std::vector<json> again;
        Journal journal(path, again);
        journal.sync(journal.append({{"n", 4}}));
    }
    const auto after = reopen(path);
    REQUIRE(after.size() == 3);
    CHECK(after[2]["n"] == 4);
}

TEST_CASE("concurrent writers share syncs and lose nothing") {
    const auto path = std::filesystem::path(testing::make_temp_dir("journal")) / "c.journal";
    {
        std::vector<json> records;
        Journal journal(path, records);
        std::vector<std::thread> writers;
        writers.reserve(4);
        for (int w = 0; w < 4; ++w) {
            writers.emplace_back([&journal, w] {
                for (int i = 0; i < 50; ++i) journal.sync(journal.append({{"w", w}, {"i", i}}));
            });
        }
        for (auto& writer : writers) writer.join();
    }
    const auto records = reopen(path);
    CHECK(records.size() == 200);
}

TEST_CASE("rewrite replaces the content atomically") {
    const auto path = std::filesystem::path(testing::make_temp_dir("journal")) / "d.journal";
    {
        std::vector<json> records;
        Journal journal(path, records);
        for (int i = 0; i < 10; ++i) journal.sync(journal.append({{"n", i}}));
        journal.rewrite({{{"snapshot", true}}});
        journal.sync(journal.append({{"n", 10}}));
        CHECK(journal.size_bytes() < 100);
    }
    const auto records = reopen(path);
    REQUIRE(records.size() == 2);
    CHECK(records[0]["snapshot"] == true);
    CHECK(records[1]["n"] == 10);
}

TEST_CASE("a second user of the same journal is refused with a clear message") {
    const auto path = std::filesystem::path(testing::make_temp_dir("journal")) / "e.journal";
    std::vector<json> records;
    Journal first(path, records);
    CHECK_THROWS_WITH_AS(Journal(path, records),
                         doctest::Contains("give each instance its own INSTANCE_ID"),
                         std::runtime_error);
}
