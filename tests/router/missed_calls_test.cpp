// A missed call's text-back (missed_calls.h, MISSED_CALL_TEXT): one SMS per call, after the
// caller's room is known, through the SMS policy, and remembered across restarts.
#include "missed_calls.h"

#include "core_harness.h"
#include "router_config.h"

using namespace sb;
using namespace sb::router;
using namespace sb::router::testing;

namespace {

const std::string kText = "Sorry we missed you. Text us here.";
const std::string kCaller = "+12088675309";

Settings with_text(std::string text = kText) {
    Settings settings = test_settings();
    settings.missed_call_text = std::move(text);
    return settings;
}

CustomerMessage call_ended(std::string call_id, std::string outcome, std::string detail,
                           std::string customer = kCaller) {
    CustomerMessage message = call(std::move(customer), std::move(call_id));
    message.call->reply_to.clear();
    message.call->outcome = std::move(outcome);
    message.call->detail = std::move(detail);
    return message;
}

std::vector<SendSms> texts(const Harness& h) {
    return h.payloads<SendSms>(event_type::send_sms);
}

}  // namespace

TEST_CASE("missed calls: each outcome, with the text on and off") {
    struct Row {
        const char* name;
        const char* outcome;
        std::string text;
        size_t notes;
        size_t sms;
    };
    const Row rows[] = {
        {"missed, text on: note and one SMS", "missed", kText, 1, 1},
        {"missed, text off: the note only", "missed", "", 1, 0},
        {"answered: nothing", "answered", kText, 0, 0},
    };
    for (const Row& row : rows) {
        CAPTURE(row.name);
        Harness h(with_text(row.text));
        h.start_with({room("r1", "2088675309")});
        h.send(event_type::customer_message, call_ended("CA1", row.outcome, "no-answer"));
        CHECK(h.payloads<PostMessage>(event_type::post_message).size() == row.notes);
        const auto sent = texts(h);
        REQUIRE(sent.size() == row.sms);
        if (row.sms == 0) continue;
        CHECK(sent[0].to == kCaller);
        CHECK(sent[0].text == kText);
        CHECK(sent[0].room_id == "r1");  // a failure report lands in the caller's room
        CHECK(sent[0].agent_message_id.empty());
        CHECK(h.commands(event_type::send_sms)[0].topic == topics::sms_to_send);
        CHECK(h.core->counters().missed_call_texts == 1);
    }
}

TEST_CASE("missed calls: the same call reported again is texted once, another call again") {
    Harness h(with_text());
    h.start_with({room("r1", "2088675309")});
    h.send(event_type::customer_message, call_ended("CA1", "missed", "no-answer"));
    h.send(event_type::customer_message, call_ended("CA1", "missed", "no-answer"));  // a retry
    CHECK(texts(h).size() == 1);
    h.send(event_type::customer_message, call_ended("CA2", "missed", "busy"));
    CHECK(texts(h).size() == 2);
    CHECK(h.core->counters().missed_calls == 3);  // each report is still noted
}

TEST_CASE("missed calls: a first-time caller is texted once their room exists, not before") {
    Harness h(with_text());
    h.start_with({});
    h.send(event_type::customer_message, call_ended("CA1", "missed", "no-answer"));
    CHECK(texts(h).empty());  // no room yet: the note asked for one
    REQUIRE(h.last_command(event_type::create_room) != nullptr);
    h.create_room_answer(kCaller, "r-new");
    const auto sent = texts(h);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].room_id == "r-new");
    CHECK(h.payloads<PostMessage>(event_type::post_message).size() == 1);  // the note
    // No welcome SMS for a call alone: the text-back is the only SMS.
    h.send(event_type::customer_message, call_ended("CA1", "missed", "no-answer"));
    CHECK(texts(h).size() == 1);
}

TEST_CASE("missed calls: two calls missed before the room exists get one SMS between them") {
    Harness h(with_text());
    h.start_with({});
    h.send(event_type::customer_message, call_ended("CA1", "missed", "no-answer"));
    h.send(event_type::customer_message, call_ended("CA2", "missed", "busy"));
    h.create_room_answer(kCaller, "r-new");
    CHECK(texts(h).size() == 1);
    h.send(event_type::customer_message, call_ended("CA2", "missed", "busy"));
    CHECK(texts(h).size() == 1);  // both calls are remembered as texted
}

TEST_CASE("missed calls: a restart does not text the same call again") {
    Harness h(with_text());
    h.start_with({room("r1", "2088675309")});
    h.confirm_posts = false;  // the note stays unposted: the call is handed over again
    h.send(event_type::customer_message, call_ended("CA1", "missed", "no-answer"));
    REQUIRE(texts(h).size() == 1);
    REQUIRE(h.pending.size() == 1);
    h.restart();  // the held call comes back to a fresh core, with what the journal kept
    h.answer_sync({{room("r1", "2088675309")}});
    REQUIRE(h.core->ready());
    CHECK(texts(h).size() == 1);
    // Another gateway's re-publication after the restart changes nothing either.
    h.send(event_type::customer_message, call_ended("CA1", "missed", "no-answer"));
    CHECK(texts(h).size() == 1);
}

