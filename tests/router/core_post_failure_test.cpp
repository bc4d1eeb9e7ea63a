// A customer's post that fails is never lost: it stays held, is retried (or re-posted in a new
// room when the old one is gone), and nothing behind it overtakes it.
#include <doctest/doctest.h>

#include "core_harness.h"
#include "room_text.h"

using namespace sb;
using namespace sb::router;
using namespace sb::router::testing;

namespace {

const std::string kNumber = "+12085550111";

// A customer with room r1, posts answered by hand.
Harness known_customer(Settings settings = test_settings()) {
    Harness h(std::move(settings));
    h.confirm_posts = false;
    h.start_with({room("r1", "Ana 2085550111"), room("general", "General")});
    return h;
}

std::vector<PostMessage> posts_since(const Harness& h, size_t since) {
    return h.payloads<PostMessage>(event_type::post_message, since);
}

bool shows(const PostMessage& post, const std::string& text) {
    return post.markdown.find(text) != std::string::npos;
}

// Answers the in-flight post (the latest PostMessage) until none is left; returns how many.
int confirm_all(Harness& h) {
    int answered = 0;
    size_t seen = 0;
    while (h.commands(event_type::post_message).size() > seen) {
        seen = h.commands(event_type::post_message).size();
        h.answer_post(h.latest(event_type::post_message));
        ++answered;
    }
    return answered;
}

}  // namespace

TEST_CASE("posts go one at a time per customer, each message completes with its MessagePosted") {
    Harness h = known_customer();
    const size_t before = h.published.size();
    for (const char* text : {"one", "two", "three"}) {
        h.send(event_type::customer_message, sms(kNumber, text));
        CHECK(h.last.hold);
    }
    REQUIRE(posts_since(h, before).size() == 1);  // the others wait for its result
    CHECK(h.pending.size() == 3);

    h.answer_post(h.latest(event_type::post_message));
    CHECK(h.last.complete.size() == 1);  // "one" completes with its result, not before
    CHECK(h.pending.size() == 2);
    CHECK(confirm_all(h) == 2);
    const auto posts = posts_since(h, before);
    REQUIRE(posts.size() == 3);
    CHECK(shows(posts[0], "one"));
    CHECK(shows(posts[1], "two"));
    CHECK(shows(posts[2], "three"));
    CHECK(h.pending.empty());
    CHECK(h.core->held() == 0);
}

TEST_CASE("a post that finds the room gone: one new room, everything re-posted there in order") {
    for (const int status : {404, 403, 410}) {
        CAPTURE(status);
        Harness h = known_customer();
        const size_t before = h.published.size();
        for (const char* text : {"one", "two", "three"}) {
            h.send(event_type::customer_message, sms(kNumber, text));
        }
        h.fail_post(h.latest(event_type::post_message), status, "room not found");
        CHECK(h.core->directory().room_of(kNumber) == nullptr);  // r1 is dropped
        const auto creates = h.payloads<CreateRoom>(event_type::create_room, before);
        REQUIRE(creates.size() == 1);
        CHECK(creates[0].customer == kNumber);
        CHECK(h.pending.size() == 3);  // nothing lost meanwhile

        // More arrive while the room is being made: one CreateRoom still.
        h.send(event_type::customer_message, sms(kNumber, "four"));
        CHECK(h.commands(event_type::create_room, before).size() == 1);
        CHECK(posts_since(h, before).size() == 1);  // only the failed attempt so far

        h.create_room_answer(kNumber, "r2");
        confirm_all(h);
        const auto posts = posts_since(h, before);
        REQUIRE(posts.size() == 5);  // the failed attempt, then four in the new room
        CHECK(posts[0].room_id == "r1");
        const char* expected[] = {"one", "two", "three", "four"};
        for (size_t i = 0; i < 4; ++i) {
            CHECK(posts[i + 1].room_id == "r2");
            CHECK(shows(posts[i + 1], expected[i]));
        }
        CHECK(h.pending.empty());
        CHECK(h.commands(event_type::send_sms, before).empty());  // not a new customer: no welcome
        CHECK(h.core->counters().rooms_gone == 1);

        // A listing that still names the old room does not send the customer back there.
        h.tick(600s);
        h.answer_sync({{room("r1", "Ana 2085550111"), room("r2", "2085550111")}});
        const size_t after = h.published.size();
        h.send(event_type::customer_message, sms(kNumber, "five"));
        REQUIRE(posts_since(h, after).size() == 1);
        CHECK(posts_since(h, after)[0].room_id == "r2");
    }
}

