#include "switchboard/http_edge.h"

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

#include "process.h"
#include "raw_client.h"

using namespace sb;

TEST_CASE("the HTTP edge answers health, metrics, and errors as JSON") {
    Metrics metrics;
    metrics.counter("widgets_total", "Widgets made", {{"kind", "blue\"x"}}).add(3);
    HttpEdge edge("test", metrics, /*max_body_bytes=*/1024);
    edge.server().Post("/echo", [](const httplib::Request& request, httplib::Response& response) {
        response.set_content(request.body, "text/plain");
    });
    edge.server().Get("/boom", [](const httplib::Request&, httplib::Response&) {
        throw std::runtime_error("secret detail");
    });
    edge.start("127.0.0.1", 0);
    httplib::Client client("127.0.0.1", edge.port());

    SUBCASE("healthz is 503 until ready, then 200") {
        auto starting = client.Get("/healthz");
        REQUIRE(starting);
        CHECK(starting->status == 503);
        edge.set_ready(true);
        auto ready = client.Get("/healthz");
        REQUIRE(ready);
        CHECK(ready->status == 200);
        CHECK(nlohmann::json::parse(ready->body)["status"] == "ready");
    }
    SUBCASE("metrics are Prometheus text with escaped labels") {
        auto scraped = client.Get("/metrics");
        REQUIRE(scraped);
        CHECK(scraped->status == 200);
        CHECK(scraped->get_header_value("Content-Type").find("text/plain") == 0);
        CHECK(scraped->body.find("# TYPE switchboard_widgets_total counter") != std::string::npos);
        CHECK(scraped->body.find("switchboard_widgets_total{kind=\"blue\\\"x\"} 3") !=
              std::string::npos);
    }
    SUBCASE("a body over the cap gets 413 as JSON") {
        auto refused = client.Post("/echo", std::string(2048, 'x'), "text/plain");
        REQUIRE(refused);
        CHECK(refused->status == 413);
        CHECK(nlohmann::json::parse(refused->body)["error"] == "request body too large");
        auto accepted = client.Post("/echo", "small", "text/plain");
        REQUIRE(accepted);
        CHECK(accepted->body == "small");
    }
    SUBCASE("an unknown path gets 404 as JSON") {
        auto missing = client.Get("/nope");
        REQUIRE(missing);
        CHECK(missing->status == 404);
        CHECK(nlohmann::json::parse(missing->body)["error"] == "not found");
    }
    SUBCASE("a handler that throws gets 500 without its details, and the server lives on") {
        auto failed = client.Get("/boom");
        REQUIRE(failed);
        CHECK(failed->status == 500);
        CHECK(failed->body.find("secret detail") == std::string::npos);
        CHECK(client.Get("/healthz"));
        CHECK(metrics.render().find("switchboard_http_exceptions_total 1") != std::string::npos);
    }
    edge.stop();
}

TEST_CASE("idle keep-alive connections do not keep a new client waiting") {
    Metrics metrics;
    HttpEdge edge("test", metrics, kDefaultMaxBodyBytes, /*threads=*/16);
    edge.start("127.0.0.1", 0);
    edge.set_ready(true);
    // Twelve clients that asked once and keep their connection open, as browsers and webhook
    // senders do; with cpp-httplib's default pool of 8 the next client waited for one to time out.
    std::vector<std::unique_ptr<httplib::Client>> idle;
    for (int i = 0; i < 12; ++i) {
        idle.push_back(std::make_unique<httplib::Client>("127.0.0.1", edge.port()));
        idle.back()->set_keep_alive(true);
        REQUIRE(idle.back()->Get("/healthz"));
    }
    httplib::Client newcomer("127.0.0.1", edge.port());
    newcomer.set_read_timeout(1, 0);  // the connections above stay open for 2 s
    const auto answer = newcomer.Get("/healthz");
    REQUIRE(answer);
    CHECK(answer->status == 200);
    edge.stop();
}

