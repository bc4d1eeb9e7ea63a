// The opt-out rules alone (sms_keywords.h, opt_out.h, opt_out_text.h): every keyword, every
// state transition, the title marks, and what a new life gets back from the journal.
#include "opt_out.h"

#include <doctest/doctest.h>

#include "opt_out_text.h"
#include "sms_keywords.h"

using namespace sb;
using namespace sb::router;

TEST_CASE("keywords: the whole text, trimmed, any case, punctuation after it counts") {
    struct Row {
        const char* text;
        Keyword expected;
    };
    const Row rows[] = {
        // Opt out: every word US carriers expect.
        {"STOP", Keyword::opt_out},
        {"UNSUBSCRIBE", Keyword::opt_out},
        {"END", Keyword::opt_out},
        {"QUIT", Keyword::opt_out},
        {"STOPALL", Keyword::opt_out},
        {"REVOKE", Keyword::opt_out},
        {"OPTOUT", Keyword::opt_out},
        {"CANCEL", Keyword::opt_out},
        // Back in.
        {"START", Keyword::opt_in},
        {"YES", Keyword::opt_in},
        {"UNSTOP", Keyword::opt_in},
        // Help.
        {"HELP", Keyword::help},
        {"INFO", Keyword::help},
        // Any case, trimmed, trailing punctuation.
        {"stop", Keyword::opt_out},
        {"Stop", Keyword::opt_out},
        {"  sToP \r\n", Keyword::opt_out},
        {"Stop.", Keyword::opt_out},
        {"STOP!", Keyword::opt_out},
        {"stop!!!", Keyword::opt_out},
        {"Stop ?", Keyword::opt_out},
        {"cancel...", Keyword::opt_out},
        {"Unstop!", Keyword::opt_in},
        {"yes.", Keyword::opt_in},
        {"help?", Keyword::help},
        {"\tInfo\n", Keyword::help},
        // Ordinary messages: a keyword inside a longer text is not one.
        {"STOP PLEASE", Keyword::none},
        {"please stop", Keyword::none},
        {"stop it", Keyword::none},
        {"STOP STOP", Keyword::none},
        {"I want to cancel my order", Keyword::none},
        {"yes please", Keyword::none},
        {"help me", Keyword::none},
        {"STOPP", Keyword::none},
        {"S TOP", Keyword::none},
        {"stopall!", Keyword::opt_out},
        {"OPT OUT", Keyword::none},  // two words: not the carriers' keyword
        {"STARTED", Keyword::none},
        {"", Keyword::none},
        {"   ", Keyword::none},
        {"!!!", Keyword::none},
        {".STOP", Keyword::none},  // punctuation before it: not the whole text
    };
    for (const Row& row : rows) {
        CAPTURE(row.text);
        CHECK(classify_keyword(row.text) == row.expected);
    }
    CHECK(keyword_word("  Stop!! ") == "Stop");
    CHECK(bare_keyword(" stop\n"));
    CHECK_FALSE(bare_keyword("Stop."));
    CHECK_FALSE(bare_keyword("STOP PLEASE"));
}

TEST_CASE("keyword effects: the state each sets, and who answers it") {
    struct Row {
        Keyword keyword;
        bool carrier_answers;
        KeywordEffects expected;
    };
    const Row rows[] = {
        {Keyword::opt_out, false, {true, true}},        // Tropo: the router confirms
        {Keyword::opt_out, true, {true, false}},        // Twilio: Twilio confirms
        {Keyword::opt_in, false, {false, true}},        //
        {Keyword::opt_in, true, {false, false}},        //
        {Keyword::help, false, {std::nullopt, true}},   // no state; the router answers
        {Keyword::help, true, {std::nullopt, false}},   //
        {Keyword::none, false, {std::nullopt, false}},  // an ordinary message
        {Keyword::none, true, {std::nullopt, false}},   //
    };
    for (const Row& row : rows) {
        CAPTURE(static_cast<int>(row.keyword));
        CAPTURE(row.carrier_answers);
        CHECK(keyword_effects(row.keyword, row.carrier_answers) == row.expected);
    }
}

