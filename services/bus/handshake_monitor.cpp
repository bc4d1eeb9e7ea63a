#include "handshake_monitor.h"

#include <spdlog/spdlog.h>

#include <cstring>
#include <zmq_addon.hpp>

#include "switchboard/ids.h"

namespace sb::bus {
namespace {

constexpr int kEvents = ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
                        ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;

std::string describe(const std::string& reason) {
    if (reason == "no_curve") return "the peer does not speak CURVE (no keys configured)";
    if (reason == "aborted") return "the peer hung up during the handshake (no or wrong keys)";
    return "the CURVE handshake failed (wrong BUS_SERVER_PUBLIC_KEY?)";
}

}  // namespace

std::optional<std::string> refusal_reason(int event, int value) {
    if (event == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL) {
        return value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH ? "no_curve" : "bad_handshake";
    }
    // A peer that notices the mismatch first just closes: the bus sees the handshake cut short.
    if (event == ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL) return "aborted";
    return std::nullopt;  // AUTH: the ZAP handler refused it and counted it already
}

HandshakeMonitor::HandshakeMonitor(zmq::context_t& context,
                                   const std::vector<zmq::socket_t*>& sockets, Metrics& metrics)
    : metrics_(metrics) {
    for (const char* reason : {"no_curve", "bad_handshake", "aborted"}) {
        metrics_.counter("bus_peers_refused_total", "Connections the bus refused, by why",
                         {{"reason", reason}});
    }
    for (zmq::socket_t* socket : sockets) {
        const std::string endpoint = "inproc://bus-monitor-" + new_id();
        if (zmq_socket_monitor(socket->handle(), endpoint.c_str(), kEvents) != 0) {
            throw zmq::error_t();
        }
        zmq::socket_t& monitor = monitors_.emplace_back(context, zmq::socket_type::pair);
        monitor.set(zmq::sockopt::linger, 0);
        monitor.connect(endpoint);
    }
}

HandshakeMonitor::~HandshakeMonitor() {
    stop();
}

void HandshakeMonitor::start() {
    thread_ = std::thread([this] {
        try {
            watch();
        } catch (const std::exception& error) {
            spdlog::error("handshake monitor stopped: {}", error.what());
        }
    });
}

void HandshakeMonitor::watch() {
    std::vector<zmq::pollitem_t> items;
    for (zmq::socket_t& monitor : monitors_) items.push_back({monitor.handle(), 0, ZMQ_POLLIN, 0});
    while (!stopping_.load()) {
        zmq::poll(items, std::chrono::milliseconds(100));
        for (std::size_t i = 0; i < items.size(); ++i) {
            if ((items[i].revents & ZMQ_POLLIN) == 0) continue;
            // Two frames: 16-bit event and 32-bit value, then the endpoint (zmq_socket_monitor).
            std::vector<zmq::message_t> frames;
            if (!zmq::recv_multipart(monitors_[i], std::back_inserter(frames),
                                     zmq::recv_flags::dontwait) ||
                frames.size() != 2 || frames[0].size() != 6) {
                continue;
            }
            std::uint16_t event = 0;
            std::uint32_t value = 0;
            std::memcpy(&event, frames[0].data(), sizeof event);
            std::memcpy(&value, static_cast<const char*>(frames[0].data()) + 2, sizeof value);
            record(event, static_cast<int>(value), frames[1].to_string());
        }
    }
}

void HandshakeMonitor::record(int event, int value, const std::string& endpoint) {
    const auto reason = refusal_reason(event, value);
    if (!reason) return;
    metrics_
        .counter("bus_peers_refused_total", "Connections the bus refused, by why",
                 {{"reason", *reason}})
        .add();
    std::uint64_t suppressed = 0;
    if (!log_throttle_.admit(SteadyClock::now(), suppressed)) return;
    spdlog::warn("refused a connection on {}: {}{}", endpoint, describe(*reason),
                 suppressed == 0 ? ""
                                 : "; " + std::to_string(suppressed) +
                                       " more refused since the last such line");
}

void HandshakeMonitor::stop() {
    if (!thread_.joinable()) return;
    stopping_.store(true);
    thread_.join();
    for (zmq::socket_t& monitor : monitors_) monitor.close();
}

}  // namespace sb::bus
