// Everything that is not a genuine Tropo session: refused with a 4xx and a JSON reason,
// nothing published, and the gateway keeps serving.
#include <doctest/doctest.h>

#include "switchboard/events.h"
#include "tropo_world.h"

using namespace sb;
using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

const std::string kGoodSms = R"({"session":{"id":"900d0000000000000000000000000001",
  "initialText":"the genuine one","from":{"id":"12088675309","channel":"TEXT","network":"SMS"}}})";

void check_refused(TropoWorld& world, const std::string& body, int expected_status,
                   const std::string& query = {}) {
    CAPTURE(body.substr(0, 120));
    const auto answer = world.webhook_post(body, query);
    REQUIRE(answer);
    CHECK(answer->status == expected_status);
    const json reason = json::parse(answer->body, nullptr, false);
    CHECK(reason.is_object());
    CHECK(reason.contains("error"));
}

}  // namespace

TEST_CASE("malformed, wrong-shaped and hostile sessions get a 4xx and publish nothing") {
    TropoWorld world;
    const std::vector<std::string> bad = {
        "",
        "garbage",
        "{\"session\":",
        std::string("\x00\x01\x02", 3),
        "\xff\xfe{}",
        R"({"session":{"id":"x","initialText":"caf\xe9","from":{"id":"12088675309"}}})",  // not
                                                                                          // UTF-8
        "[]",
        "null",
        "42",
        "{}",
        R"({"tropo":[{"hangup":null}]})",
        R"({"session":null})",
        R"({"session":"x"})",
        R"({"session":{}})",
        R"({"session":{"id":null,"initialText":"hi","from":{"id":"12088675309"}}})",
        R"({"session":{"id":{"$ne":1},"initialText":"hi","from":{"id":"12088675309"}}})",
        R"({"session":{"id":"x","initialText":["hi"],"from":{"id":"12088675309"}}})",
        R"({"session":{"id":"x","initialText":"hi","from":"12088675309"}})",
        R"({"session":{"id":"x","initialText":"hi","from":{"id":"Restricted"}}})",
        R"({"session":{"id":"x","initialText":"hi","from":{"id":"'; DROP TABLE rooms;--"}}})",
        R"({"session":{"id":"x","initialText":"hi","from":{"id":"1234567890123456789"}}})",
        R"({"session":{"id":"x","initialText":"","from":{"id":"12088675309"}}})",
        R"({"session":{"id":"x","from":{"id":"12088675309"}}})",
        R"({"session":{"id":"x","parameters":"token=abc"}})",
        R"({"session":{"id":"x","parameters":{"numberToDial":"12088675309","msg":"free money"}}})",
        R"({"session":{"id":"x","parameters":{"token":"guess","numberToDial":"12088675309","msg":"x"}}})",
        R"({"session":{"id":"x","parameters":{"token":")" + demo().tropo_key +
            R"(","numberToDial":"nobody","msg":"x"}}})",
        R"({"session":{"id":"x","parameters":{"token":")" + demo().tropo_key +
            R"(","numberToDial":"12088675309"}}})",
        "{\"session\":" + repeat("[", 5000) + repeat("]", 5000) + "}",
        R"({"session":{"id":")" + repeat("x", 5000) +
            R"(","initialText":"hi","from":{"id":"12088675309"}}})",
    };
    for (const std::string& body : bad) {
        const bool forged_launch = body.find("\"guess\"") != std::string::npos ||
                                   body.find("free money") != std::string::npos;
        check_refused(world, body, forged_launch ? 403 : 400);
    }
    check_refused(world,
                  R"({"session":{"id":"big","initialText":")" + repeat("a", 70 * 1024) +
                      R"(","from":{"id":"12088675309"}}})",
                  413);

    // Still serving, and the genuine SMS is the first event published.
    CHECK(http_status(world.gateway_port, "/healthz") == 200);
    REQUIRE(world.webhook_post(kGoodSms)->status == 200);
    REQUIRE(wait_until([&] { return !world.router->customer_messages().empty(); }, 10s));
    const auto events = world.router->customer_messages();
    CHECK(events[0].payload_as<CustomerMessage>().text == "the genuine one");
    CHECK(events.size() == 1);
    CHECK(world.phone("+12088675309")["inbox"].empty());  // no forged launch texted anyone

    httplib::Client client("127.0.0.1", world.gateway_port);
    const auto scraped = client.Get("/metrics");
    REQUIRE(scraped);
    CHECK(scraped->body.find("tropo_webhook_rejections_total") != std::string::npos);
    CHECK(scraped->body.find("reason=\"forged_launch\"") != std::string::npos);
    CHECK(world.gateway->running());
}

