// Addresses and ranges as peers, proxies and TRUSTED_PROXIES write them.
#include "ip_address.h"

#include <doctest/doctest.h>

using namespace sb::web;

TEST_CASE("addresses in every spelling a peer or a proxy writes, canonical out") {
    struct Case {
        const char* text;
        const char* canonical;  // nullptr: refused
    };
    const Case cases[] = {
        {"192.0.2.1", "192.0.2.1"},
        {"  192.0.2.1 ", "192.0.2.1"},
        {"192.0.2.1:443", "192.0.2.1"},
        {"2001:db8::1", "2001:db8::1"},
        {"2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
        {"[2001:db8::1]", "2001:db8::1"},
        {"[2001:db8::1]:8080", "2001:db8::1"},
        {"fe80::1%eth0", "fe80::1"},
        {"[fe80::1%25]:80", "fe80::1"},
        {"::ffff:192.0.2.1", "192.0.2.1"},  // IPv4-mapped, as a dual-stack socket reports
        {"[::ffff:10.1.2.3]:99", "10.1.2.3"},
        {"::1", "::1"},
        {"", nullptr},
        {"unknown", nullptr},
        {"localhost", nullptr},
        {"192.0.2", nullptr},
        {"192.0.2.256", nullptr},
        {"192.0.2.01", nullptr},  // leading zeros: octal to some parsers, refused
        {"192.0.2.1:", nullptr},
        {"192.0.2.1:65536", nullptr},
        {"192.0.2.1:80:80", nullptr},
        {"192.0.2.1%eth0", nullptr},
        {"[192.0.2.1]", nullptr},
        {"[2001:db8::1", nullptr},
        {"[2001:db8::1]x", nullptr},
        {"[2001:db8::1]:", nullptr},
        {"2001:db8::1::2", nullptr},
        {"fe80::1%", nullptr},
        {"fe80::1%eth0/zone", nullptr},
        {"1.2.3.4, 5.6.7.8", nullptr},
    };
    for (const Case& c : cases) {
        CAPTURE(c.text);
        const auto parsed = parse_ip_address(c.text);
        if (c.canonical == nullptr) {
            CHECK_FALSE(parsed.has_value());
        } else {
            REQUIRE(parsed.has_value());
            CHECK(parsed->text() == c.canonical);
        }
    }
    CHECK_FALSE(parse_ip_address(std::string(1000, '1')).has_value());
    CHECK_FALSE(parse_ip_address(std::string("1.2.3.4\0", 8)).has_value());
    CHECK_FALSE(parse_ip_address("[fe80::1%" + std::string(40, 'a') + "]").has_value());
}

TEST_CASE("a range holds exactly the addresses under its prefix") {
    struct Case {
        const char* range;
        const char* address;
        bool inside;
    };
    const Case cases[] = {
        {"10.0.0.0/8", "10.255.255.255", true},
        {"10.0.0.0/8", "11.0.0.0", false},
        {"172.16.0.0/12", "172.31.0.1", true},
        {"172.16.0.0/12", "172.32.0.1", false},
        {"192.0.2.1", "192.0.2.1", true},
        {"192.0.2.1", "192.0.2.2", false},
        {"0.0.0.0/0", "203.0.113.9", true},
        {"0.0.0.0/0", "2001:db8::1", false},  // families never mix
        {"::/0", "192.0.2.1", false},
        {"10.0.0.0/8", "::ffff:10.1.1.1", true},  // mapped IPv4 is IPv4
        {"fd00::/8", "fd12:3456::1", true},
        {"fd00::/8", "fe80::1", false},
        {"2001:db8:1:2::/63", "2001:db8:1:3::ffff", true},
        {"2001:db8:1:2::/63", "2001:db8:1:4::", false},
        {"::1", "::1", true},
        {"::1/128", "::2", false},
    };
    for (const Case& c : cases) {
        CAPTURE(c.range);
        CAPTURE(c.address);
        CHECK(parse_cidr(c.range).contains(*parse_ip_address(c.address)) == c.inside);
    }
}

TEST_CASE("a wrong range is refused saying why") {
    struct Case {
        const char* text;
        const char* says;
    };
    const Case cases[] = {
        {"10.0.0.1/8", "did you mean 10.0.0.0/8?"},
        {"2001:db8::1/32", "did you mean 2001:db8::/32?"},
        {"10.0.0.0/33", "prefix length from 0 to 32"},
        {"fd00::/129", "prefix length from 0 to 128"},
        {"10.0.0.0/", "prefix length"},
        {"10.0.0.0/-1", "prefix length"},
        {"10.0.0.0/8/8", "prefix length"},
        {"10.0.0.0/0008", "prefix length"},
        {"10.0.0.0:80", "not an IP address or range"},
        {"[::1]", "not an IP address or range"},
        {"fe80::1%eth0", "not an IP address or range"},
        {"example.com", "not an IP address or range"},
        {"10.0.0.0/8a", "prefix length"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.text);
        CHECK_THROWS_WITH_AS(parse_cidr(c.text), doctest::Contains(c.says), std::invalid_argument);
    }
}

TEST_CASE("TRUSTED_PROXIES: a list of ranges, none, or the loopback default") {
    const TrustedProxies list = TrustedProxies::parse("10.0.0.0/8, fd00::/8 192.168.1.7\t");
    CHECK(list.text() == "10.0.0.0/8,fd00::/8,192.168.1.7/32");
    CHECK(list.trusts(*parse_ip_address("10.9.8.7")));
    CHECK(list.trusts(*parse_ip_address("fd00::7")));
    CHECK(list.trusts(*parse_ip_address("192.168.1.7")));
    CHECK_FALSE(list.trusts(*parse_ip_address("192.168.1.8")));
    CHECK_FALSE(list.trusts(*parse_ip_address("127.0.0.1")));

    const TrustedProxies nobody = TrustedProxies::parse("none");
    CHECK(nobody.text() == "none");
    CHECK_FALSE(nobody.trusts(*parse_ip_address("127.0.0.1")));

    const TrustedProxies loopback = TrustedProxies::loopback();
    CHECK(loopback.text() == "127.0.0.0/8,::1/128");
    CHECK(loopback.trusts(*parse_ip_address("127.0.0.1")));
    CHECK(loopback.trusts(*parse_ip_address("::ffff:127.0.0.1")));
    CHECK(loopback.trusts(*parse_ip_address("::1")));
    CHECK_FALSE(loopback.trusts(*parse_ip_address("10.0.0.1")));

    CHECK_THROWS_WITH_AS(TrustedProxies::parse(" , "), doctest::Contains("lists no range"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(TrustedProxies::parse("10.0.0.0/8,none"),
                         doctest::Contains("'none' is not an IP address"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(TrustedProxies::parse("10.0.0.0/8;172.16.0.0/12"),
                         doctest::Contains("'10.0.0.0/8;172.16.0.0/12'"), std::invalid_argument);
    CHECK_FALSE(parse_ip_address("1.2.3.4 5").has_value());
    CHECK(parse_ip_address("\t1.2.3.4\r\n").has_value());  // outer white space is trimmed
}

TEST_CASE("loopback is 127.0.0.0/8 and ::1") {
    CHECK(is_loopback(*parse_ip_address("127.0.0.1")));
    CHECK(is_loopback(*parse_ip_address("127.255.0.2")));
    CHECK(is_loopback(*parse_ip_address("::1")));
    CHECK_FALSE(is_loopback(*parse_ip_address("0.0.0.0")));
    CHECK_FALSE(is_loopback(*parse_ip_address("::")));
    CHECK_FALSE(is_loopback(*parse_ip_address("10.0.0.1")));
}
