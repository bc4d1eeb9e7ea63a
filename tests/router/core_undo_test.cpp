// Undo send (undo_window.h): a reply waits SMS_UNDO_SECONDS from its Webex `created` time, a
// deletion inside the window stops it without a trace, and a reply not deleted is sent exactly
// once, whatever restarts happen in between.
#include <doctest/doctest.h>

#include "core_harness.h"
#include "switchboard/time_format.h"
#include "undo_window.h"

using namespace sb;
using namespace sb::router;
using namespace sb::router::testing;

namespace {

constexpr const char* kPosted = "2026-05-01T10:00:01.000Z";  // agent_says' created time

Settings with_undo(std::chrono::seconds window = 10s) {
    Settings settings = test_settings();
    settings.undo_window = window;
    return settings;
}

// A harness whose wall clock reads `kPosted` + `after` when the reply comes in.
struct UndoHarness : Harness {
    explicit UndoHarness(Settings s = with_undo(), std::chrono::milliseconds after = 0ms)
        : Harness(std::move(s)) {
        wall = *parse_iso8601(kPosted) + after;
        start_with({room("r1", "2088675309"), room("general", "General")});
    }
    // Both clocks move on, as they do in a running router; then a tick.
    void pass(std::chrono::milliseconds duration) {
        wall += duration;
        now += duration;
        step(Input::tick(now));
    }
    size_t texts() const { return commands(event_type::send_sms).size(); }
    void reply(const std::string& id = "m1", const std::string& text = "On my way!") {
        send(event_type::agent_message, agent_says("r1", "2088675309", text, id));
    }
    void deleted(const std::string& id, const std::string& room_id = "r1") {
        send(event_type::agent_message_deleted, AgentMessageDeleted{id, room_id});
    }
    bool waiting(const std::string& id) const {
        return std::any_of(remembered.begin(), remembered.end(), [&](const auto& kept) {
            return kept.first == std::string(kUndoPrefix) + id;
        });
    }
};

}  // namespace

TEST_CASE("undo: a reply is sent once, when its window has passed since it was posted") {
    struct Row {
        const char* name;
        std::chrono::milliseconds arrives_after;  // how long after `created` the router has it
        std::chrono::milliseconds not_yet;        // from arrival: still waiting
        std::chrono::milliseconds sent_by;        // from arrival: sent
    };
    const Row rows[] = {
        {"taken in at once: the whole window", 0ms, 9500ms, 10000ms},
        {"taken in late: the rest of the window", 4000ms, 5500ms, 6000ms},
        {"posted longer ago than the window: at once", 30000ms, -1ms, 0ms},
        {"a created time from the future counts as now", -60000ms, 9500ms, 10000ms},
    };
    for (const Row& row : rows) {
        CAPTURE(row.name);
        UndoHarness h(with_undo(), row.arrives_after);
        h.reply();
        if (row.not_yet >= 0ms) {
            CHECK(h.texts() == 0);
            CHECK(h.waiting("m1"));
            CHECK(h.core->replies_waiting() == 1);
            h.pass(row.not_yet);
            CHECK(h.texts() == 0);
            h.pass(row.sent_by - row.not_yet);
        }
        REQUIRE(h.texts() == 1);
        const auto sms = h.payloads<SendSms>(event_type::send_sms).at(0);
        CHECK(sms.to == "+12088675309");
        CHECK(sms.text == "On my way!");
        CHECK(sms.agent_message_id == "m1");
        CHECK(sms.room_id == "r1");
        CHECK_FALSE(h.waiting("m1"));  // forgotten in the step that published it
        CHECK(h.core->replies_waiting() == 0);
        CHECK(h.core->counters().messages_to_customers == 1);
        h.pass(60000ms);
        CHECK(h.texts() == 1);
    }
}

TEST_CASE("undo: the fact and the SMS are in the same step's outputs") {
    UndoHarness h;
    h.reply();
    REQUIRE(h.last.remember.size() == 2);  // seen.m1 and undo.m1, with the event's completion
    CHECK(h.last.publish.empty());
    h.pass(10000ms);
    REQUIRE(h.last.publish.size() == 1);
    CHECK(h.last.publish[0].event.type == event_type::send_sms);
    REQUIRE(h.last.remember.size() == 1);
    CHECK(h.last.remember[0] == Remembered{"undo.m1", std::nullopt});
}

