// bus: the ZeroMQ XSUB/XPUB proxy every service connects to.
#include <spdlog/spdlog.h>

#include "bus_proxy.h"
#include "switchboard/http_edge.h"
#include "switchboard/service.h"
#include "switchboard/shutdown.h"

int main() {
    return sb::run_service("bus", [](const sb::Environment& env) {
        using namespace sb;
        const CommonConfig config = read_common_config(env, "bus", "BUS_PORT", 8084);
        announce(config, env);

        zmq::context_t context(1);
        bus::BusProxy proxy(context, config.bus_publish, config.bus_subscribe);
        Metrics metrics;
        metrics.gauge("bus_messages_forwarded_total", "Messages that crossed the bus",
                      [&] { return static_cast<double>(proxy.forwarded()); });
        HttpEdge http(config.service, metrics, kDefaultMaxBodyBytes, /*threads=*/4);  // health, metrics
        http.start(config.http_host, config.http_port);
        proxy.start();
        http.set_ready(true);
        spdlog::info("ready: publishers connect to {}, subscribers to {}, health on :{}",
                     proxy.publish_endpoint(), proxy.subscribe_endpoint(), http.port());

        shutdown::wait();
        spdlog::info("stopping");
        http.set_ready(false);
        proxy.stop();
        http.stop();
        return 0;
    });
}
