// spark-gateway against the real sandbox and bus processes over loopback.
#include <doctest/doctest.h>

#include <set>

#include "spark_fixture.h"

using namespace sb::testing;
using namespace std::chrono_literals;
using sb::testing::wait_until;

TEST_CASE("spark-gateway: an agent's message is fetched and published with room and author") {
    SparkStack stack;
    stack.start_all();
    const std::string room = stack.new_room("Tommy Tutone 2088675309");
    const std::string id = stack.post_in_room(room, {{"as", "alice@sandbox.example"},
                                                     {"markdown", "Hi **there**"},
                                                     {"mentions", {"bob@sandbox.example"}}});
    sb::AgentMessage message;
    REQUIRE(stack.wait_for_agent_message(id, &message));
    CHECK(message.room_id == room);
    CHECK(message.room_title == "Tommy Tutone 2088675309");
    CHECK(message.author_name == "Alice Anders");
    CHECK(message.author_email == "alice@sandbox.example");
    CHECK(message.text.find("there") != std::string::npos);
    CHECK(message.markdown.find("<@personEmail:bob@sandbox.example") == 0);
    CHECK(message.mentioned_people.size() == 1);
    CHECK_FALSE(message.from_bridge);
    CHECK_FALSE(message.created.empty());
    CHECK(stack.gateway_metrics().find(
              "spark_webhooks_total{reason=\"ok\",result=\"accepted\"} 1") != std::string::npos);
}

TEST_CASE("spark-gateway: an AgentMessage carries its room's team, fetched once per room") {
    SparkStack stack;
    stack.start_all();
    const std::string team_room = stack.new_room("2088675309");
    const HttpAnswer outsider = stack.sandbox(
        "POST", "/sandbox/spark/rooms", {{"title", "Anything 3055550111"}, {"teamId", nullptr}});
    REQUIRE(outsider.status == 200);
    const std::string foreign_room = outsider.body["items"][0]["id"].get<std::string>();
    CHECK_FALSE(outsider.body["items"][0].contains("teamId"));

    sb::AgentMessage in_team;
    REQUIRE(stack.wait_for_agent_message(
        stack.post_in_room(team_room, {{"as", "alice@sandbox.example"}, {"text", "one"}}),
        &in_team));
    CHECK(in_team.room_team_id == demo().team_id);
    sb::AgentMessage foreign;
    REQUIRE(stack.wait_for_agent_message(
        stack.post_in_room(foreign_room, {{"as", "alice@sandbox.example"}, {"text", "two"}}),
        &foreign));
    CHECK(foreign.room_id == foreign_room);
    CHECK(foreign.room_title == "Anything 3055550111");
    CHECK(foreign.room_team_id.empty());

    // Steady traffic costs no extra call: the team is cached with the title.
    const long long room_fetches = stack.provider_calls("GET rooms/{id}");
    CHECK(room_fetches == 2);
    sb::AgentMessage again;
    REQUIRE(stack.wait_for_agent_message(
        stack.post_in_room(team_room, {{"as", "alice@sandbox.example"}, {"text", "three"}}),
        &again));
    CHECK(again.room_team_id == demo().team_id);
    CHECK(stack.provider_calls("GET rooms/{id}") == room_fetches);
}

