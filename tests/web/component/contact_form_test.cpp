// The contact form against the real ingress-web process: what is published, and what is not.
#include <doctest/doctest.h>

#include <chrono>

#include "web_fixture.h"

using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// The submissions before `marker` that reached the consumer (the marker itself excluded).
std::vector<Received> published_before(WebFixture& web, const std::string& marker) {
    std::vector<Received> before;
    for (const Received& r : web.received_through_marker(marker)) {
        if (r.message.text == marker) break;
        before.push_back(r);
    }
    return before;
}

using Fields = std::vector<std::pair<std::string, std::string>>;

Fields with(Fields fields, const std::string& name, const std::string& value) {
    for (auto& field : fields) {
        if (field.first == name) {
            field.second = value;
            return fields;
        }
    }
    fields.emplace_back(name, value);
    return fields;
}

Fields without(const Fields& fields, const std::string& name) {
    Fields kept;
    for (const auto& field : fields) {
        if (field.first != name) kept.push_back(field);
    }
    return kept;
}

}  // namespace

TEST_CASE("home and contact pages are served as HTML, with security headers") {
    WebFixture web;
    auto home = web.client().Get("/");
    REQUIRE(home);
    CHECK(home->status == 200);
    CHECK(home->get_header_value("Content-Type") == "text/html; charset=utf-8");
    CHECK(contains(home->body, "Acme Outfitters"));
    CHECK(contains(home->body, "sms:+12085550100"));
    CHECK(contains(home->get_header_value("Content-Security-Policy"), "default-src 'none'"));

    auto contact = web.client().Get("/contact/");
    REQUIRE(contact);
    CHECK(contact->status == 200);
    CHECK(contact->get_header_value("Cache-Control") == "no-store");
    CHECK_FALSE(input_value(contact->body, "csrf_token").empty());

    auto missing = web.client().Get("/no-such-page");
    REQUIRE(missing);
    CHECK(missing->status == 404);
    CHECK(contains(missing->body, "Page not found"));
}

