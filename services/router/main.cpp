// router: every decision of Switchboard (DESIGN §2), between the bus and the gateways.
#include <spdlog/spdlog.h>

#include "router_config.h"
#include "router_service.h"
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
        router::RouterService router(config, settings, metrics);
        router.on_ready([&http](bool ready) { http.set_ready(ready); });
        http.start(config.http_host, config.http_port);
        router.start();
        spdlog::info("running: health on :{}, ready after the first directory sync", http.port());

        return stop_on_shutdown(http, [&] {
            router.stop();
            http.stop();
        });
    });
}