TEST_CASE("spark-gateway: forged, unsigned, garbage and oversized deliveries publish nothing") {
    SparkStack stack;
    stack.start_all();
    const std::string room = stack.new_room("2085551234");
    const std::string real =
        stack.post_in_room(room, {{"as", "bob@sandbox.example"}, {"text", "one"}});
    REQUIRE(stack.wait_for_agent_message(real));

    // A forged copy of a real delivery, pointing at the real message.
    const std::string body = json{{"resource", "messages"},
                                  {"event", "created"},
                                  {"data", {{"id", real}, {"roomId", room}}}}
                                 .dump();
    CHECK(stack.gateway_post(body, "").status == 401);
    CHECK(stack.gateway_post(body, hmac_sha1_hex("not-the-secret", body)).status == 403);
    CHECK(stack.gateway_post(body, std::string(40, 'f')).status == 403);
    CHECK(stack.gateway_post(body + " ", hmac_sha1_hex(demo().webhook_secret, body)).status == 403);
    const std::string garbage = "\x01\x02not json{{";
    CHECK(stack.gateway_post(garbage, "").status == 401);
    const HttpAnswer malformed =
        stack.gateway_post(garbage, hmac_sha1_hex(demo().webhook_secret, garbage));
    CHECK(malformed.status == 400);
    CHECK(malformed.body["error"].is_string());
    const std::string huge(300 * 1024, 'x');
    CHECK(stack.gateway_post(huge, hmac_sha1_hex(demo().webhook_secret, huge)).status == 413);

    // A later real message in the same room is published; the forged ones never were.
    const std::string later =
        stack.post_in_room(room, {{"as", "bob@sandbox.example"}, {"text", "two"}});
    REQUIRE(stack.wait_for_agent_message(later));
    int copies = 0;
    for (const auto& message : stack.agent_messages()) copies += message.message_id == real;
    CHECK(copies == 1);
    CHECK(stack.agent_messages().size() == 2);
    CHECK(sb::testing::http_status(stack.gateway_port, "/healthz") == 200);  // still serving
    const std::string metrics = stack.gateway_metrics();
    CHECK(metrics.find("reason=\"bad signature\",result=\"rejected\"} 3") != std::string::npos);
    CHECK(metrics.find("reason=\"unsigned\",result=\"rejected\"} 2") != std::string::npos);
}

TEST_CASE("spark-gateway: the bridge's own post is dropped at the door: no fetch, no event") {
    SparkStack stack;
    stack.start_all();
    const std::string room = stack.new_room("2085550111");
    REQUIRE(stack.sandbox("DELETE", "/sandbox/spark/stats").status == 204);
    const auto command = stack.send_command(sb::event_type::post_message, room,
                                            {{"room_id", room}, {"text", "We got your SMS"}});
    REQUIRE(wait_until([&] { return !stack.results_for(command.id).empty(); }, 20s));
    const auto results = stack.results_for(command.id);
    REQUIRE(results.size() == 1);
    CHECK(results[0].type == sb::event_type::message_posted);
    CHECK(results[0].key == room);
    const std::string own_id = results[0].payload_as<sb::MessagePosted>().message_id;

    // Its webhook came and was answered as an echo.
    REQUIRE(wait_until(
        [&] {
            return stack.gateway_metrics().find("reason=\"own post\",result=\"ignored\"} 1") !=
                   std::string::npos;
        },
        10s));
    // An agent's message posted after it is published; the echo before it never is.
    const std::string agent_id =
        stack.post_in_room(room, {{"as", "alice@sandbox.example"}, {"text", "hello from Alice"}});
    REQUIRE(stack.wait_for_agent_message(agent_id));
    for (const auto& message : stack.agent_messages()) CHECK(message.message_id != own_id);
    CHECK(stack.provider_calls("GET messages/{id}") == 1);  // Alice's, not the echo
}

