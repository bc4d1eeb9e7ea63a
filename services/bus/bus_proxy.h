#pragma once
// The bus: an XSUB socket that publishers connect to, an XPUB socket that subscribers connect
// to, and zmq::proxy_steerable between them. It keeps no state and knows no topic.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "switchboard/bus_keys.h"

namespace sb::bus {

class BusProxy {
  public:
    // Binds both endpoints ("tcp://127.0.0.1:*" picks free ports); throws zmq::error_t when an
    // endpoint cannot be bound. With `keys` both sockets are CURVE servers that ask the
    // context's ZAP handler about every client (bind a ZapHandler first).
    BusProxy(zmq::context_t& context, const std::string& publish_endpoint,
             const std::string& subscribe_endpoint,
             const std::optional<bus_security::ServerKeys>& keys = std::nullopt);
    ~BusProxy();
    BusProxy(const BusProxy&) = delete;
    BusProxy& operator=(const BusProxy&) = delete;

    // The endpoints as bound, with the port the system picked.
    std::string publish_endpoint() const { return publish_endpoint_; }
    std::string subscribe_endpoint() const { return subscribe_endpoint_; }

    // The two sockets, for a HandshakeMonitor to attach to before start().
    std::vector<zmq::socket_t*> sockets() { return {&frontend_, &backend_}; }

    void start();  // proxies on a background thread
    void stop();   // tells the proxy to terminate and joins it

    // Messages that crossed the bus (publications and subscription changes), for /metrics.
    std::uint64_t forwarded() const { return forwarded_.load(std::memory_order_relaxed); }

  private:
    void count_captured();

    zmq::context_t& context_;
    zmq::socket_t frontend_;  // XSUB
    zmq::socket_t backend_;   // XPUB
    std::string publish_endpoint_;
    std::string subscribe_endpoint_;
    std::string control_endpoint_;
    std::string capture_endpoint_;
    std::thread proxy_thread_;
    std::thread counter_thread_;
    std::atomic<std::uint64_t> forwarded_{0};
    std::atomic<bool> stopping_{false};
};

}  // namespace sb::bus
