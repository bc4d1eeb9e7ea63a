// POST /api/customer_room_message_post/ against the real ingress-web process.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "web_fixture.h"

using namespace sb::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

constexpr const char* kApi = "/api/customer_room_message_post/";

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// A string member of a parsed answer, empty when absent or when the answer is no JSON object.
std::string member(const std::string& body, const char* name) {
    try {
        return json::parse(body).at(name).get<std::string>();
    } catch (const json::exception&) {
        return {};
    }
}

}  // namespace

TEST_CASE("api: a valid message answers 202 with the id of the event it published") {
    WebFixture web(with_api_token());
    auto result = web.post_api(R"({"customer_id":"2085550123","text":"Your order shipped"})");
    REQUIRE(result);
    CHECK(result->status == 202);
    CHECK(member(result->body, "status") == "accepted");

    REQUIRE(sb::testing::wait_until([&] { return web.received().size() == 1; }, 15s));
    const Received got = web.received().front();
    CHECK(got.id == member(result->body, "event_id"));
    CHECK(got.key == "+12085550123");
    CHECK(got.message.channel == "api");
    CHECK(got.message.text == "Your order shipped");
    CHECK(got.message.email.empty());
}

TEST_CASE("api: markdown and files pass through") {
    WebFixture web(with_api_token());
    auto result = web.post_api(
        R"({"customer_id":"+447911123456","markdown":"**Hi**","files":["https://files.example/a.pdf"]})");
    REQUIRE(result);
    CHECK(result->status == 202);
    REQUIRE(sb::testing::wait_until([&] { return web.received().size() == 1; }, 15s));
    const Received got = web.received().front();
    CHECK(got.message.customer == "+447911123456");
    CHECK(got.message.markdown == "**Hi**");
    CHECK(got.message.files == std::vector<std::string>{"https://files.example/a.pdf"});
}

TEST_CASE("api: malformed, incomplete and hostile bodies get 400 with a JSON reason") {
    WebFixture web(with_api_token());
    struct Case {
        std::string body;
        const char* says;
    };
    const Case cases[] = {
        {"{not json", "malformed JSON"},
        {"[]", "JSON object"},
        {"{\"customer_id\":\"2085550123\",\"text\":\"\xC0\xAF\"}", "malformed JSON"},
        {R"({"text":"hi"})", "missing customer_id"},
        {R"({"customer_id":"2085550123"})", "missing content"},
        {R"({"customer_id":"2085550123","text":""})", "missing content"},
        {R"({"customer_id":"555","text":"hi"})", "not a valid phone number"},
        {R"({"customer_id":"<script>alert(1)</script>","text":"hi"})", "not a valid phone number"},
        {R"({"customer_id":"2085550123","text":")" + std::string(8000, 'x') + "\"}", "longer than"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.body.substr(0, 80));
        auto result = web.post_api(c.body);
        REQUIRE(result);
        CHECK(result->status == 400);
        CHECK(result->get_header_value("Content-Type") == "application/json");
        CHECK(contains(member(result->body, "error"), c.says));
    }
    CHECK(web.received_through_marker("marker").size() == 1);
    const std::string metrics = web.metrics();
    CHECK(contains(metrics, "channel=\"api\",reason=\"malformed_json\"} 3"));
    CHECK(contains(metrics, "channel=\"api\",reason=\"missing_customer_id\"} 1"));
    CHECK(contains(metrics, "channel=\"api\",reason=\"missing_content\"} 2"));
    CHECK(contains(metrics, "channel=\"api\",reason=\"invalid_customer_id\"} 2"));
}

TEST_CASE("api: a body over the cap is refused with 413 and a JSON reason") {
    WebFixture web(with_api_token({{"INGRESS_MAX_BODY_BYTES", "32768"}}));
    auto result =
        web.post_api(R"({"customer_id":"2085550123","text":")" + std::string(40000, 'x') + "\"}");
    REQUIRE(result);
    CHECK(result->status == 413);
    CHECK(contains(member(result->body, "error"), "too large"));
    CHECK(web.received_through_marker("marker").size() == 1);
}

TEST_CASE("api: with INGRESS_API_TOKEN unset the API is off: 404, nothing published") {
    WebFixture web;
    CHECK(contains(web.log(), "the JSON API is off"));
    const std::string body = R"({"customer_id":"2085550123","text":"posted as the customer"})";
    auto bare = web.post_raw(kApi, body, "application/json");
    REQUIRE(bare);
    CHECK(bare->status == 404);
    CHECK(member(bare->body, "error") == "not found");
    // Whatever token is guessed, there is nothing to open.
    for (const std::string& header :
         {std::string("Bearer "), std::string("Bearer x"), "Bearer " + demo().api_token}) {
        CAPTURE(header);
        auto guessed = web.post_raw(kApi, body, "application/json", {{"Authorization", header}});
        REQUIRE(guessed);
        CHECK(guessed->status == 404);
    }
    const auto got = web.received_through_marker("marker");
    REQUIRE(got.size() == 1);
    CHECK(got[0].message.channel == "web");
    CHECK(contains(web.metrics(), "channel=\"api\",reason=\"api_disabled\"} 4"));
    CHECK(contains(web.metrics(), "ingress_submissions_accepted_total{channel=\"api\"} 0"));
}

TEST_CASE("api: with INGRESS_API_TOKEN set, only the right bearer token gets in") {
    WebFixture web(Env{{"INGRESS_API_TOKEN", "api-token-for-tests"}});
    CHECK_FALSE(contains(web.log(), "the JSON API is off"));
    const std::string body = R"({"customer_id":"2085550123","text":"hi"})";
    auto none = web.post_raw(kApi, body, "application/json");
    REQUIRE(none);
    CHECK(none->status == 401);
    CHECK(none->get_header_value("WWW-Authenticate").rfind("Bearer", 0) == 0);
    for (const char* header :
         {"Bearer api-token-for-test", "Bearer api-token-for-testsx", "Basic api-token-for-tests",
          "Bearer API-TOKEN-FOR-TESTS", "api-token-for-tests"}) {
        CAPTURE(header);
        auto wrong = web.post_raw(kApi, body, "application/json", {{"Authorization", header}});
        REQUIRE(wrong);
        CHECK(wrong->status == 401);
    }
    auto right = web.post_raw(kApi, body, "application/json",
                              {{"Authorization", "Bearer api-token-for-tests"}});
    REQUIRE(right);
    CHECK(right->status == 202);
    // The form is not behind the API token.
    const auto got = web.received_through_marker("marker");
    REQUIRE(got.size() == 2);
    CHECK(got[0].message.channel == "api");
    CHECK(contains(web.metrics(), "reason=\"unauthorized\"} 6"));
    CHECK_FALSE(contains(web.log(), "api-token-for-tests"));  // never logged
}
