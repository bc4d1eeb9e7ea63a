// The router as a real process: bus + router executables on loopback, and this test playing
// spark-gateway and tropo-gateway through a real delivery::Node. Covers the readiness gate, the
// rules end to end, a kill -9 mid-conversation, and hostile input.
#include <doctest/doctest.h>
#include <httplib.h>

#include <algorithm>
#include <filesystem>
#include <memory>

#include "fake_gateways.h"
#include "process.h"
#include "switchboard/topics.h"

using namespace sb;
using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

constexpr auto kWait = 20s;

CustomerMessage sms(const std::string& customer, const std::string& text) {
    CustomerMessage message;
    message.customer = customer;
    message.channel = "sms";
    message.text = text;
    message.received_at = "2026-05-01T10:00:00.000Z";
    return message;
}

AgentMessage agent_message(const std::string& room_id, const std::string& title,
                           const std::string& text, const std::string& id) {
    AgentMessage message;
    message.message_id = id;
    message.room_id = room_id;
    message.room_title = title;
    message.room_type = "group";
    message.room_team_id = "team-agents";
    message.author_id = "person-ann";
    message.author_email = "ann@example.com";
    message.text = text;
    message.created = "2026-05-01T10:00:01.000Z";
    return message;
}

std::string http_body(int port, const std::string& path) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(1, 0);
    const auto result = client.Get(path.c_str());
    return result ? result->body : std::string();
}

// Bus, router and the fake gateways on a testing::Stack; the router with the settings below.
struct System : Stack {
    const int router_port = port("router");
    Process* router = nullptr;
    std::unique_ptr<FakeGateways> gateways;

    System() : Stack("router-component") {
        start("bus");
        gateways = std::make_unique<FakeGateways>(*this);
        gateways->add_room("general", "General", "2020-01-01T00:00:00.000Z");
        gateways->add_room("r-tommy", "Tommy Tutone 2088675309", "2024-01-01T00:00:00.000Z");
        gateways->add_room("r-ana", "Ana +447911123456", "2024-02-01T00:00:00.000Z");
        gateways->add_room("r-ops", "Ops 12345", "2024-03-01T00:00:00.000Z");
        gateways->add_room("r-bob", "2085550111", "2024-04-01T00:00:00.000Z");
        gateways->start();
    }

    // Everything the router needs, for the tests that start it by hand with one setting changed.
    std::map<std::string, std::string> router_env() const {
        return {{"ROUTER_PORT", std::to_string(router_port)},
                {"BUS_PUBLISH_ENDPOINT", bus_publish()},
                {"BUS_SUBSCRIBE_ENDPOINT", bus_subscribe()},
                {"DATA_DIR", dir() + "/router"},
                {"CUSTOMER_SERVICE_REDIRECT_DN", "+1 (800) 555-0199"},
                {"SPARK_CUSTOMER_PROXY_EMAIL", demo().proxy_email},
                {"SPARK_AGENT_TEAM_ID", "team-agents"},
                {"COMPANY_NAME", "Acme"},
                {"ROUTER_ASSIGN_AGENTS", "false"},
                // Ana (+447911123456, Guernsey's to libphonenumber) is answered though she
                // never texted: the SMS policy has its own tests.
                {"SMS_ALLOWED_COUNTRIES", "US,GG"}};
    }
    void start_router() {
        std::filesystem::create_directories(dir() + "/router");
        Start how;
        how.env = router_env();
        how.wait_healthy = false;
        router = &start("router", how);
    }
    void start_router_ready() {
        start_router();
        REQUIRE(wait_until([&] { return http_status(router_port, "/healthz") == 200; }, kWait));
    }