TEST_CASE("spark-gateway: webhook registration is idempotent across three restarts") {
    SparkStack stack;
    stack.start_bus();
    stack.start_sandbox();
    stack.start_router();
    // Leftovers of an older deployment: a stale target under our name, and a stranger's hook.
    const json stale = {{"name", "switchboard spark-gateway"},
                        {"targetUrl", "http://old.example/api/spark-webhook/"},
                        {"resource", "messages"},
                        {"event", "created"},
                        {"secret", "old"}};
    REQUIRE(stack.sandbox("POST", "/v1/webhooks", stale, demo().spark_token).status == 200);
    const json stranger = {{"name", "another integration"},
                           {"targetUrl", "http://other.example/hook"},
                           {"resource", "rooms"},
                           {"event", "all"}};
    REQUIRE(stack.sandbox("POST", "/v1/webhooks", stranger, demo().spark_token).status == 200);
    const std::string target =
        "http://127.0.0.1:" + std::to_string(stack.gateway_port) + "/api/spark-webhook/";
    std::set<std::string> ids;
    for (int run = 0; run < 3; ++run) {
        stack.start_gateway();
        const json hooks = stack.our_webhooks("");
        std::multiset<std::string> ours;  // by event: one for created, one for deleted (undo)
        for (const auto& hook : hooks) {
            if (hook["targetUrl"] == target) {
                ours.insert(hook["event"].get<std::string>());
                CHECK(hook["status"] == "active");
                CHECK(hook["resource"] == "messages");
                CHECK(hook["name"] == "switchboard spark-gateway");
                ids.insert(hook["id"].get<std::string>());
            }
        }
        CHECK(ours == std::multiset<std::string>{"created", "deleted"});
        CHECK(hooks.size() == 3);  // ours and the stranger's
        stack.stop_gateway();
        if (run == 1) {
            // While it is down, Webex deactivates the webhook; the next start revives it.
            const std::string id = *ids.begin();
            REQUIRE(stack
                        .sandbox("PUT", "/v1/webhooks/" + id,
                                 {{"name", "switchboard spark-gateway"},
                                  {"targetUrl", target},
                                  {"status", "inactive"}},
                                 demo().spark_token)
                        .status == 200);
        }
    }
    CHECK(ids.size() == 2);  // the same two webhooks all along: updated, never piled up
}

TEST_CASE("spark-gateway: a webhook marked inactive while running is revived by the re-check") {
    SparkStack stack;
    stack.start_all({{"SPARK_WEBHOOK_CHECK_SECONDS", "1"}});
    const json hook = stack.our_webhooks()[0];
    const std::string path = "/v1/webhooks/" + hook["id"].get<std::string>();
    REQUIRE(
        stack
            .sandbox(
                "PUT", path,
                {{"name", hook["name"]}, {"targetUrl", hook["targetUrl"]}, {"status", "inactive"}},
                demo().spark_token)
            .body["status"] == "inactive");
    CHECK(wait_until(
        [&] {
            return stack.sandbox("GET", path, nullptr, demo().spark_token).body["status"] ==
                   "active";
        },
        15s));
}

TEST_CASE("spark-gateway: ListRooms follows every page") {
    SparkStack stack;
    stack.start_bus();
    stack.start_sandbox();
    json titles = json::array();
    for (int i = 0; i < 1050; ++i) titles.push_back(std::to_string(2085550000 + i));
    REQUIRE(stack.sandbox("POST", "/sandbox/spark/rooms", {{"titles", titles}}).status == 200);
    stack.start_router();
    stack.start_gateway();
    REQUIRE(stack.sandbox("DELETE", "/sandbox/spark/stats").status == 204);
    const auto command =
        stack.send_command(sb::event_type::list_rooms, "directory", {{"sync_id", "sync-1"}});
    REQUIRE(wait_until(
        [&] {
            const auto results = stack.results_for(command.id);
            return !results.empty() && results.back().payload_as<sb::RoomsPage>().last;
        },
        30s));
    const auto results = stack.results_for(command.id);
    REQUIRE(results.size() == 2);  // 1,051 rooms at 1,000 a page
    std::set<std::string> ids;
    for (size_t i = 0; i < results.size(); ++i) {
        CHECK(results[i].type == sb::event_type::rooms_page);
        const auto page = results[i].payload_as<sb::RoomsPage>();
        CHECK(page.page == static_cast<int>(i));
        CHECK(page.sync_id == "sync-1");
        CHECK(page.last == (i + 1 == results.size()));
        for (const auto& room : page.rooms) {
            ids.insert(room.id);
            CHECK_FALSE(room.created.empty());
        }
    }
    CHECK(ids.size() == 1051);
    CHECK(stack.provider_calls("GET rooms") == 2);
}

