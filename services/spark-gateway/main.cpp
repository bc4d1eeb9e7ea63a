// spark-gateway: Webex webhooks in (AgentMessage out), the router's Spark commands executed.
#include <spdlog/spdlog.h>

#include "gateway_config.h"
#include "spark_gateway.h"
#include "switchboard/http_edge.h"
#include "switchboard/service.h"

int main() {
    return sb::run_service("spark-gateway", [](const sb::Environment& env) {
        using namespace sb;
        const spark_gateway::GatewayConfig config = spark_gateway::read_gateway_config(env);
        announce(config.common, env, config.settings());

        Metrics metrics;
        HttpEdge http(config.common.service, metrics);
        const Membership membership(config.common.data_dir,
                                    config.common.service);  // README, "Partitions and replicas"
        spark_gateway::SparkGateway gateway(config, metrics, http, membership);
        gateway.register_routes(http.server());
        http.start(config.common.http_host, config.common.http_port);
        gateway.start();

        return stop_on_shutdown(http, [&] {
            http.stop();
            gateway.stop();
        });
    });
}
