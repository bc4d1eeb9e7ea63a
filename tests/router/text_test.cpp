// Markdown -> SMS plain text, and the escaping of what customers write into rooms.
#include <doctest/doctest.h>

#include "markdown_plain.h"
#include "room_text.h"

using namespace sb;
using namespace sb::router;

TEST_CASE("markdown is rendered to readable plain text") {
    struct Row {
        const char* markdown;
        const char* plain;
    };
    const Row rows[] = {
        {"plain words", "plain words"},
        {"**bold** and __bold__", "bold and bold"},
        {"*italic* and _italic_", "italic and italic"},
        {"***both***", "both"},
        {"~~struck~~ out", "struck out"},
        {"use `rm -rf` carefully", "use rm -rf carefully"},
        {"``a ` tick``", "a ` tick"},
        {"[the guide](https://example.com/g)", "the guide (https://example.com/g)"},
        {"[https://example.com](https://example.com)", "https://example.com"},
        {"![logo](https://example.com/l.png)", "logo (https://example.com/l.png)"},
        {"<https://example.com/x>", "https://example.com/x"},
        {"[**bold** link](https://e.com \"title\")", "bold link (https://e.com)"},
        {"# Heading\ntext", "Heading\ntext"},
        {"### Third ###", "Third"},
        {"* one\n* two\n+ three", "- one\n- two\n- three"},
        {"1. first\n2. second", "1. first\n2. second"},
        {"  - nested", "  - nested"},
        {"> quoted *text*", "> quoted text"},
        {"```\n**not bold** in code\n```", "**not bold** in code"},
        {"\\*not italic\\* \\_x\\_ \\# \\\\", "*not italic* _x_ # \\"},
        {"snake_case_name stays", "snake_case_name stays"},
        {"2 * 3 * 4", "2 * 3 * 4"},
        {"an * alone", "an * alone"},
        {"**unclosed bold", "**unclosed bold"},
        {"[not a link] (x)", "[not a link] (x)"},
        {"Tom &amp; Jerry &lt;3", "Tom & Jerry <3"},
        {"a\n\n\n\nb", "a\n\nb"},
        {"---\nafter rule", "---\nafter rule"},
        {"line one  \r\nline two", "line one\nline two"},
        {"Grüße **aus** Köln 🙂", "Grüße aus Köln 🙂"},
        {"", ""},
    };
    for (const Row& row : rows) {
        const std::string markdown = row.markdown;
        CAPTURE(markdown);
        CHECK(markdown_to_plain(row.markdown) == row.plain);
    }
}

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