TEST_CASE("spark-gateway: ListRooms right after a slow CreateRoom lists the created room") {
    // After a router restart the router re-syncs with ListRooms while a CreateRoom from before
    // the restart may still be retrying on another key: the listing must wait for it, or the
    // router would not see the room and could create a second one for that customer.
    SparkStack stack;
    stack.start_all();
    REQUIRE(stack
                .sandbox("POST", "/sandbox/spark/faults",
                         {{"status", 429},
                          {"retry_after", 2},
                          {"count", 1},
                          {"path_prefix", "/v1/rooms"},
                          {"method", "POST"}})
                .status == 200);
    const std::string number = "+12085550177";
    const auto create = stack.send_command(sb::event_type::create_room, number,
                                           {{"customer", number}, {"title", "2085550177"}});
    const auto list =
        stack.send_command(sb::event_type::list_rooms, "directory", {{"sync_id", "after-restart"}});
    REQUIRE(wait_until(
        [&] {
            const auto pages = stack.results_for(list.id);
            return !stack.results_for(create.id).empty() && !pages.empty() &&
                   pages.back().payload_as<sb::RoomsPage>().last;
        },
        30s));
    const auto created = stack.results_for(create.id);
    REQUIRE(created.size() == 1);
    REQUIRE(created[0].type == sb::event_type::room_created);
    const std::string room_id = created[0].payload_as<sb::RoomCreated>().room_id;
    int listed = 0;
    for (const auto& page : stack.results_for(list.id)) {
        REQUIRE(page.type == sb::event_type::rooms_page);
        for (const auto& room : page.payload_as<sb::RoomsPage>().rooms) {
            listed += room.id == room_id && room.title == "2085550177";
        }
    }
    CHECK(listed == 1);
    CHECK(stack.sandbox_stats()["faults_served"] == 1);  // the CreateRoom really was slowed down
}

TEST_CASE("spark-gateway: 429 and 5xx storms delay commands but each runs exactly once") {
    SparkStack stack;
    stack.start_all();
    const std::string room = stack.new_room("2085550199");
    for (const json& fault :
         {json{{"status", 429},
               {"retry_after", 1},
               {"count", 4},
               {"path_prefix", "/v1/messages"},
               {"method", "POST"}},
          json{{"status", 503}, {"count", 4}, {"path_prefix", "/v1/rooms"}, {"method", "POST"}},
          json{{"status", 500}, {"count", 2}, {"path_prefix", "/v1/memberships"}}}) {
        REQUIRE(stack.sandbox("POST", "/sandbox/spark/faults", fault).status == 200);
    }
    std::vector<sb::Envelope> commands;
    commands.reserve(9);  // five posts, two rooms, a membership and a listing
    for (int i = 0; i < 5; ++i) {
        commands.push_back(
            stack.send_command(sb::event_type::post_message, room,
                               {{"room_id", room}, {"text", "reply " + std::to_string(i)}}));
    }
    for (int i = 0; i < 2; ++i) {
        const std::string number = "+1208555014" + std::to_string(i);
        commands.push_back(stack.send_command(sb::event_type::create_room, number,
                                              {{"customer", number}, {"title", number.substr(2)}}));
    }
    // Already a member: 409 counts as done.
    commands.push_back(
        stack.send_command(sb::event_type::add_member, room,
                           {{"room_id", room}, {"person_email", "switchboard@sandbox.example"}}));
    commands.push_back(
        stack.send_command(sb::event_type::list_team_members, "team", json::object()));
    // The same command twice: executed once.
    stack.resend(commands[0]);

    REQUIRE(stack.wait_for_results(commands, 90s));
    for (const auto& command : commands) {
        const auto results = stack.results_for(command.id);
        REQUIRE(results.size() == 1);
        CHECK(results[0].type != sb::event_type::command_failed);
        CHECK(results[0].key == command.key);
    }
    const HttpAnswer history = stack.sandbox("GET", "/sandbox/spark/rooms/" + room + "/messages");
    std::vector<std::string> texts;
    for (const auto& message : history.body["items"]) texts.push_back(visible(message["text"]));
    CHECK(texts == std::vector<std::string>{"reply 0", "reply 1", "reply 2", "reply 3",
                                            "reply 4"});  // once each, in order
    int created = 0;
    const HttpAnswer all_rooms = stack.sandbox("GET", "/sandbox/spark/rooms");
    for (const auto& listed : all_rooms.body["items"]) {
        created += listed["title"] == "2085550140" || listed["title"] == "2085550141";
    }
    CHECK(created == 2);
    const auto team = stack.results_for(commands[8].id)[0].payload_as<sb::TeamMembers>();
    int inactive = 0;
    for (const auto& member : team.members) {
        inactive += member.status == "inactive";
        CHECK(member.email != "switchboard@sandbox.example");  // the bridge is nobody's agent
    }
    CHECK(team.members.size() >= 4);
    CHECK(inactive >= 1);
    CHECK(stack.sandbox_stats()["faults_served"] == 10);
    CHECK(stack.gateway_metrics().find("switchboard_provider_api_retries_total") !=
          std::string::npos);
}

