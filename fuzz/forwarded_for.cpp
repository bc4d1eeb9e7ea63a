// Who the client is (client_address.h), from what a peer and its forwarding headers say: the
// first line is the peer, each further line an X-Forwarded-For header, or an X-Real-IP header
// when it starts with "R:". Each line is also read as a TRUSTED_PROXIES range, and the whole
// input as a TRUSTED_PROXIES list, which may refuse it but must not crash.
#include <stdexcept>
#include <string>
#include <vector>

#include "client_address.h"
#include "fuzz_check.h"
#include "ip_address.h"
#include "rate_limiter.h"

using namespace sb::web;

namespace {

const TrustedProxies& trusted() {
    static const TrustedProxies proxies = TrustedProxies::parse("10.0.0.0/8,fd00::/8,127.0.0.1");
    return proxies;
}

void check_range(std::string_view line) {
    try {
        const Cidr range = parse_cidr(line);
        FUZZ_CHECK(range.contains(range.network));
        const Cidr again = parse_cidr(range.text());
        FUZZ_CHECK(again.network == range.network && again.prefix == range.prefix);
    } catch (const std::invalid_argument&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = sb::fuzz::as_text(data, size);
    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start <= input.size();) {
        const std::size_t end = std::min(input.find('\n', start), input.size());
        lines.push_back(input.substr(start, end - start));
        start = end + 1;
    }
    const std::string_view peer = lines.front();
    ForwardingHeaders headers;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        if (lines[i].rfind("R:", 0) == 0) {
            headers.real_ip.emplace_back(lines[i].substr(2));
        } else {
            headers.forwarded_for.emplace_back(lines[i]);
        }
        check_range(lines[i]);
    }
    check_range(peer);

    const ClientAddress client = client_address(peer, headers, trusted());
    const auto peer_address = parse_ip_address(peer);
    if (!peer_address) {
        // A peer that is no address is taken as given, and nothing it sent is believed.
        FUZZ_CHECK(client.address == peer && client.source == ClientAddress::Source::peer);
    } else {
        // Whatever was chosen is one canonical address.
        const auto chosen = parse_ip_address(client.address);
        FUZZ_CHECK(chosen && chosen->text() == client.address);
        if (!trusted().trusts(*peer_address)) {
            FUZZ_CHECK(client.address == peer_address->text());
            FUZZ_CHECK(client.source == ClientAddress::Source::peer);
        }
        // A forwarded client is never a canonical spelling of a hop we did not read: it is the
        // peer, or an address that parsed from one of the headers.
        if (client.source == ClientAddress::Source::peer) {
            FUZZ_CHECK(client.address == peer_address->text());
        }
        const std::string key = rate_limit_key(client.address);
        FUZZ_CHECK(!key.empty());
        FUZZ_CHECK(key == client.address ||
                   (chosen->v6 && key.size() > 3 && key.compare(key.size() - 3, 3, "/64") == 0));
    }
    try {
        const TrustedProxies list = TrustedProxies::parse(input);
        FUZZ_CHECK(TrustedProxies::parse(list.text()).text() == list.text());
    } catch (const std::invalid_argument&) {
    }
    return 0;
}
