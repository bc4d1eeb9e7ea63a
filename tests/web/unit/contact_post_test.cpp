// POST /contact/ decided without HTTP: each request shape and the answer it gets, with real
// rate limiter and CSRF state and the time passed in.
#include "contact_post.h"

#include <doctest/doctest.h>

#include <functional>

#include "form_decoding.h"
#include "switchboard/text.h"
#include "switchboard/time_format.h"

using namespace sb::web;
using namespace std::chrono_literals;

namespace {

constexpr const char* kForm = "application/x-www-form-urlencoded";
constexpr const char* kClient = "203.0.113.7";

const Moment kNow{sb::SteadyClock::time_point{} + 1000h,
                  sb::WallClock::time_point{} + std::chrono::seconds(1'800'000'000)};

Settings settings() {
    Settings s;
    s.max_body_bytes = 65536;
    return s;
}

// The state one ingress-web process keeps: a rate limiter and the CSRF tokens.
struct Guards {
    RateLimiter limiter;
    CsrfTokens csrf;

    explicit Guards(int burst = 5, std::size_t max_spent = 100000)
        : limiter(burst, 30s), csrf("contact-post-test-secret", 2h, max_spent) {}
    ContactGuards view() { return {limiter, csrf}; }
    std::string token() { return csrf.issue(kNow.unix_seconds()); }
};

using Fields = std::vector<std::pair<std::string, std::string>>;

Fields valid_fields(const std::string& token) {
    return {{"csrf_token", token},
            {"name", "Ann Lee"},
            {"phone", "(208) 555-0123"},
            {"email", "ann@example.com"},
            {"message", "Where is my order?"},
            {"website_check", ""}};
}

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

std::string encode(const Fields& fields) {
    std::string body;
    for (const auto& [name, value] : fields) {
        if (!body.empty()) body += '&';
        body += sb::percent_encode(name) + "=" + sb::percent_encode(value);
    }
    return body;
}

ContactPost form_post(const Fields& fields, std::string content_type = kForm) {
    ContactPost post;
    post.client = kClient;
    post.content_type = std::move(content_type);
    post.body = encode(fields);
    return post;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("each refused request gets its answer, its reason and publishes nothing") {
    struct Case {
        const char* name;
        std::function<ContactPost(const std::string& token)> post;
        int status;
        const char* reason;
        const char* says;  // in the detail (a problem page) or the notice (the form again)
    };
    const auto raw = [](const char* body, const char* type = kForm) {
        return [=](const std::string&) {
            ContactPost post;
            post.client = kClient;
            post.content_type = type;
            post.body = body;
            return post;
        };
    };
    const auto read_as = [](BodyRead read) {
        return [=](const std::string& token) {
            ContactPost post = form_post(valid_fields(token));
            post.read = read;
            post.body.clear();
            return post;
        };
    };
    const Case cases[] = {
        {"body over the cap", read_as(BodyRead::over_cap), 413, "too_large", "shorten"},
        {"body cut off", read_as(BodyRead::unreadable), 400, "broken_encoding",
         "with the form on our contact page"},
        {"JSON instead of a form", raw("{\"phone\":\"2085550123\"}", "application/json"), 415,
         "unsupported_media_type", "with the form on our contact page"},
        {"no Content-Type", raw("phone=2085550123", ""), 415, "unsupported_media_type", ""},
        {"a broken escape", raw("phone=2085550123&message=%G1"), 400, "broken_encoding", "garbled"},
        {"bytes that are not UTF-8", raw("message=ok\xFF"), 400, "broken_encoding", "garbled"},
        {"no CSRF token",
         [](const std::string&) { return form_post(with(valid_fields(""), "csrf_token", "")); },
         403, "csrf_missing", "could not confirm that this form came from our site"},
        {"a malformed token", [](const std::string&) { return form_post(valid_fields("v1.nope")); },
         403, "csrf_malformed", "could not confirm"},
        {"a forged token",
         [](const std::string& token) {
             std::string forged = token;
             forged.back() = forged.back() == 'a' ? 'b' : 'a';
             return form_post(valid_fields(forged));
         },
         403, "csrf_forged", "could not confirm"},
        {"an invalid phone number",
         [](const std::string& token) {
             return form_post(with(valid_fields(token), "phone", "12"));
         },
         422, "invalid_input", ""},
        {"no message",
         [](const std::string& token) {
             return form_post(with(valid_fields(token), "message", ""));
         },
         422, "invalid_input", ""},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        Guards guards;
        const ContactOutcome outcome =
            decide_contact_post(c.post(guards.token()), settings(), guards.view(), kNow);
        if (const auto* problem = std::get_if<ProblemAnswer>(&outcome)) {
            CHECK(problem->status == c.status);
            CHECK(problem->reason == c.reason);
            CHECK(contains(problem->detail, c.says));
            CHECK(problem->retry_after == 0s);
        } else if (const auto* form = std::get_if<FormAnswer>(&outcome)) {
            CHECK(form->status == c.status);
            CHECK(form->reason == c.reason);
            CHECK(contains(form->view.notice, c.says));
            // The form comes back with the input kept and a fresh token that works.
            CHECK(form->view.input.name == "Ann Lee");
            CHECK(guards.csrf.consume(form->view.csrf_token, kNow.unix_seconds()) == CsrfCheck::ok);
        } else {
            FAIL_CHECK("expected a refusal");
        }
    }
}

TEST_CASE("field errors come back next to the input as typed") {
    Guards guards;
    const auto fields =
        with(with(valid_fields(guards.token()), "phone", "12345"), "email", "not-an-email");
    const ContactOutcome outcome =
        decide_contact_post(form_post(fields), settings(), guards.view(), kNow);
    const auto* form = std::get_if<FormAnswer>(&outcome);
    REQUIRE(form);
    CHECK(form->status == 422);
    REQUIRE(form->view.errors.size() == 2);
    CHECK(form->view.errors[0].field == "phone");
    CHECK(form->view.errors[1].field == "email");
    CHECK(form->view.input.phone == "12345");
    CHECK(form->view.input.email == "not-an-email");
    CHECK(form->view.notice.empty());
    CHECK(form->warning.empty());
}

TEST_CASE("a valid form becomes a web CustomerMessage stamped with the time it was decided") {
    Guards guards;
    for (const char* type : {kForm, "Application/X-WWW-Form-URLEncoded; charset=UTF-8"}) {
        CAPTURE(type);
        const ContactOutcome outcome = decide_contact_post(
            form_post(valid_fields(guards.token()), type), settings(), guards.view(), kNow);
        const auto* accepted = std::get_if<AcceptedContact>(&outcome);
        REQUIRE(accepted);
        CHECK(accepted->message.customer == "+12085550123");
        CHECK(accepted->message.channel == "web");
        CHECK(accepted->message.text == "Where is my order?");
        CHECK(accepted->message.email == "ann@example.com");
        CHECK(accepted->message.name == "Ann Lee");
        CHECK(accepted->message.received_at == sb::iso8601(kNow.wall));
        CHECK(accepted->input.phone == "(208) 555-0123");
    }
}

TEST_CASE("a filled honeypot is a decoy: it spends the token and publishes nothing") {
    Guards guards;
    const std::string token = guards.token();
    const ContactOutcome outcome = decide_contact_post(
        form_post(with(valid_fields(token), "website_check", "http://spam.example")), settings(),
        guards.view(), kNow);
    const auto* decoy = std::get_if<DecoyAnswer>(&outcome);
    REQUIRE(decoy);
    CHECK(contains(decoy->warning, kClient));
    CHECK(guards.csrf.consume(token, kNow.unix_seconds()) == CsrfCheck::replayed);
}

TEST_CASE("a token is spent once: the replay, the expired and the busy answers") {
    Guards guards(/*burst=*/10, /*max_spent=*/2);
    const std::string token = guards.token();
    CHECK(std::holds_alternative<AcceptedContact>(
        decide_contact_post(form_post(valid_fields(token)), settings(), guards.view(), kNow)));

    auto refused = [&](const std::string& used, const Moment& when) {
        const ContactOutcome outcome =
            decide_contact_post(form_post(valid_fields(used)), settings(), guards.view(), when);
        REQUIRE(std::holds_alternative<FormAnswer>(outcome));
        return std::get<FormAnswer>(outcome);
    };
    const FormAnswer replay = refused(token, kNow);
    CHECK(replay.status == 403);
    CHECK(replay.reason == "csrf_replayed");
    CHECK(contains(replay.view.notice, "already sent once"));
    CHECK(contains(replay.warning, "csrf_replayed from 203.0.113.7"));

    const Moment later{kNow.steady + 3h, kNow.wall + 3h};
    const FormAnswer expired = refused(guards.token(), later);
    CHECK(expired.status == 403);
    CHECK(expired.reason == "csrf_expired");
    CHECK(contains(expired.view.notice, "expired"));

    // Two live spent ids are all this guard remembers: the third is refused, not forgotten.
    CHECK(std::holds_alternative<AcceptedContact>(decide_contact_post(
        form_post(valid_fields(guards.token())), settings(), guards.view(), kNow)));
    const FormAnswer busy = refused(guards.token(), kNow);
    CHECK(busy.status == 503);
    CHECK(busy.reason == "csrf_busy");
    CHECK(contains(busy.view.notice, "very busy"));
}

TEST_CASE("the CSRF check comes before the fields: a bad token with bad fields is a 403") {
    Guards guards;
    const ContactOutcome outcome = decide_contact_post(
        form_post(with(valid_fields("v1.nope"), "phone", "12")), settings(), guards.view(), kNow);
    REQUIRE(std::holds_alternative<FormAnswer>(outcome));
    CHECK(std::get<FormAnswer>(outcome).status == 403);
    CHECK(std::get<FormAnswer>(outcome).view.errors.empty());
}

TEST_CASE("the rate limit: 429 with Retry-After, a wrong media type costs a post, 413 does not") {
    Guards guards(/*burst=*/2);
    auto decide = [&](const ContactPost& post) {
        return decide_contact_post(post, settings(), guards.view(), kNow);
    };
    ContactPost too_big = form_post({});
    too_big.read = BodyRead::over_cap;
    ContactPost cut_off = form_post({});
    cut_off.read = BodyRead::unreadable;
    for (int i = 0; i < 5; ++i) {
        CHECK(std::get<ProblemAnswer>(decide(too_big)).status == 413);
        CHECK(std::get<ProblemAnswer>(decide(cut_off)).status == 400);
    }
    CHECK(std::get<ProblemAnswer>(decide(form_post({}, "text/plain"))).status == 415);
    CHECK(std::holds_alternative<AcceptedContact>(decide(form_post(valid_fields(guards.token())))));

    const ContactOutcome limited = decide(form_post(valid_fields(guards.token())));
    const auto* problem = std::get_if<ProblemAnswer>(&limited);
    REQUIRE(problem);
    CHECK(problem->status == 429);
    CHECK(problem->reason == "rate_limited");
    CHECK(problem->title == "Too many messages");
    CHECK(problem->retry_after == 30s);
    CHECK(contains(problem->warning, "rate limit for 203.0.113.7"));

    // Another client has its own bucket.
    ContactPost other = form_post(valid_fields(guards.token()));
    other.client = "198.51.100.1";
    CHECK(std::holds_alternative<AcceptedContact>(decide(other)));
}

TEST_CASE("a body over the cap names the cap and the client in the log") {
    Guards guards;
    ContactPost post = form_post({});
    post.read = BodyRead::over_cap;
    const auto problem =
        std::get<ProblemAnswer>(decide_contact_post(post, settings(), guards.view(), kNow));
    CHECK(problem.warning == "POST /contact/: body over 65536 bytes from 203.0.113.7");
    CHECK(problem.title == too_large_problem().title);
}

TEST_CASE("when publishing fails the form comes back (503) with the input and a working token") {
    Guards guards;
    const ContactOutcome outcome = decide_contact_post(form_post(valid_fields(guards.token())),
                                                       settings(), guards.view(), kNow);
    REQUIRE(std::holds_alternative<AcceptedContact>(outcome));
    const FormAnswer again =
        contact_publish_failed(std::get<AcceptedContact>(outcome), guards.csrf, kNow);
    CHECK(again.status == 503);
    CHECK(again.reason == "publish_failed");
    CHECK(contains(again.view.notice, "could not take your message"));
    CHECK(again.view.input.message == "Where is my order?");
    CHECK(again.view.errors.empty());
    CHECK(guards.csrf.consume(again.view.csrf_token, kNow.unix_seconds()) == CsrfCheck::ok);
}
