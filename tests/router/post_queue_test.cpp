// The per-customer post queue alone (post_queue.h): one post at a time per customer, in order;
// a failure keeps the message first in line; what an earlier life posted is not posted again.
#include "post_queue.h"

#include <doctest/doctest.h>

using namespace sb;
using namespace sb::router;
using namespace std::chrono_literals;

namespace {

constexpr const char* kAna = "+12088675309";

struct QueueRig {
    std::uint64_t state = 0;
    Commands commands{"router", [this] { return ++state; }};
    EarlierPosts earlier{100};
    PostQueue queue{RetryPolicy{5s, 60s}, "+18005550199"};
    RoomInfo room{"r1", "Ana 2088675309", "", kAna, 0};
    Time now = Time{} + 1000s;

    void push(std::uint64_t seq, std::string text, std::string channel = "sms") {
        CustomerMessage message;
        message.customer = kAna;
        message.channel = std::move(channel);
        message.text = std::move(text);
        message.received_at = "2026-05-01T10:00:00.000Z";
        queue.push(kAna, EventRef{"stream", seq}, "evt-" + std::to_string(seq), message);
    }
    PostQueue::Pumped pump(const RoomInfo* where) {
        return queue.pump(kAna, where, earlier, commands);
    }
    static std::string text_of(const PostQueue::Pumped& pumped) {
        REQUIRE(pumped.post.has_value());
        return pumped.post->payload_as<PostMessage>().markdown;
    }
};

}  // namespace

TEST_CASE("post queue: one post at a time, in arrival order, each message completed once shown") {
    QueueRig rig;
    rig.push(1, "first");
    rig.push(2, "second");
    CHECK(rig.queue.held() == 2);
    CHECK_FALSE(rig.pump(nullptr).post.has_value());  // no room known: everything waits

    const auto one = rig.pump(&rig.room);
    CHECK(QueueRig::text_of(one).find("first") != std::string::npos);
    CHECK(one.post->payload_as<PostMessage>().room_id == "r1");
    CHECK(one.post->id.rfind("post.0.", 0) == 0);  // names its part and its event
    CHECK(one.post->id.find(".evt-1") != std::string::npos);
    CHECK(one.shown == 1);
    CHECK(one.text_shown);
    CHECK(rig.queue.owns(one.post->id));
    CHECK_FALSE(rig.pump(&rig.room).post.has_value());  // the first is in flight

    CHECK(rig.queue.posted(one.post->id) == std::optional<std::string>(kAna));
    CHECK_FALSE(rig.queue.owns(one.post->id));
    const auto two = rig.pump(&rig.room);
    REQUIRE(two.complete.size() == 1);
    CHECK(two.complete[0].seq == 1);
    CHECK(QueueRig::text_of(two).find("second") != std::string::npos);

    CHECK(rig.queue.posted(two.post->id).has_value());
    const auto done = rig.pump(&rig.room);
    CHECK_FALSE(done.post.has_value());
    REQUIRE(done.complete.size() == 1);
    CHECK(done.complete[0].seq == 2);
    CHECK(rig.queue.held() == 0);
    CHECK(rig.queue.empty(kAna));
    CHECK_FALSE(rig.queue.posted("a stranger's id").has_value());
}

TEST_CASE("post queue: a failed post stays first in line and is retried after a doubling pause") {
    QueueRig rig;
    rig.push(1, "first");
    rig.push(2, "second");
    const auto sent = rig.pump(&rig.room);
    const auto failed = rig.queue.failed(sent.post->id);
    REQUIRE(failed.has_value());
    CHECK(failed->customer == kAna);
    CHECK(failed->room_id == "r1");
    CHECK_FALSE(rig.queue.failed(sent.post->id).has_value());  // answered already

    rig.queue.retry_later(kAna, rig.now);
    CHECK(rig.queue.retry_waiting(kAna));
    CHECK_FALSE(rig.pump(&rig.room).post.has_value());  // nothing overtakes it meanwhile
    CHECK(rig.queue.retries_due(rig.now + 4s).empty());
    CHECK(rig.queue.retries_due(rig.now + 5s) == std::vector<std::string>{kAna});
    CHECK_FALSE(rig.queue.retry_waiting(kAna));

    const auto again = rig.pump(&rig.room);
    CHECK(QueueRig::text_of(again).find("first") != std::string::npos);
    CHECK(again.shown == 0);  // counted once, when first shown
    CHECK(again.post->id != sent.post->id);

    // A second failure doubles the pause; a success resets it.
    REQUIRE(rig.queue.failed(again.post->id).has_value());
    rig.queue.retry_later(kAna, rig.now);
    CHECK(rig.queue.retries_due(rig.now + 9s).empty());
    CHECK(rig.queue.retries_due(rig.now + 10s).size() == 1);
    const auto third = rig.pump(&rig.room);
    CHECK(rig.queue.posted(third.post->id).has_value());
    const auto next = rig.pump(&rig.room);  // "second"
    REQUIRE(rig.queue.failed(next.post->id).has_value());
    rig.queue.retry_later(kAna, rig.now);
    CHECK(rig.queue.retries_due(rig.now + 5s).size() == 1);
}

TEST_CASE("post queue: parts an earlier life posted are skipped, a call is not awaiting answer") {
    QueueRig rig;
    rig.push(1, "first");
    rig.earlier.note("post.0.oldnonce.evt-1");  // its only part is already in the room
    const auto pumped = rig.pump(&rig.room);
    CHECK_FALSE(pumped.post.has_value());
    REQUIRE(pumped.complete.size() == 1);
    CHECK(pumped.shown == 1);
    CHECK(rig.earlier.posted("evt-1") == 0);  // let go with its message

    rig.push(2, "", "voice");
    const auto call = rig.pump(&rig.room);
    CHECK(call.post.has_value());
    CHECK(call.shown == 1);
    CHECK_FALSE(call.text_shown);
    CHECK(rig.queue.customers_waiting() == std::vector<std::string>{kAna});
}