TEST_CASE("undo: deleted inside the window, nothing is sent and nothing is noted") {
    UndoHarness h;
    h.reply();
    h.pass(9000ms);
    const size_t before = h.published.size();
    h.deleted("m1");
    CHECK(h.last.publish.empty());
    CHECK(h.last.remember == std::vector<Remembered>{{"undo.m1", std::nullopt}});
    CHECK_FALSE(h.waiting("m1"));
    h.pass(60000ms);
    CHECK(h.texts() == 0);
    CHECK(h.published.size() == before);  // no note, no SMS, nothing at all
    CHECK(h.core->counters().replies_undone == 1);
    CHECK(h.core->counters().messages_to_customers == 0);
    // spark-gateway's catch-up taking the message in again does not bring it back.
    h.reply();
    h.pass(60000ms);
    CHECK(h.texts() == 0);
}

TEST_CASE("undo: a deletion that finds nothing waiting changes nothing") {
    struct Row {
        const char* name;
        std::function<void(UndoHarness&)> before;
        const char* deleted;
        size_t texts;
    };
    const Row rows[] = {
        {"already sent",
         [](UndoHarness& h) {
             h.reply();
             h.pass(10000ms);
         },
         "m1", 1},
        {"an unknown message", [](UndoHarness&) {}, "m-unknown", 0},
        {"another message than the one waiting", [](UndoHarness& h) { h.reply("m1"); }, "m2", 1},
        {"a whisper (never a reply)",
         [](UndoHarness& h) {
             AgentMessage whisper = agent_says("r1", "2088675309", "psst", "m1");
             whisper.mentioned_people = {"person-2"};
             h.send(event_type::agent_message, whisper);
         },
         "m1", 0},
        {"deleted twice",
         [](UndoHarness& h) {
             h.reply("m1");
             h.deleted("m1");
         },
         "m1", 0},
    };
    for (const Row& row : rows) {
        CAPTURE(row.name);
        UndoHarness h;
        row.before(h);
        const size_t published = h.published.size();
        const auto remembered = h.remembered;
        const std::uint64_t ignored = h.core->counters().deletions_ignored;
        h.deleted(row.deleted);
        CHECK(h.last.publish.empty());
        CHECK(h.last.remember.empty());
        CHECK_FALSE(h.last.hold);
        CHECK(h.published.size() == published);
        CHECK(h.remembered == remembered);
        CHECK(h.core->counters().deletions_ignored == ignored + 1);
        h.pass(60000ms);
        CHECK(h.texts() == row.texts);
    }
}

TEST_CASE("undo: a restart inside the window still sends the reply exactly once") {
    UndoHarness h;
    h.reply();
    h.pass(4000ms);
    h.restart();  // the journal kept undo.m1 (and seen.m1)
    h.pass(1000ms);
    CHECK(h.texts() == 0);  // no directory yet: nothing leaves before the first sync
    h.answer_sync({{room("r1", "2088675309")}});
    REQUIRE(h.core->ready());
    CHECK(h.core->replies_waiting() == 1);
    h.pass(4000ms);  // 9 s after it was posted
    CHECK(h.texts() == 0);
    h.pass(1000ms);
    REQUIRE(h.texts() == 1);
    CHECK(h.payloads<SendSms>(event_type::send_sms).at(0).agent_message_id == "m1");
    // Another life after the send: the fact was forgotten with it, so nothing goes again, and
    // spark-gateway re-publishing the message finds it seen.
    h.restart();
    h.answer_sync({{room("r1", "2088675309")}});
    h.reply();
    h.pass(60000ms);
    CHECK(h.texts() == 1);
}

TEST_CASE("undo: after a restart past the due time, the reply waits the grace, then goes") {
    UndoHarness h;
    h.reply();
    h.wall += 60s;  // down for a minute
    h.now += 60s;
    h.restart();
    h.answer_sync({{room("r1", "2088675309")}});
    h.pass(std::chrono::duration_cast<std::chrono::milliseconds>(kRestartGrace) - 500ms);
    CHECK(h.texts() == 0);  // room for a deletion spark-gateway re-publishes
    h.pass(500ms);
    CHECK(h.texts() == 1);
}

