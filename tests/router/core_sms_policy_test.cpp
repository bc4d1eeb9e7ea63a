// SMS pumping through the core: the welcome, an agent's reply and "agents are busy" go to a
// number that never texted us only in an allowed country and (the router's own) under the
// hourly cap; otherwise the room gets the message and a note saying why. Restarts keep both.
#include <doctest/doctest.h>

#include "core_harness.h"

using namespace sb;
using namespace sb::router;
using namespace sb::router::testing;

namespace {

constexpr const char* kFrench = "+33612345678";  // FR: not in the allowed list
constexpr const char* kUs = "+12085550150";

Settings us_only(std::uint32_t per_hour = 1) {
    Settings settings = test_settings();
    settings.sms = SmsRules{{"US"}, per_hour};
    return settings;
}

CustomerMessage from(std::string number, std::string channel, std::string text = "hello") {
    CustomerMessage message = sms(std::move(number), std::move(text));
    message.channel = std::move(channel);
    if (message.channel == "web") message.email = "someone@example.com";
    return message;
}

// A new customer writes; their room is made. Returns the room id.
std::string new_customer(Harness& h, const std::string& number, const std::string& channel) {
    h.send(event_type::customer_message, from(number, channel));
    std::string room_id = "room-" + number.substr(1);  // not const: returned by a move
    h.create_room_answer(number, room_id);
    return room_id;
}

std::vector<std::string> notes_in(const Harness& h, const std::string& room_id,
                                  const std::string& headline) {
    std::vector<std::string> found;
    for (const auto& post : h.payloads<PostMessage>(event_type::post_message)) {
        if (post.room_id == room_id && post.markdown.find(headline) != std::string::npos) {
            found.push_back(post.markdown);
        }
    }
    return found;
}

size_t texts_to(const Harness& h, const std::string& number) {
    size_t count = 0;
    for (const auto& text : h.payloads<SendSms>(event_type::send_sms)) count += text.to == number;
    return count;
}

}  // namespace

TEST_CASE("the welcome: country x texted in x cap") {
    struct Row {
        const char* number;
        const char* channel;
        bool cap_spent;       // another never-texted customer had this hour's one welcome
        const char* refused;  // "" (welcomed), "country", "cap"
    };
    const Row rows[] = {
        {kUs, "web", false, ""},
        {kUs, "api", false, ""},
        {kUs, "web", true, "cap"},
        {kUs, "api", true, "cap"},
        {kFrench, "web", false, "country"},
        {kFrench, "api", true, "country"},
        {"+18765550123", "web", false, "country"},  // +1 but Jamaica
        {kUs, "sms", true, ""},
        {kFrench, "sms", false, ""},
        {kFrench, "sms", true, ""},
    };
    for (const Row& row : rows) {
        CAPTURE(row.number);
        CAPTURE(row.channel);
        CAPTURE(row.cap_spent);
        Harness h(us_only(1));
        h.start_with({room("general", "General")});
        if (row.cap_spent) new_customer(h, "+12085550199", "web");
        const size_t welcomes_before = h.core->counters().welcomes;
        const std::string room_id = new_customer(h, row.number, row.channel);

        // The message is in the room whatever happens to the SMS.
        const auto posts = h.payloads<PostMessage>(event_type::post_message);
        CHECK(std::any_of(posts.begin(), posts.end(), [&](const PostMessage& post) {
            return post.room_id == room_id && post.markdown.find("hello") != std::string::npos;
        }));
        CHECK(h.pending.empty());
        const auto notes = notes_in(h, room_id, "No welcome SMS sent");
        const std::string refused = row.refused;
        if (refused.empty()) {
            CHECK(texts_to(h, row.number) == 1);
            CHECK(h.core->counters().welcomes == welcomes_before + 1);
            CHECK(notes.empty());
        } else {
            CHECK(texts_to(h, row.number) == 0);
            CHECK(h.core->counters().welcomes == welcomes_before);
            REQUIRE(notes.size() == 1);
            CHECK(notes[0].find(refused == "cap"
                                    ? "SMS\\_UNSOLICITED\\_PER\\_HOUR"
                                    : "SMS\\_ALLOWED\\_COUNTRIES") != std::string::npos);
        }
        CHECK(h.core->counters().sms_refused_country == (refused == "country" ? 1u : 0u));
        CHECK(h.core->counters().sms_refused_cap == (refused == "cap" ? 1u : 0u));
        // The customer is not new any more: no welcome later either.
        h.send(event_type::customer_message, from(row.number, row.channel, "again"));
        CHECK(texts_to(h, row.number) == (refused.empty() ? 1u : 0u));
    }
}

TEST_CASE("an agent's reply: to a never-texted number only in an allowed country, cap or not") {
    struct Row {
        const char* number;
        const char* title;
        bool texted_in;
        bool cap_spent;
        bool sent;
    };
    const Row rows[] = {
        {kUs, "Jane 2085550150", false, false, true},
        {kUs, "Jane 2085550150", false, true, true},  // replies are people's work: not capped
        {kFrench, "Jean +33612345678", false, false, false},
        {kFrench, "Jean +33612345678", true, false, true},
        {kFrench, "Jean +33612345678", true, true, true},
        {"+16045550123", "Bob 6045550123", false, false, false},  // +1 but Canada
    };
    for (const Row& row : rows) {
        CAPTURE(row.title);
        CAPTURE(row.texted_in);
        CAPTURE(row.cap_spent);
        Harness h(us_only(1));
        h.start_with({room("general", "General"), room("r1", row.title)});
        if (row.cap_spent) new_customer(h, "+12085550199", "web");
        if (row.texted_in) h.send(event_type::customer_message, from(row.number, "sms", "hi"));
        h.send(event_type::agent_message, agent_says("r1", row.title, "Hello there", "m1"));
        CHECK(texts_to(h, row.number) == (row.sent ? 1u : 0u));
        const auto notes = notes_in(h, "r1", "Reply not sent by SMS");
        CHECK(notes.size() == (row.sent ? 0u : 1u));
        CHECK(h.core->counters().sms_refused_country == (row.sent ? 0u : 1u));
        CHECK(h.core->counters().messages_to_customers == (row.sent ? 1u : 0u));
    }
}

