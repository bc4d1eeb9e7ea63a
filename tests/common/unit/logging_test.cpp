// What reaches a log line from outside cannot split it, forge the next one, or hide in it.
#include "switchboard/logging.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "process.h"

using namespace sb;
using namespace std::string_literals;

TEST_CASE("escape: line breaks, NUL and other controls become visible escapes") {
    struct Case {
        std::string raw;
        std::string logged;
    };
    const Case cases[] = {
        {"plain text, 100% ok", "plain text, 100% ok"},
        {"/nowhere\r\nFAKE-LOG-LINE", "/nowhere\\r\\nFAKE-LOG-LINE"},
        {"a\nb", "a\\nb"},
        {"nul\0byte"s, "nul\\x00byte"},
        {"tab\there", "tab\\there"},
        {"\x1b[31mred", "\\x1b[31mred"},
        {"bell\x07 del\x7f", "bell\\x07 del\\x7f"},
        {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x9e", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x9e"},
        {"lone \xff byte", "lone \\xff byte"},
        {"cut \xe2\x82", "cut \\xe2\\x82"},
        {"overlong \xc0\xaf", "overlong \\xc0\\xaf"},
        {"surrogate \xed\xa0\x80", "surrogate \\xed\\xa0\\x80"},
        {"too big \xf4\x90\x80\x80", "too big \\xf4\\x90\\x80\\x80"},
        {"c1 \xc2\x85 next", "c1 \\u0085 next"},
        {"separator \xe2\x80\xa8 here", "separator \\u2028 here"},
        {"back\\slash", "back\\slash"},
        {"", ""},
    };
    for (const Case& c : cases) {
        CAPTURE(c.raw);
        CHECK(logging::escape(c.raw) == c.logged);
    }
}

TEST_CASE("escape: whatever the bytes, the result is one printable line") {
    std::string every_byte;
    for (int b = 0; b < 256; ++b) every_byte += static_cast<char>(b);
    const std::string escaped = logging::escape(every_byte);
    for (const char c : escaped) {
        const auto byte = static_cast<unsigned char>(c);
        CHECK((byte >= 0x20 && byte != 0x7f));
    }
}

TEST_CASE("parse_level: any case, and an unknown level is refused, not turned into off") {
    CHECK(logging::parse_level("info") == spdlog::level::info);
    CHECK(logging::parse_level("INFO") == spdlog::level::info);
    CHECK(logging::parse_level("Debug") == spdlog::level::debug);
    CHECK(logging::parse_level("WARNING") == spdlog::level::warn);
    CHECK(logging::parse_level("error") == spdlog::level::err);
    CHECK(logging::parse_level("off") == spdlog::level::off);
    CHECK_FALSE(logging::parse_level("bogus"));
    CHECK_FALSE(logging::parse_level("inf"));
    CHECK_FALSE(logging::parse_level(""));
    CHECK_THROWS_AS(logging::init("test", "test", "bogus"), std::invalid_argument);
}

TEST_CASE("the service logger escapes every message, whichever call site wrote it") {
    // What init() installs, writing to stderr: point stderr at a file for the length of the test.
    char path[] = "/tmp/logging_test_XXXXXX";
    const int file = ::mkstemp(path);
    REQUIRE(file >= 0);
    std::fflush(stderr);
    const int saved = ::dup(2);
    ::dup2(file, 2);
    logging::init("test", "test", "INFO");
    spdlog::info("http POST {} -> 404", "/nowhere\r\nFAKE-LOG-LINE\0x"s);
    spdlog::default_logger()->flush();
    std::fflush(stderr);
    ::dup2(saved, 2);
    ::close(saved);
    const std::string written = testing::read_file(path);
    ::close(file);
    ::unlink(path);
    CHECK(written.find("http POST /nowhere\\r\\nFAKE-LOG-LINE\\x00x -> 404\n") !=
          std::string::npos);
    CHECK(written.find("\nFAKE") == std::string::npos);
    CHECK(std::count(written.begin(), written.end(), '\n') == 1);
}