TEST_CASE("opt-out state: every transition, and whether it changed anything") {
    // (state before, event) -> (changed, state after). "unknown" is no record at all.
    enum class Before { unknown, in, out };
    enum class Event { stop, start, carrier_refused, title_marked, title_plain };
    struct Row {
        Before before;
        Event event;
        bool changed;
        bool after;
    };
    const Row rows[] = {
        {Before::unknown, Event::stop, true, true},
        {Before::unknown, Event::start, false, false},  // recorded, nothing anyone sees
        {Before::unknown, Event::carrier_refused, true, true},
        {Before::unknown, Event::title_marked, true, true},  // the journal was lost: adopted
        {Before::unknown, Event::title_plain, false, false},
        {Before::in, Event::stop, true, true},
        {Before::in, Event::start, false, false},
        {Before::in, Event::carrier_refused, true, true},
        {Before::in, Event::title_marked, false, false},  // the journal wins over a title
        {Before::in, Event::title_plain, false, false},
        {Before::out, Event::stop, false, true},
        {Before::out, Event::start, true, false},
        {Before::out, Event::carrier_refused, false, true},
        {Before::out, Event::title_marked, false, true},
        {Before::out, Event::title_plain, false, true},  // an agent's rename opts nobody in
    };
    const std::string number = "+12088675309";
    for (const Row& row : rows) {
        CAPTURE(static_cast<int>(row.before));
        CAPTURE(static_cast<int>(row.event));
        OptOuts opt_outs;
        if (row.before != Before::unknown) {
            opt_outs.set(number, row.before == Before::out, OptOutSource::keyword, "t0");
        }
        opt_outs.take_changes();
        bool changed = false;
        switch (row.event) {
            case Event::stop:
                changed = opt_outs.set(number, true, OptOutSource::keyword, "t1");
                break;
            case Event::start:
                changed = opt_outs.set(number, false, OptOutSource::keyword, "t1");
                break;
            case Event::carrier_refused:
                changed = opt_outs.set(number, true, OptOutSource::carrier, "t1");
                break;
            case Event::title_marked:
                changed = opt_outs.adopt_title(number, "[opted out] Tommy 2088675309", "t1");
                break;
            case Event::title_plain:
                changed = opt_outs.adopt_title(number, "Tommy 2088675309", "t1");
                break;
        }
        CHECK(changed == row.changed);
        CHECK(opt_outs.opted_out(number) == row.after);
        CHECK(!opt_outs.opted_out("+12085550100"));  // nobody else
        // What changed is remembered, in the same step.
        const auto changes = opt_outs.take_changes();
        if (row.changed) {
            REQUIRE(changes.size() == 1);
            CHECK(changes[0].key == "optout.+12088675309");
            CHECK(changes[0].value->at("opted_out") == row.after);
        }
    }
}

TEST_CASE("title marks: added once, removed, read in any case, the number kept at the end") {
    CHECK(marked_title("Tommy Tutone 2088675309") == "[opted out] Tommy Tutone 2088675309");
    CHECK(marked_title("[opted out] 2088675309") == "[opted out] 2088675309");
    CHECK(unmarked_title("[opted out] Tommy Tutone 2088675309") == "Tommy Tutone 2088675309");
    CHECK(unmarked_title("[Opted Out] [opted out] 2088675309") == "2088675309");
    CHECK(unmarked_title("Tommy 2088675309") == "Tommy 2088675309");
    CHECK(title_marked("[OPTED OUT] 2088675309"));
    CHECK(title_marked("  [opted out] 2088675309"));
    CHECK_FALSE(title_marked("Tommy [opted out] 2088675309"));  // only at the start
    CHECK_FALSE(title_marked("2088675309"));

    OptOuts opt_outs;
    CHECK_FALSE(opt_outs.title_wanted("+12088675309", "2088675309"));  // no record: no rename
    opt_outs.set("+12088675309", true, OptOutSource::keyword, "t");
    CHECK(opt_outs.title_wanted("+12088675309", "2088675309") == "[opted out] 2088675309");
    CHECK_FALSE(opt_outs.title_wanted("+12088675309", "[opted out] 2088675309"));
    opt_outs.set("+12088675309", false, OptOutSource::keyword, "t");
    CHECK(opt_outs.title_wanted("+12088675309", "[opted out] 2088675309") == "2088675309");
}

