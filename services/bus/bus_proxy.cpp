#include "bus_proxy.h"

#include <spdlog/spdlog.h>

#include "switchboard/bus_security.h"
#include "switchboard/ids.h"
#include "switchboard/thread_guard.h"

namespace sb::bus {
namespace {

constexpr int kHighWaterMark = 500000;

}  // namespace

BusProxy::BusProxy(zmq::context_t& context, const std::string& publish_endpoint,
                   const std::string& subscribe_endpoint,
                   const std::optional<bus_security::ServerKeys>& keys)
    : context_(context),
      frontend_(context, zmq::socket_type::xsub),
      backend_(context, zmq::socket_type::xpub) {
    for (zmq::socket_t* socket : {&frontend_, &backend_}) {
        socket->set(zmq::sockopt::linger, 0);
        socket->set(zmq::sockopt::sndhwm, kHighWaterMark);
        socket->set(zmq::sockopt::rcvhwm, kHighWaterMark);
        if (keys) bus_security::secure_server(*socket, *keys);
    }
    frontend_.bind(publish_endpoint);
    backend_.bind(subscribe_endpoint);
    publish_endpoint_ = frontend_.get(zmq::sockopt::last_endpoint);
    subscribe_endpoint_ = backend_.get(zmq::sockopt::last_endpoint);
    const std::string unique = new_id();
    control_endpoint_ = "inproc://bus-control-" + unique;
    capture_endpoint_ = "inproc://bus-capture-" + unique;
}

BusProxy::~BusProxy() {
    try {
        stop();
    } catch (const std::exception& error) {  // a destructor must not throw
        spdlog::error("bus proxy: stopping failed: {}", error.what());
    }
}

void BusProxy::start() {
    // inproc endpoints must be bound before anything connects to them; bind here, hand over.
    auto control = std::make_shared<zmq::socket_t>(context_, zmq::socket_type::pair);
    control->bind(control_endpoint_);
    auto capture = std::make_shared<zmq::socket_t>(context_, zmq::socket_type::push);
    capture->set(zmq::sockopt::sndhwm, kHighWaterMark);
    capture->bind(capture_endpoint_);
    // Either thread failing means the bus no longer forwards (or counts) faithfully: the
    // exception is logged and counted and the service stops cleanly (run_guarded).
    counter_thread_ =
        std::thread([this] { run_guarded("bus counter", [this] { count_captured(); }); });
    proxy_thread_ = std::thread([this, control, capture] {
        run_guarded("bus proxy", [&] {
            try {
                zmq::proxy_steerable(zmq::socket_ref(frontend_), zmq::socket_ref(backend_),
                                     zmq::socket_ref(*capture), zmq::socket_ref(*control));
            } catch (const zmq::error_t& error) {
                if (error.num() != ETERM) throw;
            }
        });
        control->close();
        capture->close();
        frontend_.close();
        backend_.close();
    });
}

void BusProxy::count_captured() {
    zmq::socket_t tap(context_, zmq::socket_type::pull);
    tap.set(zmq::sockopt::rcvhwm, kHighWaterMark);
    tap.set(zmq::sockopt::rcvtimeo, 100);
    tap.set(zmq::sockopt::linger, 0);
    tap.connect(capture_endpoint_);
    zmq::message_t frame;
    while (!stopping_.load()) {
        if (!tap.recv(frame)) continue;  // timeout: look at stopping_ again
        if (!frame.more()) forwarded_.fetch_add(1, std::memory_order_relaxed);
    }
}

void BusProxy::stop() {
    if (!proxy_thread_.joinable()) return;
    {
        zmq::socket_t control(context_, zmq::socket_type::pair);
        control.set(zmq::sockopt::linger, 1000);
        control.connect(control_endpoint_);
        control.send(zmq::str_buffer("TERMINATE"), zmq::send_flags::none);
    }
    proxy_thread_.join();
    stopping_.store(true);
    counter_thread_.join();
}

}  // namespace sb::bus