TEST_CASE("a restarted edge gets its port back at once, and a second live one is refused") {
    Metrics metrics;
    int port = 0;
    {
        HttpEdge first("test", metrics);
        first.start("127.0.0.1", 0);
        port = first.port();
        // The server closes these connections first, so their ends on `port` sit in TIME_WAIT
        // for a minute after it is gone: a restart must not wait for them.
        for (int i = 0; i < 3; ++i) {
            httplib::Client client("127.0.0.1", port);
            client.set_keep_alive(false);
            REQUIRE(client.Get("/healthz", {{"Connection", "close"}}));
        }
        first.stop();
    }
    HttpEdge restarted("test", metrics);
    CHECK_NOTHROW(restarted.start("127.0.0.1", port));
    // Two processes sharing a port would split its traffic without a word.
    HttpEdge intruder("test", metrics);
    CHECK_THROWS_AS(intruder.start("127.0.0.1", port), std::runtime_error);
    restarted.stop();
}

TEST_CASE(
    "the edge serves Expect: 100-continue, pipelined requests, and a 413 through the "
    "service's error handler") {
    Metrics metrics;
    HttpEdge edge("test", metrics, /*max_body_bytes=*/1024);
    edge.server().Post("/echo", [](const httplib::Request& request, httplib::Response& response) {
        response.set_content(request.body, "text/plain");
    });
    edge.start("127.0.0.1", 0);
    edge.set_ready(true);

    SUBCASE("100 Continue comes once, before the body is sent") {
        sb::testing::RawConnection connection(edge.port());
        connection.send(
            "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n"
            "Connection: close\r\n\r\n");
        std::string interim;
        CHECK_FALSE(connection.closed_within(std::chrono::milliseconds(300), &interim));
        CHECK(interim == "HTTP/1.1 100 Continue\r\n\r\n");
        connection.send("hello");
        const std::string answer = connection.read_until_closed(std::chrono::seconds(2));
        CHECK(answer.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
        CHECK(answer.find("100 Continue") == std::string::npos);
        CHECK(answer.substr(answer.size() - 5) == "hello");
    }
    SUBCASE("two requests in one write get two answers, in order") {
        sb::testing::RawConnection connection(edge.port());
        connection.send(
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\ntwo");
        const std::string answers = connection.read_until_closed(std::chrono::seconds(2));
        const size_t first = answers.find("one");
        CHECK(first != std::string::npos);
        CHECK(answers.find("two", first) != std::string::npos);
    }
    SUBCASE("a body over the cap is refused from its head by the service's own error handler") {
        edge.server().set_error_handler([](const httplib::Request&, httplib::Response& response) {
            response.set_content("<p>too long</p>", "text/html");
        });
        sb::testing::RawConnection connection(edge.port());
        connection.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nabc");
        const std::string answer = connection.read_until_closed(std::chrono::seconds(1));
        CHECK(answer.rfind("HTTP/1.1 413 ", 0) == 0);
        CHECK(answer.find("<p>too long</p>") != std::string::npos);
    }
    edge.stop();
}

TEST_CASE("an edge with requests held open still stops within a second") {
    Metrics metrics;
    HttpEdge edge("test", metrics, kDefaultMaxBodyBytes, /*threads=*/2);
    edge.start("127.0.0.1", 0);
    std::vector<std::unique_ptr<sb::testing::RawConnection>> held;
    for (int i = 0; i < 50; ++i) {
        held.push_back(std::make_unique<sb::testing::RawConnection>(edge.port()));
        held.back()->send(i % 2 ? "GET /healthz HTTP/1.1\r\n"
                                : "POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\n12");
    }
    CHECK(sb::testing::http_status(edge.port(), "/healthz") == 503);
    const auto start = std::chrono::steady_clock::now();
    edge.stop();
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
    for (auto& connection : held) CHECK(connection->closed_within(std::chrono::seconds(1)));
}

TEST_CASE("a logged path is bounded, and marked where it was cut") {
    CHECK(loggable_path("/api/spark-webhook/") == "/api/spark-webhook/");
    const std::string logged = loggable_path("/" + std::string(5000, 'a'));
    CHECK(logged.size() == 203);
    CHECK(logged.substr(200) == "...");
}
