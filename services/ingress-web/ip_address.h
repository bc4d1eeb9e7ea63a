#pragma once
// IP addresses and CIDR ranges as peers and forwarding proxies write them, parsed strictly (the
// kernel's inet_pton), so an address from a header is either exactly an address or refused.
// IPv4-mapped IPv6 (::ffff:192.0.2.1, what a dual-stack socket reports) is folded to IPv4, so
// one range written as IPv4 covers both spellings.
#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sb::web {

struct IpAddress {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{};  // IPv4 uses the first 4

    std::size_t size() const { return v6 ? 16 : 4; }
    std::string text() const;  // canonical: 192.0.2.1, 2001:db8::1
    bool operator==(const IpAddress& other) const;
};

// One address as a socket peer or an X-Forwarded-For / X-Real-IP hop writes it: "192.0.2.1",
// "192.0.2.1:443", "2001:db8::1", "[2001:db8::1]", "[2001:db8::1]:443", "fe80::1%eth0" (the zone
// is dropped: it names an interface of the writer, not a host). Spaces around it are trimmed.
// Anything else (names, "unknown", leading zeros, ports over 65535) is nullopt.
std::optional<IpAddress> parse_ip_address(std::string_view text);

// 127.0.0.0/8 or ::1: only this host can send from it.
bool is_loopback(const IpAddress& address);

struct Cidr {
    IpAddress network;
    int prefix = 0;  // 0..32 or 0..128

    bool contains(const IpAddress& address) const;
    std::string text() const;
};

// A range "10.0.0.0/8", "fd00::/8", or one address "192.0.2.1" (= /32, /128). Host bits set
// ("10.0.0.1/8") are refused as a likely typo. Throws std::invalid_argument saying why.
Cidr parse_cidr(std::string_view text);

// The proxies whose forwarding headers are believed: TRUSTED_PROXIES.
class TrustedProxies {
  public:
    TrustedProxies() = default;
    explicit TrustedProxies(std::vector<Cidr> ranges) : ranges_(std::move(ranges)) {}

    // A list of ranges separated by commas and/or spaces; "none" trusts nobody. Throws
    // std::invalid_argument naming the entry that is wrong.
    static TrustedProxies parse(std::string_view list);
    // Loopback only (127.0.0.0/8, ::1): a proxy on the same host.
    static TrustedProxies loopback();

    bool trusts(const IpAddress& address) const;
    const std::vector<Cidr>& ranges() const { return ranges_; }
    std::string text() const;  // "127.0.0.0/8,::1/128", or "none"

  private:
    std::vector<Cidr> ranges_;
};

}  // namespace sb::web