TEST_CASE("spark-gateway: bad commands end in CommandFailed and the gateway keeps going") {
    SparkStack stack;
    stack.start_all();
    const auto missing =
        stack.send_command(sb::event_type::post_message, "x",
                           {{"room_id", "Y2lzY29zcGFyazovL3VzL1JPT00vbm9uZQ"}, {"text", "hello"}});
    const std::string room = stack.new_room("2085550177");
    const auto too_long = stack.send_command(sb::event_type::post_message, room,
                                             {{"room_id", room}, {"text", std::string(7440, 'x')}});
    const auto fine = stack.send_command(sb::event_type::post_message, room,
                                         {{"room_id", room}, {"text", "fine"}});
    REQUIRE(wait_until([&] { return !stack.results_for(fine.id).empty(); }, 30s));
    REQUIRE(wait_until([&] { return !stack.results_for(missing.id).empty(); }, 30s));
    const auto failed = stack.results_for(missing.id)[0];
    CHECK(failed.type == sb::event_type::command_failed);
    CHECK(failed.payload_as<sb::CommandFailed>().status == 404);
    CHECK(failed.payload_as<sb::CommandFailed>().command_type == "PostMessage");
    const auto limit = stack.results_for(too_long.id)[0];
    CHECK(limit.type == sb::event_type::command_failed);
    CHECK(limit.payload_as<sb::CommandFailed>().status == 400);
    CHECK(stack.results_for(fine.id)[0].type == sb::event_type::message_posted);
}

TEST_CASE("spark-gateway: a rename reaches AgentMessage.room_title once the cache refreshes") {
    SparkStack stack;
    stack.start_all({{"SPARK_ROOM_TITLE_TTL_SECONDS", "1"}});
    const std::string room = stack.new_room("2085550166");
    sb::AgentMessage first;
    REQUIRE(stack.wait_for_agent_message(
        stack.post_in_room(room, {{"as", "alice@sandbox.example"}, {"text", "a"}}), &first));
    CHECK(first.room_title == "2085550166");
    REQUIRE(stack.sandbox("PUT", "/sandbox/spark/rooms/" + room, {{"title", "Jenny 2085550166"}})
                .status == 200);
    CHECK(wait_until(
        [&] {
            sb::AgentMessage next;
            const std::string id =
                stack.post_in_room(room, {{"as", "alice@sandbox.example"}, {"text", "b"}});
            return stack.wait_for_agent_message(id, &next) && next.room_title == "Jenny 2085550166";
        },
        20s));
}

TEST_CASE("spark-gateway: started before the sandbox, it waits (503) and then works") {
    SparkStack stack;
    stack.start_bus();
    stack.start_router();
    stack.start_gateway({}, /*wait_ready=*/false);
    REQUIRE(wait_until(
        [&] { return sb::testing::http_status(stack.gateway_port, "/healthz") == 503; }, 10s));
    stack.start_sandbox();
    REQUIRE(wait_until(
        [&] { return sb::testing::http_status(stack.gateway_port, "/healthz") == 200; }, 30s));
    const std::string room = stack.new_room("2085550155");
    CHECK(stack.wait_for_agent_message(
        stack.post_in_room(room, {{"as", "dan@sandbox.example"}, {"text", "late start"}})));
}

