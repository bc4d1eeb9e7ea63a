// Per-segment progress of SendSms commands: the pure decisions as tables, then the journal that
// keeps them across a restart (a file, no sockets).
#include "sms_progress.h"

#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "sms_progress_store.h"

using namespace sb::tropo_gateway;
using json = nlohmann::json;

TEST_CASE("a send begins at the first segment not yet confirmed sent") {
    struct Case {
        const char* what;
        std::optional<SegmentProgress> recorded;
        std::size_t total;
        ResumePoint expected;
    };
    // SegmentProgress{launched, confirmed, total, at}; ResumePoint{first, resumed,
    // split_changed, relaunch}.
    const Case cases[] = {
        {"never begun", std::nullopt, 5, {0, false, false, false}},
        {"recorded with nothing launched",
         SegmentProgress{0, 0, 5, 1},
         5,
         {0, false, false, false}},
        {"first launched, not confirmed", SegmentProgress{1, 0, 5, 1}, 5, {0, false, false, true}},
        {"first confirmed", SegmentProgress{1, 1, 5, 1}, 5, {1, true, false, false}},
        {"two confirmed, the third launched",
         SegmentProgress{3, 2, 5, 1},
         5,
         {2, true, false, true}},
        {"two of five confirmed", SegmentProgress{2, 2, 5, 1}, 5, {2, true, false, false}},
        {"all confirmed, report not yet committed",
         SegmentProgress{5, 5, 5, 1},
         5,
         {5, true, false, false}},
        {"all launched, the last not confirmed",
         SegmentProgress{5, 4, 5, 1},
         5,
         {4, true, false, true}},
        {"a single segment, confirmed", SegmentProgress{1, 1, 1, 1}, 1, {1, true, false, false}},
        {"a single segment, launched only",
         SegmentProgress{1, 0, 1, 1},
         1,
         {0, false, false, true}},
        {"split into more parts now", SegmentProgress{2, 2, 5, 1}, 6, {0, false, true, false}},
        {"split into fewer parts now", SegmentProgress{2, 1, 5, 1}, 3, {0, false, true, false}},
        {"more launched than parts", SegmentProgress{7, 5, 5, 1}, 5, {0, false, true, false}},
        {"more confirmed than launched", SegmentProgress{2, 3, 5, 1}, 5, {0, false, true, false}},
    };
    for (const Case& c : cases) {
        CAPTURE(c.what);
        const ResumePoint got = resume_point(c.recorded, c.total);
        CHECK(got.first == c.expected.first);
        CHECK(got.resumed == c.expected.resumed);
        CHECK(got.split_changed == c.expected.split_changed);
        CHECK(got.relaunch == c.expected.relaunch);
    }
}

TEST_CASE("progress records replay into the table, unreadable ones change nothing") {
    struct Case {
        const char* what;
        std::vector<json> records;
        std::vector<bool> applied;
        ProgressTable expected;
    };
    const auto record = [](const char* id, std::size_t n, std::size_t ok, std::size_t of) {
        return progress_record(id, SegmentProgress{n, ok, of, 100});
    };
    const Case cases[] = {
        {"empty", {}, {}, {}},
        {"one launch", {record("a", 1, 0, 3)}, {true}, {{"a", {1, 0, 3, 100}}}},
        {"launch, confirmation, launch",
         {record("a", 1, 0, 3), record("a", 1, 1, 3), record("a", 2, 1, 3)},
         {true, true, true},
         {{"a", {2, 1, 3, 100}}}},
        {"a segment launched again after a timeout",
         {record("a", 1, 0, 2), record("a", 1, 0, 2), record("a", 1, 1, 2)},
         {true, true, true},
         {{"a", {1, 1, 2, 100}}}},
        {"done forgets", {record("a", 1, 1, 3), done_record("a")}, {true, true}, {}},
        {"done of an unknown command", {done_record("zz")}, {true}, {}},
        {"commands apart",
         {record("a", 1, 1, 2), record("b", 3, 2, 4), done_record("a")},
         {true, true, true},
         {{"b", {3, 2, 4, 100}}}},
        {"a lower count does not go back",
         {record("a", 2, 2, 3), record("a", 1, 1, 3)},
         {true, true},
         {{"a", {2, 2, 3, 100}}}},
        {"a lower confirmed count does not go back",
         {record("a", 2, 2, 3), record("a", 2, 1, 3)},
         {true, true},
         {{"a", {2, 2, 3, 100}}}},
        {"an older record without \"ok\": its launches count as sent",
         {json{{"c", "a"}, {"n", 2}, {"of", 3}, {"at", 100}}},
         {true},
         {{"a", {2, 2, 3, 100}}}},
        {"not an object", {json::array()}, {false}, {}},
        {"no id", {json{{"n", 1}, {"ok", 0}, {"of", 2}, {"at", 1}}}, {false}, {}},
        {"empty id", {json{{"c", ""}, {"n", 1}, {"ok", 0}, {"of", 2}, {"at", 1}}}, {false}, {}},
        {"negative count",
         {json{{"c", "a"}, {"n", -1}, {"ok", 0}, {"of", 2}, {"at", 1}}},
         {false},
         {}},
        {"count as text", {json{{"c", "a"}, {"n", "1"}, {"of", 2}, {"at", 1}}}, {false}, {}},
        {"confirmed as text",
         {json{{"c", "a"}, {"n", 1}, {"ok", "1"}, {"of", 2}, {"at", 1}}},
         {false},
         {}},
        {"more confirmed than launched",
         {json{{"c", "a"}, {"n", 1}, {"ok", 2}, {"of", 2}, {"at", 1}}},
         {false},
         {}},
        {"no total", {json{{"c", "a"}, {"n", 1}, {"ok", 0}, {"at", 1}}}, {false}, {}},
        {"more than the total",
         {json{{"c", "a"}, {"n", 3}, {"ok", 0}, {"of", 2}, {"at", 1}}},
         {false},
         {}},
        {"done: false",
         {record("a", 1, 1, 2), json{{"c", "a"}, {"done", false}}},
         {true, false},
         {{"a", {1, 1, 2, 100}}}},
    };
    for (const Case& c : cases) {
        const std::string what = c.what;
        CAPTURE(what);
        ProgressTable table;
        for (std::size_t i = 0; i < c.records.size(); ++i) {
            CHECK(apply_progress_record(table, c.records[i]) == c.applied[i]);
        }
        REQUIRE(table.size() == c.expected.size());
        for (const auto& row : c.expected) {
            // Not a structured binding: C++17 lets no lambda (CAPTURE's) capture one.
            const auto& id = row.first;
            const auto& progress = row.second;
            CAPTURE(id);
            REQUIRE(table.count(id) == 1);
            CHECK(table.at(id).launched == progress.launched);
            CHECK(table.at(id).confirmed == progress.confirmed);
            CHECK(table.at(id).total == progress.total);
            CHECK(table.at(id).at == progress.at);
        }
    }
}

