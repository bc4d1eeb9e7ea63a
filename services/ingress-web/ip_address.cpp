#include "ip_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "switchboard/text.h"

namespace sb::web {
namespace {

// The longest hop worth reading: a bracketed IPv6 with an IPv4 tail, a zone (an interface name
// is at most 15 bytes) and a port is under 70. Longer text is refused before any parsing.
constexpr std::size_t kMaxAddressText = 80;

constexpr std::array<std::uint8_t, 12> kMappedPrefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
}

bool valid_port(std::string_view text) {
    if (!all_digits(text) || text.size() > 5) return false;
    return std::stoi(std::string(text)) <= 65535;
}

// A zone is an interface name or number: letters, digits and a few punctuation marks.
bool valid_zone(std::string_view zone) {
    return !zone.empty() && zone.size() <= 32 && std::all_of(zone.begin(), zone.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
    });
}

std::optional<IpAddress> parse_v4(std::string_view text) {
    IpAddress address;
    const std::string copy(text);
    if (inet_pton(AF_INET, copy.c_str(), address.bytes.data()) != 1) return std::nullopt;
    return address;
}

std::optional<IpAddress> parse_v6(std::string_view text) {
    if (const auto percent = text.find('%'); percent != std::string_view::npos) {
        if (!valid_zone(text.substr(percent + 1))) return std::nullopt;
        text = text.substr(0, percent);
    }
    IpAddress address;
    address.v6 = true;
    const std::string copy(text);
    if (inet_pton(AF_INET6, copy.c_str(), address.bytes.data()) != 1) return std::nullopt;
    if (std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), address.bytes.begin())) {
        IpAddress v4;
        std::copy_n(address.bytes.begin() + 12, 4, v4.bytes.begin());
        return v4;
    }
    return address;
}

}  // namespace

std::string IpAddress::text() const {
    char buffer[INET6_ADDRSTRLEN] = {};
    inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buffer, sizeof buffer);
    return buffer;
}

bool IpAddress::operator==(const IpAddress& other) const {
    return v6 == other.v6 && bytes == other.bytes;
}

std::optional<IpAddress> parse_ip_address(std::string_view text) {
    text = trim(text);
    if (text.empty() || text.size() > kMaxAddressText) return std::nullopt;
    // Printable ASCII only: the C parsers below would stop at a NUL and take what precedes it.
    if (!std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < 0x7f; })) {
        return std::nullopt;
    }
    if (text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        const std::string_view rest = text.substr(close + 1);
        if (!rest.empty() && (rest.front() != ':' || !valid_port(rest.substr(1)))) {
            return std::nullopt;
        }
        auto address = parse_v6(text.substr(1, close - 1));
        return address;
    }
    const auto colons = std::count(text.begin(), text.end(), ':');
    if (colons == 0) return parse_v4(text);
    if (colons == 1) {  // IPv4 with a port; a bare IPv6 address has at least two colons
        const auto colon = text.find(':');
        if (!valid_port(text.substr(colon + 1))) return std::nullopt;
        return parse_v4(text.substr(0, colon));
    }
    return parse_v6(text);
}

bool is_loopback(const IpAddress& address) {
    static const IpAddress v6_loopback = *parse_ip_address("::1");
    return address.v6 ? address == v6_loopback : address.bytes[0] == 127;
}

bool Cidr::contains(const IpAddress& address) const {
    if (address.v6 != network.v6) return false;
    const int whole = prefix / 8;
    if (!std::equal(network.bytes.begin(), network.bytes.begin() + whole, address.bytes.begin())) {
        return false;
    }
    const int bits = prefix % 8;
    if (bits == 0) return true;
    const auto mask = static_cast<std::uint8_t>(0xff << (8 - bits));
    return (network.bytes[whole] & mask) == (address.bytes[whole] & mask);
}

std::string Cidr::text() const {
    return network.text() + "/" + std::to_string(prefix);
}

Cidr parse_cidr(std::string_view text) {
    text = trim(text);
    const auto slash = text.find('/');
    const std::string_view address_text = text.substr(0, slash);
    // Ranges are written plainly: no brackets, ports or zones (those belong to one connection).
    if (address_text.find_first_of("[]%") != std::string_view::npos ||
        (std::count(address_text.begin(), address_text.end(), ':') == 1)) {
        throw std::invalid_argument("'" + std::string(text) + "' is not an IP address or range");
    }
    const auto address = parse_ip_address(address_text);
    if (!address) {
        throw std::invalid_argument("'" + std::string(text) + "' is not an IP address or range");
    }
    const int max_prefix = address->v6 ? 128 : 32;
    int prefix = max_prefix;
    if (slash != std::string_view::npos) {
        const std::string_view digits = text.substr(slash + 1);
        if (!all_digits(digits) || digits.size() > 3 ||
            std::stoi(std::string(digits)) > max_prefix) {
            throw std::invalid_argument("'" + std::string(text) +
                                        "' needs a prefix length from 0 to " +
                                        std::to_string(max_prefix));
        }
        prefix = std::stoi(std::string(digits));
    }
    Cidr cidr{*address, prefix};
    Cidr masked{IpAddress{address->v6, {}}, prefix};
    for (std::size_t i = 0; i < address->size(); ++i) {
        const int bits = std::clamp(prefix - static_cast<int>(i) * 8, 0, 8);
        masked.network.bytes[i] = static_cast<std::uint8_t>(
            address->bytes[i] & static_cast<std::uint8_t>(0xff00 >> bits));
    }
    if (!(masked.network == cidr.network)) {
        throw std::invalid_argument("'" + std::string(text) +
                                    "' has bits set past its prefix (did you mean " +
                                    masked.text() + "?)");
    }
    return cidr;
}

TrustedProxies TrustedProxies::parse(std::string_view list) {
    if (trim(list) == "none") return TrustedProxies{};
    std::vector<Cidr> ranges;
    std::size_t start = 0;
    while (start < list.size()) {
        const std::size_t end = list.find_first_of(", \t\n", start);
        const std::string_view entry = list.substr(
            start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (!entry.empty()) ranges.push_back(parse_cidr(entry));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    if (ranges.empty()) throw std::invalid_argument("lists no range (write none to trust nobody)");
    return TrustedProxies{std::move(ranges)};
}

TrustedProxies TrustedProxies::loopback() {
    return parse("127.0.0.0/8,::1/128");
}

bool TrustedProxies::trusts(const IpAddress& address) const {
    return std::any_of(ranges_.begin(), ranges_.end(),
                       [&](const Cidr& range) { return range.contains(address); });
}

std::string TrustedProxies::text() const {
    if (ranges_.empty()) return "none";
    std::string text;
    for (const Cidr& range : ranges_) {
        if (!text.empty()) text += ',';
        text += range.text();
    }
    return text;
}

}  // namespace sb::web
