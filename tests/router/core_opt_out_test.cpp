// The core's opt-out hooks as scenarios (router_core_opt_out.cpp): keywords for each carrier,
// blocked replies noted in their thread, the carrier's refusal, restarts with and without the
// journal (the room titles' marks).
#include "core_harness.h"

using namespace sb;
using namespace sb::router;
using namespace sb::router::testing;

namespace {

const std::string kNumber = "+12088675309";
const std::string kTitle = "Tommy Tutone 2088675309";

CustomerMessage keyword_sms(const std::string& text, bool carrier_answers) {
    CustomerMessage message = sms(kNumber, text);
    message.carrier_answers_keywords = carrier_answers;
    return message;
}

// Answers the latest RenameRoom as spark-gateway does.
void answer_rename(Harness& h) {
    const Outbound rename = h.latest(event_type::rename_room);
    const auto request = rename.event.payload_as<RenameRoom>();
    h.send(event_type::room_renamed, RoomRenamed{request.room_id, request.title}, rename.event.id);
}

std::vector<PostMessage> posts_with(const Harness& h, const std::string& needle, size_t since = 0) {
    std::vector<PostMessage> found;
    for (const PostMessage& post : h.payloads<PostMessage>(event_type::post_message, since)) {
        if (post.markdown.find(needle) != std::string::npos) found.push_back(post);
    }
    return found;
}

}  // namespace

TEST_CASE(
    "opt-out, Tropo: STOP is confirmed once, blocks replies with a thread note, START undoes it") {
    Harness h;
    h.start_with({room("r1", kTitle)});

    h.send(event_type::customer_message, keyword_sms("Stop.", false));
    auto sends = h.payloads<SendSms>(event_type::send_sms);
    REQUIRE(sends.size() == 1);  // the one confirmation
    CHECK(sends[0].to == kNumber);
    CHECK(sends[0].text.rfind("Acme: you are unsubscribed", 0) == 0);
    CHECK(sends[0].room_id == "r1");
    // The customer's own post, then the note, with the time.
    const auto posts = h.payloads<PostMessage>(event_type::post_message);
    REQUIRE(posts.size() == 2);
    CHECK(posts[0].markdown.find("Stop") != std::string::npos);
    CHECK(posts[1].markdown.rfind("**Opted out** · 2026-05-01T10:00:00.000Z", 0) == 0);
    // The title carries the mark.
    auto renames = h.payloads<RenameRoom>(event_type::rename_room);
    REQUIRE(renames.size() == 1);
    CHECK(renames[0].room_id == "r1");
    CHECK(renames[0].title == "[opted out] Tommy Tutone 2088675309");
    answer_rename(h);
    CHECK(h.core->directory().room("r1")->title == "[opted out] Tommy Tutone 2088675309");
    CHECK(h.core->directory().room_of(kNumber)->id == "r1");  // still their room

    // An agent's reply is not texted: a note in its thread says why.
    const size_t before = h.published.size();
    h.send(event_type::agent_message,
           agent_says("r1", "[opted out] Tommy Tutone 2088675309", "are you there?", "webex-1"));
    CHECK(h.payloads<SendSms>(event_type::send_sms, before).empty());
    auto blocked = posts_with(h, "opted out", before);
    REQUIRE(blocked.size() == 1);
    CHECK(blocked[0].parent_id == "webex-1");
    CHECK(blocked[0].room_id == "r1");
    CHECK(h.core->counters().replies_blocked == 1);

    // START: confirmed, noted, the mark goes, and replies reach them again.
    h.send(event_type::customer_message, keyword_sms("START", false));
    sends = h.payloads<SendSms>(event_type::send_sms, before);
    REQUIRE(sends.size() == 1);
    CHECK(sends[0].text.find("resubscribed") != std::string::npos);
    CHECK(posts_with(h, "**Opted in** · ", before).size() == 1);
    renames = h.payloads<RenameRoom>(event_type::rename_room, before);
    REQUIRE(renames.size() == 1);
    CHECK(renames[0].title == kTitle);
    answer_rename(h);
    const size_t after_start = h.published.size();
    h.send(event_type::agent_message, agent_says("r1", kTitle, "welcome back", "webex-2"));
    sends = h.payloads<SendSms>(event_type::send_sms, after_start);
    REQUIRE(sends.size() == 1);
    CHECK(sends[0].text == "welcome back");
    CHECK(sends[0].agent_message_id == "webex-2");
    CHECK(h.core->counters().opt_outs == 1);
    CHECK(h.core->counters().opt_ins == 1);
    CHECK(h.core->counters().keyword_answers == 2);
}

