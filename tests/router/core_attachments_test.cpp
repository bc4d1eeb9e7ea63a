// A customer's attachments through the core: posted after the text as Webex files, one per
// post, through the same post queue (in order, retried like any post, completing the message
// only with the last); a file Webex refuses for good becomes a link so the line moves on.
#include <doctest/doctest.h>

#include "core_harness.h"

using namespace sb;
using namespace sb::router;
using namespace sb::router::testing;

namespace {

const std::string kNumber = "+12085550111";
const std::string kPicture = "https://gw.example/api/twilio/media/tok1";
const std::string kSecond = "https://gw.example/api/twilio/media/tok2";

Harness known_customer() {
    Harness h;
    h.confirm_posts = false;
    h.start_with({room("r1", "Ana 2085550111"), room("general", "General")});
    return h;
}

CustomerMessage mms(std::string text, std::vector<std::string> urls) {
    CustomerMessage message = sms(kNumber, std::move(text));
    for (std::string& url : urls) message.attachments.push_back({std::move(url), "image/jpeg", ""});
    return message;
}

std::vector<PostMessage> posts_since(const Harness& h, size_t since) {
    return h.payloads<PostMessage>(event_type::post_message, since);
}

}  // namespace

TEST_CASE("attachments: text, then each file, one post at a time, complete with the last") {
    Harness h = known_customer();
    const size_t before = h.published.size();
    h.send(event_type::customer_message, mms("see this", {kPicture, kSecond}));
    h.send(event_type::customer_message, sms(kNumber, "and this"));
    REQUIRE(posts_since(h, before).size() == 1);
    CHECK(posts_since(h, before)[0].files.empty());

    h.answer_post(h.latest(event_type::post_message));
    CHECK(h.pending.size() == 2);  // not complete: its files are not in yet
    REQUIRE(posts_since(h, before).size() == 2);
    CHECK(posts_since(h, before)[1].files == std::vector<std::string>{kPicture});
    CHECK(posts_since(h, before)[1].markdown.find("picture 1 of 2") != std::string::npos);

    h.answer_post(h.latest(event_type::post_message));
    CHECK(h.pending.size() == 2);
    REQUIRE(posts_since(h, before).size() == 3);
    CHECK(posts_since(h, before)[2].files == std::vector<std::string>{kSecond});

    h.answer_post(h.latest(event_type::post_message));
    CHECK(h.last.complete.size() == 1);  // the MMS completes with its last file
    CHECK(h.pending.size() == 1);
    REQUIRE(posts_since(h, before).size() == 4);
    CHECK(posts_since(h, before)[3].markdown.find("and this") != std::string::npos);
    CHECK(h.core->counters().messages_to_rooms == 2);
}

TEST_CASE("attachments: a file post that fails for now is retried, the file kept") {
    for (const int status : {0, 429, 503}) {
        CAPTURE(status);
        Harness h = known_customer();
        const size_t before = h.published.size();
        h.send(event_type::customer_message, mms("", {kPicture}));
        h.fail_post(h.latest(event_type::post_message), status, "busy");
        CHECK(h.pending.size() == 1);
        CHECK(posts_since(h, before).size() == 1);
        h.tick(5s);
        REQUIRE(posts_since(h, before).size() == 2);
        CHECK(posts_since(h, before)[1].files == std::vector<std::string>{kPicture});
        h.answer_post(h.latest(event_type::post_message));
        CHECK(h.pending.empty());
        CHECK(h.core->counters().files_refused == 0);
    }
}

TEST_CASE("attachments: a file Webex refuses for good becomes a link, and the line moves on") {
    for (const int status : {400, 413, 415}) {
        CAPTURE(status);
        Harness h = known_customer();
        const size_t before = h.published.size();
        h.send(event_type::customer_message, mms("", {kPicture, kSecond}));
        h.send(event_type::customer_message, sms(kNumber, "behind it"));
        h.fail_post(h.latest(event_type::post_message), status, "Unable to retrieve content");
        REQUIRE(posts_since(h, before).size() == 2);  // at once, no pause
        const PostMessage fallback = posts_since(h, before)[1];
        CHECK(fallback.files.empty());
        CHECK(fallback.markdown.find("picture 1 of 2") != std::string::npos);
        CHECK(fallback.markdown.find("(" + kPicture + ")") != std::string::npos);
        CHECK(fallback.markdown.find("Unable to retrieve content") != std::string::npos);
        CHECK(h.core->counters().files_refused == 1);
        CHECK(h.pending.size() == 2);  // still not shown in full

        h.answer_post(h.latest(event_type::post_message));
        REQUIRE(posts_since(h, before).size() == 3);
        CHECK(posts_since(h, before)[2].files == std::vector<std::string>{kSecond});
        h.answer_post(h.latest(event_type::post_message));
        CHECK(h.pending.size() == 1);
        h.answer_post(h.latest(event_type::post_message));
        CHECK(h.pending.empty());
        CHECK(posts_since(h, before).back().markdown.find("behind it") != std::string::npos);
    }
}

TEST_CASE("attachments: a text post refused with a 4xx is not turned into anything else") {
    Harness h = known_customer();
    const size_t before = h.published.size();
    h.send(event_type::customer_message, mms("words", {kPicture}));
    h.fail_post(h.latest(event_type::post_message), 400, "bad");
    CHECK(posts_since(h, before).size() == 1);  // retried later, as before
    CHECK(h.core->counters().files_refused == 0);
    h.tick(5s);
    REQUIRE(posts_since(h, before).size() == 2);
    CHECK(posts_since(h, before)[1].markdown.find("words") != std::string::npos);
}

TEST_CASE("attachments: after a restart, a file already in the room is not posted again") {
    Harness h = known_customer();
    h.send(event_type::customer_message, mms("text", {kPicture, kSecond}));
    h.answer_post(h.latest(event_type::post_message));  // the text is in
    const Outbound first_file = h.latest(event_type::post_message);
    REQUIRE(first_file.event.payload_as<PostMessage>().files == std::vector<std::string>{kPicture});
    // Its MessagePosted is journaled, but the router dies before handling it.
    h.pending[++h.next_seq] =
        h.envelope(event_type::message_posted, MessagePosted{"r1", "m-2"}, {}, first_file.event.id);
    const size_t before = h.published.size();
    h.restart();
    h.answer_sync({{room("r1", "Ana 2085550111")}});
    const auto posts = posts_since(h, before);
    REQUIRE(posts.size() == 1);  // only the second picture: text and first are in the room
    CHECK(posts[0].files == std::vector<std::string>{kSecond});
    h.answer_post(h.latest(event_type::post_message));
    CHECK(h.pending.empty());
}

TEST_CASE("delivery notes go in the thread of the agent's reply") {
    Harness h = known_customer();
    const size_t before = h.published.size();
    DeliveryReport report{kNumber, "undelivered", 1, "the phone is off", "r1", "agent-msg-1"};
    h.send(event_type::delivery_report, report);
    const auto notes = posts_since(h, before);
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].parent_id == "agent-msg-1");
    CHECK(notes[0].room_id == "r1");
    CHECK(notes[0].files.empty());
}
