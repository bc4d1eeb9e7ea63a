#pragma once
// The CURVE keys of the bus and its clients, as read from the BUS_* settings (bus_security.h
// reads, checks and applies them). Plain data, so config.h and delivery.h can carry them.
#include <string>
#include <vector>

namespace sb::bus_security {

struct KeyPair {
    std::string public_key;  // Z85, 40 characters
    std::string secret_key;  // Z85, 40 characters
};

// What a service needs to connect to a secured bus.
struct ClientKeys {
    std::string server_public;  // BUS_SERVER_PUBLIC_KEY
    KeyPair client;             // BUS_CLIENT_PUBLIC_KEY (derived when unset), BUS_CLIENT_SECRET_KEY
};

// What the bus needs to accept only its own services.
struct ServerKeys {
    KeyPair server;                             // BUS_SERVER_SECRET_KEY (public derived)
    std::vector<std::string> accepted_clients;  // BUS_CLIENT_PUBLIC_KEYS, Z85, no duplicates
};

}  // namespace sb::bus_security