TEST_CASE("undo: a deletion made while the router was down arrives after its restart") {
    UndoHarness h;
    h.reply();
    h.wall += 30s;
    h.now += 30s;
    h.restart();
    h.deleted("m1");  // before the first sync: waits with the directory's other events
    CHECK(h.last.hold);
    h.answer_sync({{room("r1", "2088675309")}});
    h.pass(60000ms);
    CHECK(h.texts() == 0);
    CHECK(h.core->counters().replies_undone == 1);
    CHECK(h.pending.empty());
}

TEST_CASE("undo: a wall clock stepping back holds a reply no longer than the window") {
    UndoHarness h;
    h.reply();
    h.wall -= 3600s;  // the steady clock decides within a life
    h.pass(10000ms);
    CHECK(h.texts() == 1);
    // And across a restart, what is left is capped at the window.
    UndoHarness g;
    g.reply("m2");
    g.wall -= 3600s;
    g.restart();
    g.answer_sync({{room("r1", "2088675309")}});
    g.pass(10000ms);
    CHECK(g.texts() == 1);
}

TEST_CASE("undo: the SMS policy decides when the reply leaves, so a deleted one leaves no note") {
    Settings settings = with_undo();
    settings.sms.allowed_countries = {"US"};
    UndoHarness h(settings);
    h.send(event_type::agent_message, agent_says("r1", "Jean +33612345678", "Bonjour", "m1"));
    h.deleted("m1");
    h.pass(60000ms);
    CHECK(h.commands(event_type::post_message).empty());
    AgentMessage later = agent_says("r1", "Jean +33612345678", "Bonjour", "m2");
    later.created = iso8601(h.wall);  // posted now, a minute after the first
    h.send(event_type::agent_message, later);
    CHECK(h.commands(event_type::post_message).empty());  // not yet: it could still be deleted
    h.pass(10000ms);
    CHECK(h.texts() == 0);
    CHECK(h.commands(event_type::post_message).size() == 1);  // "Reply not sent by SMS"
    CHECK(h.core->counters().sms_refused_country == 1);
}

TEST_CASE("undo: replies leave in the order they were posted, 0 turns undo off") {
    UndoHarness h;
    h.reply("m1", "first");
    h.pass(100ms);
    h.reply("m2", "second");
    h.pass(20000ms);
    const auto texts = h.payloads<SendSms>(event_type::send_sms);
    REQUIRE(texts.size() == 2);
    CHECK(texts[0].text == "first");
    CHECK(texts[1].text == "second");

    UndoHarness off(with_undo(0s));
    off.reply();
    CHECK(off.texts() == 1);
    CHECK(off.remembered.empty());
}

TEST_CASE("undo: an unreadable waiting reply is forgotten, never sent") {
    UndoHarness h;
    h.remembered.emplace_back("undo.m9", nlohmann::json{{"sms", "garbage"}});
    h.remembered.emplace_back("undo.m8",
                              nlohmann::json{{"sms", SendSms{"+12088675309", "x", "r1", "other"}},
                                             {"due", "2026-05-01T10:00:11.000Z"}});
    h.restart();
    CHECK_FALSE(h.waiting("m9"));
    CHECK_FALSE(h.waiting("m8"));
    h.answer_sync({{room("r1", "2088675309")}});
    h.pass(60000ms);
    CHECK(h.texts() == 0);
}

TEST_CASE("undo: a STOP while the reply waits blocks it when it would leave, noted in its thread") {
    UndoHarness h;
    h.reply("m1");
    REQUIRE(h.waiting("m1"));
    CustomerMessage stop = sms("+12088675309", "STOP");
    h.send(event_type::customer_message, stop);
    const size_t posts_before = h.commands(event_type::post_message).size();
    h.pass(10s);
    CHECK(h.texts() == 1);  // the STOP's own confirmation (Tropo's way), never the reply
    for (const SendSms& sent : h.payloads<SendSms>(event_type::send_sms)) {
        CHECK(sent.text != "On my way!");
    }
    CHECK_FALSE(h.waiting("m1"));
    bool noted = false;
    for (const PostMessage& post :
         h.payloads<PostMessage>(event_type::post_message, posts_before)) {
        if (post.parent_id == "m1" && post.markdown.find("opted out") != std::string::npos) {
            noted = true;
        }
    }
    CHECK(noted);
    CHECK(h.core->counters().replies_blocked == 1);
}