TEST_CASE("a post refused for now is retried with backoff, posted once, order kept") {
    struct Row {
        int status;
        const char* reason;
    };
    const Row rows[] = {{503, "503 after retries"},
                        {500, "500"},
                        {429, "429 after retries"},
                        {0, "network unreachable"}};
    for (const Row& row : rows) {
        CAPTURE(row.status);
        Harness h = known_customer();
        const size_t before = h.published.size();
        h.send(event_type::customer_message, sms(kNumber, "one"));
        h.send(event_type::customer_message, sms(kNumber, "two"));
        h.fail_post(h.latest(event_type::post_message), row.status, row.reason);
        CHECK(h.pending.size() == 2);
        CHECK(h.commands(event_type::create_room, before).empty());  // the room is fine

        // Arrives during the pause: waits behind the failed one.
        h.send(event_type::customer_message, sms(kNumber, "three"));
        CHECK(posts_since(h, before).size() == 1);
        h.tick(4s);
        CHECK(posts_since(h, before).size() == 1);
        h.tick(1s);  // first_retry: 5 s
        REQUIRE(posts_since(h, before).size() == 2);
        CHECK(shows(posts_since(h, before)[1], "one"));

        // Fails again: the pause doubles.
        h.fail_post(h.latest(event_type::post_message), row.status, row.reason);
        h.tick(9s);
        CHECK(posts_since(h, before).size() == 2);
        h.tick(1s);
        REQUIRE(posts_since(h, before).size() == 3);

        confirm_all(h);
        const auto posts = posts_since(h, before);
        REQUIRE(posts.size() == 5);  // two failed attempts, then one, two, three once each
        CHECK(shows(posts[2], "one"));
        CHECK(shows(posts[3], "two"));
        CHECK(shows(posts[4], "three"));
        for (const auto& post : posts) CHECK(post.room_id == "r1");
        CHECK(h.pending.empty());
        CHECK(h.core->counters().post_failures == 2);
        CHECK(h.core->counters().messages_to_rooms == 3);
    }
}

TEST_CASE("a long message's parts keep their order across a failed part") {
    Harness h = known_customer();
    std::string text;
    while (text.size() < 12000) text += "a rather long complaint ";
    const size_t parts = customer_posts(sms(kNumber, text), "+18005550199").size();
    REQUIRE(parts >= 2);
    h.send(event_type::customer_message, sms(kNumber, text));
    h.send(event_type::customer_message, sms(kNumber, "after"));
    h.answer_post(h.latest(event_type::post_message));  // part 1 in
    CHECK(h.pending.size() == 2);
    h.fail_post(h.latest(event_type::post_message), 502);  // part 2 refused
    h.tick(5s);
    confirm_all(h);
    const auto posts = h.payloads<PostMessage>(event_type::post_message);
    REQUIRE(posts.size() == parts + 2);  // every part once, part 2 twice, then "after"
    CHECK(shows(posts[0], "(part 1/"));
    CHECK(shows(posts[1], "(part 2/"));
    CHECK(posts[2].markdown == posts[1].markdown);  // part 2 again, not part 1
    CHECK(shows(posts.back(), "after"));
    CHECK(h.pending.empty());
}

