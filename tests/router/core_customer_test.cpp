// Customer -> room: posts, one room per customer, the welcome, voice, failures, restarts.
#include <doctest/doctest.h>

#include "core_harness.h"
#include "room_text.h"

using namespace sb;
using namespace sb::router;
using namespace sb::router::testing;

TEST_CASE("a known customer's SMS is posted in their room once, with channel and time") {
    Harness h;
    h.start_with({room("r1", "Tommy Tutone 2088675309")});
    const size_t before = h.published.size();
    h.send(event_type::customer_message, sms("+12088675309", "my *router* is [broken]"));
    CHECK(h.last.hold);        // held until spark-gateway says it is in the room...
    CHECK(h.pending.empty());  // ...which the harness said at once
    REQUIRE(h.published.size() == before + 1);
    const Outbound& post = h.published.back();
    CHECK(post.topic == topics::spark_commands);
    CHECK(post.event.type == event_type::post_message);
    CHECK(post.event.key == "+12088675309");
    CHECK_FALSE(post.event.id.empty());
    const auto body = post.event.payload_as<PostMessage>();
    CHECK(body.room_id == "r1");
    CHECK(body.markdown.find("**SMS**") == 0);
    CHECK(body.markdown.find("2026-05-01T10:00:00.000Z") != std::string::npos);
    // Customer text is escaped: it shows as typed, never as markup.
    CHECK(body.markdown.find("my \\*router\\* is \\[broken\\]") != std::string::npos);
    CHECK(h.core->counters().messages_to_rooms == 1);
}

TEST_CASE("each channel's post says where it came from") {
    struct Row {
        const char* channel;
        const char* email;
        const char* name;
        std::vector<const char*> expected;
    };
    const Row rows[] = {
        {"sms", "", "", {"**SMS**", "hello"}},
        {"web",
         "ana@example.com",
         "Ana <b>",
         {"**Web form**", "ana\\@example\\.com", "Ana \\<b\\>"}},
        {"api", "", "", {"**API**", "hello"}},
    };
    for (const Row& row : rows) {
        const std::string channel = row.channel;
        CAPTURE(channel);
        Harness h;
        h.start_with({room("r1", "2088675309")});
        CustomerMessage message = sms("+12088675309", "hello");
        message.channel = row.channel;
        message.email = row.email;
        message.name = row.name;
        h.send(event_type::customer_message, message);
        const auto posts = h.payloads<PostMessage>(event_type::post_message);
        REQUIRE(posts.size() == 1);
        for (const char* expected : row.expected) {
            CHECK_MESSAGE(posts[0].markdown.find(expected) != std::string::npos, expected);
        }
    }
}

TEST_CASE("files from the JSON API are posted as links") {
    Harness h;
    h.start_with({room("r1", "2088675309")});
    CustomerMessage message = sms("+12088675309", "see attached");
    message.channel = "api";
    message.files = {"https://files.example.com/a/invoice.pdf", "https://x.example/(evil) y"};
    h.send(event_type::customer_message, message);
    const auto posts = h.payloads<PostMessage>(event_type::post_message);
    REQUIRE(posts.size() == 1);
    CHECK(posts[0].markdown.find("[invoice\\.pdf](https://files.example.com/a/invoice.pdf)") !=
          std::string::npos);
    CHECK(posts[0].markdown.find("https://x.example/%28evil%29%20y") != std::string::npos);
}

TEST_CASE("five SMS from a new number: one room, five posts in order, one welcome SMS") {
    // Not a structured binding: C++17 lets no lambda (CAPTURE's) capture one.
    for (const auto& row : std::vector<std::pair<std::string, std::string>>{
             {"+12085550111", "2085550111"}, {"+447911123456", "+447911123456"}}) {
        const std::string& number = row.first;
        const std::string& title = row.second;
        CAPTURE(number);
        Harness h;
        h.start_with({room("general", "General")});
        for (int i = 1; i <= 5; ++i) {
            h.send(event_type::customer_message, sms(number, "message " + std::to_string(i)));
            CHECK(h.last.hold);  // nothing is done until it is posted
        }
        const auto creates = h.payloads<CreateRoom>(event_type::create_room);
        REQUIRE(creates.size() == 1);
        CHECK(creates[0].customer == number);
        CHECK(creates[0].title == title);
        CHECK(h.commands(event_type::post_message).empty());
        CHECK(h.core->held() == 5);

        h.create_room_answer(number, "new-room");
        const auto posts = h.payloads<PostMessage>(event_type::post_message);
        REQUIRE(posts.size() == 5);
        for (int i = 0; i < 5; ++i) {
            CHECK(posts[i].room_id == "new-room");
            CHECK(posts[i].markdown.find("message " + std::to_string(i + 1)) != std::string::npos);
        }
        // Each held message completes with the MessagePosted that shows it.
        CHECK(h.pending.empty());
        const auto sms_out = h.payloads<SendSms>(event_type::send_sms);
        REQUIRE(sms_out.size() == 1);
        CHECK(sms_out[0].to == number);
        CHECK(sms_out[0].text.find("Replies to this number reach our team") != std::string::npos);
        CHECK(sms_out[0].text.find("Acme") != std::string::npos);
        CHECK(sms_out[0].room_id == "new-room");
        CHECK(h.core->counters().welcomes == 1);

        // The sixth goes straight to the room; still one room, one welcome.
        h.send(event_type::customer_message, sms(number, "message 6"));
        CHECK(h.commands(event_type::create_room).size() == 1);
        CHECK(h.commands(event_type::post_message).size() == 6);
        CHECK(h.commands(event_type::send_sms).size() == 1);
    }
}