TEST_CASE("spark-gateway: missing settings exit 2 naming the variable") {
    for (const std::string missing :
         {"SPARK_TOKEN", "SPARK_AGENT_TEAM_ID", "SPARK_WEBHOOK_SECRET"}) {
        const std::string dir = sb::testing::make_temp_dir("spark-config");
        std::map<std::string, std::string> env = {
            {"SPARK_TOKEN", demo().spark_token},
            {"SPARK_AGENT_TEAM_ID", demo().team_id},
            {"SPARK_WEBHOOK_SECRET", demo().webhook_secret},
            {"SPARK_GATEWAY_PORT", std::to_string(sb::testing::free_port())},
            {"DATA_DIR", dir}};
        env[missing] = "";
        sb::testing::Process gateway(sb::testing::build_dir() + "/spark-gateway", {}, env,
                                     dir + "/log");
        CHECK(gateway.wait_exit(5s) == 2);
        CHECK(sb::testing::read_file(dir + "/log").find(missing) != std::string::npos);
    }
}

TEST_CASE("spark-gateway: a delivery answered 2xx survives a SIGKILL before it was published") {
    SparkStack stack;
    stack.start_all();
    const std::string room = stack.new_room("2085550133");
    // With the bus down nothing can be published: the delivery only reaches the journal.
    REQUIRE(stack.kill9("bus"));
    const auto delivered_before =
        stack.sandbox_stats()["webhook_deliveries"]["delivered"].get<int>();
    const std::string id =
        stack.post_in_room(room, {{"as", "alice@sandbox.example"}, {"text", "do not lose me"}});
    REQUIRE(wait_until(
        [&] {
            return stack.sandbox_stats()["webhook_deliveries"]["delivered"].get<int>() >
                   delivered_before;
        },
        10s));  // the gateway answered 2xx; Webex will never send it again
    stack.gateway->kill9();
    REQUIRE(stack.gateway->wait_exit(5s));
    CHECK(stack.agent_messages().empty());

    stack.start_bus();
    stack.start_gateway();
    sb::AgentMessage message;
    REQUIRE(stack.wait_for_agent_message(id, &message));
    CHECK(message.text == "do not lose me");
    int copies = 0;
    for (const auto& seen : stack.agent_messages()) copies += seen.message_id == id;
    CHECK(copies == 1);
}

TEST_CASE("spark-gateway: a catch-up Webex refuses is logged and skipped, the gateway serves on") {
    SparkStack stack;
    stack.start_all();  // the first start leaves its mark
    const std::string room = stack.new_room("2085550133");
    stack.stop_gateway();
    const std::string missed = stack.post_in_room(
        room, {{"as", "alice@sandbox.example"}, {"text", "while you were away"}});
    REQUIRE(
        stack
            .sandbox(
                "POST", "/sandbox/spark/faults",
                {{"status", 500}, {"count", 1000}, {"path_prefix", "/v1/rooms"}, {"method", "GET"}})
            .status == 200);
    stack.start_gateway();
    REQUIRE(wait_until(
        [&] {
            return stack.gateway_metrics().find("switchboard_spark_caught_up_messages_total 0") !=
                   std::string::npos;
        },
        30s));
    for (const auto& message : stack.agent_messages()) CHECK(message.message_id != missed);
    REQUIRE(stack.sandbox("DELETE", "/sandbox/spark/faults").status < 300);
    // Still serving: a message posted now arrives through its webhook.
    const std::string later =
        stack.post_in_room(room, {{"as", "alice@sandbox.example"}, {"text", "and now"}});
    CHECK(stack.wait_for_agent_message(later));
}