TEST_CASE("opt-out, Twilio: the carrier answers the keywords, the router still keeps the state") {
    Harness h;
    h.start_with({room("r1", kTitle)});
    h.send(event_type::customer_message, keyword_sms("STOP", true));
    CHECK(h.payloads<SendSms>(event_type::send_sms).empty());  // Twilio confirmed it already
    const auto notes = posts_with(h, "**Opted out**");
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].markdown.find("carrier confirmed") != std::string::npos);
    h.send(event_type::agent_message, agent_says("r1", kTitle, "hello?", "webex-1"));
    CHECK(h.payloads<SendSms>(event_type::send_sms).empty());
    CHECK(posts_with(h, "opted out").size() == 1);

    h.send(event_type::customer_message, keyword_sms("help", true));
    CHECK(h.payloads<SendSms>(event_type::send_sms).empty());
    CHECK(posts_with(h, "**Asked for help**").size() == 1);
    h.send(event_type::customer_message, keyword_sms("unstop", true));
    CHECK(h.payloads<SendSms>(event_type::send_sms).empty());
    h.send(event_type::agent_message, agent_says("r1", kTitle, "hi again", "webex-2"));
    const auto sends = h.payloads<SendSms>(event_type::send_sms);
    REQUIRE(sends.size() == 1);
    CHECK(sends[0].text == "hi again");
}

TEST_CASE("opt-out, Twilio: a STOP with punctuation is confirmed by the router (Twilio may not)") {
    Harness h;
    h.start_with({room("r1", kTitle)});
    h.send(event_type::customer_message, keyword_sms("Stop!", true));
    const auto sends = h.payloads<SendSms>(event_type::send_sms);
    REQUIRE(sends.size() == 1);
    CHECK(sends[0].text.find("unsubscribed") != std::string::npos);
    h.send(event_type::agent_message, agent_says("r1", kTitle, "hello?", "webex-1"));
    CHECK(h.payloads<SendSms>(event_type::send_sms).size() == 1);  // opted out all the same
}

TEST_CASE("HELP: one SMS naming the company and how to opt out, the state unchanged") {
    for (const bool opted_out : {false, true}) {
        CAPTURE(opted_out);
        Harness h;
        h.start_with({room("r1", kTitle)});
        if (opted_out) h.send(event_type::customer_message, keyword_sms("STOP", false));
        const size_t before = h.published.size();
        h.send(event_type::customer_message, keyword_sms("Help!", false));
        const auto sends = h.payloads<SendSms>(event_type::send_sms, before);
        REQUIRE(sends.size() == 1);  // HELP is always answered
        CHECK(sends[0].text.find("Acme") != std::string::npos);
        CHECK(sends[0].text.find("Reply STOP to opt out") != std::string::npos);
        CHECK(posts_with(h, "**Asked for help** · ", before).size() == 1);
        CHECK(h.core->counters().help_requests == 1);
        h.send(event_type::agent_message, agent_says("r1", kTitle, "how can I help", "webex-1"));
        CHECK(h.payloads<SendSms>(event_type::send_sms, before).size() == (opted_out ? 1 : 2));
    }
}

