// Twilio's Smart Encoding table, as Switchboard applies it where a carrier does not.
#include "switchboard/smart_encoding.h"

#include <doctest/doctest.h>

using sb::smart_encode;

TEST_CASE("smart encoding: typographic punctuation becomes its GSM-7 look-alike") {
    struct Row {
        const char* in;
        const char* out;
    };
    const Row rows[] = {
        {"\u201cHi\u201d", "\"Hi\""},               // “ ”
        {"\u00abBonjour\u00bb", "\"Bonjour\""},     // « »
        {"it\u2019s \u2018ok\u2019", "it's 'ok'"},  // ’ ‘
        {"9\u2013 5 \u2014 done", "9- 5 - done"},   // – —
        {"wait\u2026", "wait..."},                  // …
        {"10\u00a0am", "10 am"},                    // no-break space
        {"a\u2009b\u202fc\u3000d", "a b c d"},      // thin, narrow no-break, ideographic
        {"\uff02x\uff02 \uff07y\uff07", "\"x\" 'y'"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.in);
        CHECK(smart_encode(row.in) == row.out);
    }
}

TEST_CASE("smart encoding: everything else passes unchanged, invalid UTF-8 included") {
    for (const char* text :
         {"plain ASCII [] {} ~", "caf\u00e9 \u00fcber \u00e5", "emoji \U0001F600", "\u4e2d\u6587",
          "", "broken \xe2\x80 and \xff bytes", "\xe2\x80"}) {
        CAPTURE(text);
        CHECK(smart_encode(text) == text);
    }
}
