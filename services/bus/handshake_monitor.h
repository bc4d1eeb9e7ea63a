#pragma once
// Counts and logs (throttled) the connections the bus's secured sockets refused during the
// handshake, from libzmq's socket monitor: a plaintext peer, or one with the wrong server key.
// (A CURVE peer whose key is not listed is refused by the ZAP handler, which counts it.)
#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "log_throttle.h"
#include "switchboard/metrics.h"

namespace sb::bus {

// The refusal a monitor event stands for, as a metrics label: "no_curve" (a plaintext peer),
// "bad_handshake" (e.g. the wrong server key), "aborted" (the peer hung up mid-handshake, as a
// plaintext peer does when it notices the mismatch first); nullopt for events counted
// elsewhere (a key the ZAP handler refused) or not refusals at all.
std::optional<std::string> refusal_reason(int event, int value);

class HandshakeMonitor {
  public:
    // Attaches a monitor to each socket; call before the sockets bind and before any other
    // thread uses them (zmq_socket_monitor is a socket operation).
    HandshakeMonitor(zmq::context_t& context, const std::vector<zmq::socket_t*>& sockets,
                     Metrics& metrics);
    ~HandshakeMonitor();
    HandshakeMonitor(const HandshakeMonitor&) = delete;
    HandshakeMonitor& operator=(const HandshakeMonitor&) = delete;

    void start();
    void stop();

  private:
    void watch();
    void record(int event, int value, const std::string& endpoint);

    std::vector<zmq::socket_t> monitors_;  // PAIR sockets receiving the events
    Metrics& metrics_;
    LogThrottle log_throttle_{std::chrono::seconds(10)};
    std::thread thread_;
    std::atomic<bool> stopping_{false};
};

}  // namespace sb::bus