TEST_CASE("a keyword inside a longer message is an ordinary message") {
    for (const char* text : {"STOP PLEASE", "please stop", "stop it now", "yes please"}) {
        CAPTURE(text);
        Harness h;
        h.start_with({room("r1", kTitle)});
        h.send(event_type::customer_message, keyword_sms(text, false));
        CHECK(h.payloads<SendSms>(event_type::send_sms).empty());
        CHECK(h.payloads<PostMessage>(event_type::post_message).size() == 1);  // no note
        CHECK(h.payloads<RenameRoom>(event_type::rename_room).empty());
        h.send(event_type::agent_message, agent_says("r1", kTitle, "sure", "webex-1"));
        CHECK(h.payloads<SendSms>(event_type::send_sms).size() == 1);
    }
}

TEST_CASE("only an SMS is a keyword: STOP typed into the web form changes nothing") {
    Harness h;
    h.start_with({room("r1", kTitle)});
    CustomerMessage web = sms(kNumber, "STOP");
    web.channel = "web";
    web.email = "tommy@example.com";
    h.send(event_type::customer_message, web);
    h.send(event_type::agent_message, agent_says("r1", kTitle, "hi", "webex-1"));
    CHECK(h.payloads<SendSms>(event_type::send_sms).size() == 1);
}

TEST_CASE("a new customer whose first SMS is STOP gets the confirmation and no welcome") {
    Harness h;
    h.start_with({});
    h.send(event_type::customer_message, keyword_sms("STOP", false));
    auto sends = h.payloads<SendSms>(event_type::send_sms);
    REQUIRE(sends.size() == 1);  // at once, before the room exists
    CHECK(sends[0].text.find("unsubscribed") != std::string::npos);
    CHECK(sends[0].room_id.empty());
    h.create_room_answer(kNumber, "r-new");
    sends = h.payloads<SendSms>(event_type::send_sms);
    CHECK(sends.size() == 1);  // no welcome
    CHECK(h.core->counters().sms_withheld_opted_out == 1);
    CHECK(posts_with(h, "**Opted out**").size() == 1);  // noted once the room exists
    const auto renames = h.payloads<RenameRoom>(event_type::rename_room);
    REQUIRE(renames.size() == 1);
    CHECK(renames[0].title == "[opted out] 2088675309");
}

TEST_CASE("the welcome SMS says how to opt out") {
    Harness h;
    h.start_with({});
    h.send(event_type::customer_message, sms(kNumber, "hello"));
    h.create_room_answer(kNumber, "r-new");
    const auto sends = h.payloads<SendSms>(event_type::send_sms);
    REQUIRE(sends.size() == 1);
    CHECK(sends[0].text.find("Reply STOP to opt out") != std::string::npos);
}

TEST_CASE("a carrier's refusal (Twilio 21610) opts the customer out like a STOP") {
    Harness h;
    h.start_with({room("r1", kTitle)});
    DeliveryReport report{kNumber, "opted_out", 0, "the customer replied STOP", "r1"};
    report.agent_message_id = "webex-1";
    report.carrier_code = "21610";
    h.send(event_type::delivery_report, report);
    const auto notes = posts_with(h, "opted out");
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].parent_id == "webex-1");
    CHECK(h.payloads<RenameRoom>(event_type::rename_room).size() == 1);
    const size_t before = h.published.size();
    h.send(event_type::agent_message, agent_says("r1", kTitle, "still there?", "webex-2"));
    CHECK(h.payloads<SendSms>(event_type::send_sms, before).empty());
    const auto blocked = posts_with(h, "opted out", before);
    REQUIRE(blocked.size() == 1);
    CHECK(blocked[0].parent_id == "webex-2");
    CHECK(h.remembered.size() >= 1);
}

