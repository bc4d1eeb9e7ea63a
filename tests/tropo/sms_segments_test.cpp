// SMS segmentation: the table of what a phone would receive.
#include "sms_segments.h"

#include <doctest/doctest.h>

using namespace sb::tropo_gateway;

namespace {

std::string repeat(const std::string& piece, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += piece;
    return out;
}

const std::string kEuro = "\u20AC";
const std::string kZhe = "\u0436";       // Cyrillic: outside GSM-7
const std::string kGrin = "\U0001F600";  // an emoji: two UCS-2 units

struct Case {
    const char* name;
    std::string text;
    SmsEncoding encoding;
    std::vector<std::string> parts;
};

}  // namespace

TEST_CASE("SMS segments: GSM-7 and UCS-2 limits, escapes and surrogate pairs stay whole") {
    const std::vector<Case> cases = {
        {"empty", "", SmsEncoding::gsm7, {}},
        {"short", "hello", SmsEncoding::gsm7, {"hello"}},
        {"160 fit one SMS", repeat("a", 160), SmsEncoding::gsm7, {repeat("a", 160)}},
        {"161 need two of 153",
         repeat("a", 161),
         SmsEncoding::gsm7,
         {repeat("a", 153), repeat("a", 8)}},
        {"306 exactly two parts",
         repeat("a", 306),
         SmsEncoding::gsm7,
         {repeat("a", 153), repeat("a", 153)}},
        {"307 three parts",
         repeat("a", 307),
         SmsEncoding::gsm7,
         {repeat("a", 153), repeat("a", 153), "a"}},
        {"80 euro signs are 160 septets",
         repeat(kEuro, 80),
         SmsEncoding::gsm7,
         {repeat(kEuro, 80)}},
        {"81 euro signs: 76 per part, never half an escape",
         repeat(kEuro, 81),
         SmsEncoding::gsm7,
         {repeat(kEuro, 76), repeat(kEuro, 5)}},
        {"an escape that would straddle the boundary moves whole",
         repeat("a", 152) + "[" + repeat("b", 7),
         SmsEncoding::gsm7,
         {repeat("a", 152), "[" + repeat("b", 7)}},
        {"GSM's own accents and Greek stay GSM-7",
         "\u00A3\u00A5\u00E8\u00E9 \u0394\u03A6 \u00E0",
         SmsEncoding::gsm7,
         {"\u00A3\u00A5\u00E8\u00E9 \u0394\u03A6 \u00E0"}},
        {"newlines are one septet", repeat("a\n", 80), SmsEncoding::gsm7, {repeat("a\n", 80)}},
        {"70 Cyrillic fit one SMS", repeat(kZhe, 70), SmsEncoding::ucs2, {repeat(kZhe, 70)}},
        {"71 Cyrillic need two of 67",
         repeat(kZhe, 71),
         SmsEncoding::ucs2,
         {repeat(kZhe, 67), repeat(kZhe, 4)}},
        {"one non-GSM character makes all UCS-2",
         repeat("a", 70) + kZhe,
         SmsEncoding::ucs2,
         {repeat("a", 67), "aaa" + kZhe}},
        {"35 emoji are 70 units", repeat(kGrin, 35), SmsEncoding::ucs2, {repeat(kGrin, 35)}},
        {"36 emoji: 33 per part, never half a surrogate pair",
         repeat(kGrin, 36),
         SmsEncoding::ucs2,
         {repeat(kGrin, 33), repeat(kGrin, 3)}},
        {"a pair that would straddle the boundary moves whole",
         kZhe + repeat("a", 65) + kGrin + "bbb",
         SmsEncoding::ucs2,
         {kZhe + repeat("a", 65), kGrin + "bbb"}},
        {"a backtick is not GSM-7", "`", SmsEncoding::ucs2, {"`"}},
        {"malformed UTF-8 becomes U+FFFD", "a\xff", SmsEncoding::ucs2, {"a\xEF\xBF\xBD"}},
        {"a truncated sequence becomes U+FFFD",
         "\xE2\x82",
         SmsEncoding::ucs2,
         {"\xEF\xBF\xBD\xEF\xBF\xBD"}},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        const SmsSegments segments = split_sms(c.text);
        CHECK(segments.encoding == c.encoding);
        CHECK(segments.parts == c.parts);
    }
}

TEST_CASE("SMS segments: the parts of valid UTF-8 put back together are the text") {
    const std::string text = "Hello \u00C5sa, your order [#42] ships {today} \u20AC5 ~ ok | " +
                             repeat("lorem ipsum ", 40);
    const SmsSegments segments = split_sms(text);
    std::string joined;
    for (const std::string& part : segments.parts) joined += part;
    CHECK(joined == text);
    CHECK(segments.parts.size() == 4);
}

TEST_CASE("SMS segments: the cost of one character") {
    CHECK(gsm7_septets(U'a') == 1);
    CHECK(gsm7_septets(U'@') == 1);
    CHECK(gsm7_septets(U'\n') == 1);
    CHECK(gsm7_septets(0x20AC) == 2);
    for (const char32_t c : {U'^', U'{', U'}', U'\\', U'[', U']', U'~', U'|'}) {
        CHECK(gsm7_septets(c) == 2);
    }
    CHECK(gsm7_septets(U'`') == 0);
    CHECK(gsm7_septets(U'\t') == 0);
    CHECK(gsm7_septets(0x0436) == 0);
    CHECK(ucs2_units(0x0436) == 1);
    CHECK(ucs2_units(0x1F600) == 2);
}
