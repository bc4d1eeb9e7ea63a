// The SMS pumping settings as the router process reads them: a bad entry stops it at start
// with exit code 2 and a message naming the variable, before it connects to anything.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "process.h"

using namespace sb::testing;
using namespace std::chrono_literals;

TEST_CASE("component: a bad SMS_ALLOWED_COUNTRIES or SMS_UNSOLICITED_PER_HOUR stops the router") {
    const std::string dir = make_temp_dir("router-sms-config");
    const std::pair<const char*, const char*> rows[] = {
        {"SMS_ALLOWED_COUNTRIES", "US,UK"},  // the United Kingdom is GB
        {"SMS_ALLOWED_COUNTRIES", "USA"},   {"SMS_ALLOWED_COUNTRIES", "US,"},
        {"SMS_UNSOLICITED_PER_HOUR", "-1"}, {"SMS_UNSOLICITED_PER_HOUR", "lots"},
    };
    int run = 0;
    for (const auto& row : rows) {
        // Not a structured binding: C++17 lets no lambda (CAPTURE's) capture one.
        const auto& variable = row.first;
        const auto& value = row.second;
        CAPTURE(variable);
        CAPTURE(value);
        const std::string log = dir + "/router-" + std::to_string(++run) + ".log";
        Process router(build_dir() + "/router", {},
                       {{"CUSTOMER_SERVICE_REDIRECT_DN", "+18005550199"},
                        {"SPARK_AGENT_TEAM_ID", "team"},
                        {"DATA_DIR", dir + "/data"},
                        {"ROUTER_PORT", std::to_string(free_port())},
                        {variable, value}},
                       log);
        const auto code = router.wait_exit(5s);
        REQUIRE(code);
        CHECK(*code == 2);
        CHECK(read_file(log).find(variable) != std::string::npos);
    }
}

TEST_CASE("component: a bad SMS_UNDO_SECONDS stops the router, naming it") {
    const std::string dir = make_temp_dir("router-undo-config");
    int run = 0;
    for (const char* value : {"-1", "601", "ten", "5s"}) {
        CAPTURE(value);
        const std::string log = dir + "/router-" + std::to_string(++run) + ".log";
        Process router(build_dir() + "/router", {},
                       {{"CUSTOMER_SERVICE_REDIRECT_DN", "+18005550199"},
                        {"SPARK_AGENT_TEAM_ID", "team"},
                        {"DATA_DIR", dir + "/data"},
                        {"ROUTER_PORT", std::to_string(free_port())},
                        {"SMS_UNDO_SECONDS", value}},
                       log);
        const auto code = router.wait_exit(5s);
        REQUIRE(code);
        CHECK(*code == 2);
        CHECK(read_file(log).find("SMS_UNDO_SECONDS") != std::string::npos);
    }
}