TEST_CASE("leftover entries are dropped once older than the limit, live ones kept") {
    const ProgressTable table{
        {"old", {1, 1, 3, 1000}}, {"edge", {1, 1, 3, 4000}}, {"new", {2, 1, 3, 4999}}};
    const ProgressTable live = live_entries(table, 5000, 1000);
    CHECK(live.count("old") == 0);
    CHECK(live.count("edge") == 1);
    CHECK(live.count("new") == 1);
    CHECK(live_entries(table, 5000, 10000).size() == 3);
}

namespace {

std::filesystem::path temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "sms-progress-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    return pattern;
}

}  // namespace

TEST_CASE(
    "the progress store keeps launches and confirmations across a reopen, forgets reported "
    "commands") {
    const auto dir = temp_dir();
    const auto path = SmsProgressStore::path_for(dir.string(), "tropo-gateway");
    CHECK(path.filename() == "tropo-gateway.sms-progress.journal");
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    {
        SmsProgressStore store(path);
        CHECK(store.size() == 0);
        store.record("cmd-1", {1, 0, 4, now});
        store.record("cmd-1", {1, 1, 4, now});
        store.record("cmd-1", {2, 1, 4, now});
        store.record("cmd-2", {1, 1, 2, now});
        store.record("cmd-3", {3, 3, 3, now});
        store.forget("cmd-2");
        CHECK_FALSE(store.find("cmd-2"));
        REQUIRE(store.find("cmd-1"));
        CHECK(store.find("cmd-1")->launched == 2);
        CHECK(store.find("cmd-1")->confirmed == 1);
    }
    {
        SmsProgressStore store(path);  // what a restarted gateway reads
        CHECK(store.size() == 2);
        REQUIRE(store.find("cmd-1"));
        // The second segment was launched, never confirmed: it goes again.
        CHECK(resume_point(store.find("cmd-1"), 4).first == 1);
        CHECK(resume_point(store.find("cmd-1"), 4).relaunch);
        REQUIRE(store.find("cmd-3"));
        CHECK(resume_point(store.find("cmd-3"), 3).first == 3);
        CHECK_FALSE(store.find("cmd-2"));
        store.forget("cmd-1");
        store.forget("cmd-3");
    }
    {
        SmsProgressStore store(path);
        CHECK(store.size() == 0);
    }
    // Opening compacts: what is left is the live entries only.
    CHECK(std::filesystem::file_size(path) == 0);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a second store on the same file is refused: one gateway instance per journal") {
    const auto dir = temp_dir();
    const auto path = SmsProgressStore::path_for(dir.string(), "tropo-gateway");
    SmsProgressStore first(path);
    CHECK_THROWS(SmsProgressStore(path));
    std::filesystem::remove_all(dir);
}
