// Only the agents' team's rooms are customer rooms (DESIGN §2.12), and the ids of the agent
// messages the router acted on outlive a restart (a message spark-gateway catches up again is
// not sent twice).
#include <doctest/doctest.h>

#include "core_harness.h"

using namespace sb;
using namespace sb::router;
using namespace sb::router::testing;

namespace {

size_t sms_to(const Harness& h, const std::string& number) {
    size_t count = 0;
    for (const SendSms& sms : h.payloads<SendSms>(event_type::send_sms)) {
        count += sms.to == number ? 1 : 0;
    }
    return count;
}

}  // namespace

TEST_CASE("an agent message from a room outside the team causes nothing, whatever its title") {
    struct Row {
        const char* name;
        const char* team;
        const char* title;
    };
    const std::vector<Row> rows = {
        {"a space in no team, titled like a renamed customer room", "", "Anything 3055550111"},
        {"a space in no team, titled with the bare number", "", "3055550111"},
        {"another team's room", "team-other", "3055550111"},
        {"another team's room, international number", "team-other", "Ana +447911123456"},
        {"a team id that only starts like ours", "team-agents-not", "3055550111"},
    };
    for (const Row& row : rows) {
        const std::string name = row.name;
        CAPTURE(name);
        Harness h;
        h.start_with({room("r1", "2088675309"), room("general", "General")});
        const size_t published = h.published.size();
        const size_t known = h.core->customers_known();
        AgentMessage message = agent_says("outside", row.title, "Your code is 1234", "m1");
        message.room_team_id = row.team;
        const Outputs out = h.send(event_type::agent_message, message);
        CHECK(h.published.size() == published);  // no SMS, no post, no lookup
        CHECK(out.send_now.empty());
        CHECK(Harness::seen_in(out).empty());
        CHECK_FALSE(out.hold);
        CHECK(h.core->directory().room("outside") == nullptr);
        CHECK(h.core->customers_known() == known);
        CHECK(h.core->counters().foreign_rooms == 1);
        CHECK(h.core->counters().messages_to_customers == 0);
    }
}

TEST_CASE("a customer first named by an outsider's space gets a team room and one welcome") {
    Harness h;
    h.start_with({room("general", "General")});
    AgentMessage bait = agent_says("outside", "Anything 3055550111", "hello?", "m1");
    bait.room_team_id = "";
    h.send(event_type::agent_message, bait);
    CHECK(sms_to(h, "+13055550111") == 0);

    h.send(event_type::customer_message, sms("+13055550111", "hi, who is this?"));
    const auto creates = h.payloads<CreateRoom>(event_type::create_room);
    REQUIRE(creates.size() == 1);
    CHECK(creates[0].customer == "+13055550111");
    h.create_room_answer("+13055550111", "r-new");
    const auto posts = h.payloads<PostMessage>(event_type::post_message);
    REQUIRE(posts.size() == 1);
    CHECK(posts[0].room_id == "r-new");
    CHECK(sms_to(h, "+13055550111") == 1);  // the welcome, and nothing from the outsider
    CHECK(h.core->directory().room_of("+13055550111")->id == "r-new");

    // Later messages in the outsider's space still go nowhere.
    bait.message_id = "m2";
    h.send(event_type::agent_message, bait);
    CHECK(sms_to(h, "+13055550111") == 1);
    CHECK(h.core->counters().foreign_rooms == 2);
}

TEST_CASE("an outsider's space cannot take over a known customer's room") {
    Harness h;
    h.start_with({room("r1", "2088675309")});
    AgentMessage bait = agent_says("outside", "2088675309", "ignore this", "m1");
    bait.room_team_id = "team-other";
    h.send(event_type::agent_message, bait);
    CHECK(h.core->directory().room_of("+12088675309")->id == "r1");
    h.send(event_type::customer_message, sms("+12088675309", "still me"));
    REQUIRE(h.payloads<PostMessage>(event_type::post_message).size() == 1);
    CHECK(h.payloads<PostMessage>(event_type::post_message)[0].room_id == "r1");
    CHECK(h.commands(event_type::send_sms).empty());
}

