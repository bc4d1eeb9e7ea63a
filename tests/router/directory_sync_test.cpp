// Directory sync alone (directory_sync.h): one ListRooms at a time, its pages teaching the
// directory, the periodic re-sync, and the doubling retry after a failure.
#include "directory_sync.h"

#include <doctest/doctest.h>

using namespace sb;
using namespace sb::router;
using namespace std::chrono_literals;

namespace {

constexpr const char* kTeam = "team-agents";

struct SyncRig {
    std::uint64_t state = 0;
    Commands commands{"router", [this] { return ++state; }};
    Directory directory{kTeam};
    DirectorySync sync{directory, kTeam, RetryPolicy{5s, 20s}, 600s};
    Time now = Time{} + 1000s;

    RoomsPage page_of(const Envelope& list, bool last, std::vector<RoomSummary> rooms) const {
        RoomsPage page;
        page.sync_id = list.payload_as<ListRooms>().sync_id;
        page.last = last;
        page.rooms = std::move(rooms);
        return page;
    }
};

RoomSummary summary(std::string id, std::string title) {
    return RoomSummary{std::move(id), std::move(title), "", "2026-01-01T00:00:00Z"};
}

}  // namespace

TEST_CASE("directory sync: pages teach the directory, the last one makes it ready") {
    SyncRig rig;
    const auto list = rig.sync.start(rig.commands);
    REQUIRE(list.has_value());
    CHECK(list->type == event_type::list_rooms);
    CHECK(list->key == "directory");
    CHECK(rig.sync.in_flight());
    CHECK_FALSE(rig.sync.start(rig.commands).has_value());  // one at a time

    RoomsPage stranger = rig.page_of(*list, true, {summary("r9", "2085550111")});
    stranger.sync_id = "another sync";
    CHECK(rig.sync.on_page(stranger, rig.now) == DirectorySync::Page::ignored);
    CHECK(rig.directory.rooms() == 0);

    CHECK(rig.sync.on_page(rig.page_of(*list, false, {summary("r1", "2088675309")}), rig.now) ==
          DirectorySync::Page::more);
    CHECK_FALSE(rig.sync.ready());
    CHECK(rig.sync.on_page(rig.page_of(*list, true, {summary("r2", "General")}), rig.now) ==
          DirectorySync::Page::finished);
    CHECK(rig.sync.ready());
    CHECK_FALSE(rig.sync.in_flight());
    CHECK(rig.directory.room_of("+12088675309")->id == "r1");
    CHECK(rig.directory.general_room()->id == "r2");

    // A page of the finished sync, late: ignored. The next sync is due after the period.
    CHECK(rig.sync.on_page(rig.page_of(*list, true, {}), rig.now) == DirectorySync::Page::ignored);
    CHECK_FALSE(rig.sync.due(rig.now + 599s));
    CHECK(rig.sync.due(rig.now + 600s));
}

TEST_CASE("directory sync: a failed ListRooms is retried after a doubling pause") {
    SyncRig rig;
    struct Row {
        std::chrono::seconds pause;
    };
    const Row rows[] = {{5s}, {10s}, {20s}, {20s}};
    for (const Row& row : rows) {
        const auto list = rig.sync.start(rig.commands);
        REQUIRE(list.has_value());
        CHECK_FALSE(rig.sync.on_failed("not this sync's command", rig.now));
        CHECK(rig.sync.in_flight());
        CHECK(rig.sync.on_failed(list->id, rig.now));
        CHECK_FALSE(rig.sync.in_flight());
        CHECK_FALSE(rig.sync.due(rig.now + row.pause - 1s));
        CHECK(rig.sync.due(rig.now + row.pause));
        rig.now += row.pause;
    }
    // A failure that names no command is taken as the sync's (the gateway could not tell).
    const auto list = rig.sync.start(rig.commands);
    REQUIRE(list.has_value());
    CHECK(rig.sync.on_failed("", rig.now));
    CHECK_FALSE(rig.sync.on_failed("", rig.now));  // none in flight any more
    CHECK_FALSE(rig.sync.ready());

    // Success starts over: the period, then the first pause again after the next failure.
    const auto again = rig.sync.start(rig.commands);
    REQUIRE(again.has_value());
    CHECK(rig.sync.on_page(rig.page_of(*again, true, {}), rig.now) ==
          DirectorySync::Page::finished);
    const auto next = rig.sync.start(rig.commands);
    REQUIRE(next.has_value());
    CHECK(rig.sync.on_failed(next->id, rig.now));
    CHECK(rig.sync.due(rig.now + 5s));
}
