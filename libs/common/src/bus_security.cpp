#include "switchboard/bus_security.h"

#include <zmq.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "switchboard/text.h"

namespace sb::bus_security {
namespace {

constexpr std::size_t kZ85KeyLength = 40;
constexpr std::size_t kRawKeyLength = 32;
constexpr std::string_view kZ85Alphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

constexpr std::string_view kGenerateHint = "generate keys with `bus --generate-keys`";

// The value never goes into the message: it may be a secret.
std::string key_or_throw(const Environment& env, std::string_view name) {
    std::string value(trim(env.get_or(name, "")));
    if (!is_z85_key(value)) {
        throw ConfigError(std::string(name) + " must be a CURVE key: 40 characters of Z85 (" +
                          std::string(kGenerateHint) + "), but it is " +
                          std::to_string(value.size()) + " characters" +
                          (value.size() == kZ85KeyLength ? " that are not valid Z85" : ""));
    }
    return value;
}

void require_curve(std::string_view name) {
    if (!curve_available()) {
        throw ConfigError(std::string(name) +
                          " is set, but this libzmq was built without CURVE (zmq_has(\"curve\"))");
    }
}

std::string missing_half(std::string_view missing, std::string_view present) {
    return std::string(missing) + " is required when " + std::string(present) +
           " is set (half a key setup is an error, never silently plaintext); " +
           std::string(kGenerateHint);
}

}  // namespace

bool curve_available() {
    return zmq_has("curve") != 0;
}

bool is_z85_key(std::string_view text) {
    if (text.size() != kZ85KeyLength) return false;
    if (!std::all_of(text.begin(), text.end(),
                     [](char c) { return kZ85Alphabet.find(c) != std::string_view::npos; })) {
        return false;
    }
    // Every 5 characters must also stand for a 32-bit value ("%%%%%" does not).
    const std::string terminated(text);
    std::uint8_t raw[kRawKeyLength];
    return zmq_z85_decode(raw, terminated.c_str()) != nullptr;
}

std::string decode_key(std::string_view z85) {
    const std::string text(z85);
    std::string raw(kRawKeyLength, '\0');
    if (!is_z85_key(text) ||
        zmq_z85_decode(reinterpret_cast<std::uint8_t*>(raw.data()), text.c_str()) == nullptr) {
        throw std::invalid_argument("not a Z85 key");
    }
    return raw;
}

std::string public_key_of(const std::string& secret_z85) {
    char public_key[kZ85KeyLength + 1] = {};
    if (!is_z85_key(secret_z85) || zmq_curve_public(public_key, secret_z85.c_str()) != 0) {
        throw std::invalid_argument("not a CURVE secret key");
    }
    return public_key;
}

KeyPair generate_key_pair() {
    char public_key[kZ85KeyLength + 1] = {};
    char secret_key[kZ85KeyLength + 1] = {};
    if (zmq_curve_keypair(public_key, secret_key) != 0) {
        throw std::runtime_error("zmq_curve_keypair failed: this libzmq has no CURVE");
    }
    return {public_key, secret_key};
}

std::optional<ClientKeys> read_client_keys(const Environment& env) {
    constexpr std::string_view server = "BUS_SERVER_PUBLIC_KEY";
    constexpr std::string_view secret = "BUS_CLIENT_SECRET_KEY";
    constexpr std::string_view client = "BUS_CLIENT_PUBLIC_KEY";
    const bool any = env.get(server) || env.get(secret) || env.get(client);
    if (!any) return std::nullopt;
    if (!env.get(server))
        throw ConfigError(missing_half(server, env.get(secret) ? secret : client));
    if (!env.get(secret)) throw ConfigError(missing_half(secret, server));
    require_curve(server);
    ClientKeys keys;
    keys.server_public = key_or_throw(env, server);
    keys.client.secret_key = key_or_throw(env, secret);
    keys.client.public_key = public_key_of(keys.client.secret_key);
    if (env.get(client) && key_or_throw(env, client) != keys.client.public_key) {
        throw ConfigError(std::string(client) + " is not the public key of " + std::string(secret) +
                          " (leave it unset: it is derived)");
    }
    return keys;
}

std::optional<ServerKeys> read_server_keys(const Environment& env) {
    constexpr std::string_view secret = "BUS_SERVER_SECRET_KEY";
    constexpr std::string_view clients = "BUS_CLIENT_PUBLIC_KEYS";
    constexpr std::string_view server_public = "BUS_SERVER_PUBLIC_KEY";
    if (!env.get(secret) && !env.get(clients)) return std::nullopt;
    if (!env.get(secret)) throw ConfigError(missing_half(secret, clients));
    if (!env.get(clients)) throw ConfigError(missing_half(clients, secret));
    require_curve(secret);
    ServerKeys keys;
    keys.server.secret_key = key_or_throw(env, secret);
    keys.server.public_key = public_key_of(keys.server.secret_key);
    // The services' shared .env also carries the public key they connect with: a pair pasted
    // from two different generations would lock every service out, so say so at once.
    if (env.get(server_public) && key_or_throw(env, server_public) != keys.server.public_key) {
        throw ConfigError(std::string(server_public) + " is not the public key of " +
                          std::string(secret) + ": the services could not connect");
    }
    const std::string list = *env.get(clients);
    std::size_t start = 0;
    int position = 0;
    while (start <= list.size()) {
        const auto comma = std::min(list.find(',', start), list.size());
        const std::string key(trim(std::string_view(list).substr(start, comma - start)));
        ++position;
        start = comma + 1;
        if (key.empty()) continue;
        if (!is_z85_key(key)) {
            throw ConfigError(std::string(clients) + " entry " + std::to_string(position) +
                              " is not a CURVE public key (40 characters of Z85): '" + key + "'");
        }
        if (std::find(keys.accepted_clients.begin(), keys.accepted_clients.end(), key) ==
            keys.accepted_clients.end()) {
            keys.accepted_clients.push_back(key);
        }
    }
    if (keys.accepted_clients.empty()) throw ConfigError(missing_half(clients, secret));
    return keys;
}

std::vector<Setting> describe(const std::optional<ClientKeys>& keys) {
    if (!keys) return {{"bus_security", "none(plaintext,unauthenticated)"}};
    return {{"bus_security", "curve"},
            {"BUS_SERVER_PUBLIC_KEY", keys->server_public},
            {"BUS_CLIENT_PUBLIC_KEY", keys->client.public_key},
            {"BUS_CLIENT_SECRET_KEY", keys->client.secret_key, /*secret=*/true}};
}

std::vector<Setting> describe(const std::optional<ServerKeys>& keys) {
    if (!keys) return {{"bus_security", "none(plaintext,unauthenticated)"}};
    std::string clients;
    for (const std::string& key : keys->accepted_clients) {
        if (!clients.empty()) clients += ',';
        clients += key;
    }
    return {{"bus_security", "curve"},
            {"BUS_SERVER_PUBLIC_KEY", keys->server.public_key},
            {"BUS_SERVER_SECRET_KEY", keys->server.secret_key, /*secret=*/true},
            {"BUS_CLIENT_PUBLIC_KEYS", clients}};
}

void secure_client(zmq::socket_t& socket, const std::optional<ClientKeys>& keys) {
    if (!keys) return;
    socket.set(zmq::sockopt::curve_serverkey, keys->server_public);
    socket.set(zmq::sockopt::curve_publickey, keys->client.public_key);
    socket.set(zmq::sockopt::curve_secretkey, keys->client.secret_key);
}

void secure_server(zmq::socket_t& socket, const ServerKeys& keys) {
    socket.set(zmq::sockopt::curve_server, true);
    socket.set(zmq::sockopt::curve_secretkey, keys.server.secret_key);
    socket.set(zmq::sockopt::zap_domain, std::string(kZapDomain));
}

bool is_loopback_endpoint(std::string_view endpoint) {
    if (endpoint.rfind("ipc://", 0) == 0 || endpoint.rfind("inproc://", 0) == 0) return true;
    constexpr std::string_view tcp = "tcp://";
    if (endpoint.rfind(tcp, 0) != 0) return false;
    const std::string_view address = endpoint.substr(tcp.size());
    const std::string_view host = address.substr(0, address.rfind(':'));
    const bool numeric = std::all_of(host.begin(), host.end(),
                                     [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
    return (numeric && host.rfind("127.", 0) == 0) || host == "localhost" || host == "[::1]";
}

std::string generated_env_lines(const KeyPair& server, const KeyPair& client) {
    // Single quotes: Z85 uses $ ! & ( ) < > * ? # and friends, which a shell (scripts/run
    // sources .env) would interpret; Z85 never contains a quote.
    const auto line = [](std::string_view name, const std::string& value) {
        return std::string(name) + "='" + value + "'\n";
    };
    return "# Bus security (CURVE), from `bus --generate-keys`. Secret: keep this file private.\n"
           "# The bus: its secret key and the client keys it accepts (comma-separated).\n" +
           line("BUS_SERVER_SECRET_KEY", server.secret_key) +
           line("BUS_CLIENT_PUBLIC_KEYS", client.public_key) +
           "# Every service: the bus's public key and the services' client key pair.\n" +
           line("BUS_SERVER_PUBLIC_KEY", server.public_key) +
           line("BUS_CLIENT_SECRET_KEY", client.secret_key) +
           line("BUS_CLIENT_PUBLIC_KEY", client.public_key);
}

}  // namespace sb::bus_security
