// router: every decision of Switchboard (DESIGN §2), between the bus and the gateways.
#include <spdlog/spdlog.h>

#include "router_config.h"
#include "router_partition.h"
#include "switchboard/http_edge.h"
#include "switchboard/service.h"

int main() {
    return sb::run_service("router", [](const sb::Environment& env) {
        using namespace sb;
        const CommonConfig config = read_common_config(env, "router", "ROUTER_PORT", 8083);
        const router::Settings settings = router::read_settings(env);
        announce(config, env, router::describe(settings));

        Metrics metrics;
        HttpEdge http(config.service, metrics, kDefaultMaxBodyBytes,
                      /*threads=*/4);  // health, metrics
        router::Readiness readiness([&http](bool ready) { http.set_ready(ready); });
        // A core per owned partition (README, "Partitions and replicas"); one by default.
        const Membership membership(config.data_dir, config.service);
        PartitionedRunner partitions(runner_options(config), membership,
                                     [&](const partitions::Place& place) {
                                         return std::make_unique<router::RouterPartition>(
                                             config, settings, metrics, place, readiness);
                                     });
        partitions.register_metrics(metrics);
        http.start(config.http_host, config.http_port);
        partitions.start();
        readiness.refresh();
        spdlog::info(
            "running: health on :{}, slot {}, ready after each partition's first "
            "directory sync",
            http.port(), membership.slot());

        return stop_on_shutdown(http, [&] {
            http.stop();        // first: /metrics reads the partitions' gauges
            partitions.stop();  // each: timer, then node; then its lock
        });
    });
}