TEST_CASE("opt-out memory: a new life gets the states and the answered keywords back") {
    OptOuts first;
    first.set("+12088675309", true, OptOutSource::keyword, "2026-05-01T10:00:00.000Z");
    first.mark_answered("+12088675309", "evt-1");
    first.set("+447911123456", false, OptOutSource::keyword, "t");
    Memory memory;
    for (const Remembered& change : first.take_changes()) {
        memory.emplace_back(change.key, *change.value);
    }
    // Keys that are not the opt-outs', and malformed records, are skipped.
    memory.emplace_back("seen.m1", nullptr);
    memory.emplace_back("optout.+12085550100", "not an object");
    memory.emplace_back("optout.+12085550101", nlohmann::json{{"opted_out", "yes"}});
    memory.emplace_back("optout.+12085550102", nlohmann::json{{"opted_out", true}, {"at", 5}});

    OptOuts second;
    second.restore(memory);
    CHECK(second.opted_out("+12088675309"));
    CHECK(second.answered("+12088675309", "evt-1"));
    CHECK_FALSE(second.answered("+12088675309", "evt-2"));
    CHECK_FALSE(second.opted_out("+447911123456"));
    CHECK(second.known("+447911123456"));
    CHECK_FALSE(second.known("+12085550100"));
    CHECK_FALSE(second.known("+12085550101"));
    CHECK(second.opted_out("+12085550102"));
    CHECK(second.opted_out_count() == 2);
}

TEST_CASE("answered keywords: the last few per customer are kept") {
    OptOuts opt_outs;
    for (int i = 0; i < 20; ++i) opt_outs.mark_answered("+12088675309", "evt-" + std::to_string(i));
    CHECK(opt_outs.answered("+12088675309", "evt-19"));
    CHECK(opt_outs.answered("+12088675309", "evt-12"));
    CHECK_FALSE(opt_outs.answered("+12088675309", "evt-0"));
}

TEST_CASE("opt-out wording: notes with the time, answers naming the company") {
    CustomerMessage stop;
    stop.customer = "+12088675309";
    stop.channel = "sms";
    stop.text = "Stop.";
    stop.received_at = "2026-05-01T10:00:00.000Z";
    const auto note = keyword_note(stop);
    REQUIRE(note);
    CHECK(note->rfind("**Opted out** · 2026-05-01T10:00:00.000Z", 0) == 0);
    CHECK(note->find("STOP") != std::string::npos);
    CHECK(note->find("opted out") == std::string::npos);  // kept for notes of blocked SMS
    CHECK(note->find("sent one SMS confirming") != std::string::npos);
    stop.carrier_answers_keywords = true;  // but "Stop." may not be a STOP to the carrier
    CHECK(keyword_note(stop)->find("sent one SMS confirming") != std::string::npos);
    stop.text = "STOP";
    CHECK(keyword_note(stop)->find("carrier confirmed") != std::string::npos);

    CustomerMessage start = stop;
    start.text = "start";
    CHECK(keyword_note(start)->rfind("**Opted in** · ", 0) == 0);
    CustomerMessage help = stop;
    help.text = "INFO";
    CHECK(keyword_note(help)->rfind("**Asked for help** · ", 0) == 0);
    CustomerMessage ordinary = stop;
    ordinary.text = "STOP PLEASE";
    CHECK_FALSE(keyword_note(ordinary));
    CustomerMessage web = stop;
    web.channel = "web";  // only an SMS is a keyword
    CHECK_FALSE(keyword_note(web));

    CHECK(keyword_answer(Keyword::opt_out, "Acme", "+18005550199").rfind("Acme: ", 0) == 0);
    CHECK(keyword_answer(Keyword::opt_out, "Acme", "").find("START") != std::string::npos);
    const std::string help_text = keyword_answer(Keyword::help, "Acme", "+18005550199");
    CHECK(help_text.find("Acme") != std::string::npos);
    CHECK(help_text.find("STOP to opt out") != std::string::npos);
    CHECK(help_text.find("+18005550199") != std::string::npos);
    CHECK(help_text.size() <= 160);  // one SMS
    CHECK(keyword_answer(Keyword::none, "Acme", "").empty());
    CHECK(reply_blocked_note("+12088675309").find("opted out") != std::string::npos);
}
