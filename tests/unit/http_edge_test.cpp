#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <vector>

#include "switchboard/http_edge.h"

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
