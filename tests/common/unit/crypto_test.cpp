// switchboard/crypto.h: the HMACs against published vectors, and the secret comparison.
#include "switchboard/crypto.h"

#include <doctest/doctest.h>

#include <string>

using sb::crypto::constant_time_equals;
using sb::crypto::hmac_sha1_hex;
using sb::crypto::hmac_sha256_hex;
using sb::crypto::random_hex;

TEST_CASE("HMAC-SHA1 matches the RFC 2202 vector PROVIDERS.md quotes") {
    CHECK(hmac_sha1_hex("Jefe", "what do ya want for nothing?") ==
          "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST_CASE("HMAC-SHA1: RFC 2202 case 1 (binary key) and an empty body") {
    CHECK(hmac_sha1_hex(std::string(20, '\x0b'), "Hi There") ==
          "b617318655057264e28bc0b6fb378c8ef146be00");
    // Bytes after a NUL count: a string_view is not a C string.
    CHECK(hmac_sha1_hex("k", std::string("a\0b", 3)) != hmac_sha1_hex("k", "a"));
    CHECK(hmac_sha1_hex("k", "").size() == 40);
}

TEST_CASE("HMAC-SHA256 matches the RFC 4231 vector") {
    CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("constant_time_equals says equal only for the same bytes") {
    struct Row {
        std::string a;
        std::string b;
        bool equal;
    };
    const Row rows[] = {
        {"sandbox-tropo-key", "sandbox-tropo-key", true},        {"", "", true},
        {"sandbox-tropo-key", "sandbox-tropo-kez", false},  // last byte differs
        {"sandbox-tropo-key", "Sandbox-tropo-key", false},  // first byte differs
        {"sandbox-tropo-key", "sandbox-tropo-ke", false},   // a prefix is not the secret
        {"sandbox-tropo-key", "sandbox-tropo-key ", false},      {"", "x", false},
        {std::string("a\0b", 3), std::string("a\0c", 3), false},  // past a NUL still counts
    };
    for (const Row& row : rows) {
        CAPTURE(row.a);
        CAPTURE(row.b);
        CHECK(constant_time_equals(row.a, row.b) == row.equal);
        CHECK(constant_time_equals(row.b, row.a) == row.equal);
    }
}

TEST_CASE("random_hex gives lowercase hex of the asked length, different every time") {
    const std::string a = random_hex(32);
    const std::string b = random_hex(32);
    CHECK(a.size() == 64);
    CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(a != b);
    CHECK(random_hex(0).empty());
}

TEST_CASE("base64: the RFC 4648 vectors, padding included") {
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    for (const auto& vector : vectors) {
        CAPTURE(vector.first);
        CHECK(sb::crypto::base64(vector.first) == vector.second);
    }
    CHECK(sb::crypto::base64(std::string("\xff\x00\xfe", 3)) == "/wD+");
}

TEST_CASE("HMAC-SHA1 in base64: Twilio's signature of PROVIDERS.md's first vector") {
    // Token 12345; the URL followed by the sorted parameters, as Twilio signs them.
    const std::string data =
        "https://mycompany.com/myapp.php?foo=1&bar=2CallSidCA1234567890ABCDECaller+14158675309"
        "Digits1234From+14158675309To+18005551212";
    CHECK(sb::crypto::hmac_sha1_base64("12345", data) == "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
}