TEST_CASE("a refused customer who then texts in is answered from then on") {
    Harness h(us_only(1));
    h.start_with({room("general", "General")});
    const std::string room_id = new_customer(h, kFrench, "web");
    REQUIRE(notes_in(h, room_id, "No welcome SMS sent").size() == 1);
    h.send(event_type::agent_message, agent_says(room_id, "+33612345678", "Bonjour", "m1"));
    CHECK(texts_to(h, kFrench) == 0);
    CHECK(notes_in(h, room_id, "Reply not sent by SMS").size() == 1);

    h.send(event_type::customer_message, from(kFrench, "sms", "je suis la"));
    h.send(event_type::agent_message, agent_says(room_id, "+33612345678", "Bonjour!", "m2"));
    const auto texts = h.payloads<SendSms>(event_type::send_sms);
    REQUIRE(texts.size() == 1);
    CHECK(texts[0].to == kFrench);
    CHECK(texts[0].text == "Bonjour!");
    CHECK(notes_in(h, room_id, "Reply not sent by SMS").size() == 1);  // no new note
}

TEST_CASE("the cap counts whole wall-clock hours") {
    Harness h(us_only(2));
    h.wall = WallTime{} + std::chrono::hours(493'000) + 10min;
    h.start_with({room("general", "General")});
    new_customer(h, "+12085550101", "web");
    new_customer(h, "+12085550102", "web");
    h.wall += 49min;  // 59 minutes past the hour
    new_customer(h, "+12085550103", "web");
    CHECK(texts_to(h, "+12085550103") == 0);
    CHECK(h.core->counters().sms_refused_cap == 1);
    h.wall += 1min;  // the next hour
    new_customer(h, "+12085550104", "web");
    new_customer(h, "+12085550105", "web");
    new_customer(h, "+12085550106", "web");
    CHECK(texts_to(h, "+12085550104") == 1);
    CHECK(texts_to(h, "+12085550105") == 1);
    CHECK(texts_to(h, "+12085550106") == 0);
    CHECK(h.core->counters().welcomes == 4);
    CHECK(h.core->counters().sms_refused_cap == 2);
}

TEST_CASE("restart: who texted in and the hour's count come back from what was kept") {
    Harness h(us_only(1));
    h.start_with({room("general", "General"), room("r-jean", "Jean +33612345678")});
    h.send(event_type::customer_message, from(kFrench, "sms", "bonjour"));
    new_customer(h, kUs, "web");  // the hour's one welcome
    CHECK(texts_to(h, kUs) == 1);
    REQUIRE_FALSE(h.remembered.empty());

    SUBCASE("with what was kept") {
        h.restart();
        h.answer_sync({{room("general", "General"), room("r-jean", "Jean +33612345678"),
                        room("room-12085550150", "2085550150")}});
        h.send(event_type::agent_message, agent_says("r-jean", "Jean +33612345678", "Merci", "m1"));
        CHECK(texts_to(h, kFrench) == 1);
        new_customer(h, "+12085550151", "web");
        CHECK(texts_to(h, "+12085550151") == 0);
        CHECK(notes_in(h, "room-12085550151", "No welcome SMS sent").size() == 1);
    }
    SUBCASE("a life that forgot would refuse the one and welcome the other") {
        h.remembered.clear();
        h.restart();
        h.answer_sync({{room("general", "General"), room("r-jean", "Jean +33612345678")}});
        h.send(event_type::agent_message, agent_says("r-jean", "Jean +33612345678", "Merci", "m1"));
        CHECK(texts_to(h, kFrench) == 0);
        new_customer(h, "+12085550151", "web");
        CHECK(texts_to(h, "+12085550151") == 1);
    }
}

TEST_CASE("\"agents are busy\" to a never-texted foreign number is not sent either") {
    Settings settings = us_only(5);
    settings.assign_agents = true;
    Harness h(settings);
    h.start_with({room("general", "General", "2020-01-01T00:00:00Z")});
    const std::string room_id = new_customer(h, kFrench, "web");
    const Outbound room_lookup = h.latest(event_type::list_room_members);
    const Outbound team_lookup = h.latest(event_type::list_team_members);
    h.send(event_type::room_members, RoomMembers{room_id, {}}, room_lookup.event.id);
    h.send(event_type::team_members, TeamMembers{{member("ann", "inactive")}},
           team_lookup.event.id);
    CHECK(h.commands(event_type::send_sms).empty());
    CHECK(notes_in(h, room_id, "No welcome SMS sent").size() == 1);
    CHECK(notes_in(h, room_id, "No \"agents are busy\" SMS sent").size() == 1);
    CHECK(notes_in(h, "general", "Customer waiting").size() == 1);  // the team is still told
    CHECK(h.core->counters().sms_refused_country == 2);
}
