#include "switchboard/text.h"

#include <doctest/doctest.h>

#include "form_decoding.h"

using namespace sb;
using namespace sb::web;

TEST_CASE("html_escape turns every markup character into an entity") {
    CHECK(html_escape("<script>alert('x')</script>") ==
          "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    CHECK(html_escape("\"><img src=x onerror=alert(1)>") ==
          "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    CHECK(html_escape("Tom & Jerry") == "Tom &amp; Jerry");
    CHECK(html_escape("&amp;") == "&amp;amp;");  // escaped again, never trusted as an entity
    CHECK(html_escape("Zoë — ☎") == "Zoë — ☎");
    CHECK(html_escape("") == "");
}

TEST_CASE("is_valid_utf8 accepts well-formed text and refuses each kind of broken byte") {
    CHECK(is_valid_utf8("plain ascii"));
    CHECK(is_valid_utf8("Zoë, 日本, 😀"));
    CHECK(is_valid_utf8(""));
    CHECK_FALSE(is_valid_utf8("\xFF"));              // never valid
    CHECK_FALSE(is_valid_utf8("\x80"));              // a lone continuation byte
    CHECK_FALSE(is_valid_utf8("\xC3"));              // truncated sequence
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong, three bytes
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // UTF-16 surrogate
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(is_valid_utf8("ok \xE2\x82 then"));  // cut short mid-text
}

TEST_CASE("code points, control characters, trim and newlines") {
    CHECK(code_point_count("abc") == 3);
    CHECK(code_point_count("Zoë😀") == 4);
    CHECK(has_control_characters("a\x01z", true));
    CHECK(has_control_characters("a\x7Fz", true));
    CHECK(has_control_characters("a\xC2\x85z", true));  // U+0085, a C1 control
    CHECK(has_control_characters("line\nbreak", false));
    CHECK_FALSE(has_control_characters("line\r\nbreak\ttab", true));
    CHECK(trim("  \t hi there \r\n") == "hi there");
    CHECK(normalize_newlines("a\r\nb\rc\nd") == "a\nb\nc\nd");
}

TEST_CASE("decode_form reads urlencoded fields, the first of a repeated name wins") {
    const DecodedForm form = decode_form("name=Ann+Lee&phone=%2B1+208&message=a%26b%3Dc&name=Bob");
    REQUIRE(form.fields);
    CHECK(form.fields->at("name") == "Ann Lee");
    CHECK(form.fields->at("phone") == "+1 208");
    CHECK(form.fields->at("message") == "a&b=c");
    CHECK(decode_form("flag&&x=").fields->at("flag").empty());
    CHECK(decode_form("").fields->empty());
    CHECK(decode_form("m=" + sb::percent_encode("Zoë <b>&")).fields->at("m") == "Zoë <b>&");
}

TEST_CASE("decode_form refuses broken escapes, bytes that are not UTF-8, and field floods") {
    CHECK_FALSE(decode_form("message=%").fields);
    CHECK_FALSE(decode_form("message=%4").fields);
    CHECK_FALSE(decode_form("message=%G1").fields);
    CHECK(decode_form("message=%FF%FE").error == "text that is not UTF-8");
    CHECK_FALSE(decode_form("message=%C0%AF").fields);
    CHECK_FALSE(decode_form("na%FFme=x").fields);
    std::string flood;
    for (int i = 0; i < 40; ++i) flood += "f" + std::to_string(i) + "=1&";
    CHECK(decode_form(flood).error == "too many form fields");
}
