// One room per customer alone (room_requests.h): at most one CreateRoom in flight, its retry
// after a failure, and the welcome owed to a customer who wrote.
#include "room_requests.h"

#include <doctest/doctest.h>

using namespace sb;
using namespace sb::router;
using namespace std::chrono_literals;

namespace {

constexpr const char* kAna = "+12088675309";

struct RoomsRig {
    std::uint64_t state = 0;
    Commands commands{"router", [this] { return ++state; }};
    RoomRequests rooms{RetryPolicy{5s, 60s}};
    Time now = Time{} + 1000s;
};

}  // namespace

TEST_CASE("room requests: one CreateRoom in flight, titled for the customer, until answered") {
    RoomsRig rig;
    CHECK_FALSE(rig.rooms.serves(kAna));
    rig.rooms.serve(kAna);
    rig.rooms.want(kAna);
    CHECK(rig.rooms.wanted(kAna));
    CHECK_FALSE(rig.rooms.in_flight(kAna));
    const Envelope create = rig.rooms.request(kAna, rig.commands);
    CHECK(create.type == event_type::create_room);
    CHECK(create.key == kAna);
    const auto payload = create.payload_as<CreateRoom>();
    CHECK(payload.customer == kAna);
    CHECK(payload.title == "2088675309");
    CHECK(rig.rooms.in_flight(kAna));

    rig.rooms.created(kAna);
    CHECK_FALSE(rig.rooms.in_flight(kAna));
    CHECK(rig.rooms.wanted(kAna));  // until its room is placed in the directory
    rig.rooms.placed(kAna);
    CHECK_FALSE(rig.rooms.wanted(kAna));
    CHECK_FALSE(rig.rooms.failed(create.id, rig.now));  // answered: no longer ours
}

TEST_CASE("room requests: a failure or a misplaced room waits a doubling pause") {
    RoomsRig rig;
    rig.rooms.want(kAna);
    const Envelope first = rig.rooms.request(kAna, rig.commands);
    CHECK_FALSE(rig.rooms.failed("someone else's", rig.now));
    CHECK(rig.rooms.failed(first.id, rig.now));
    CHECK_FALSE(rig.rooms.in_flight(kAna));
    CHECK(rig.rooms.retry_waiting(kAna));
    CHECK_FALSE(rig.rooms.retry_due(rig.now + 4s));
    CHECK(rig.rooms.retry_due(rig.now + 5s));

    rig.rooms.request(kAna, rig.commands);  // the retry: nothing due while it is in flight
    CHECK_FALSE(rig.rooms.retry_waiting(kAna));
    rig.rooms.created(kAna);
    rig.rooms.unplaced(kAna, rig.now);  // its title did not name the customer
    CHECK_FALSE(rig.rooms.retry_due(rig.now + 9s));
    CHECK(rig.rooms.retry_due(rig.now + 10s));
    rig.rooms.placed(kAna);
    CHECK_FALSE(rig.rooms.retry_due(rig.now + 1000s));
    rig.rooms.unplaced(kAna, rig.now);
    CHECK(rig.rooms.retry_due(rig.now + 5s));  // placed reset the pause
}

TEST_CASE("room requests: the welcome is owed once, to a customer who wrote") {
    RoomsRig rig;
    CHECK_FALSE(rig.rooms.owes_welcome(kAna));
    rig.rooms.serve(kAna);
    CHECK_FALSE(rig.rooms.owes_welcome(kAna));  // a call alone
    rig.rooms.texted(kAna);
    CHECK(rig.rooms.owes_welcome(kAna));
    rig.rooms.welcomed(kAna);
    CHECK_FALSE(rig.rooms.owes_welcome(kAna));
    rig.rooms.texted(kAna);
    CHECK_FALSE(rig.rooms.owes_welcome(kAna));
}