    // Every post in a room, in the order the router sent them.
    std::vector<std::string> posts_in(const std::string& room_id) const {
        std::vector<std::string> out;
        for (const auto& post : gateways->payloads<PostMessage>(event_type::post_message)) {
            if (post.room_id == room_id) out.push_back(post.markdown);
        }
        return out;
    }
    std::vector<SendSms> texts_to(const std::string& number) const {
        std::vector<SendSms> out;
        for (const auto& text : gateways->payloads<SendSms>(event_type::send_sms)) {
            if (text.to == number) out.push_back(text);
        }
        return out;
    }
    size_t count(std::string_view type) const { return gateways->commands(type).size(); }
};

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("component: ready only after the paged sync, the rules hold end to end") {
    System system;
    system.gateways->pause();
    system.start_router();
    REQUIRE(wait_until([&] { return system.count(event_type::list_rooms) == 1; }, kWait));
    CHECK(http_status(system.router_port, "/healthz") == 503);
    // A customer writing before the sync is held, not lost, and not given a second room.
    system.gateways->customer_says(sms("+12085550111", "before the sync"));
    system.gateways->release();
    REQUIRE(wait_until([&] { return http_status(system.router_port, "/healthz") == 200; }, kWait));
    REQUIRE(wait_until([&] { return system.posts_in("r-bob").size() == 1; }, kWait));
    CHECK(contains(system.posts_in("r-bob")[0], "before the sync"));

    // Inbound SMS to a renamed room found on page 2 of 3.
    system.gateways->customer_says(sms("+12088675309", "my router is broken"));
    REQUIRE(wait_until([&] { return system.posts_in("r-tommy").size() == 1; }, kWait));
    CHECK(contains(system.posts_in("r-tommy")[0], "**SMS**"));

    // Agent reply, whisper, echo, then a marker: only the reply and the marker go out.
    AgentMessage reply = agent_message("r-tommy", "Tommy Tutone 2088675309", "", "m1");
    reply.markdown = "**Have you** tried [turning it off](https://example.com/off)?";
    reply.text = "Have you tried turning it off?";
    system.gateways->agent_says(reply);
    AgentMessage whisper = agent_message("r-tommy", "Tommy Tutone 2088675309", "psst", "m2");
    whisper.mentioned_people = {"person-bob"};
    system.gateways->agent_says(whisper);
    AgentMessage echo = agent_message("r-tommy", "Tommy Tutone 2088675309", "echo", "m3");
    echo.author_email = demo().proxy_email;
    system.gateways->agent_says(echo);
    system.gateways->agent_says(agent_message("r-ana", "Ana +447911123456", "Hello Ana", "m4"));
    system.gateways->agent_says(  // the same webhook twice
        agent_message("r-ana", "Ana +447911123456", "Hello Ana", "m4"));
    system.gateways->agent_says(agent_message("r-ops", "Ops 12345", "lunch?", "m5"));
    system.gateways->agent_says(agent_message("r-ana", "Ana +447911123456", "marker", "m6"));
    REQUIRE(wait_until([&] { return system.texts_to("+447911123456").size() == 2; }, kWait));
    const auto tommy = system.texts_to("+12088675309");
    REQUIRE(tommy.size() == 1);
    CHECK(tommy[0].text == "Have you tried turning it off (https://example.com/off)?");
    CHECK(tommy[0].room_id == "r-tommy");
    CHECK(system.count(event_type::send_sms) == 3);

    // Voice: the decision comes back at once, and the call is noted in the room.
    CustomerMessage call;
    call.customer = "+447911123456";
    call.channel = "voice";
    call.received_at = "2026-05-01T10:00:02.000Z";
    call.call = CallInfo{"call-1", topics::replies_for(FakeGateways::kInstance)};
    system.gateways->customer_says(call);
    REQUIRE(wait_until([&] { return !system.gateways->decisions().empty(); }, kWait));
    CHECK(system.gateways->decisions()[0].call_id == "call-1");
    CHECK(system.gateways->decisions()[0].forward_to == "+18005550199");
    REQUIRE(wait_until([&] { return system.posts_in("r-ana").size() == 1; }, kWait));
    CHECK(contains(system.posts_in("r-ana")[0], "**Voice call**"));

    // A new customer's burst: one room, five posts in order, one welcome SMS.
    for (int i = 1; i <= 5; ++i) {
        system.gateways->customer_says(sms("+12085550123", "burst " + std::to_string(i)));
    }
    REQUIRE(wait_until([&] { return system.texts_to("+12085550123").size() == 1; }, kWait));
    const auto creates = system.gateways->payloads<CreateRoom>(event_type::create_room);
    REQUIRE(creates.size() == 1);
    CHECK(creates[0].title == "2085550123");
    const std::string new_room = system.gateways->room_id_for("2085550123");
    // One post at a time per customer: the burst trails the welcome by a few round trips.
    REQUIRE(wait_until([&] { return system.posts_in(new_room).size() == 5; }, kWait));
    const auto burst = system.posts_in(new_room);
    REQUIRE(burst.size() == 5);
    for (int i = 0; i < 5; ++i) CHECK(contains(burst[i], "burst " + std::to_string(i + 1)));
    CHECK(contains(system.texts_to("+12085550123")[0].text, "Replies to this number"));

    // A failed delivery is reported in the room.
    system.gateways->add_room("r-gone", "2085550999", "2024-05-01T00:00:00.000Z");
    system.gateways->agent_says(agent_message("r-gone", "2085550999", "are you there?", "m7"));
    REQUIRE(wait_until([&] { return system.posts_in("r-gone").size() == 1; }, kWait));
    CHECK(contains(system.posts_in("r-gone")[0], "could not be sent"));
    CHECK(contains(system.posts_in("r-gone")[0], "carrier rejected the number"));

    // Held messages complete when their MessagePosted comes back, just after the posts show.
    REQUIRE(wait_until(
        [&] { return contains(http_body(system.router_port, "/metrics"), "router_queue_depth 0"); },
        kWait));
    const std::string metrics = http_body(system.router_port, "/metrics");
    CHECK(contains(metrics, "switchboard_router_customers_known"));
    CHECK(contains(metrics, "router_messages_routed_total{direction=\"to_room\"} 8"));
    CHECK(contains(metrics, "router_whispers_total 1"));
    CHECK(contains(metrics, "router_echoes_dropped_total 1"));
    CHECK(contains(metrics, "router_queue_depth 0"));

    system.router->terminate();
    const auto code = system.router->wait_exit(1000ms);
    REQUIRE_MESSAGE(code, "still running a second after SIGTERM");
    CHECK(*code == 0);
}