TEST_CASE("with TROPO_WEBHOOK_TOKEN set, only requests carrying it are served") {
    WorldOptions options;
    options.webhook_token = "s3cret-hook";
    TropoWorld world(options);
    check_refused(world, kGoodSms, 403);
    check_refused(world, kGoodSms, 403, "token=wrong");
    check_refused(world, kGoodSms, 403, "token=s3cret-hoo");
    check_refused(world, kGoodSms, 403, "token=");
    // The sandbox's application URL carries it: texting and sending work end to end.
    REQUIRE(
        world.sandbox_post("/sandbox/tropo/phones/+12088675309/sms", {{"text", "knock"}})->status ==
        202);
    REQUIRE(wait_until([&] { return world.router->customer_messages().size() == 1; }, 10s));
    CHECK(world.router->customer_messages()[0].payload_as<CustomerMessage>().text == "knock");
    const Envelope command = world.router->send_sms("+12088675309", "who's there");
    REQUIRE(wait_until([&] { return world.router->report_for(command.id).has_value(); }, 20s));
    REQUIRE(wait_until([&] { return world.phone("+12088675309")["inbox"].size() == 1; }, 10s));
    CHECK(world.phone("+12088675309")["inbox"][0]["text"] == "who's there");
}

TEST_CASE("tropo-gateway stops within a second of SIGTERM and refuses bad configuration") {
    TropoWorld world;
    world.gateway->terminate();
    const auto code = world.gateway->wait_exit(1000ms);
    REQUIRE(code);
    CHECK(*code == 0);

    const std::vector<std::pair<std::map<std::string, std::string>, std::string>> bad = {
        {{{"TROPO_KEY", ""}}, "TROPO_KEY"},
        {{{"CUSTOMER_SERVICE_REDIRECT_DN", ""}}, "CUSTOMER_SERVICE_REDIRECT_DN"},
        {{{"CUSTOMER_SERVICE_REDIRECT_DN", "contact center"}}, "CUSTOMER_SERVICE_REDIRECT_DN"},
        {{{"TROPO_API_URL", "ftp://tropo"}}, "TROPO_API_URL"},
        {{{"TROPO_GATEWAY_PORT", "eighty"}}, "TROPO_GATEWAY_PORT"},
        {{{"TROPO_LAUNCH_CONFIRM_MS", "50"}}, "TROPO_LAUNCH_CONFIRM_MS"},
    };
    for (const auto& row : bad) {
        // Not a structured binding: C++17 lets no lambda (CAPTURE's) capture one.
        const auto& env = row.first;
        const auto& variable = row.second;
        CAPTURE(variable);
        std::map<std::string, std::string> all{
            {"TROPO_GATEWAY_PORT", std::to_string(free_port())},
            {"TROPO_KEY", demo().tropo_key},
            {"CUSTOMER_SERVICE_REDIRECT_DN", demo().redirect_number},
            {"DATA_DIR", world.dir() + "/bad"},
            {"BUS_PUBLISH_ENDPOINT", world.bus_publish()},
            {"BUS_SUBSCRIBE_ENDPOINT", world.bus_subscribe()}};
        for (const auto& [name, value] : env) all[name] = value;
        const std::string log = world.dir() + "/bad-" + variable + ".log";
        Process process(build_dir() + "/tropo-gateway", {}, all, log);
        const auto exit_code = process.wait_exit(5s);
        REQUIRE(exit_code);
        CHECK(*exit_code == 2);
        CHECK(read_file(log).find(variable) != std::string::npos);
    }
}
