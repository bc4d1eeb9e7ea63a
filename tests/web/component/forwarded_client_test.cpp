// The rate limit behind a proxy, against the real ingress-web process: the test plays the
// trusted proxy (its connections come from 127.0.0.1, the only address TRUSTED_PROXIES names
// here) and an untrusted peer (a socket bound to 127.0.0.2, which loopback also routes).
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

#include "web_fixture.h"

using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

const Env kBehindProxy{{"TRUSTED_PROXIES", "127.0.0.1"},
                       {"INGRESS_RATE_LIMIT_BURST", "2"},
                       {"INGRESS_RATE_LIMIT_REFILL_SECONDS", "600"}};

// POST /contact/ as the proxy would pass it on: with the client in X-Forwarded-For.
int post_forwarded(WebFixture& web, const std::string& forwarded_for, const std::string& text) {
    auto result =
        web.post_raw("/contact/", form_body(valid_fields(web.fresh_token(), text)),
                     "application/x-www-form-urlencoded", {{"X-Forwarded-For", forwarded_for}});
    REQUIRE(result);
    return result->status;
}

// One HTTP/1.1 request from a socket bound to `source` (a loopback address other than
// 127.0.0.1); the answer's status code.
int status_from(const char* source, int port, const std::string& request) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &local.sin_addr);
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
    timeval timeout{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    const bool connected =
        ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0 &&
        ::connect(fd, reinterpret_cast<sockaddr*>(&server), sizeof server) == 0 &&
        ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(request.size());
    std::string answer;
    char buffer[4096];
    for (ssize_t got; connected && (got = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) {
        answer.append(buffer, static_cast<std::size_t>(got));
    }
    ::close(fd);
    REQUIRE_MESSAGE(connected, "could not connect from " << source);
    REQUIRE_MESSAGE(answer.rfind("HTTP/1.1 ", 0) == 0, answer);
    return std::stoi(answer.substr(9, 3));
}

int post_from(const char* source, WebFixture& web, const std::string& forwarded_for,
              const std::string& text) {
    const std::string body = form_body(valid_fields(web.fresh_token(), text));
    const std::string request =
        "POST /contact/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        "X-Forwarded-For: " +
        forwarded_for + "\r\nX-Real-IP: " + forwarded_for +
        "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return status_from(source, web.port(), request);
}

}  // namespace

TEST_CASE("behind a trusted proxy, each client has its own limit, keyed by its forwarded address") {
    WebFixture web(kBehindProxy);
    // Two clients behind the same proxy: each gets its own burst of 2.
    CHECK(post_forwarded(web, "198.51.100.1", "first from one") == 303);
    CHECK(post_forwarded(web, "198.51.100.2", "first from two") == 303);
    CHECK(post_forwarded(web, "198.51.100.1", "second from one") == 303);
    CHECK(post_forwarded(web, "198.51.100.2", "second from two") == 303);
    // A third from client one is refused, whatever it forged left of what the proxy appended.
    CHECK(post_forwarded(web, "203.0.113.77, 198.51.100.1", "third from one") == 429);
    CHECK(post_forwarded(web, "198.51.100.2", "third from two") == 429);
    // A third client is not affected by the other two.
    CHECK(post_forwarded(web, "[2001:db8:5::1]:4433", "first from three") == 303);
    // Its /64 is one client: another address in it shares the bucket.
    CHECK(post_forwarded(web, "2001:db8:5::2", "second from three") == 303);
    CHECK(post_forwarded(web, "2001:db8:5::3", "third from three") == 429);
    CHECK(contains(web.log(), "rate limit for 198.51.100.1"));
    CHECK(contains(web.log(), "rate limit for 2001:db8:5::3"));
    CHECK(contains(web.metrics(), "reason=\"rate_limited\"} 3"));
}

TEST_CASE("an untrusted peer's forwarding headers are ignored: it is limited as itself") {
    WebFixture web(kBehindProxy);
    // 127.0.0.2 is not in TRUSTED_PROXIES: a fresh forged address each time gains nothing.
    CHECK(post_from("127.0.0.2", web, "198.51.100.10", "forged one") == 303);
    CHECK(post_from("127.0.0.2", web, "198.51.100.11", "forged two") == 303);
    CHECK(post_from("127.0.0.2", web, "198.51.100.12", "forged three") == 429);
    CHECK(contains(web.log(), "rate limit for 127.0.0.2"));
    // The client it claimed to be was never charged: that address still has its burst.
    CHECK(post_forwarded(web, "198.51.100.10", "the real one") == 303);
    CHECK(post_forwarded(web, "198.51.100.10", "the real one again") == 303);
}

TEST_CASE("a proxy not in TRUSTED_PROXIES is one client, whatever it forwards") {
    WebFixture web({{"TRUSTED_PROXIES", "10.0.0.0/8"},
                    {"INGRESS_RATE_LIMIT_BURST", "1"},
                    {"INGRESS_RATE_LIMIT_REFILL_SECONDS", "600"}});
    // 127.0.0.1 is not among the trusted now: two "clients" it forwards share its bucket.
    CHECK(post_forwarded(web, "198.51.100.1", "one") == 303);
    CHECK(post_forwarded(web, "198.51.100.2", "two") == 429);
    CHECK(contains(web.log(), "rate limit for 127.0.0.1"));
}