TEST_CASE("missed calls: without the memory of the text-back, the restart would text again") {
    // The same scenario with the journal's memory lost: proves the memory is what prevents it.
    Harness h(with_text());
    h.start_with({room("r1", "2088675309")});
    h.confirm_posts = false;
    h.send(event_type::customer_message, call_ended("CA1", "missed", "no-answer"));
    REQUIRE(texts(h).size() == 1);
    h.remembered.clear();
    h.restart();
    h.answer_sync({{room("r1", "2088675309")}});
    CHECK(texts(h).size() == 2);
}

TEST_CASE("missed calls: the SMS policy decides for a caller who never texted") {
    Harness h(with_text());
    h.start_with({room("r1", "Jean +33612345678")});
    // France is not an allowed country: no SMS, and the room says why.
    h.send(event_type::customer_message, call_ended("CA1", "missed", "no-answer", "+33612345678"));
    CHECK(texts(h).empty());
    bool told = false;
    for (const PostMessage& post : h.payloads<PostMessage>(event_type::post_message)) {
        if (post.markdown.find("No missed-call SMS sent") != std::string::npos) told = true;
    }
    CHECK(told);
    CHECK(h.core->counters().sms_refused_country == 1);
    CHECK(h.core->counters().missed_call_texts == 0);
}

TEST_CASE("missed calls: the ledger owes once per call and lets the oldest go past capacity") {
    MissedCalls calls(2);
    std::vector<Remembered> remember;
    calls.missed(kCaller, "CA1");
    calls.missed(kCaller, "CA1");
    CHECK(calls.owes(kCaller));
    CHECK(calls.take(kCaller, remember) == std::vector<std::string>{"CA1"});
    CHECK_FALSE(calls.owes(kCaller));
    CHECK(remember == std::vector<Remembered>{{"missed.CA1", true}});
    calls.missed(kCaller, "CA1");  // texted already
    CHECK_FALSE(calls.owes(kCaller));
    calls.missed(kCaller, "");  // no call id: nothing to key it by
    CHECK_FALSE(calls.owes(kCaller));
    calls.missed(kCaller, "CA2");
    calls.missed(kCaller, "CA3");
    remember.clear();
    CHECK(calls.take(kCaller, remember) == std::vector<std::string>{"CA2", "CA3"});
    CHECK(remember == std::vector<Remembered>{{"missed.CA2", true},
                                              {"missed.CA3", true},
                                              {"missed.CA1", std::nullopt}});

    MissedCalls restored(10);
    restored.restore({{"missed.CA7", true}, {"sms.hour", 3}, {"seen.m1", nullptr}});
    restored.missed(kCaller, "CA7");
    CHECK_FALSE(restored.owes(kCaller));
    restored.missed(kCaller, "m1");  // another kind of memory is not a call
    CHECK(restored.owes(kCaller));
}

TEST_CASE("settings: MISSED_CALL_TEXT defaults to an invitation, empty turns it off") {
    const auto read = [](Environment::Values values) {
        values.emplace("CUSTOMER_SERVICE_REDIRECT_DN", "+18005550199");
        values.emplace("SPARK_AGENT_TEAM_ID", "team");
        values.emplace("COMPANY_NAME", "Acme Outfitters");
        return read_settings(Environment(std::move(values)));
    };
    const std::string fallback = read({}).missed_call_text;
    CHECK(fallback == default_missed_call_text("Acme Outfitters"));
    CHECK(fallback.find("Acme Outfitters") != std::string::npos);
    CHECK(fallback.find("Text us") != std::string::npos);
    CHECK(fallback.size() <= 160);
    CHECK(read({{"MISSED_CALL_TEXT", ""}}).missed_call_text.empty());
    CHECK(read({{"MISSED_CALL_TEXT", "Call missed: text us!"}}).missed_call_text ==
          "Call missed: text us!");
    CHECK(read({{"MISSED_CALL_TEXT", std::string(160, 'x')}}).missed_call_text.size() == 160);
    CHECK_THROWS_WITH_AS(read({{"MISSED_CALL_TEXT", std::string(161, 'x')}}),
                         doctest::Contains("MISSED_CALL_TEXT"), ConfigError);
    CHECK_THROWS_WITH_AS(read({{"MISSED_CALL_TEXT", "bad \xff"}}),
                         doctest::Contains("MISSED_CALL_TEXT"), ConfigError);
}