TEST_CASE("a failed CreateRoom keeps the messages and retries after a fresh sync") {
    Harness h;
    h.start_with({});
    h.send(event_type::customer_message, sms("+12085550111", "one"));
    h.send(event_type::customer_message, sms("+12085550111", "two"));
    const Outbound create = h.latest(event_type::create_room);
    h.send(event_type::command_failed, CommandFailed{"CreateRoom", "500 from Webex", 500},
           create.event.id);
    CHECK(h.core->held() == 2);
    CHECK(h.pending.size() == 2);
    h.send(event_type::customer_message, sms("+12085550111", "three"));
    CHECK(h.commands(event_type::create_room).size() == 1);  // waits for the retry

    h.tick(4s);
    CHECK(h.commands(event_type::list_rooms).size() == 1);
    h.tick(1s);
    REQUIRE(h.commands(event_type::list_rooms).size() == 2);

    SUBCASE("the room does not exist: it is asked for again") {
        h.answer_sync({{}});
        REQUIRE(h.commands(event_type::create_room).size() == 2);
        h.create_room_answer("+12085550111", "room-b");
    }
    SUBCASE("the room was made after all: no second CreateRoom") {
        h.answer_sync({{room("room-b", "2085550111")}});
        CHECK(h.commands(event_type::create_room).size() == 1);
    }
    const auto posts = h.payloads<PostMessage>(event_type::post_message);
    REQUIRE(posts.size() == 3);
    CHECK(posts[0].markdown.find("one") != std::string::npos);
    CHECK(posts[2].markdown.find("three") != std::string::npos);
    CHECK(h.payloads<SendSms>(event_type::send_sms).size() == 1);  // the welcome, once
    CHECK(h.pending.empty());
    CHECK(h.core->counters().create_failures == 1);
}

TEST_CASE("a voice call is answered at once, even before the first sync") {
    Harness h;
    h.start();
    h.send(event_type::customer_message, call("+12088675309", "call-1"));
    REQUIRE(h.last.send_now.size() == 1);
    const Outbound& reply = h.last.send_now[0];
    CHECK(reply.topic == "reply.tropo-gateway");
    CHECK(reply.event.type == event_type::call_decision);
    const auto decision = reply.event.payload_as<CallDecision>();
    CHECK(decision.call_id == "call-1");
    CHECK(decision.forward_to == "+18005550199");
    CHECK(h.last.hold);  // the note in the room waits for the directory

    h.answer_sync({{room("r1", "2088675309")}});
    const auto posts = h.payloads<PostMessage>(event_type::post_message);
    REQUIRE(posts.size() == 1);
    CHECK(posts[0].room_id == "r1");
    CHECK(posts[0].markdown.find("**Voice call**") == 0);
    CHECK(posts[0].markdown.find("forwarded to \\+18005550199") != std::string::npos);
    CHECK(h.replies.size() == 1);  // answered once
    CHECK(h.pending.empty());
}

TEST_CASE("a call from a new number creates the room for the note, without a welcome SMS") {
    Harness h;
    h.start_with({});
    h.send(event_type::customer_message, call("+12085550111", "call-2"));
    CHECK(h.last.send_now.size() == 1);
    CHECK(h.commands(event_type::create_room).size() == 1);
    h.create_room_answer("+12085550111", "room-c");
    CHECK(h.commands(event_type::post_message).size() == 1);
    CHECK(h.commands(event_type::send_sms).empty());
}

TEST_CASE("a call decision never goes anywhere but a reply topic") {
    Harness h;
    h.start_with({room("r1", "2088675309")});
    for (const char* reply_to : {"spark.command", "", "reply.", "sms.send"}) {
        const std::string shown = reply_to;
        CAPTURE(shown);
        h.send(event_type::customer_message, call("+12088675309", "call-x", reply_to));
        CHECK(h.last.send_now.empty());
    }
    CHECK(h.commands(event_type::post_message).size() == 4);  // the calls are still noted
}

TEST_CASE("a huge text is split into posts that fit Webex's limit, in order") {
    Harness h;
    h.start_with({room("r1", "2088675309")});
    std::string text;
    while (text.size() < 60000) text += "Grüße *aus* Köln 🙂 [x](y) ";
    h.send(event_type::customer_message, sms("+12088675309", text));
    const auto posts = h.payloads<PostMessage>(event_type::post_message);
    REQUIRE(posts.size() == kMaxPostParts);
    for (size_t i = 0; i < posts.size(); ++i) {
        CHECK(posts[i].markdown.size() <= 7439);
        CHECK(posts[i].markdown.find("(part " + std::to_string(i + 1) + "/") != std::string::npos);
    }
    CHECK(posts.back().markdown.find("too long") != std::string::npos);
    CHECK(h.core->counters().messages_to_rooms == 1);
}

