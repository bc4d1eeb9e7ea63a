#include "client_address.h"

#include <algorithm>
#include <optional>

#include "switchboard/text.h"

namespace sb::web {
namespace {

// The hops of every X-Forwarded-For header, the headers joined in order (RFC 9110: repeated
// fields are one comma-separated list), the right-most `kMaxForwardedHops` only, right-most
// first. Empty entries are kept (as empty views): they are not addresses.
std::vector<std::string_view> hops_right_to_left(const std::vector<std::string>& headers) {
    std::vector<std::string_view> hops;
    for (auto header = headers.rbegin(); header != headers.rend(); ++header) {
        std::string_view rest(*header);
        while (hops.size() < kMaxForwardedHops + 1) {
            const auto comma = rest.rfind(',');
            hops.push_back(trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1)));
            if (comma == std::string_view::npos) break;
            rest = rest.substr(0, comma);
        }
        if (hops.size() > kMaxForwardedHops) break;
    }
    return hops;
}

}  // namespace

std::string_view to_string(ClientAddress::Source source) {
    switch (source) {
        case ClientAddress::Source::forwarded_for:
            return "x-forwarded-for";
        case ClientAddress::Source::real_ip:
            return "x-real-ip";
        case ClientAddress::Source::peer:
            break;
    }
    return "peer";
}

ClientAddress client_address(std::string_view peer, const ForwardingHeaders& headers,
                             const TrustedProxies& trusted) {
    const std::optional<IpAddress> peer_address = parse_ip_address(peer);
    if (!peer_address) return {std::string(peer), ClientAddress::Source::peer};
    ClientAddress from_peer{peer_address->text(), ClientAddress::Source::peer};
    if (!trusted.trusts(*peer_address)) return from_peer;

    const std::vector<std::string_view> hops = hops_right_to_left(headers.forwarded_for);
    const bool any_hop =
        std::any_of(hops.begin(), hops.end(), [](std::string_view hop) { return !hop.empty(); });
    if (!any_hop) {
        // Exactly one X-Real-IP: two are a client's header beside the proxy's.
        if (headers.real_ip.size() == 1) {
            if (const auto real = parse_ip_address(headers.real_ip.front())) {
                return {real->text(), ClientAddress::Source::real_ip};
            }
        }
        return from_peer;
    }
    ClientAddress last_trusted = from_peer;
    for (std::size_t i = 0; i < hops.size() && i < kMaxForwardedHops; ++i) {
        const auto hop = parse_ip_address(hops[i]);
        if (!hop) return last_trusted;
        ClientAddress here{hop->text(), ClientAddress::Source::forwarded_for};
        if (!trusted.trusts(*hop)) return here;
        last_trusted = std::move(here);
    }
    // Every hop read is a trusted address: the left-most read is the client (one inside a
    // trusted range, e.g. a health checker), or, past the cap, the proxy reached.
    return last_trusted;
}

}  // namespace sb::web
