#include "zap_handler.h"

#include <spdlog/spdlog.h>

#include <zmq_addon.hpp>

#include "switchboard/bus_security.h"
#include "zap_decision.h"

namespace sb::bus {
namespace {

constexpr auto kZapEndpoint = "inproc://zeromq.zap.01";  // fixed by RFC 27

}  // namespace

ZapHandler::ZapHandler(zmq::context_t& context, const bus_security::ServerKeys& keys,
                       Metrics& metrics)
    : socket_(context, zmq::socket_type::rep),
      accepted_(metrics.counter("bus_peers_accepted_total",
                                "CURVE connections whose client key is on BUS_CLIENT_PUBLIC_KEYS")),
      refused_(metrics.counter("bus_peers_refused_total", "Connections the bus refused, by why",
                               {{"reason", "key_not_accepted"}})) {
    for (const std::string& key : keys.accepted_clients) {
        accepted_keys_.insert(bus_security::decode_key(key));
    }
    socket_.set(zmq::sockopt::linger, 0);
    socket_.set(zmq::sockopt::rcvtimeo, 100);
    socket_.bind(kZapEndpoint);
}

ZapHandler::~ZapHandler() {
    stop();
}

void ZapHandler::start() {
    thread_ = std::thread([this] {
        try {
            serve();
        } catch (const std::exception& error) {
            // Failing closed: libzmq waits for an answer that never comes, so nobody gets in.
            spdlog::error("ZAP handler stopped: {}; no new connection will be accepted",
                          error.what());
        }
    });
}

void ZapHandler::serve() {
    while (!stopping_.load()) {
        std::vector<zmq::message_t> frames;
        if (!zmq::recv_multipart(socket_, std::back_inserter(frames))) continue;  // timeout
        std::vector<std::string> request;
        request.reserve(frames.size());
        for (const auto& frame : frames) request.push_back(frame.to_string());
        const ZapDecision decision = decide_zap(request, accepted_keys_);
        if (decision.accepted) {
            accepted_.add();
            spdlog::debug("accepted a CURVE client from {} with key {}", decision.peer_address,
                          decision.client_key);
        } else {
            refused_.add();
            log_refusal(decision);
        }
        std::vector<zmq::const_buffer> reply;
        for (const std::string& frame : decision.reply) reply.push_back(zmq::buffer(frame));
        (void)zmq::send_multipart(socket_, reply);
    }
}

void ZapHandler::log_refusal(const ZapDecision& decision) {
    std::uint64_t suppressed = 0;
    if (!log_throttle_.admit(SteadyClock::now(), suppressed)) return;
    spdlog::warn("refused a connection from {}: {}{}{}", decision.peer_address, decision.reason,
                 decision.client_key.empty() ? "" : " (key " + decision.client_key + ")",
                 suppressed == 0 ? ""
                                 : "; " + std::to_string(suppressed) +
                                       " more refused since the last such line");
}

void ZapHandler::stop() {
    if (!thread_.joinable()) return;
    stopping_.store(true);
    thread_.join();
    socket_.close();
}

}  // namespace sb::bus