TEST_CASE("the site icon is served where pages link it and where browsers look unasked") {
    WebFixture web;
    auto home = web.client().Get("/");
    REQUIRE(home);
    CHECK(contains(home->body, "<link rel=\"icon\" href=\"/favicon.svg\""));
    for (const char* path : {"/favicon.svg", "/favicon.ico"}) {
        CAPTURE(path);
        auto icon = web.client().Get(path);
        REQUIRE(icon);
        CHECK(icon->status == 200);
        CHECK(icon->get_header_value("Content-Type") == "image/svg+xml");
        CHECK(icon->get_header_value("X-Content-Type-Options") == "nosniff");
        CHECK(contains(icon->get_header_value("Cache-Control"), "max-age="));
        CHECK(icon->body.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
    }
}

TEST_CASE("a valid submission is published as a web CustomerMessage, then redirects") {
    WebFixture web;
    auto result = web.post_form(valid_fields(web.fresh_token(), "Where is my order #1234?"));
    REQUIRE(result);
    CHECK(result->status == 303);
    CHECK(result->get_header_value("Location") == "/contact/thanks/");

    REQUIRE(sb::testing::wait_until([&] { return web.received().size() == 1; }, 15s));
    const Received got = web.received().front();
    CHECK(got.key == "+12085550123");
    CHECK(got.message.customer == "+12085550123");
    CHECK(got.message.channel == "web");
    CHECK(got.message.text == "Where is my order #1234?");
    CHECK(got.message.email == "ann@example.com");
    CHECK(got.message.name == "Ann Lee");
    CHECK_FALSE(got.message.received_at.empty());

    auto thanks = web.client().Get("/contact/thanks/");
    REQUIRE(thanks);
    CHECK(contains(thanks->body, "We got your message and will text you shortly"));
    CHECK(contains(web.metrics(), "ingress_submissions_accepted_total{channel=\"web\"} 1"));
}

TEST_CASE("invalid fields: 422, each error next to its field, input kept, nothing published") {
    WebFixture web;
    const Fields fields = with(with(valid_fields(web.fresh_token(), "Hello"), "phone", "12345"),
                               "email", "not-an-email");
    auto result = web.post_form(fields);
    REQUIRE(result);
    CHECK(result->status == 422);
    const std::string& html = result->body;
    CHECK(contains(html, "role=\"alert\""));
    CHECK(contains(html, "id=\"phone-error\""));
    CHECK(contains(html, "id=\"email-error\""));
    CHECK_FALSE(contains(html, "id=\"message-error\""));
    CHECK(input_value(html, "phone") == "12345");
    CHECK(input_value(html, "name") == "Ann Lee");
    CHECK(contains(html, ">Hello</textarea>"));
    // The refused form comes back with a new token that works.
    const std::string token = input_value(html, "csrf_token");
    CHECK(token != fields.front().second);

    auto missing_message = web.post_form(with(valid_fields(token, ""), "phone", "2085550123"));
    REQUIRE(missing_message);
    CHECK(missing_message->status == 422);
    CHECK(contains(missing_message->body, "Enter your message."));

    CHECK(published_before(web, "marker").empty());
    CHECK(
        contains(web.metrics(),
                 "ingress_submissions_rejected_total{channel=\"web\",reason=\"invalid_input\"} 2"));
}

TEST_CASE("script tags are shown escaped and published as the text the person typed") {
    WebFixture web;
    const std::string attack = "<script>alert('x')</script>";
    auto refused = web.post_form(with(with(valid_fields(web.fresh_token(), attack), "phone", "1"),
                                      "name", "\"><img src=x onerror=alert(1)>"));
    REQUIRE(refused);
    CHECK(refused->status == 422);
    CHECK_FALSE(contains(refused->body, "<script>alert"));
    CHECK_FALSE(contains(refused->body, "<img src=x"));
    CHECK(contains(refused->body, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</textarea>"));
    CHECK(contains(refused->body, "value=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\""));

    auto accepted = web.post_form(valid_fields(web.fresh_token(), attack));
    REQUIRE(accepted);
    CHECK(accepted->status == 303);
    const auto before = published_before(web, "marker");
    REQUIRE(before.size() == 1);
    CHECK(before[0].message.text == attack);  // escaping belongs to whoever displays it
}

TEST_CASE("huge fields: a long message is a field error, a huge body is 413, nothing published") {
    WebFixture web;
    auto long_message = web.post_form(valid_fields(web.fresh_token(), std::string(3000, 'x')));
    REQUIRE(long_message);
    CHECK(long_message->status == 422);
    CHECK(contains(long_message->body, "Your message is 3,000 characters long"));

    auto long_name =
        web.post_form(with(valid_fields(web.fresh_token(), "hi"), "name", std::string(5000, 'n')));
    REQUIRE(long_name);
    CHECK(long_name->status == 422);
    CHECK(contains(long_name->body, "id=\"name-error\""));

    auto huge = web.post_form(valid_fields(web.fresh_token(), std::string(200 * 1024, 'x')));
    REQUIRE(huge);
    CHECK(huge->status == 413);
    CHECK(contains(huge->get_header_value("Content-Type"), "text/html"));
    CHECK(contains(huge->body, "too long"));

    CHECK(published_before(web, "marker").empty());
    CHECK(contains(web.metrics(), "reason=\"too_large\"} 1"));
}

TEST_CASE("broken encodings are refused with 400, nothing published, the service keeps going") {
    WebFixture web;
    const std::string token = web.fresh_token();
    const std::string base = "csrf_token=" + token + "&phone=2085550123&message=";
    for (const std::string& tail :
         {std::string("%FF%FE"), std::string("%C0%AF"), std::string("abc%"), std::string("%G1"),
          std::string("ok\xFF")}) {
        CAPTURE(tail);
        auto result = web.post_raw("/contact/", base + tail, "application/x-www-form-urlencoded");
        REQUIRE(result);
        CHECK(result->status == 400);
        CHECK(contains(result->body, "We could not read that form"));
    }
    auto wrong_type = web.post_raw("/contact/", "{\"phone\":\"2085550123\"}", "application/json");
    REQUIRE(wrong_type);
    CHECK(wrong_type->status == 415);

    CHECK(published_before(web, "marker").empty());
    CHECK(contains(web.metrics(), "reason=\"broken_encoding\"} 5"));
    CHECK(sb::testing::http_status(web.port(), "/healthz") == 200);
}

TEST_CASE("CSRF: a missing, forged or replayed token is refused with the input kept") {
    WebFixture web;
    auto missing = web.post_form(without(valid_fields("", "no token"), "csrf_token"));
    REQUIRE(missing);
    CHECK(missing->status == 403);
    CHECK(contains(missing->body, "could not confirm that this form came from our site"));
    CHECK(contains(missing->body, ">no token</textarea>"));

    std::string forged = web.fresh_token();
    forged.back() = forged.back() == 'a' ? 'b' : 'a';
    auto forged_result = web.post_form(valid_fields(forged, "forged token"));
    REQUIRE(forged_result);
    CHECK(forged_result->status == 403);

    const std::string token = web.fresh_token();
    auto first = web.post_form(valid_fields(token, "first use"));
    REQUIRE(first);
    CHECK(first->status == 303);
    auto replay = web.post_form(valid_fields(token, "replayed"));
    REQUIRE(replay);
    CHECK(replay->status == 403);
    CHECK(contains(replay->body, "already sent once"));

    const auto before = published_before(web, "marker");
    REQUIRE(before.size() == 1);
    CHECK(before[0].message.text == "first use");
    const std::string metrics = web.metrics();
    CHECK(contains(metrics, "reason=\"csrf_missing\"} 1"));
    CHECK(contains(metrics, "reason=\"csrf_forged\"} 1"));
    CHECK(contains(metrics, "reason=\"csrf_replayed\"} 1"));
}

TEST_CASE("a filled honeypot looks like success to the bot but publishes nothing") {
    WebFixture web;
    auto result = web.post_form(with(valid_fields(web.fresh_token(), "buy cheap pills"),
                                     "website_check", "http://spam.example"));
    REQUIRE(result);
    CHECK(result->status == 303);
    CHECK(published_before(web, "marker").empty());
    CHECK(contains(web.metrics(), "reason=\"honeypot\"} 1"));
}

TEST_CASE("per-client rate limit: 429 with Retry-After, nothing published") {
    WebFixture web(with_api_token(
        {{"INGRESS_RATE_LIMIT_BURST", "2"}, {"INGRESS_RATE_LIMIT_REFILL_SECONDS", "600"}}));
    for (int i = 0; i < 2; ++i) {
        auto result =
            web.post_form(valid_fields(web.fresh_token(), "message " + std::to_string(i)));
        REQUIRE(result);
        CHECK(result->status == 303);
    }
    auto limited = web.post_form(valid_fields(web.fresh_token(), "one too many"));
    REQUIRE(limited);
    CHECK(limited->status == 429);
    const int retry_after = std::stoi(limited->get_header_value("Retry-After"));
    CHECK(retry_after > 500);
    CHECK(retry_after <= 600);
    CHECK(contains(limited->body, "Too many messages"));

    REQUIRE(sb::testing::wait_until([&] { return web.received().size() >= 2; }, 15s));
    // The marker would be rate limited too; the third message must not follow the first two.
    auto api = web.post_api(R"({"customer_id":"2085550123","text":"api marker"})");
    REQUIRE(api);
    REQUIRE(api->status == 202);
    REQUIRE(sb::testing::wait_until([&] { return web.received().size() >= 3; }, 15s));
    const auto got = web.received();
    REQUIRE(got.size() == 3);
    CHECK(got[2].message.text == "api marker");
    CHECK(contains(web.metrics(), "reason=\"rate_limited\"} 1"));
}
