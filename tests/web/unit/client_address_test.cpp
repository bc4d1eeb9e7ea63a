// Who the client is, from the peer and the forwarding headers (client_address.h).
#include "client_address.h"

#include <doctest/doctest.h>

#include "rate_limiter.h"

using namespace sb::web;
using Source = ClientAddress::Source;

namespace {

const TrustedProxies kProxies = TrustedProxies::parse("10.0.0.0/8,fd00::/8,127.0.0.1");

ForwardingHeaders xff(std::vector<std::string> values, std::vector<std::string> real_ip = {}) {
    return {std::move(values), std::move(real_ip)};
}

}  // namespace

TEST_CASE("the client is the peer, or what the trusted proxies in front of us forwarded") {
    struct Case {
        const char* name;
        const char* peer;
        ForwardingHeaders headers;
        const char* client;
        Source source;
    };
    const Case cases[] = {
        {"no proxy, no header", "203.0.113.5", {}, "203.0.113.5", Source::peer},
        {"an untrusted peer's header is ignored", "203.0.113.5", xff({"198.51.100.1"}),
         "203.0.113.5", Source::peer},
        {"an untrusted peer's X-Real-IP is ignored", "203.0.113.5", xff({}, {"198.51.100.1"}),
         "203.0.113.5", Source::peer},
        {"one proxy", "10.0.0.2", xff({"198.51.100.1"}), "198.51.100.1", Source::forwarded_for},
        {"the client's forged left part is never reached", "10.0.0.2",
         xff({"1.1.1.1, 2.2.2.2, 198.51.100.1"}), "198.51.100.1", Source::forwarded_for},
        {"a chain of trusted proxies is skipped right to left", "10.0.0.2",
         xff({"8.8.8.8, 198.51.100.1, 10.0.0.9, fd00::3"}), "198.51.100.1", Source::forwarded_for},
        {"a forged trusted address left of the client does not help", "10.0.0.2",
         xff({"10.0.0.7, 198.51.100.1"}), "198.51.100.1", Source::forwarded_for},
        {"repeated headers are one list, in order", "10.0.0.2",
         xff({"1.1.1.1", "198.51.100.1, 10.0.0.3"}), "198.51.100.1", Source::forwarded_for},
        {"every hop trusted: the left-most is an internal client", "10.0.0.2",
         xff({"10.1.1.1, 10.0.0.3"}), "10.1.1.1", Source::forwarded_for},
        {"garbage right of the client stops at the proxy that passed it", "10.0.0.2",
         xff({"198.51.100.1, garbage, 10.0.0.3"}), "10.0.0.3", Source::forwarded_for},
        {"garbage as the only hop: the peer", "10.0.0.2", xff({"unknown"}), "10.0.0.2",
         Source::peer},
        {"an empty hop is not an address", "10.0.0.2", xff({"198.51.100.1,,10.0.0.3"}), "10.0.0.3",
         Source::forwarded_for},
        {"nginx's ', addr' for an empty client header", "10.0.0.2", xff({", 198.51.100.1"}),
         "198.51.100.1", Source::forwarded_for},
        {"ports are dropped", "10.0.0.2", xff({"198.51.100.1:5555"}), "198.51.100.1",
         Source::forwarded_for},
        {"IPv6 in brackets with a port", "10.0.0.2", xff({"[2001:db8::7]:443"}), "2001:db8::7",
         Source::forwarded_for},
        {"IPv6 with a zone", "10.0.0.2", xff({"fe80::7%eth0"}), "fe80::7", Source::forwarded_for},
        {"IPv6 proxy peer, mapped IPv4 client", "fd00::1", xff({"::ffff:198.51.100.1"}),
         "198.51.100.1", Source::forwarded_for},
        {"a dual-stack peer spelling is folded", "::ffff:10.0.0.2", xff({"198.51.100.1"}),
         "198.51.100.1", Source::forwarded_for},
        {"X-Real-IP when there is no X-Forwarded-For", "10.0.0.2", xff({}, {"198.51.100.1"}),
         "198.51.100.1", Source::real_ip},
        {"X-Forwarded-For wins over X-Real-IP", "10.0.0.2",
         xff({"198.51.100.1"}, {"198.51.100.99"}), "198.51.100.1", Source::forwarded_for},
        {"an empty X-Forwarded-For defers to X-Real-IP", "10.0.0.2", xff({" "}, {"198.51.100.1"}),
         "198.51.100.1", Source::real_ip},
        {"two X-Real-IP headers are ignored", "10.0.0.2", xff({}, {"198.51.100.1", "198.51.100.2"}),
         "10.0.0.2", Source::peer},
        {"garbage X-Real-IP is ignored", "10.0.0.2", xff({}, {"<script>"}), "10.0.0.2",
         Source::peer},
        {"a peer that is no address is the client as given", "somewhere", xff({"1.1.1.1"}),
         "somewhere", Source::peer},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        const ClientAddress found = client_address(c.peer, c.headers, kProxies);
        CHECK(found.address == c.client);
        CHECK(to_string(found.source) == to_string(c.source));
    }
}

