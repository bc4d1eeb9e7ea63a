#pragma once
// The bus's ZAP handler (RFC 27): a REP socket on inproc://zeromq.zap.01 in the bus's context
// that libzmq asks about every CURVE handshake on the bus's sockets. It must be bound before
// those sockets are: with no handler bound, libzmq lets every CURVE client in.
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <zmq.hpp>

#include "log_throttle.h"
#include "switchboard/bus_keys.h"
#include "switchboard/metrics.h"
#include "zap_decision.h"

namespace sb::bus {

class ZapHandler {
  public:
    // Binds the ZAP endpoint (throws zmq::error_t when another handler already holds it).
    ZapHandler(zmq::context_t& context, const bus_security::ServerKeys& keys, Metrics& metrics);
    ~ZapHandler();
    ZapHandler(const ZapHandler&) = delete;
    ZapHandler& operator=(const ZapHandler&) = delete;

    void start();  // answers on a background thread
    void stop();

  private:
    void serve();
    void log_refusal(const ZapDecision& decision);

    zmq::socket_t socket_;
    std::set<std::string> accepted_keys_;  // raw 32-byte public keys
    Counter& accepted_;
    Counter& refused_;
    LogThrottle log_throttle_{std::chrono::seconds(10)};
    std::thread thread_;
    std::atomic<bool> stopping_{false};
};

}  // namespace sb::bus
