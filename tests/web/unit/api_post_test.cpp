// POST /api/customer_room_message_post/ decided without HTTP: who gets in, what is refused with
// which status, and what is published.
#include "api_post.h"

#include <doctest/doctest.h>

#include "switchboard/time_format.h"

using namespace sb::web;

namespace {

constexpr const char* kToken = "api-token-for-unit-tests";
const Moment kNow{sb::SteadyClock::time_point{},
                  sb::WallClock::time_point{} + std::chrono::seconds(1'800'000'000)};
constexpr const char* kValid = R"({"customer_id":"2085550123","text":"hi"})";

ApiPost post(std::string authorization, std::string body = kValid) {
    return {"203.0.113.7", std::move(authorization), std::move(body)};
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("each refused call gets its status, its JSON error and its reason") {
    struct Case {
        const char* name;
        const char* configured;
        ApiPost post;
        int status;
        const char* reason;
        const char* error;
        bool challenge;
    };
    const std::string bearer = std::string("Bearer ") + kToken;
    const Case cases[] = {
        {"the API is off", "", post(bearer), 404, "api_disabled", "not found", false},
        {"off, whatever the token", "", post("Bearer x"), 404, "api_disabled", "not found", false},
        {"no Authorization", kToken, post(""), 401, "unauthorized", "bearer token", true},
        {"a wrong token", kToken, post("Bearer wrong-token-for-unit-tests"), 401, "unauthorized",
         "bearer token", true},
        {"the token without the scheme", kToken, post(kToken), 401, "unauthorized", "bearer token",
         true},
        {"access is checked before the body", kToken, post("", "not json"), 401, "unauthorized",
         "bearer token", true},
        {"malformed JSON", kToken, post(bearer, "{"), 400, "malformed_json", "malformed JSON",
         false},
        {"no customer", kToken, post(bearer, R"({"text":"hi"})"), 400, "missing_customer_id",
         "customer_id", false},
        {"no content", kToken, post(bearer, R"({"customer_id":"2085550123"})"), 400, "", "", false},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        const ApiOutcome outcome = decide_api_post(c.post, c.configured, kNow);
        const auto* refusal = std::get_if<ApiRefusal>(&outcome);
        REQUIRE(refusal);
        CHECK(refusal->status == c.status);
        CHECK(contains(refusal->reason, c.reason));
        CHECK_FALSE(refusal->reason.empty());
        CHECK(contains(refusal->error, c.error));
        CHECK(refusal->bearer_challenge == c.challenge);
        CHECK(contains(refusal->warning, "203.0.113.7"));
        CHECK_FALSE(contains(refusal->warning, kToken));  // a secret is never logged
    }
}

TEST_CASE("the disabled API says so in the log, for the operator who forgot the token") {
    const ApiOutcome outcome = decide_api_post(post(""), "", kNow);
    CHECK(contains(std::get<ApiRefusal>(outcome).warning, "the JSON API is off"));
}

TEST_CASE("the right token and a valid body: an api CustomerMessage stamped now") {
    const ApiOutcome outcome = decide_api_post(post(std::string("bearer ") + kToken), kToken, kNow);
    const auto* accepted = std::get_if<ApiAccepted>(&outcome);
    REQUIRE(accepted);
    CHECK(accepted->message.customer == "+12085550123");
    CHECK(accepted->message.channel == "api");
    CHECK(accepted->message.text == "hi");
    CHECK(accepted->message.received_at == sb::iso8601(kNow.wall));
}

TEST_CASE("a message that could not be stored is a 503 to try again") {
    const ApiRefusal refusal = api_publish_failed();
    CHECK(refusal.status == 503);
    CHECK(refusal.reason == "publish_failed");
    CHECK(contains(refusal.error, "try again"));
}
