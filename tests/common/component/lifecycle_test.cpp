// Every executable starts, reports ready, and ends cleanly within a second of SIGTERM; bad
// configuration ends it at once with a message naming the variable.
#include <doctest/doctest.h>

#include <csignal>

#include "process.h"

using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

struct Service {
    std::string name;
    std::string port_variable;
};

const std::vector<Service>& services() {
    static const std::vector<Service> all = {{"bus", "BUS_PORT"}};
    return all;
}

std::map<std::string, std::string> isolated_env(const std::string& dir, int http_port,
                                                const Service& service) {
    return {{service.port_variable, std::to_string(http_port)},
            {"BUS_PUBLISH_ENDPOINT", "tcp://127.0.0.1:" + std::to_string(free_port())},
            {"BUS_SUBSCRIBE_ENDPOINT", "tcp://127.0.0.1:" + std::to_string(free_port())},
            {"DATA_DIR", dir}};
}

}  // namespace

TEST_CASE("each executable exits cleanly within a second of SIGTERM") {
    for (const Service& service : services()) {
        CAPTURE(service.name);
        const std::string dir = make_temp_dir("lifecycle");
        const int http_port = free_port();
        Process process(build_dir() + "/" + service.name, {}, isolated_env(dir, http_port, service),
                        dir + "/log.txt");
        REQUIRE(wait_until([&] { return http_status(http_port, "/healthz") == 200; }, 10s));
        CHECK(http_status(http_port, "/metrics") == 200);
        process.terminate();
        const auto exit_code = process.wait_exit(1000ms);
        REQUIRE_MESSAGE(exit_code, "still running a second after SIGTERM");
        CHECK(*exit_code == 0);
    }
}

TEST_CASE("a malformed setting stops a service at once, naming the variable") {
    for (const Service& service : services()) {
        CAPTURE(service.name);
        const std::string dir = make_temp_dir("lifecycle");
        auto env = isolated_env(dir, free_port(), service);
        env[service.port_variable] = "not-a-port";
        Process process(build_dir() + "/" + service.name, {}, env, dir + "/log.txt");
        const auto exit_code = process.wait_exit(5s);
        REQUIRE(exit_code);
        CHECK(*exit_code == 2);
        CHECK(read_file(dir + "/log.txt").find(service.port_variable) != std::string::npos);
    }
}
