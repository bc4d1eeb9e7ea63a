// Splitting a reply into the separate SMS Tropo sends: the table of what a phone would show.
#include "sms_segments.h"

#include <doctest/doctest.h>

using namespace sb::tropo_gateway;

namespace {

std::string repeat(const std::string& piece, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += piece;
    return out;
}

const std::string kEuro = "\u20AC";      // GSM-7 extension table: two septets
const std::string kZhe = "\u0436";       // Cyrillic: outside GSM-7
const std::string kGrin = "\U0001F600";  // an emoji: two UCS-2 units
const std::string kUrl = "https://shop.example.com/orders/42?track=1Z999AA10123456784";

struct Case {
    const char* name;
    std::string text;
    std::vector<std::string> parts;
};

// Every part is one SMS of its own encoding, and no part starts or ends with whitespace.
void check_each_part_is_one_sms(const std::vector<std::string>& parts) {
    for (const std::string& part : parts) {
        CAPTURE(part);
        REQUIRE_FALSE(part.empty());
        const size_t limit =
            sms_encoding(part) == SmsEncoding::gsm7 ? kGsmSmsSeptets : kUcsSmsUnits;
        CHECK(sms_size(part) <= limit);
        CHECK(part.front() != ' ');
        CHECK(part.back() != ' ');
    }
}

}  // namespace

TEST_CASE("SMS parts: split only at whitespace, each part one whole SMS") {
    const std::string a159 = repeat("a", 159);
    const std::vector<Case> cases = {
        {"empty", "", {}},
        {"only whitespace", " \n\t ", {}},
        {"short", "hello", {"hello"}},
        {"leading and trailing whitespace go", "  hello there \n", {"hello there"}},
        {"160 GSM-7 characters are one SMS", repeat("ab ", 53) + "a", {repeat("ab ", 53) + "a"}},
        {"161 break at the last space that fits",
         repeat("abcd ", 32) + "x",  // 161 characters
         {repeat("abcd ", 31) + "abcd", "x"}},
        {"a word that would cross 160 moves whole to the next SMS", a159 + " word", {a159, "word"}},
        {"exactly 160 with the word: still one",
         a159.substr(0, 155) + " word",
         {a159.substr(0, 155) + " word"}},
        {"the whitespace at a break is dropped, inside a part kept",
         a159 + "\n\nnext  para",
         {a159, "next  para"}},
        {"a URL is never cut",
         repeat("x", 120) + " see " + kUrl + " thanks",
         {repeat("x", 120) + " see", kUrl + " thanks"}},
        {"a link's URL in parentheses stays whole",
         repeat("y", 100) + " the guide (" + kUrl + ")",
         {repeat("y", 100) + " the guide", "(" + kUrl + ")"}},
        {"extension characters count two: 80 euro signs fill one SMS",
         repeat(kEuro, 80),
         {repeat(kEuro, 80)}},
        {"81 euro signs are one word too long: cut, never half an escape",
         repeat(kEuro, 81),
         {repeat(kEuro, 80), kEuro}},
        {"brackets count two: 155 + ' [x]' is 161 septets",
         repeat("b", 155) + " [x]",  // 155 + 1 + 5 septets = 161
         {repeat("b", 155), "[x]"}},
        {"GSM's own accents and Greek stay GSM-7",
         "\u00A3\u00A5\u00E8\u00E9 \u0394\u03A6 \u00E0",
         {"\u00A3\u00A5\u00E8\u00E9 \u0394\u03A6 \u00E0"}},
        {"70 Cyrillic fit one UCS-2 SMS", repeat(kZhe, 70), {repeat(kZhe, 70)}},
        {"Cyrillic words break at a space within 70 units",
         repeat(kZhe + kZhe + kZhe + " ", 18),  // 18 words of 3, 72 units
         {repeat(kZhe + kZhe + kZhe + " ", 16) + kZhe + kZhe + kZhe, kZhe + kZhe + kZhe}},
        {"each part has its own encoding: the emoji makes only its part UCS-2",
         repeat("g", 150) + " ok " + kGrin,
         {repeat("g", 150) + " ok", kGrin}},
        {"35 emoji are 70 units", repeat(kGrin, 35), {repeat(kGrin, 35)}},
        {"36 emoji in one word: cut, never half a surrogate pair",
         repeat(kGrin, 36),
         {repeat(kGrin, 35), kGrin}},
        {"a word longer than one SMS starts its own part and continues after it",
         "hi " + repeat("z", 200) + " bye",
         {"hi", repeat("z", 160), repeat("z", 40) + " bye"}},
        {"a backtick is not GSM-7", "`", {"`"}},
        {"a no-break space does not break",
         repeat("m ", 33) + "10\u00A0am",  // UCS-2: 65 + 1 + 5 units
         {repeat("m ", 32) + "m", "10\u00A0am"}},
        {"malformed UTF-8 becomes U+FFFD", "a\xff", {"a\xEF\xBF\xBD"}},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        const SmsSegments segments = split_sms(c.text);
        CHECK(segments.parts == c.parts);
        check_each_part_is_one_sms(segments.parts);
    }
}

TEST_CASE("SMS parts: in order, and the words put back together are the text's") {
    std::string text =
        "Hello \u00C5sa, your order [#42] ships {today} \u20AC5 ~ ok | track it at " + kUrl + " ";
    for (int i = 0; i < 60; ++i) text += "word" + std::to_string(i) + " ";
    const SmsSegments segments = split_sms(text);
    check_each_part_is_one_sms(segments.parts);
    std::string joined;
    for (const std::string& part : segments.parts) joined += (joined.empty() ? "" : " ") + part;
    joined += " ";
    CHECK(joined == text);
    CHECK(segments.parts.size() == 4);
    // The URL arrived whole, inside one part.
    size_t holding_url = 0;
    for (const std::string& part : segments.parts) {
        if (part.find(kUrl) != std::string::npos) ++holding_url;
    }
    CHECK(holding_url == 1);
}

TEST_CASE("SMS parts: the encoding and size of one SMS") {
    CHECK(sms_encoding("plain [text]") == SmsEncoding::gsm7);
    CHECK(sms_size("plain [text]") == 14);
    CHECK(sms_encoding("caf\u00E9") == SmsEncoding::gsm7);
    CHECK(sms_encoding("\u041F\u0440\u0438") == SmsEncoding::ucs2);
    CHECK(sms_size(kGrin + "a") == 3);
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