TEST_CASE("component: a router killed with SIGKILL mid-conversation loses and doubles nothing") {
    System system;
    system.start_router_ready();
    system.gateways->customer_says(sms("+12088675309", "hello"));
    system.gateways->agent_says(
        agent_message("r-tommy", "Tommy Tutone 2088675309", "hi there", "a1"));
    REQUIRE(wait_until([&] { return system.texts_to("+12088675309").size() == 1; }, kWait));

    // A new customer writes while Webex is slow: the CreateRoom waits at the gateway.
    system.gateways->pause();
    system.gateways->customer_says(sms("+12085550155", "one"));
    system.gateways->customer_says(sms("+12085550155", "two"));
    REQUIRE(wait_until([&] { return system.count(event_type::create_room) == 1; }, kWait));
    system.router->kill9();
    REQUIRE(system.router->wait_exit(5s));

    // Written while the router is down: the delivery layer keeps offering them.
    system.gateways->customer_says(sms("+12085550155", "three"));
    system.gateways->agent_says(
        agent_message("r-tommy", "Tommy Tutone 2088675309", "still there?", "a2"));
    system.start_router();
    REQUIRE(wait_until([&] { return system.count(event_type::list_rooms) == 2; }, kWait));
    system.gateways->release();  // CreateRoom first, then the new life's ListRooms
    REQUIRE(wait_until([&] { return http_status(system.router_port, "/healthz") == 200; }, kWait));
    REQUIRE(wait_until([&] { return system.texts_to("+12085550155").size() == 1; }, kWait));

    // Markers: commands of one topic arrive in order, so everything before them is in.
    system.gateways->customer_says(sms("+12085550155", "four"));
    system.gateways->agent_says(
        agent_message("r-tommy", "Tommy Tutone 2088675309", "marker", "a3"));
    const std::string room = system.gateways->room_id_for("2085550155");
    REQUIRE(wait_until([&] { return system.posts_in(room).size() >= 4; }, kWait));
    REQUIRE(wait_until([&] { return system.texts_to("+12088675309").size() >= 3; }, kWait));

    CHECK(system.count(event_type::create_room) == 1);
    const auto posts = system.posts_in(room);
    REQUIRE(posts.size() == 4);
    const char* expected[] = {"one", "two", "three", "four"};
    for (int i = 0; i < 4; ++i) CHECK(contains(posts[i], expected[i]));
    CHECK(system.texts_to("+12085550155").size() == 1);  // one welcome
    const auto tommy = system.texts_to("+12088675309");
    REQUIRE(tommy.size() == 3);
    CHECK(tommy[1].text == "still there?");
    CHECK(system.posts_in("r-tommy").size() == 1);
}

