// The escaping of what customers write into rooms, and the posts and SMS texts the router
// writes (markdown -> plain text itself: tests/common/unit/markdown_test.cpp).
#include <doctest/doctest.h>

#include "room_text.h"

using namespace sb;
using namespace sb::router;

TEST_CASE("customer text is escaped so that it renders exactly as typed") {
    CHECK(escape_markdown("a*b_c`d[e](f)<@personEmail:x@y.z>#1") ==
          "a\\*b\\_c\\`d\\[e\\]\\(f\\)\\<\\@personEmail:x\\@y\\.z\\>\\#1");
    CHECK(escape_markdown("line\r\nnext") == "line\nnext");
}

TEST_CASE("customer markdown from the JSON API is kept, but cannot mention anyone") {
    CustomerMessage message;
    message.customer = "+12088675309";
    message.channel = "api";
    message.markdown = "**order 42** for <@personEmail:boss@example.com>";
    message.received_at = "2026-05-01T10:00:00Z";
    const auto posts = customer_posts(message, "+18005550199");
    REQUIRE(posts.size() == 1);
    CHECK(posts[0].find("**order 42** for \\<@personEmail") != std::string::npos);
}

TEST_CASE("an odd received time is shown escaped, a good one normalized") {
    CustomerMessage message;
    message.customer = "+12088675309";
    message.channel = "sms";
    message.text = "x";
    message.received_at = "<script>";
    CHECK(customer_posts(message, "")[0].find("\\<script\\>") != std::string::npos);
    message.received_at = "2026-05-01T10:00:00Z";
    CHECK(customer_posts(message, "")[0].find("2026-05-01T10:00:00.000Z") != std::string::npos);
}

TEST_CASE("many long file URLs spill onto posts of their own, each within the limit") {
    CustomerMessage message;
    message.customer = "+12088675309";
    message.channel = "api";
    message.text = std::string(2900, 'x');
    message.received_at = "2026-05-01T10:00:00Z";
    for (int i = 0; i < 30; ++i) {
        message.files.push_back("https://files.example.com/" + std::string(600, '(') + ".pdf");
    }
    const auto posts = customer_posts(message, "");
    REQUIRE(posts.size() > 1);
    for (const std::string& post : posts) CHECK(post.size() <= kMaxPostBytes);
    CHECK(posts.back().find("more files not shown") != std::string::npos);
}

TEST_CASE("utf8_prefix never cuts a character in half") {
    const std::string text = "aé🙂";  // 1 + 2 + 4 bytes
    CHECK(utf8_prefix(text, 1) == "a");
    CHECK(utf8_prefix(text, 2) == "a");
    CHECK(utf8_prefix(text, 3) == "aé");
    CHECK(utf8_prefix(text, 6) == "aé");
    CHECK(utf8_prefix(text, 7) == text);
}
