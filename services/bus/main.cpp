// bus: the ZeroMQ XSUB/XPUB proxy every service connects to.
//   bus                   runs the bus (settings from the environment / .env)
//   bus --generate-keys   prints fresh CURVE keys as .env lines for the bus and the services
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>
#include <string_view>

#include "bus_proxy.h"
#include "handshake_monitor.h"
#include "switchboard/bus_security.h"
#include "switchboard/http_edge.h"
#include "switchboard/service.h"
#include "zap_handler.h"

namespace {

int generate_keys() {
    using namespace sb::bus_security;
    std::cout << generated_env_lines(generate_key_pair(), generate_key_pair());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 2 && std::string_view(argv[1]) == "--generate-keys") return generate_keys();
    if (argc > 1) {
        std::cerr << "usage: bus [--generate-keys]\n";
        return 2;
    }
    return sb::run_service("bus", [](const sb::Environment& env) {
        using namespace sb;
        const CommonConfig config = read_common_config(env, "bus", "BUS_PORT", 8084);
        announce(config, env);
        if (!config.bus_server) {
            spdlog::warn("no bus keys: any process that reaches {} may publish and subscribe",
                         config.bus_publish);
        }

        zmq::context_t context(1);
        Metrics metrics;
        // The ZAP handler is bound before the proxy's sockets, and outlives them: a CURVE
        // socket with no handler bound lets every client in.
        std::unique_ptr<bus::ZapHandler> zap;
        if (config.bus_server) {
            zap = std::make_unique<bus::ZapHandler>(context, *config.bus_server, metrics);
            zap->start();
        }
        bus::BusProxy proxy(context, config.bus_publish, config.bus_subscribe, config.bus_server);
        std::unique_ptr<bus::HandshakeMonitor> monitor;
        if (config.bus_server) {
            monitor = std::make_unique<bus::HandshakeMonitor>(context, proxy.sockets(), metrics);
            monitor->start();
        }
        metrics.gauge("bus_messages_forwarded_total", "Messages that crossed the bus",
                      [&] { return static_cast<double>(proxy.forwarded()); });
        HttpEdge http(config.service, metrics, kDefaultMaxBodyBytes,
                      /*threads=*/4);  // health, metrics
        http.start(config.http_host, config.http_port);
        proxy.start();
        http.set_ready(true);
        spdlog::info("ready: publishers connect to {}, subscribers to {}, health on :{}",
                     proxy.publish_endpoint(), proxy.subscribe_endpoint(), http.port());

        return stop_on_shutdown(http, [&] {
            proxy.stop();
            if (monitor) monitor->stop();
            if (zap) zap->stop();
            http.stop();
        });
    });
}
