// What a client sends cannot forge a service's log, and LOG_LEVEL is read strictly: real bus
// processes, their stderr read back.
#include <doctest/doctest.h>

#include <sstream>

#include "process.h"
#include "raw_client.h"

using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

std::map<std::string, std::string> bus_env(const std::string& dir, int port,
                                           const std::string& level) {
    return {{"BUS_PORT", std::to_string(port)},
            {"BUS_PUBLISH_ENDPOINT", "tcp://127.0.0.1:" + std::to_string(free_port())},
            {"BUS_SUBSCRIBE_ENDPOINT", "tcp://127.0.0.1:" + std::to_string(free_port())},
            {"DATA_DIR", dir},
            {"LOG_LEVEL", level}};
}

}  // namespace

TEST_CASE("logging: a CR LF or NUL in a request path cannot forge a log line") {
    const std::string dir = make_temp_dir("edge-log");
    const int port = free_port();
    Process bus(build_dir() + "/bus", {}, bus_env(dir, port, "info"), dir + "/log.txt");
    REQUIRE(wait_until([&] { return http_status(port, "/healthz") == 200; }, 10s));
    {
        RawConnection connection(port);
        connection.send(
            "POST /nowhere%0d%0aFAKE-LOG-LINE%00tail HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
            "Connection: close\r\n\r\n");
        CHECK(connection.read_until_closed(3s).rfind("HTTP/1.1 404 ", 0) == 0);
    }
    bus.terminate();
    REQUIRE(bus.wait_exit(2s) == 0);
    const std::string log = read_file(dir + "/log.txt");
    CHECK(log.find("http POST /nowhere\\r\\nFAKE-LOG-LINE\\x00tail -> 404") != std::string::npos);
    CHECK(log.find('\0') == std::string::npos);
    CHECK(log.find('\r') == std::string::npos);
    std::istringstream lines(log);
    std::string line;
    while (std::getline(lines, line)) {
        CAPTURE(line);
        CHECK(line.rfind("FAKE-LOG-LINE", 0) != 0);
        CHECK(line.rfind("20", 0) == 0);  // every line starts with its timestamp
    }
}

TEST_CASE("logging: LOG_LEVEL=INFO logs, and an unknown level stops the service with exit 2") {
    {
        const std::string dir = make_temp_dir("edge-log");
        const int port = free_port();
        Process bus(build_dir() + "/bus", {}, bus_env(dir, port, "INFO"), dir + "/log.txt");
        REQUIRE(wait_until([&] { return http_status(port, "/healthz") == 200; }, 10s));
        bus.terminate();
        REQUIRE(bus.wait_exit(2s) == 0);
        const std::string log = read_file(dir + "/log.txt");
        CHECK(log.find("info  [bus] starting: ") != std::string::npos);
        CHECK(log.find("stopping") != std::string::npos);
    }
    {
        const std::string dir = make_temp_dir("edge-log");
        Process bus(build_dir() + "/bus", {}, bus_env(dir, free_port(), "bogus"), dir + "/log.txt");
        const auto exit_code = bus.wait_exit(5s);
        REQUIRE(exit_code);
        CHECK(*exit_code == 2);
        const std::string log = read_file(dir + "/log.txt");
        CHECK(log.find("LOG_LEVEL must be one of") != std::string::npos);
        CHECK(log.find("'bogus'") != std::string::npos);
    }
}
