#include "switchboard/text.h"

#include <doctest/doctest.h>

#include <string>

// html_escape, trim, is_valid_utf8 and the other form helpers have their tables in
// tests/web/unit/text_test.cpp, where the contact form first needed them.

TEST_CASE("percent_encode keeps only RFC 3986's unreserved characters") {
    struct Row {
        std::string in, out;
    };
    const Row rows[] = {
        {"", ""},
        {"AZaz09-._~", "AZaz09-._~"},
        {"a b", "a%20b"},
        {"+14155550100", "%2B14155550100"},
        {"a/b?c=d&e#f", "a%2Fb%3Fc%3Dd%26e%23f"},
        {"%", "%25"},
        {"\xC3\xA9", "%C3%A9"},
        {std::string("\0\xff", 2), "%00%FF"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.in);
        CHECK(sb::percent_encode(row.in) == row.out);
    }
}

TEST_CASE("hex_lower writes two lower-case digits per byte") {
    CHECK(sb::hex_lower("") == "");
    CHECK(sb::hex_lower(std::string("\x00\x0f\xa5\xff", 4)) == "000fa5ff");
}

TEST_CASE("to_lower and iequals fold ASCII only") {
    CHECK(sb::to_lower("Content-TYPE") == "content-type");
    CHECK(sb::to_lower("\xC3\x89T\xC3\x89") == "\xC3\x89t\xC3\x89");  // É stays É
    CHECK(sb::iequals("X-Spark-Signature", "x-spark-signature"));
    CHECK_FALSE(sb::iequals("abc", "abd"));
    CHECK_FALSE(sb::iequals("abc", "abcd"));
    CHECK_FALSE(sb::iequals("@", "`"));  // 0x40 and 0x60 differ by the case bit but are not letters
}