TEST_CASE("restart: a post whose result came back before the crash is not posted again") {
    Harness h = known_customer();
    h.send(event_type::customer_message, sms(kNumber, "one"));
    h.send(event_type::customer_message, sms(kNumber, "two"));
    const Outbound first = h.latest(event_type::post_message);
    // The MessagePosted is accepted (journaled) but the router dies before handling it: both
    // it and the customer's messages come back to the new life.
    h.pending[++h.next_seq] =
        h.envelope(event_type::message_posted, MessagePosted{"r1", "m-1"}, {}, first.event.id);
    const size_t before = h.published.size();
    h.restart();
    h.answer_sync({{room("r1", "Ana 2085550111")}});
    confirm_all(h);
    const auto posts = posts_since(h, before);
    REQUIRE(posts.size() == 1);  // "one" is in the room already
    CHECK(shows(posts[0], "two"));
    CHECK(h.pending.empty());
}

TEST_CASE("restart: a post with no result yet is posted by the new life") {
    Harness h = known_customer();
    h.send(event_type::customer_message, sms(kNumber, "one"));
    const size_t before = h.published.size();
    h.restart();
    h.answer_sync({{room("r1", "Ana 2085550111")}});
    REQUIRE(posts_since(h, before).size() == 1);
    CHECK(shows(posts_since(h, before)[0], "one"));
    confirm_all(h);
    CHECK(h.pending.empty());
}

TEST_CASE("results of another life's posts and of notes are no one's business") {
    Harness h = known_customer();
    h.send(event_type::message_posted, MessagePosted{"r1", "m"}, "post.0.abc.some-event");
    CHECK_FALSE(h.last.hold);
    h.send(event_type::command_failed, CommandFailed{"PostMessage", "x", 404},
           "post.0.abc.some-event");
    CHECK_FALSE(h.last.hold);
    CHECK(h.core->directory().room_of(kNumber) != nullptr);  // a stranger's 404 drops nothing
    h.send(event_type::message_posted, MessagePosted{"r1", "m"}, "post.x.y");  // not ours
    h.send(event_type::customer_message, sms(kNumber, "hi"));
    CHECK(h.commands(event_type::post_message).size() == 1);
}

// ---- Assignment failures do not wedge -------------------------------------------------------

namespace {

Settings assigning() {
    Settings settings = test_settings();
    settings.assign_agents = true;
    return settings;
}

}  // namespace

TEST_CASE("a failed look-up or AddMember is tried again later, and posts go on meanwhile") {
    Harness h(assigning());
    h.start_with({room("general", "General", "2020-01-01T00:00:00Z")});
    h.send(event_type::customer_message, sms(kNumber, "I need help"));
    h.create_room_answer(kNumber, "room-n");
    REQUIRE(h.commands(event_type::list_team_members).size() == 1);
    h.send(event_type::command_failed, CommandFailed{"ListTeamMembers", "503", 503},
           h.latest(event_type::list_team_members).event.id);
    h.tick(4s);
    CHECK(h.commands(event_type::list_team_members).size() == 1);
    h.send(event_type::customer_message, sms(kNumber, "anyone?"));
    CHECK(h.commands(event_type::post_message).size() == 2);  // not held up by assignment
    h.tick(1s);
    REQUIRE(h.commands(event_type::list_team_members).size() == 2);
    REQUIRE(h.commands(event_type::list_room_members).size() == 2);

    h.send(event_type::room_members, RoomMembers{"room-n", {}},
           h.latest(event_type::list_room_members).event.id);
    h.send(event_type::team_members, TeamMembers{{member("ann", "active")}},
           h.latest(event_type::list_team_members).event.id);
    REQUIRE(h.commands(event_type::add_member).size() == 1);
    h.send(event_type::command_failed, CommandFailed{"AddMember", "502", 502},
           h.latest(event_type::add_member).event.id);
    h.tick(10s);  // the pause doubled after the first failure
    REQUIRE(h.commands(event_type::list_team_members).size() == 3);
    CHECK(h.pending.empty());
}