TEST_CASE(
    "restart with the journal: still opted out, and a STOP handed back is not answered twice") {
    Harness h;
    h.start_with({room("r1", kTitle)});
    h.confirm_posts = false;  // the STOP's posts never complete: it stays held
    h.send(event_type::customer_message, keyword_sms("STOP", false));
    REQUIRE(h.payloads<SendSms>(event_type::send_sms).size() == 1);
    REQUIRE(h.pending.size() == 1);

    h.confirm_posts = true;
    h.restart();  // kill -9: the journal hands the STOP back
    h.answer_sync({{room("r1", kTitle)}});
    CHECK(h.payloads<SendSms>(event_type::send_sms).size() == 1);  // not confirmed twice
    CHECK(posts_with(h, "**Opted out**").size() == 1);             // the note, once
    const size_t before = h.published.size();
    h.send(event_type::agent_message, agent_says("r1", kTitle, "hello", "webex-1"));
    CHECK(h.payloads<SendSms>(event_type::send_sms, before).empty());
    CHECK(posts_with(h, "opted out", before).size() == 1);
}

TEST_CASE("restart without the journal: the room title's mark rebuilds the opt-out") {
    Harness h;
    h.start_with({room("r1", kTitle)});
    h.send(event_type::customer_message, keyword_sms("STOP", true));
    answer_rename(h);
    // DATA_DIR lost: nothing comes back but what Webex has.
    h.remembered.clear();
    h.memory.clear();
    h.pending.clear();
    h.restart();
    h.answer_sync({{room("r1", "[opted out] Tommy Tutone 2088675309")}});
    CHECK(h.core->counters().opt_outs_from_titles == 1);
    CHECK(h.core->directory().room_of(kNumber)->id == "r1");
    const size_t before = h.published.size();
    h.send(event_type::agent_message,
           agent_says("r1", "[opted out] Tommy Tutone 2088675309", "hello", "webex-1"));
    CHECK(h.payloads<SendSms>(event_type::send_sms, before).empty());
    CHECK(posts_with(h, "opted out", before).size() == 1);
    // Adopted facts are remembered again, so the next loss of the titles alone loses nothing.
    bool remembered = false;
    for (const auto& [key, value] : h.remembered) remembered |= key == "optout." + kNumber;
    CHECK(remembered);
    // START still opts them back in.
    h.send(event_type::customer_message, keyword_sms("START", true));
    CHECK(h.payloads<RenameRoom>(event_type::rename_room, before).back().title == kTitle);
}

TEST_CASE("an agent's message carrying a marked title counts when the journal has no record") {
    Harness h;
    h.start_with({room("r1", kTitle)});  // the listing said nothing yet
    h.send(event_type::agent_message,
           agent_says("r1", "[opted out] Tommy Tutone 2088675309", "hello", "webex-1"));
    CHECK(h.payloads<SendSms>(event_type::send_sms).empty());
    CHECK(posts_with(h, "opted out").size() == 1);
}

TEST_CASE("the journal wins: a title that disagrees with it is renamed at the next sync") {
    Harness h;
    h.start_with({room("r1", kTitle)});
    h.send(event_type::customer_message, keyword_sms("STOP", true));
    answer_rename(h);
    h.send(event_type::customer_message, keyword_sms("START", true));
    answer_rename(h);
    // An agent (or an old backup) puts the mark back: the customer is still opted in.
    const size_t before = h.published.size();
    h.tick(600s);
    h.answer_sync({{room("r1", "[opted out] Tommy Tutone 2088675309")}});
    const auto renames = h.payloads<RenameRoom>(event_type::rename_room, before);
    REQUIRE(renames.size() == 1);
    CHECK(renames[0].title == kTitle);
    h.send(event_type::agent_message, agent_says("r1", kTitle, "hi", "webex-1"));
    CHECK(h.payloads<SendSms>(event_type::send_sms, before).size() == 1);
}

