#include "switchboard/phone.h"

#include <doctest/doctest.h>

#include "switchboard/events.h"
#include "switchboard/time_format.h"

using namespace sb;

TEST_CASE("numbers as providers and people write them become E.164") {
    struct Case {
        const char* raw;
        const char* e164;
    };
    const Case cases[] = {
        {"2088675309", "+12088675309"},   // Tropo voice id: 10 digits
        {"12088675309", "+12088675309"},  // Tropo SMS id: 11 digits with the 1
        {"+12088675309", "+12088675309"},     {"+1 (208) 867-5309", "+12088675309"},
        {"447911123456", "+447911123456"},  // an e164Id without '+'
        {"+44 7911 123456", "+447911123456"}, {"4075551212", "+14075551212"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.raw);
        const auto normalized = phone::to_e164(c.raw);
        REQUIRE(normalized);
        CHECK(*normalized == c.e164);
    }
}

TEST_CASE("what is no phone number is refused") {
    for (const char* raw : {"", "Unknown", "Restricted", "sip:alice@example.com", "12345",
                            "+0123456789", "2088675309x", "++12088675309", "1234567890123456789"}) {
        CAPTURE(raw);
        CHECK_FALSE(phone::to_e164(raw));
    }
}

// Found by fuzz/phone (corpus: crash-ba83e757-unstable-zeros.txt, crash-410aeef7-too-short.txt):
// libphonenumber wrote "660-0013-330-09" as "+66001333009", which it reads back as
// "+6601333009", and "+4300091" as "+430091", too short to read back at all: the customer's key
// and the number in their room's title would name two people, or one and nobody.
TEST_CASE("what to_e164 gives, it gives again") {
    for (const char* raw : {"660-0013-330-09", "+660001333009", "+66001333009", "+3900612345678",
                            "+4300091", "2088675309", "+44 7911 123456", "+44 07911 123456"}) {
        CAPTURE(raw);
        for (const auto check : {phone::Check::possible, phone::Check::valid}) {
            const auto normalized = phone::to_e164(raw, check);
            if (!normalized) continue;
            CHECK(phone::to_e164(*normalized, check) == normalized);
            CHECK(phone::number_from_room_title(phone::room_title_for(*normalized)) == normalized);
        }
    }
    CHECK_FALSE(phone::to_e164("660-0013-330-09"));
    CHECK_FALSE(phone::to_e164("+4300091"));
    // A trunk '0' typed after the country code is still dropped: that reads back the same.
    CHECK(phone::to_e164("+44 07911 123456") == "+447911123456");
}

TEST_CASE("Check::valid asks libphonenumber whether the number can exist") {
    CHECK(phone::to_e164("+44 7911 123456", phone::Check::valid));
    CHECK(phone::to_e164("2025550123", phone::Check::valid));  // fictional 555-01xx: valid
    CHECK_FALSE(phone::to_e164("+1 111 111 1111", phone::Check::valid));
}

TEST_CASE("the customer number is the end of the room title") {
    CHECK(phone::number_from_room_title("2088675309") == "+12088675309");
    CHECK(phone::number_from_room_title("Tommy Tutone 2088675309") == "+12088675309");
    CHECK(phone::number_from_room_title("Tutone2088675309") == "+12088675309");
    CHECK(phone::number_from_room_title("Ana +447911123456") == "+447911123456");
    CHECK(phone::number_from_room_title("+447911123456") == "+447911123456");
    CHECK_FALSE(phone::number_from_room_title("General"));
    CHECK_FALSE(phone::number_from_room_title("Room 42"));
    CHECK_FALSE(phone::number_from_room_title("Order 123456789012"));
    CHECK_FALSE(phone::number_from_room_title(""));
}

TEST_CASE("a new room is titled with the 10-digit number, or +E.164 abroad") {
    CHECK(phone::room_title_for("+12088675309") == "2088675309");
    CHECK(phone::room_title_for("+447911123456") == "+447911123456");
    for (const char* e164 : {"+12088675309", "+447911123456"}) {
        CHECK(phone::number_from_room_title(phone::room_title_for(e164)) == e164);
    }
}

TEST_CASE("timestamps format and parse as RFC 3339 UTC") {
    const auto parsed = parse_iso8601("2013-05-17T15:44:08.724Z");
    REQUIRE(parsed);
    CHECK(iso8601(*parsed) == "2013-05-17T15:44:08.724Z");
    CHECK(parse_iso8601("2013-05-17T17:44:08+02:00") == parse_iso8601("2013-05-17T15:44:08Z"));
    CHECK_FALSE(parse_iso8601("2013-05-17"));
    CHECK_FALSE(parse_iso8601("2013-13-17T15:44:08Z"));
    CHECK_FALSE(parse_iso8601("garbage"));
}

// Found by fuzz/delivery_frame (corpus: crash-f4167b89-year-1013.json): an event's "time" in a
// year the clock cannot hold overflowed the conversion instead of being refused.
TEST_CASE("timestamps in years system_clock cannot hold are refused") {
    CHECK_FALSE(parse_iso8601("1013-11-24T08:45:44.123Z"));
    CHECK_FALSE(parse_iso8601("9999-12-31T23:59:59Z"));
    CHECK_FALSE(parse_iso8601("-999-01-01T00:00:00Z"));
    CHECK_FALSE(
        sb::parse_envelope(R"({"id":"x","type":"ListRooms","time":"1013-11-24T08:45:44Z",)"
                           R"("source":"s","schema_version":1,"payload":{"sync_id":"s"}})"));
    const auto last = parse_iso8601("2261-12-31T23:59:59.999Z");
    REQUIRE(last);
    CHECK(iso8601(*last) == "2261-12-31T23:59:59.999Z");
    const auto first = parse_iso8601("1678-01-01T00:00:00Z");
    REQUIRE(first);
    CHECK(iso8601(*first) == "1678-01-01T00:00:00.000Z");
}