TEST_CASE("the directory refuses rooms of other teams, and every room when it has no team") {
    Directory directory("team-agents");
    CHECK(directory.learn("r1", "2088675309", "team-agents"));
    CHECK_FALSE(directory.learn("r2", "3055550111", ""));
    CHECK_FALSE(directory.learn("r3", "3055550111", "team-other"));
    CHECK(directory.room_of("+13055550111") == nullptr);
    CHECK(directory.rooms() == 1);
    Directory unconfigured("");
    CHECK_FALSE(unconfigured.learn("r1", "2088675309", ""));
    CHECK(unconfigured.rooms() == 0);
}

TEST_CASE("an agent message caught up again after a restart is not sent twice") {
    Harness h;
    h.start_with({room("r1", "2088675309")});
    const Outputs first =
        h.send(event_type::agent_message, agent_says("r1", "2088675309", "once", "m1"));
    CHECK(Harness::seen_in(first) == std::vector<std::string>{"m1"});
    REQUIRE(sms_to(h, "+12088675309") == 1);

    h.restart();
    // spark-gateway's catch-up publishes the same message again, as a new event, before the
    // new life's first sync is done: it waits, then is recognised.
    h.send(event_type::agent_message, agent_says("r1", "2088675309", "once", "m1"));
    h.answer_sync({{room("r1", "2088675309")}});
    REQUIRE(h.core->ready());
    CHECK(sms_to(h, "+12088675309") == 1);
    CHECK(h.core->counters().duplicates == 1);
    // A new message still goes out, and is remembered in turn.
    h.send(event_type::agent_message, agent_says("r1", "2088675309", "twice", "m2"));
    CHECK(sms_to(h, "+12088675309") == 2);
    CHECK(h.memory == std::vector<std::string>{"m1", "m2"});
}

TEST_CASE("without the kept ids a new life would send it again (what the memory is for)") {
    Harness h;
    h.start_with({room("r1", "2088675309")});
    h.send(event_type::agent_message, agent_says("r1", "2088675309", "once", "m1"));
    h.memory.clear();  // a journal that kept nothing
    h.restart();
    h.answer_sync({{room("r1", "2088675309")}});
    h.send(event_type::agent_message, agent_says("r1", "2088675309", "once", "m1"));
    CHECK(sms_to(h, "+12088675309") == 2);
}

TEST_CASE("the kept ids are bounded: the oldest is let go as a new one comes") {
    Harness h;
    h.start_with({room("r1", "2088675309")});
    constexpr size_t kCapacity = 20000;  // router_core.cpp's kRememberedMessages
    for (size_t i = 0; i < kCapacity; ++i) {
        const Outputs out = h.core->step(Input::received(
            h.now, EventRef{"bulk", i + 1},
            h.envelope(event_type::agent_message,
                       agent_says("r1", "2088675309", "n", "m" + std::to_string(i)))));
        h.keep(out);
        REQUIRE(Harness::unseen_in(out).empty());
    }
    const Outputs out =
        h.send(event_type::agent_message, agent_says("r1", "2088675309", "n", "last"));
    CHECK(Harness::seen_in(out) == std::vector<std::string>{"last"});
    CHECK(Harness::unseen_in(out) == std::vector<std::string>{"m0"});
    CHECK(h.memory.size() == kCapacity);
    CHECK(h.memory.front() == "m1");

    h.restart();
    h.answer_sync({{room("r1", "2088675309")}});
    const size_t before = h.commands(event_type::send_sms).size();
    h.send(event_type::agent_message, agent_says("r1", "2088675309", "n", "m1"));    // kept
    h.send(event_type::agent_message, agent_says("r1", "2088675309", "n", "last"));  // kept
    CHECK(h.commands(event_type::send_sms).size() == before);
}

TEST_CASE("seen messages: duplicates, eviction order, restore keeps the newest") {
    SeenMessages seen(3);
    CHECK(seen.admit("a").added);
    CHECK_FALSE(seen.admit("a").added);
    CHECK(seen.admit("b").added);
    CHECK(seen.admit("c").added);
    const auto change = seen.admit("d");
    CHECK(change.added);
    CHECK(change.forgotten == "a");
    CHECK_FALSE(seen.contains("a"));

    SeenMessages restored(2);
    restored.restore({"a", "b", "c"});
    CHECK(restored.size() == 2);
    CHECK_FALSE(restored.contains("a"));
    CHECK(restored.contains("b"));
    CHECK(restored.contains("c"));
}