TEST_CASE("restart: a fresh core, the held events replayed and a sync that lists the room") {
    Harness h;
    h.start_with({});
    h.send(event_type::customer_message, sms("+12085550111", "one"));
    h.send(event_type::customer_message, sms("+12085550111", "two"));
    const Outbound create = h.latest(event_type::create_room);
    CHECK(h.pending.size() == 2);

    // Crash. The CreateRoom was published (durable); spark-gateway executes it before the new
    // life's ListRooms, and its RoomCreated reaches the new life.
    h.restart();
    CHECK_FALSE(h.core->ready());
    CHECK(h.pending.size() == 2);
    h.answer_sync({{room("room-b", "2085550111")}});
    CHECK(h.commands(event_type::create_room).size() == 1);  // never a second room
    auto posts = h.payloads<PostMessage>(event_type::post_message);
    REQUIRE(posts.size() == 2);
    CHECK(posts[0].markdown.find("one") != std::string::npos);
    CHECK(posts[1].markdown.find("two") != std::string::npos);
    CHECK(h.pending.empty());

    h.send(event_type::room_created, RoomCreated{"+12085550111", "room-b", "2085550111"},
           create.event.id);
    const auto texts = h.payloads<SendSms>(event_type::send_sms);
    REQUIRE(texts.size() == 1);  // the welcome still goes, once
    CHECK(texts[0].to == "+12085550111");
    h.send(event_type::customer_message, sms("+12085550111", "three"));
    CHECK(h.commands(event_type::create_room).size() == 1);
    CHECK(h.payloads<PostMessage>(event_type::post_message).back().room_id == "room-b");
}

TEST_CASE("restart: a RoomCreated that was in flight arrives before the sync completes") {
    Harness h;
    h.start_with({});
    h.send(event_type::customer_message, sms("+12085550111", "one"));
    const Outbound create = h.latest(event_type::create_room);
    h.restart();
    h.send(event_type::room_created, RoomCreated{"+12085550111", "room-b", "2085550111"},
           create.event.id);
    CHECK(h.last.hold);
    h.answer_sync({{room("room-b", "2085550111")}});
    CHECK(h.commands(event_type::create_room).size() == 1);
    CHECK(h.commands(event_type::post_message).size() == 1);
    CHECK(h.commands(event_type::send_sms).size() == 1);
    CHECK(h.pending.empty());
}

TEST_CASE("a RoomCreated nobody asked for joins the directory and sends nothing") {
    Harness h;
    h.start_with({});
    h.send(event_type::room_created, RoomCreated{"+12085550111", "stray", "2085550111"},
           "no-such-command");
    CHECK(h.published.size() == 1);  // just the ListRooms
    CHECK(h.core->customers_known() == 1);
    h.send(event_type::customer_message, sms("+12085550111", "hi"));
    CHECK(h.commands(event_type::create_room).empty());
    CHECK(h.payloads<PostMessage>(event_type::post_message).at(0).room_id == "stray");
}

TEST_CASE("a failed delivery is reported in the room, with the number and the reason") {
    Harness h;
    h.start_with({room("r1", "Tommy Tutone 2088675309"), room("general", "General")});
    DeliveryReport failed{"+12088675309", "failed", 0, "number unreachable", "r1"};
    h.send(event_type::delivery_report, failed);
    auto posts = h.payloads<PostMessage>(event_type::post_message);
    REQUIRE(posts.size() == 1);
    CHECK(posts[0].room_id == "r1");
    CHECK(posts[0].markdown.find("\\+12088675309 could not be sent") != std::string::npos);
    CHECK(posts[0].markdown.find("number unreachable") != std::string::npos);

    failed.room_id.clear();  // found by the number instead
    h.send(event_type::delivery_report, failed);
    CHECK(h.payloads<PostMessage>(event_type::post_message).size() == 2);

    h.send(event_type::delivery_report, DeliveryReport{"+12088675309", "sent", 1, "", "r1"});
    h.send(event_type::delivery_report,
           DeliveryReport{"+19995550100", "failed", 0, "x", "unknown-room"});
    CHECK(h.payloads<PostMessage>(event_type::post_message).size() == 2);
    CHECK(h.core->counters().delivery_failures == 3);
}

TEST_CASE("a payload that does not decode is dropped, not held, and the core goes on") {
    Harness h;
    h.start_with({room("r1", "2088675309")});
    Envelope bad = h.envelope(event_type::customer_message, json{{"customer", 42}});
    h.feed(++h.next_seq, bad);
    CHECK_FALSE(h.last.hold);
    CHECK(h.core->counters().malformed == 1);
    Envelope unknown = h.envelope("SomethingElse", json::object());
    h.feed(++h.next_seq, unknown);
    CHECK_FALSE(h.last.hold);
    h.send(event_type::customer_message, sms("+12088675309", "still here"));
    CHECK(h.commands(event_type::post_message).size() == 1);
}
