#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

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
