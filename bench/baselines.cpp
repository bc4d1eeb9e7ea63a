#include "baselines.h"

#include <httplib.h>

#include <chrono>
#include <stdexcept>
#include <thread>
#include <zmq.hpp>

#include "switchboard/bus_security.h"

namespace sb::bench {

struct BareHttpServer::State {
    httplib::Server server;
    std::thread thread;
};

BareHttpServer::BareHttpServer(bool tcp_nodelay) : state_(new State) {
    state_->server.set_keep_alive_max_count(1000);
    state_->server.set_tcp_nodelay(tcp_nodelay);
    state_->server.Post(
        "/api/tropo-webhook/", [](const httplib::Request&, httplib::Response& response) {
            response.set_content(R"({"tropo":[{"hangup":null}]})", "application/json");
        });
    port_ = state_->server.bind_to_any_port("127.0.0.1");
    state_->thread = std::thread([this] { state_->server.listen_after_bind(); });
    while (!state_->server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

BareHttpServer::~BareHttpServer() {
    state_->server.stop();
    if (state_->thread.joinable()) state_->thread.join();
    delete state_;
}

PubSubResult raw_pubsub(const std::string& publish_endpoint, const std::string& subscribe_endpoint,
                        int events) {
    zmq::context_t context(1);
    zmq::socket_t pub(context, zmq::socket_type::pub);
    zmq::socket_t sub(context, zmq::socket_type::sub);
    // The pipeline's services inherit this process's environment: BUS_* keys there secure them.
    const auto keys = bus_security::read_client_keys(Environment::from_process(""));
    bus_security::secure_client(pub, keys);
    bus_security::secure_client(sub, keys);
    pub.set(zmq::sockopt::sndhwm, 0);
    sub.set(zmq::sockopt::rcvhwm, 0);
    pub.connect(publish_endpoint);
    sub.set(zmq::sockopt::subscribe, "bench.raw");
    sub.set(zmq::sockopt::rcvtimeo, 20);
    sub.connect(subscribe_endpoint);
    // Slow joiner: probe until one probe comes back, so the measured run starts connected.
    zmq::message_t frame;
    for (int attempt = 0;; ++attempt) {
        if (attempt > 500) throw std::runtime_error("no pub/sub path through the bus");
        pub.send(zmq::str_buffer("bench.raw"), zmq::send_flags::sndmore);
        pub.send(zmq::str_buffer("probe"), zmq::send_flags::none);
        if (sub.recv(frame)) {
            (void)sub.recv(frame);
            break;
        }
    }
    sub.set(zmq::sockopt::rcvtimeo, 2000);
    std::vector<double> latencies;
    latencies.reserve(static_cast<size_t>(events));
    int received = 0;
    std::thread receiver([&] {
        zmq::message_t topic, body;
        while (received < events) {
            if (!sub.recv(topic)) break;
            (void)sub.recv(body);
            const std::string text = body.to_string();
            if (text == "probe") continue;
            latencies.push_back(static_cast<double>(wall_us() - std::stoll(text)) / 1000.0);
            ++received;
        }
    });
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < events; ++i) {
        const std::string body = std::to_string(wall_us()) + " " + std::string(180, 'x');
        pub.send(zmq::str_buffer("bench.raw"), zmq::send_flags::sndmore);
        pub.send(zmq::buffer(body), zmq::send_flags::none);
    }
    receiver.join();
    PubSubResult result;
    result.events = received;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.per_second = seconds > 0 ? received / seconds : 0;
    result.latency = summarize(std::move(latencies));
    return result;
}

}  // namespace sb::bench
