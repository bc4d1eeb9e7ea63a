#pragma once
// Who may talk on the bus: ZeroMQ's CURVE (encryption and authentication of every connection,
// RFC 26) with the bus as the server and every service as a client. The bus holds a server key
// pair and the list of client public keys it accepts (its ZAP handler, services/bus, enforces
// that list); a service holds the bus's public key and its own client key pair.
//
// Keys are Z85 text, 40 characters (zmq_z85_encode of 32 bytes). No keys at all means
// plaintext, as a developer's loopback run and most tests have it; a half-configured side is an
// error, never silently open.
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <zmq.hpp>

#include "switchboard/bus_keys.h"
#include "switchboard/config.h"

namespace sb::bus_security {

// Whether this libzmq can do CURVE at all (Debian's is built with libsodium).
bool curve_available();

// 40 characters of the Z85 alphabet that decode to 32 bytes.
bool is_z85_key(std::string_view text);
// The 32 raw bytes of a valid Z85 key (as ZAP carries a CURVE client's key).
std::string decode_key(std::string_view z85);
// The public key of a valid Z85 secret key (zmq_curve_public).
std::string public_key_of(const std::string& secret_z85);
KeyPair generate_key_pair();

// Read once at start-up. nullopt: no key of that side is set (plaintext). Throws ConfigError
// naming the variable for a malformed key, a missing half, or keys that do not belong together.
std::optional<ClientKeys> read_client_keys(const Environment& env);
std::optional<ServerKeys> read_server_keys(const Environment& env);

// For the start-up line: public keys in full, secrets as <set>, and whether CURVE is on.
std::vector<Setting> describe(const std::optional<ClientKeys>& keys);
std::vector<Setting> describe(const std::optional<ServerKeys>& keys);

// Socket options, set before connect/bind. With nullopt the socket stays plaintext (NULL).
void secure_client(zmq::socket_t& socket, const std::optional<ClientKeys>& keys);
void secure_server(zmq::socket_t& socket, const ServerKeys& keys);

// Plaintext is only for a bus nobody else can reach: tcp on a loopback address, ipc, inproc.
bool is_loopback_endpoint(std::string_view endpoint);

// The ZAP domain the bus's sockets announce to its handler.
inline constexpr std::string_view kZapDomain = "switchboard-bus";

// `.env` lines for a fresh deployment: a server pair for the bus and one client pair for the
// services, quoted so that a shell, docker-compose and Environment all read them unchanged.
std::string generated_env_lines(const KeyPair& server, const KeyPair& client);

}  // namespace sb::bus_security