TEST_CASE("hostile headers: many hops, huge hops, huge lists") {
    SUBCASE("more hops than are read: the proxy reached is the client") {
        std::string chain = "198.51.100.1";
        for (std::size_t i = 0; i < kMaxForwardedHops + 5; ++i) chain += ", 10.0.0.1";
        const ClientAddress found = client_address("10.0.0.2", xff({chain}), kProxies);
        CHECK(found.address == "10.0.0.1");
    }
    SUBCASE("exactly the cap of hops: the client is still found") {
        std::string chain = "198.51.100.1";
        for (std::size_t i = 0; i + 1 < kMaxForwardedHops; ++i) chain += ",10.0.0.1";
        CHECK(client_address("10.0.0.2", xff({chain}), kProxies).address == "198.51.100.1");
    }
    SUBCASE("thousands of hops in thousands of headers are not all read") {
        std::vector<std::string> headers(5000, std::string(2000, ','));
        headers.back() += "198.51.100.1";
        CHECK(client_address("10.0.0.2", xff(headers), kProxies).address == "198.51.100.1");
    }
    SUBCASE("an oversized hop is not an address") {
        const std::string hop(100000, '9');
        CHECK(client_address("10.0.0.2", xff({hop + ", 10.0.0.3"}), kProxies).address ==
              "10.0.0.3");
        CHECK(client_address("10.0.0.2", xff({hop}), kProxies).address == "10.0.0.2");
    }
    SUBCASE("control bytes and NULs are garbage") {
        const std::string nul("198.51.100.1\0", 13);
        CHECK(client_address("10.0.0.2", xff({nul}), kProxies).address == "10.0.0.2");
        CHECK(client_address("10.0.0.2", xff({"198.51.100.1\r\nX: y"}), kProxies).address ==
              "10.0.0.2");
    }
    SUBCASE("nobody trusted: every header is ignored") {
        const TrustedProxies nobody = TrustedProxies::parse("none");
        CHECK(
            client_address("127.0.0.1", xff({"198.51.100.1"}, {"198.51.100.1"}), nobody).address ==
            "127.0.0.1");
    }
}

TEST_CASE("the rate limit's key: an IPv4 address, an IPv6 /64") {
    CHECK(rate_limit_key("198.51.100.1") == "198.51.100.1");
    CHECK(rate_limit_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd") == "2001:db8:1:2::/64");
    CHECK(rate_limit_key("2001:db8:1:2::1") == rate_limit_key("2001:db8:1:2:ffff::9"));
    CHECK(rate_limit_key("2001:db8:1:2::1") != rate_limit_key("2001:db8:1:3::1"));
    CHECK(rate_limit_key("::ffff:198.51.100.1") == "198.51.100.1");
    CHECK(rate_limit_key("somewhere") == "somewhere");
}
