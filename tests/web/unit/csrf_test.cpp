#include "csrf.h"

#include <doctest/doctest.h>

using namespace sb::web;
using namespace std::chrono_literals;

namespace {
constexpr std::int64_t kNow = 1'800'000'000;
}

TEST_CASE("a token issued now is good once, then refused as replayed") {
    CsrfTokens tokens("0123456789abcdef-secret", 3600s);
    const std::string token = tokens.issue(kNow);
    CHECK(token.rfind("v1.", 0) == 0);
    CHECK(tokens.consume(token, kNow + 10) == CsrfCheck::ok);
    CHECK(tokens.consume(token, kNow + 11) == CsrfCheck::replayed);
    CHECK(tokens.issue(kNow) != tokens.issue(kNow));
}

TEST_CASE("missing, malformed, forged and expired tokens are refused") {
    CsrfTokens tokens("0123456789abcdef-secret", 3600s);
    CHECK(tokens.consume("", kNow) == CsrfCheck::missing);
    CHECK(tokens.consume("garbage", kNow) == CsrfCheck::malformed);
    CHECK(tokens.consume("v1.a.b.c", kNow) == CsrfCheck::malformed);
    CHECK(tokens.consume("<script>alert(1)</script>", kNow) == CsrfCheck::malformed);

    const std::string token = tokens.issue(kNow);
    // Change the expiry: the signature no longer matches.
    std::string later = token;
    const std::size_t expiry_at = later.find('.', 3) + 1;
    later[expiry_at] = later[expiry_at] == '9' ? '8' : '9';
    CHECK(tokens.consume(later, kNow) == CsrfCheck::forged);
    // Change one signature digit.
    std::string flipped = token;
    flipped.back() = flipped.back() == '0' ? '1' : '0';
    CHECK(tokens.consume(flipped, kNow) == CsrfCheck::forged);
    // Signed with another secret.
    CsrfTokens other("another-secret-of-16+", 3600s);
    CHECK(tokens.consume(other.issue(kNow), kNow) == CsrfCheck::forged);

    CHECK(tokens.consume(token, kNow + 3601) == CsrfCheck::expired);
    CHECK(tokens.consume(token, kNow + 3600) == CsrfCheck::ok);  // the last good second
}

TEST_CASE("spent ids are remembered while they could be replayed, and no longer") {
    CsrfTokens tokens("0123456789abcdef-secret", 60s, /*max_spent=*/3);
    for (int i = 0; i < 3; ++i) REQUIRE(tokens.consume(tokens.issue(kNow), kNow) == CsrfCheck::ok);
    CHECK(tokens.spent_count() == 3);
    // Full of live ids: refuse rather than forget one that could then be replayed.
    CHECK(tokens.consume(tokens.issue(kNow), kNow) == CsrfCheck::busy);
    // Once those expired they are forgotten and there is room again.
    CHECK(tokens.consume(tokens.issue(kNow + 120), kNow + 120) == CsrfCheck::ok);
    CHECK(tokens.spent_count() == 1);
}

TEST_CASE("random_secret gives 64 hex digits, different each time") {
    const std::string a = random_secret();
    CHECK(a.size() == 64);
    CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(a != random_secret());
}
