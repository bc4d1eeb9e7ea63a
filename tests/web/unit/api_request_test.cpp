#include "api_request.h"

#include <doctest/doctest.h>

#include "bearer.h"

using namespace sb::web;

namespace {
const std::string kNow = "2026-11-24T08:45:44.123Z";
}

TEST_CASE("a text message for a valid number becomes an api CustomerMessage") {
    const ApiValidation result =
        parse_api_message(R"({"customer_id":"2085550123","text":" Your order shipped "})", kNow);
    REQUIRE(result.message);
    CHECK(result.message->customer == "+12085550123");
    CHECK(result.message->channel == "api");
    CHECK(result.message->text == "Your order shipped");
    CHECK(result.message->received_at == kNow);
}

TEST_CASE("markdown, files, a numeric id and the lab's 'message' member are accepted") {
    auto result = parse_api_message(R"({"customer_id":"+447911123456","markdown":"**hi**"})", kNow);
    REQUIRE(result.message);
    CHECK(result.message->markdown == "**hi**");
    result = parse_api_message(R"({"customer_id":12085550123,"files":["https://x.example/a.png"]})",
                               kNow);
    REQUIRE(result.message);
    CHECK(result.message->files == std::vector<std::string>{"https://x.example/a.png"});
    result = parse_api_message(R"({"customer_id":"2085550123","message":"old client"})", kNow);
    REQUIRE(result.message);
    CHECK(result.message->text == "old client");
}

TEST_CASE("each refused body names its reason") {
    struct Case {
        std::string body;
        const char* reason;
    };
    const std::string long_text(kMaxApiTextBytes + 1, 'x');
    const Case cases[] = {
        {"", "malformed_json"},
        {"{not json", "malformed_json"},
        {"[1,2]", "malformed_json"},
        {"\"text\"", "malformed_json"},
        {"{\"customer_id\":\"2085550123\",\"text\":\"\xFF\xFE\"}", "malformed_json"},
        {R"({"text":"hi"})", "missing_customer_id"},
        {R"({"customer_id":"","text":"hi"})", "missing_customer_id"},
        {R"({"customer_id":null,"text":"hi"})", "missing_customer_id"},
        {R"({"customer_id":"12","text":"hi"})", "invalid_customer_id"},
        {R"({"customer_id":"<script>","text":"hi"})", "invalid_customer_id"},
        {R"({"customer_id":-2085550123,"text":"hi"})", "invalid_customer_id"},
        {R"({"customer_id":["2085550123"],"text":"hi"})", "invalid_customer_id"},
        {R"({"customer_id":"2085550123"})", "missing_content"},
        {R"({"customer_id":"2085550123","text":"   "})", "missing_content"},
        {R"({"customer_id":"2085550123","text":42})", "invalid_content"},
        {R"({"customer_id":"2085550123","files":"https://x.example/a"})", "invalid_content"},
        {R"j({"customer_id":"2085550123","files":["javascript:alert(1)"]})j", "invalid_content"},
        {R"({"customer_id":"2085550123","text":"a\u0000b"})", "invalid_content"},
        {R"({"customer_id":"2085550123","text":")" + long_text + "\"}", "content_too_long"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.body);
        const ApiValidation result = parse_api_message(c.body, kNow);
        CHECK_FALSE(result.message);
        CHECK(result.reason == c.reason);
        CHECK_FALSE(result.error.empty());
    }
}

TEST_CASE("bearer tokens match exactly, scheme case-insensitively") {
    CHECK(bearer_token_matches("Bearer s3cret-token", "s3cret-token"));
    CHECK(bearer_token_matches("bearer s3cret-token", "s3cret-token"));
    CHECK_FALSE(bearer_token_matches("Bearer s3cret-toke", "s3cret-token"));
    CHECK_FALSE(bearer_token_matches("Bearer s3cret-token2", "s3cret-token"));
    CHECK_FALSE(bearer_token_matches("Basic s3cret-token", "s3cret-token"));
    CHECK_FALSE(bearer_token_matches("", "s3cret-token"));
    CHECK_FALSE(bearer_token_matches("Bearer ", ""));
}

TEST_CASE("the JSON API is off without a configured token, and then only the token opens it") {
    struct Case {
        const char* authorization;
        const char* configured;
        ApiAccess expected;
    };
    const Case cases[] = {
        {"", "", ApiAccess::disabled},
        {"Bearer ", "", ApiAccess::disabled},
        {"Bearer anything-at-all-here", "", ApiAccess::disabled},
        {"", "s3cret-token-0123", ApiAccess::unauthorized},
        {"Bearer s3cret-token-012", "s3cret-token-0123", ApiAccess::unauthorized},
        {"Bearer s3cret-token-01234", "s3cret-token-0123", ApiAccess::unauthorized},
        {"Basic s3cret-token-0123", "s3cret-token-0123", ApiAccess::unauthorized},
        {"s3cret-token-0123", "s3cret-token-0123", ApiAccess::unauthorized},
        {"Bearer s3cret-token-0123", "s3cret-token-0123", ApiAccess::allowed},
        {"bearer s3cret-token-0123", "s3cret-token-0123", ApiAccess::allowed},
    };
    for (const Case& c : cases) {
        CAPTURE(c.authorization);
        CAPTURE(c.configured);
        CHECK(api_access(c.authorization, c.configured) == c.expected);
    }
}