TEST_CASE("component: malformed and hostile input is handled without a crash") {
    System system;
    system.start_router_ready();

    // A payload that breaks its type's contract: dead-lettered by the router's delivery layer.
    Envelope wrong = make_event(event_type::customer_message, "mallory", "x",
                                json{{"customer", "not-a-number"}, {"channel", "sms"}});
    system.gateways->publish_raw(topics::customer_messages, wrong);
    Envelope unknown = make_event("DropTables", "mallory", "x", json::object());
    system.gateways->publish_raw(topics::spark_results, unknown);
    const std::string dead_letters = system.dir() + "/router/router.dead-letters.jsonl";
    REQUIRE(wait_until(
        [&] {
            const std::string text = read_file(dead_letters);
            return contains(text, "must be an E.164 number") && contains(text, "DropTables");
        },
        kWait));

    // A RoomCreated for a command nobody sent: learned, nothing sent.
    system.gateways->publish_raw(
        topics::spark_results,
        make_event(event_type::room_created, "mallory", "+12085550166",
                   RoomCreated{"+12085550166", "r-stray", "2085550166"}, "no-such-command"));

    // A huge text: split into posts that fit Webex's limit.
    std::string huge;
    while (huge.size() < 60000) huge += "0123456789 *_[]<>` ";
    system.gateways->customer_says(sms("+12088675309", huge));

    // A room title full of hostile characters that still ends in a number.
    const std::string hostile = "<script>alert('x')</script> \"; DROP TABLE rooms;-- 2085550177";
    system.gateways->agent_says(agent_message("r-hostile", hostile, "hello", "h1"));

    // The stray room is used, not duplicated.
    system.gateways->customer_says(sms("+12085550166", "hi"));
    REQUIRE(wait_until([&] { return system.posts_in("r-stray").size() == 1; }, kWait));
    CHECK(system.count(event_type::create_room) == 0);
    CHECK(system.texts_to("+12085550166").empty());

    // Another customer's post may overtake these: posts go one at a time per customer.
    REQUIRE(wait_until([&] { return system.posts_in("r-tommy").size() == 8; }, kWait));
    const auto big = system.posts_in("r-tommy");
    REQUIRE(big.size() == 8);
    for (const std::string& post : big) CHECK(post.size() <= 7439);
    REQUIRE(wait_until([&] { return system.texts_to("+12085550177").size() == 1; }, kWait));
    CHECK(system.texts_to("+12085550177")[0].room_id == "r-hostile");

    CHECK(system.router->running());
    CHECK(http_status(system.router_port, "/healthz") == 200);
}

TEST_CASE("component: a missing or malformed redirect number stops the router, naming it") {
    System system;
    for (const char* value : {"", "not a number"}) {
        auto env = system.router_env();
        env["CUSTOMER_SERVICE_REDIRECT_DN"] = value;
        const std::string log = system.dir() + "/bad-config.log";
        Process router(build_dir() + "/router", {}, env, log);
        const auto code = router.wait_exit(5s);
        REQUIRE(code);
        CHECK(*code == 2);
        CHECK(contains(read_file(log), "CUSTOMER_SERVICE_REDIRECT_DN"));
    }
}

TEST_CASE("component: without SPARK_AGENT_TEAM_ID the router stops, naming it") {
    System system;
    auto env = system.router_env();
    env.erase("SPARK_AGENT_TEAM_ID");
    const std::string log = system.dir() + "/no-team.log";
    Process router(build_dir() + "/router", {}, env, log);
    const auto code = router.wait_exit(5s);
    REQUIRE(code);
    CHECK(*code == 2);
    CHECK(contains(read_file(log), "SPARK_AGENT_TEAM_ID"));
}
