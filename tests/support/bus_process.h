#pragma once
// A real bus process on loopback, as the component fixtures need it. (The system harness and the
// pipeline benchmark start the bus like every other service, from one shared environment.)
#include <string>

#include "process.h"

namespace sb::testing {

// tcp://127.0.0.1:<free port>, an endpoint for BUS_PUBLISH_ENDPOINT or BUS_SUBSCRIBE_ENDPOINT.
std::string free_endpoint();

// A healthy bus, its log in `dir`/bus.log. Constructing throws std::runtime_error naming that
// log when /healthz is not 200 within 10 s; the half-started child is killed on the way out.
class BusProcess {
  public:
    // On two fresh endpoints.
    explicit BusProcess(const std::string& dir);
    // On endpoints chosen earlier: those of a bus that was killed, so every service reconnects
    // to this one, or those already handed to services that start before the bus.
    BusProcess(const std::string& dir, std::string publish, std::string subscribe);

    std::string publish;
    std::string subscribe;
    int http_port = 0;  // BUS_PORT: /healthz and /metrics; fresh on every start
    Process process;
};

}  // namespace sb::testing
