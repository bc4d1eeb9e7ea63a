#include "switchboard/config.h"

#include <doctest/doctest.h>

using namespace sb;

TEST_CASE("a missing required variable is named in the error") {
    const Environment env(Environment::Values{{"SPARK_API_URL", "http://127.0.0.1:8090/v1"}});
    CHECK_THROWS_WITH_AS(env.require("SPARK_TOKEN"), "SPARK_TOKEN is required but not set",
                         ConfigError);
    CHECK(env.require("SPARK_API_URL") == "http://127.0.0.1:8090/v1");
}

TEST_CASE("an empty value counts as unset") {
    const Environment env(Environment::Values{{"SPARK_TOKEN", ""}});
    CHECK_THROWS_AS(env.require("SPARK_TOKEN"), ConfigError);
    CHECK(env.get_or("SPARK_TOKEN", "fallback") == "fallback");
}

TEST_CASE("ports, numbers and flags are checked") {
    const Environment env(Environment::Values{{"BUS_PORT", "http"},
                                              {"ROUTER_PORT", "70000"},
                                              {"GOOD", "8083"},
                                              {"FLAG", "maybe"},
                                              {"ON", "true"}});
    CHECK_THROWS_WITH_AS(env.port_or("BUS_PORT", 8084),
                         "BUS_PORT must be a whole number from 0 to 65535, not 'http'",
                         ConfigError);
    CHECK_THROWS_AS(env.port_or("ROUTER_PORT", 8083), ConfigError);
    CHECK(env.port_or("GOOD", 1) == 8083);
    CHECK(env.port_or("MISSING", 8090) == 8090);
    CHECK_THROWS_WITH_AS(env.flag_or("FLAG", true), "FLAG must be true or false, not 'maybe'",
                         ConfigError);
    CHECK(env.flag_or("ON", false));
    CHECK(env.flag_or("MISSING", true));
}

TEST_CASE("a URL setting must be http(s), and the error names the variable and its value") {
    const Environment env(Environment::Values{{"SPARK_API_URL", "ftp://webex"},
                                              {"TROPO_API_URL", "https://"},
                                              {"PUBLIC_BASE_URL", "https://example.com/x/"}});
    CHECK_THROWS_WITH_AS(env.url_or("SPARK_API_URL", "https://webexapis.com/v1"),
                         "SPARK_API_URL must be an http(s) URL such as https://webexapis.com/v1, "
                         "not 'ftp://webex'",
                         ConfigError);
    CHECK_THROWS_AS(env.url_or("TROPO_API_URL", "https://api.tropo.com/1.0"), ConfigError);
    CHECK(env.url_or("PUBLIC_BASE_URL", "http://127.0.0.1:8082") == "https://example.com/x/");
    CHECK(env.url_or("MISSING_URL", "http://127.0.0.1:8082") == "http://127.0.0.1:8082");
}

TEST_CASE(".env files parse like docker-compose's env_file") {
    const auto values = Environment::parse_dotenv(
        "# a comment\n"
        "SPARK_TOKEN=abc123\n"
        "export TROPO_KEY = 'quoted value'\n"
        "PUBLIC_BASE_URL=\"https://example.com/x\"\n"
        "DATA_DIR=./var # trailing comment\n"
        "not a setting\n");
    CHECK(values.at("SPARK_TOKEN") == "abc123");
    CHECK(values.at("TROPO_KEY") == "quoted value");
    CHECK(values.at("PUBLIC_BASE_URL") == "https://example.com/x");
    CHECK(values.at("DATA_DIR") == "./var");
    CHECK(values.size() == 4);
}

TEST_CASE("the start-up line never shows a secret") {
    const std::string line = describe_settings({{"SPARK_API_URL", "https://webexapis.com/v1"},
                                                {"SPARK_TOKEN", "s3cr3t-token", true},
                                                {"TROPO_KEY", "", true}});
    CHECK(line.find("s3cr3t") == std::string::npos);
    CHECK(line.find("SPARK_TOKEN=<set>") != std::string::npos);
    CHECK(line.find("TROPO_KEY=<unset>") != std::string::npos);
    CHECK(line.find("SPARK_API_URL=https://webexapis.com/v1") != std::string::npos);
}

TEST_CASE("common settings take DESIGN.md's defaults") {
    const Environment env(Environment::Values{});
    const CommonConfig config = read_common_config(env, "router", "ROUTER_PORT", 8083);
    CHECK(config.instance == "router");
    CHECK(config.data_dir == "./var");
    CHECK(config.bus_publish == "tcp://127.0.0.1:5550");
    CHECK(config.bus_subscribe == "tcp://127.0.0.1:5551");
    CHECK(config.http_port == 8083);
    CHECK_THROWS_AS(read_common_config(Environment(Environment::Values{{"INSTANCE_ID", "../etc"}}),
                                       "router", "ROUTER_PORT", 8083),
                    ConfigError);
}

TEST_CASE("INSTANCE_ID=@hostname gives replicas distinct, stable ids") {
    const CommonConfig config =
        read_common_config(Environment(Environment::Values{{"INSTANCE_ID", "@hostname"}}),
                           "ingress-web", "INGRESS_WEB_PORT", 8080);
    CHECK(config.instance.rfind("ingress-web-", 0) == 0);
    CHECK(config.instance.size() > std::string("ingress-web-").size());
}

TEST_CASE("LOG_LEVEL takes any case, and an unknown level stops the service naming LOG_LEVEL") {
    CHECK(read_log_level(Environment(Environment::Values{})) == "info");
    CHECK(read_log_level(Environment(Environment::Values{{"LOG_LEVEL", "INFO"}})) == "INFO");
    CHECK(read_log_level(Environment(Environment::Values{{"LOG_LEVEL", "Debug"}})) == "Debug");
    const Environment typo(Environment::Values{{"LOG_LEVEL", "bogus"}});
    CHECK_THROWS_WITH_AS(read_log_level(typo),
                         "LOG_LEVEL must be one of trace, debug, info, warn, error, critical, off "
                         "(any case), not 'bogus'",
                         ConfigError);
    CHECK_THROWS_AS(read_common_config(typo, "router", "ROUTER_PORT", 8083), ConfigError);
    CHECK(read_common_config(Environment(Environment::Values{{"LOG_LEVEL", "WARN"}}), "router",
                             "ROUTER_PORT", 8083)
              .log_level == "WARN");
}
