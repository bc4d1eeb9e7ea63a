// The form's own body reader and the settings that bound it.
#include "capped_body.h"

#include <doctest/doctest.h>

#include "settings.h"

using namespace sb;
using namespace sb::web;

namespace {
Environment env(Environment::Values values) {
    return Environment(std::move(values));
}
}  // namespace

TEST_CASE("a capped body keeps chunks up to the cap, to the byte, and nothing past it") {
    struct Case {
        std::size_t cap;
        std::vector<std::string> chunks;
        bool over;
        std::string kept;  // when within the cap
    };
    const Case cases[] = {
        {8, {}, false, ""},
        {8, {"abcd", "efgh"}, false, "abcdefgh"},
        {8, {"abcdefgh"}, false, "abcdefgh"},
        {8, {"abcdefgh", ""}, false, "abcdefgh"},
        {8, {"abcdefghi"}, true, ""},
        {8, {"abcd", "efghi"}, true, ""},
        {8, {"abcdefgh", "i"}, true, ""},
        {0, {"a"}, true, ""},
    };
    for (const Case& c : cases) {
        CAPTURE(c.cap);
        CAPTURE(c.chunks.size());
        CappedBody body(c.cap);
        for (const std::string& chunk : c.chunks) {
            CHECK(body.append(chunk.data(), chunk.size()));  // a little over: still read
        }
        CHECK(body.over_cap() == c.over);
        if (!c.over) CHECK(body.text() == c.kept);
        CHECK(body.text().size() <= c.cap);
    }
}

TEST_CASE("past the cap a capped body drains up to kDrainBytes more, then stops reading") {
    CappedBody body(4);
    const std::string chunk(64 * 1024, 'x');
    std::size_t fed = 0;
    bool reading = true;
    while (reading && fed < 4 * CappedBody::kDrainBytes) {
        reading = body.append(chunk.data(), chunk.size());
        fed += chunk.size();
    }
    CHECK_FALSE(reading);
    CHECK(fed > CappedBody::kDrainBytes);
    CHECK(fed <= CappedBody::kDrainBytes + 4 + chunk.size());
    CHECK(body.over_cap());
    CHECK(body.text().empty());
}

TEST_CASE("the largest valid form fits the smallest INGRESS_MAX_BODY_BYTES allowed") {
    // 2,000 emoji at 12 bytes each, plus the other fields at their limits.
    CHECK(kLargestValidFormBytes >= 2000 * 12 + 100 * 12);
    CHECK(kLargestValidFormBytes <= kMinBodyBytes);

    CHECK(read_settings(env({})).max_body_bytes == 64 * 1024);
    CHECK(read_settings(env({{"INGRESS_MAX_BODY_BYTES", "32768"}})).max_body_bytes == 32768);
    // What 2,000 Cyrillic characters would not fit in.
    for (const char* too_small : {"8192", "32767"}) {
        CAPTURE(too_small);
        CHECK_THROWS_WITH_AS(read_settings(env({{"INGRESS_MAX_BODY_BYTES", too_small}})),
                             doctest::Contains("INGRESS_MAX_BODY_BYTES"), ConfigError);
    }
}

TEST_CASE("INGRESS_API_TOKEN: unset turns the API off, a set one must be 16+ characters") {
    CHECK(read_settings(env({})).api_token.empty());
    CHECK(read_settings(env({{"INGRESS_API_TOKEN", ""}})).api_token.empty());
    CHECK(read_settings(env({{"INGRESS_API_TOKEN", "0123456789abcdef"}})).api_token ==
          "0123456789abcdef");
    CHECK_THROWS_WITH_AS(read_settings(env({{"INGRESS_API_TOKEN", "0123456789abcde"}})),
                         doctest::Contains("INGRESS_API_TOKEN"), ConfigError);
}
