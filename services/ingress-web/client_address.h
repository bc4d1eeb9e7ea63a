#pragma once
// Who the client is: the TCP peer, unless the peer is a trusted proxy (TRUSTED_PROXIES), in which
// case the address the proxies forwarded. A pure decision over the peer and the headers.
//
// X-Forwarded-For is a list each proxy appends its own peer to, so only its right end is
// written by proxies we trust; everything to the left of the first address we do not trust was
// written by that address, i.e. by the client, who can put anything there. So the list is read
// right to left, trusted proxies skipped, and the first address that is not a trusted proxy is
// the client. A hop that is not an address ends the walk at the proxy that passed it on (its
// right neighbour): the clients behind that proxy then share its limit rather than choosing
// their own. X-Real-IP (one address, set by the nearest proxy) is read only when there is no
// X-Forwarded-For. A peer that is not trusted is the client, whatever it sends.
#include <string>
#include <string_view>
#include <vector>

#include "ip_address.h"

namespace sb::web {

// At most this many hops are read from the right: past it the clients of the proxy reached
// share that proxy's limit. No real chain of proxies is this long.
inline constexpr std::size_t kMaxForwardedHops = 16;

struct ForwardingHeaders {
    std::vector<std::string> forwarded_for;  // each X-Forwarded-For header's value, in order
    std::vector<std::string> real_ip;        // each X-Real-IP header's value
};

struct ClientAddress {
    enum class Source { peer, forwarded_for, real_ip };
    std::string address;  // canonical text (192.0.2.1, 2001:db8::1), or the peer as given
    Source source = Source::peer;
};
std::string_view to_string(ClientAddress::Source source);

ClientAddress client_address(std::string_view peer, const ForwardingHeaders& headers,
                             const TrustedProxies& trusted);

}  // namespace sb::web
