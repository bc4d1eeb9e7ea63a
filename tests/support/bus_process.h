#pragma once
// A real bus process on loopback, as the component fixtures need it. (The system harness and the
// pipeline benchmark start the bus like every other service, from one shared environment.)
#include <map>
#include <string>

#include "process.h"
#include "switchboard/bus_keys.h"

namespace sb::testing {

// tcp://127.0.0.1:<free port>, an endpoint for BUS_PUBLISH_ENDPOINT or BUS_SUBSCRIBE_ENDPOINT.
std::string free_endpoint();

// Throwaway CURVE keys for a secured bus and the services allowed on it (as scripts/run makes).
struct BusKeys {
    BusKeys();
    bus_security::KeyPair server;
    bus_security::KeyPair client;
    // BUS_SERVER_SECRET_KEY and BUS_CLIENT_PUBLIC_KEYS, for the bus.
    std::map<std::string, std::string> bus_env() const;
    // BUS_SERVER_PUBLIC_KEY and BUS_CLIENT_SECRET_KEY, for a service or a delivery_probe.
    std::map<std::string, std::string> service_env() const;
    bus_security::ClientKeys client_keys() const;
};

// A healthy bus, its log in `dir`/bus.log. Constructing throws std::runtime_error naming that
// log when /healthz is not 200 within 10 s; the half-started child is killed on the way out.
class BusProcess {
  public:
    // On two fresh endpoints.
    explicit BusProcess(const std::string& dir);
    // On endpoints chosen earlier: those of a bus that was killed, so every service reconnects
    // to this one, or those already handed to services that start before the bus.
    BusProcess(const std::string& dir, std::string publish, std::string subscribe);
    // Any of those, with further settings (e.g. BusKeys::bus_env() for a secured bus).
    BusProcess(const std::string& dir, std::string publish, std::string subscribe,
               const std::map<std::string, std::string>& extra_env);

    // The value of one series on /metrics, e.g. `switchboard_bus_peers_refused_total{reason=
    // "no_curve"}`; -1 when the bus does not answer or has no such series.
    double metric(const std::string& series) const;

    std::string publish;
    std::string subscribe;
    int http_port = 0;  // BUS_PORT: /healthz and /metrics; fresh on every start
    Process process;
};

}  // namespace sb::testing