TEST_CASE("a rename Webex refuses is tried again after the next sync, not before") {
    Harness h;
    h.start_with({room("r1", kTitle)});
    h.send(event_type::customer_message, keyword_sms("STOP", true));
    const Outbound rename = h.latest(event_type::rename_room);
    h.send(event_type::command_failed,
           CommandFailed{std::string(event_type::rename_room), "busy", 503}, rename.event.id);
    h.send(event_type::customer_message, sms(kNumber, "one more thing"));
    CHECK(h.payloads<RenameRoom>(event_type::rename_room).size() == 1);
    h.tick(600s);
    h.answer_sync({{room("r1", kTitle)}});
    CHECK(h.payloads<RenameRoom>(event_type::rename_room).size() == 2);
    CHECK(h.core->counters().post_failures == 0);  // not mistaken for a post's failure
}

TEST_CASE("the router's own SMS are withheld from an opted-out customer") {
    Settings settings = test_settings();
    settings.assign_agents = true;
    Harness h(settings);
    h.start_with({room("general", "General", "2025-01-01T00:00:00.000Z"), room("r1", kTitle)});
    h.send(event_type::customer_message, keyword_sms("STOP", true));
    h.tick(121s);  // unanswered: an assignment look-up
    const Outbound members = h.latest(event_type::list_room_members);
    h.send(event_type::room_members, RoomMembers{"r1", {}}, members.event.id);
    const Outbound team = h.latest(event_type::list_team_members);
    h.send(event_type::team_members, TeamMembers{{}}, team.event.id);
    CHECK(h.payloads<SendSms>(event_type::send_sms).empty());  // no "agents are busy"
    CHECK(h.core->counters().customers_waiting == 1);
    CHECK(h.core->counters().sms_withheld_opted_out == 1);
}

TEST_CASE("a thread note Webex does not take is retried like a post, also after a restart") {
    Harness h;
    h.start_with({room("r1", kTitle)});
    h.confirm_posts = false;
    DeliveryReport report{kNumber, "opted_out", 0, "the customer replied STOP", "r1"};
    report.agent_message_id = "webex-1";
    h.send(event_type::delivery_report, report);
    auto notes = h.commands(event_type::post_message);
    REQUIRE(notes.size() == 1);
    h.fail_post(notes[0], 503, "Webex is down");
    h.tick(4s);
    CHECK(h.commands(event_type::post_message).size() == 1);  // the first pause is 5 s
    h.tick(1s);
    notes = h.commands(event_type::post_message);
    REQUIRE(notes.size() == 2);
    CHECK(notes[1].event.payload_as<PostMessage>().parent_id == "webex-1");
    CHECK(notes[1].event.id != notes[0].event.id);
    // kill -9 before Webex answered: the new life posts it again, once.
    h.restart();
    h.answer_sync({{room("r1", kTitle)}});
    h.tick(1s);
    notes = h.commands(event_type::post_message);
    REQUIRE(notes.size() == 3);
    CHECK(notes[2].event.payload_as<PostMessage>().markdown ==
          notes[0].event.payload_as<PostMessage>().markdown);
    h.answer_post(notes[2]);
    h.tick(300s);
    CHECK(h.commands(event_type::post_message).size() == 3);  // done: not posted again
    for (const auto& [key, value] : h.remembered) CHECK(key.rfind("note.", 0) != 0);
}

TEST_CASE("a thread note for a room that is gone is dropped, not retried forever") {
    Harness h;
    h.start_with({room("r1", kTitle)});
    h.confirm_posts = false;
    h.send(event_type::delivery_report,
           DeliveryReport{kNumber, "undelivered", 1, "the phone is switched off", "r1"});
    const auto notes = h.commands(event_type::post_message);
    REQUIRE(notes.size() == 1);
    h.fail_post(notes[0], 404, "room not found");
    h.tick(300s);
    CHECK(h.commands(event_type::post_message).size() == 1);
    for (const auto& [key, value] : h.remembered) CHECK(key.rfind("note.", 0) != 0);
}
