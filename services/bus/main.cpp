// bus: the ZeroMQ XSUB/XPUB proxy every service connects to.
#include <spdlog/spdlog.h>

#include "bus_proxy.h"
#include "switchboard/config.h"
#include "switchboard/http_edge.h"
#include "switchboard/logging.h"
#include "switchboard/shutdown.h"

int main() {
    using namespace sb;
    shutdown::install_signal_handlers();
    try {
        const Environment env = Environment::from_process();
        const CommonConfig config = read_common_config(env, "bus", "BUS_PORT", 8084);
        logging::init(config.service, config.instance, env.get_or("LOG_LEVEL", "info"));
        spdlog::info("starting: {}", describe_settings(config.settings()));

        zmq::context_t context(1);
        bus::BusProxy proxy(context, config.bus_publish, config.bus_subscribe);
        Metrics metrics;
        metrics.gauge("bus_messages_forwarded_total", "Messages that crossed the bus",
                      [&] { return static_cast<double>(proxy.forwarded()); });
        HttpEdge http("bus", metrics);
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
    } catch (const ConfigError& error) {
        spdlog::error("configuration: {}", error.what());
        return 2;
    } catch (const std::exception& error) {
        spdlog::error("fatal: {}", error.what());
        return 1;
    }
}
