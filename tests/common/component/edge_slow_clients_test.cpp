// Slow, idle and malformed clients against real service processes: the HTTP edge keeps
// answering everyone else, ends what will not finish, and refuses bad framing at once.
#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <memory>

#include "bus_process.h"
#include "process.h"
#include "raw_client.h"
#include "slow_clients.h"
#include "spark_fixture.h"
#include "switchboard/clocks.h"

using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

constexpr int kSlowClients = 200;

// The router as deployed, with 4 handler threads (its main says so), on its own bus.
struct RouterUnderTest {
    std::string dir = make_temp_dir("edge-router");
    BusProcess bus{dir};
    int port = free_port();
    Process router{build_dir() + "/router",
                   {},
                   {{"ROUTER_PORT", std::to_string(port)},
                    {"BUS_PUBLISH_ENDPOINT", bus.publish},
                    {"BUS_SUBSCRIBE_ENDPOINT", bus.subscribe},
                    {"DATA_DIR", dir + "/data"},
                    {"CUSTOMER_SERVICE_REDIRECT_DN", "+18005550199"},
                    {"SMS_ALLOWED_COUNTRIES", "US"},
                    {"SPARK_AGENT_TEAM_ID", "edge-test-team"}},
                   dir + "/router.log"};
    RouterUnderTest() {
        // 503 until its first directory sync (no spark-gateway here): answering is what counts.
        REQUIRE(wait_until([&] { return http_status(port, "/healthz") != 0; }, 10s));
    }
};

struct Timed {
    int status = 0;
    std::chrono::milliseconds took{0};
};

Timed timed_get(int port, const std::string& path) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(3, 0);
    client.set_read_timeout(3, 0);
    const auto start = sb::SteadyClock::now();
    const auto result = client.Get(path.c_str());
    return {result ? result->status : 0,
            std::chrono::duration_cast<std::chrono::milliseconds>(sb::SteadyClock::now() - start)};
}

// A raw request and how long the answer (up to the server closing) took.
struct RawAnswer {
    std::string text;
    bool closed = false;
    std::chrono::milliseconds took{0};
};

RawAnswer send_raw(int port, const std::string& request, std::chrono::milliseconds wait = 3s) {
    RawConnection connection(port);
    const auto start = sb::SteadyClock::now();
    connection.send(request);
    RawAnswer answer;
    answer.closed = connection.closed_within(wait, &answer.text);
    answer.took =
        std::chrono::duration_cast<std::chrono::milliseconds>(sb::SteadyClock::now() - start);
    return answer;
}

}  // namespace

TEST_CASE("edge: 200 slow clients leave the router's /healthz answered within a second") {
    RouterUnderTest service;
    SlowClients slow(service.port, kSlowClients);
    // Over a few seconds of the attack (each slow client sends a byte a second meanwhile).
    for (int round = 1; round <= 3; ++round) {
        CAPTURE(round);
        REQUIRE(slow.wait_rounds(round, 5s));
        const Timed health = timed_get(service.port, "/healthz");
        CHECK(health.status != 0);
        CHECK(health.took < 1000ms);
        const Timed metrics = timed_get(service.port, "/metrics");
        CHECK(metrics.status == 200);
        CHECK(metrics.took < 1000ms);
    }
    CHECK(slow.open() == kSlowClients);  // still connected: they were held, not refused
    // And a SIGTERM still ends it within a second, slow clients and all.
    service.router.terminate();
    const auto exit_code = service.router.wait_exit(1000ms);
    REQUIRE_MESSAGE(exit_code, "still running a second after SIGTERM");
    CHECK(*exit_code == 0);
}

TEST_CASE("edge: 200 slow clients leave spark-gateway's /healthz and a signed webhook answered") {
    using namespace sb::testing;
    SparkStack stack;
    stack.start_bus();
    stack.start_sandbox();
    stack.start_router();
    stack.start_gateway();
    SlowClients slow(stack.gateway_port, kSlowClients, "/api/spark-webhook/");
    for (int round = 1; round <= 3; ++round) {
        CAPTURE(round);
        REQUIRE(slow.wait_rounds(round, 5s));
        const Timed health = timed_get(stack.gateway_port, "/healthz");
        CHECK(health.status == 200);
        CHECK(health.took < 1000ms);

        const std::string body =
            json{{"resource", "messages"},
                 {"event", "created"},
                 {"data",
                  {{"id", "slowloris-round-" + std::to_string(round)}, {"roomId", "some-room"}}}}
                .dump();
        const auto start = sb::SteadyClock::now();
        const HttpAnswer webhook =
            stack.gateway_post(body, hmac_sha1_hex(demo().webhook_secret, body));
        const auto took = sb::SteadyClock::now() - start;
        CHECK(webhook.status == 200);
        CHECK(webhook.raw.find("\"accepted\"") != std::string::npos);
        CHECK(took < 1000ms);
    }
    CHECK(slow.open() == kSlowClients);
    stack.stop_gateway();  // checks a clean exit
}

TEST_CASE("edge: a request head not complete within a few seconds ends the connection") {
    RouterUnderTest service;
    RawConnection connection(service.port);
    connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    std::string answer;
    const auto start = sb::SteadyClock::now();
    // One byte a second would have kept cpp-httplib's 10 s read timeout from ever firing.
    bool closed = false;
    while (!closed && sb::SteadyClock::now() - start < 15s) {
        connection.send("X");
        closed = connection.closed_within(1000ms, &answer);
    }
    const auto took = sb::SteadyClock::now() - start;
    REQUIRE(closed);
    CHECK(took < 8s);
    CHECK(answer.rfind("HTTP/1.1 408 ", 0) == 0);
    CHECK(answer.find("not complete in time") != std::string::npos);
    // Meanwhile, and after, the service answers.
    CHECK(timed_get(service.port, "/healthz").status != 0);
}

TEST_CASE("edge: bad body framing is answered at once, not after a read timeout") {
    RouterUnderTest service;
    struct Case {
        std::string name;
        std::string headers;
        std::string status_line;
    };
    const Case cases[] = {
        {"negative Content-Length", "Content-Length: -1\r\n", "HTTP/1.1 400 "},
        {"Content-Length not a number", "Content-Length: ten\r\n", "HTTP/1.1 400 "},
        {"absurd Content-Length", "Content-Length: 99999999999999999999999999\r\n",
         "HTTP/1.1 413 "},
        {"Content-Length over the cap", "Content-Length: 100000000\r\n", "HTTP/1.1 413 "},
        {"unsupported Transfer-Encoding", "Transfer-Encoding: gzip\r\n", "HTTP/1.1 400 "},
        {"neither length nor chunking", "", "HTTP/1.1 411 "},
        {"both length and chunking", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
         "HTTP/1.1 400 "},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        const RawAnswer answer =
            send_raw(service.port, "POST /anything HTTP/1.1\r\nHost: x\r\n" + c.headers + "\r\n");
        CHECK(answer.text.rfind(c.status_line, 0) == 0);
        CHECK(answer.text.find("{\"error\":") != std::string::npos);
        CHECK(answer.closed);
        CHECK(answer.took < 1000ms);
    }
    // A well-framed request on a kept-alive connection still gets its answer, chunked too.
    const RawAnswer chunked = send_raw(
        service.port,
        "POST /nowhere HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        "3\r\nabc\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(chunked.text.rfind("HTTP/1.1 404 ", 0) == 0);
    CHECK(chunked.text.find("\"service\":\"router\"") != std::string::npos);
    CHECK(chunked.took < 1000ms);
}
