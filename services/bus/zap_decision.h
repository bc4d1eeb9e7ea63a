#pragma once
// The bus's answer to a ZAP request (ZeroMQ RFC 27): pure, so every case is table-tested without
// sockets. libzmq asks it once per CURVE handshake on the bus's sockets; only a client whose
// public key is on the list gets a 200, anything else a 400 and the connection is closed before
// a single message crosses it.
#include <set>
#include <string>
#include <vector>

namespace sb::bus {

struct ZapDecision {
    bool accepted = false;
    // The reply frames: version, request id, status code, status text, user id, metadata.
    std::vector<std::string> reply;
    std::string peer_address;  // for the log: who was refused
    std::string client_key;    // Z85, when the request carried a CURVE key
    std::string reason;        // why refused (empty when accepted)
};

// `request` is the ZAP request as received (version, request id, domain, address, routing id,
// mechanism, credentials...); `accepted_keys` holds the 32-byte raw public keys allowed in.
ZapDecision decide_zap(const std::vector<std::string>& request,
                       const std::set<std::string>& accepted_keys);

}  // namespace sb::bus
