// The contact form takes every message within its documented limits, in any script: the body is
// read by ingress-web itself, capped by INGRESS_MAX_BODY_BYTES, not by cpp-httplib's built-in
// 8,192-byte limit for form-encoded bodies.
#include <doctest/doctest.h>

#include <chrono>

#include "web_fixture.h"

using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

std::string repeat(const std::string& piece, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += piece;
    return out;
}

// The one message published before the marker, which must be there.
Received published_before_marker(WebFixture& web) {
    const auto got = web.received_through_marker("marker");
    REQUIRE(got.size() == 2);
    return got.front();
}

}  // namespace

TEST_CASE("form: 2,000 characters of Cyrillic, CJK or emoji are accepted and published whole") {
    WebFixture web;
    struct Case {
        const char* script;
        std::string text;
        std::size_t encoded_at_least;
    };
    const Case cases[] = {
        {"Cyrillic", repeat("\u0416", 2000), 12000},   // 2 UTF-8 bytes: %D0%96
        {"CJK", repeat("\u6F22", 2000), 18000},        // 3 bytes
        {"emoji", repeat("\U0001F600", 2000), 24000},  // 4 bytes: %F0%9F%98%80
    };
    for (const Case& c : cases) {
        CAPTURE(c.script);
        const auto fields = valid_fields(web.fresh_token(), c.text);
        CHECK(form_body(fields).size() >= c.encoded_at_least);  // well over 8,192
        auto result = web.post_form(fields);
        REQUIRE(result);
        CHECK(result->status == 303);
        CHECK(result->get_header_value("Location") == "/contact/thanks/");
    }
    const auto got = web.received_through_marker("marker");
    REQUIRE(got.size() == 4);
    for (std::size_t i = 0; i < 3; ++i) CHECK(got[i].message.text == cases[i].text);
}

TEST_CASE("form: every field at its limit in 4-byte characters fits the smallest allowed cap") {
    WebFixture web(Env{{"INGRESS_MAX_BODY_BYTES", "32768"}});
    auto fields = valid_fields(web.fresh_token(), repeat("\U0001F680", 2000));
    fields[1].second = repeat("\U0001F600", 100);  // name: 100 characters
    fields[3].second = std::string(64, 'a') + "@" + std::string(63, 'b') + "." +
                       std::string(60, 'c') + "." + std::string(60, 'd') + ".com";
    REQUIRE(fields[3].second.size() == 254);
    const std::string body = form_body(fields);
    CHECK(body.size() > 25000);
    auto result = web.post_form(fields);
    REQUIRE(result);
    CHECK_MESSAGE(result->status == 303, result->body.substr(0, 2000));
    const Received got = published_before_marker(web);
    CHECK(got.message.name == fields[1].second);
    CHECK(got.message.text == fields[4].second);
}

TEST_CASE("form: 2,001 characters get the form's own 'too long' message, not a 413") {
    WebFixture web;
    for (const std::string& text : {repeat("\u0416", 2001), repeat("\U0001F600", 2001)}) {
        auto result = web.post_form(valid_fields(web.fresh_token(), text));
        REQUIRE(result);
        CHECK(result->status == 422);
        CHECK(contains(result->body, "Your message is 2,001 characters long"));
        CHECK(contains(result->body, "id=\"message-error\""));
        CHECK(contains(result->body, text.substr(0, 400)));  // kept for the person to shorten
    }
    CHECK(web.received_through_marker("marker").size() == 1);
    CHECK(contains(web.metrics(), "reason=\"invalid_input\"} 2"));
}

TEST_CASE("form: the cap is INGRESS_MAX_BODY_BYTES, to the byte, with or without Content-Length") {
    WebFixture web(Env{{"INGRESS_MAX_BODY_BYTES", "32768"}});
    // Padded with a field the form ignores, to exactly the cap, then one byte more.
    const auto padded = [&](std::size_t size) {
        std::string body = form_body(valid_fields(web.fresh_token(), "fits exactly")) + "&pad=";
        body.append(size - body.size(), 'p');
        return body;
    };
    auto at_cap = web.post_raw("/contact/", padded(32768), "application/x-www-form-urlencoded");
    REQUIRE(at_cap);
    CHECK(at_cap->status == 303);
    auto over = web.post_raw("/contact/", padded(32769), "application/x-www-form-urlencoded");
    REQUIRE(over);
    CHECK(over->status == 413);
    CHECK(contains(over->get_header_value("Content-Type"), "text/html"));
    CHECK(contains(over->body, "Your message is too long"));

    // Chunked (no Content-Length): cpp-httplib bounds none of it; the form's reader does. A body
    // a little over the cap is drained, so the answer arrives rather than a reset.
    const std::string huge = padded(40000);
    auto chunked = web.client().Post(
        "/contact/",
        [&](std::size_t offset, httplib::DataSink& sink) {
            if (offset >= huge.size()) {
                sink.done();
                return true;
            }
            const std::size_t n = std::min<std::size_t>(4096, huge.size() - offset);
            return sink.write(huge.data() + offset, n);
        },
        "application/x-www-form-urlencoded");
    REQUIRE(chunked);
    CHECK(chunked->status == 413);

    const std::string small = form_body(valid_fields(web.fresh_token(), "sent chunked"));
    auto chunked_ok = web.client().Post(
        "/contact/",
        [&](std::size_t offset, httplib::DataSink& sink) {
            if (offset < small.size())
                return sink.write(small.data() + offset, small.size() - offset);
            sink.done();
            return true;
        },
        "application/x-www-form-urlencoded");
    REQUIRE(chunked_ok);
    CHECK(chunked_ok->status == 303);

    const auto got = web.received_through_marker("marker");
    REQUIRE(got.size() == 3);
    CHECK(got[0].message.text == "fits exactly");
    CHECK(got[1].message.text == "sent chunked");
    CHECK(contains(web.metrics(), "reason=\"too_large\"} 2"));
}

TEST_CASE("form: a refused post leaves its kept-alive connection usable") {
    WebFixture web(
        Env{{"INGRESS_RATE_LIMIT_BURST", "1"}, {"INGRESS_RATE_LIMIT_REFILL_SECONDS", "600"}});
    httplib::Client client = web.client();
    client.set_keep_alive(true);
    const std::string body = form_body(valid_fields(web.fresh_token(), repeat("\u0416", 1500)));
    auto first = client.Post("/contact/", body, "application/x-www-form-urlencoded");
    REQUIRE(first);
    CHECK(first->status == 303);
    // Refused before the body matters: the body must still have been read off the connection,
    // or it would be parsed as the next request.
    auto limited = client.Post("/contact/", body, "application/x-www-form-urlencoded");
    REQUIRE(limited);
    CHECK(limited->status == 429);
    httplib::MultipartFormDataItems parts{{"message", repeat("x", 20000), "", ""}};
    auto multipart = client.Post("/contact/", parts);
    REQUIRE(multipart);
    CHECK(multipart->status == 429);
    auto page = client.Get("/contact/");
    REQUIRE(page);
    CHECK(page->status == 200);
}

TEST_CASE("form: a multipart body is refused with 415, not an error") {
    WebFixture web;
    httplib::MultipartFormDataItems parts{{"phone", "2085550123", "", ""},
                                          {"message", "multipart", "", ""}};
    auto result = web.client().Post("/contact/", parts);
    REQUIRE(result);
    CHECK(result->status == 415);
    CHECK(contains(result->body, "We could not read that form"));
    CHECK(web.received_through_marker("marker").size() == 1);
    CHECK(contains(web.metrics(), "reason=\"unsupported_media_type\"} 1"));
}
