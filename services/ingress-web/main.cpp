// ingress-web: the company's website, contact form and JSON API. Turns what customers send into
// CustomerMessage events on the bus.
#include <spdlog/spdlog.h>

#include "settings.h"
#include "switchboard/delivery.h"
#include "switchboard/http_edge.h"
#include "switchboard/service.h"
#include "web_routes.h"

int main() {
    return sb::run_service("ingress-web", [](const sb::Environment& env) {
        using namespace sb;
        const CommonConfig config =
            read_common_config(env, "ingress-web", "INGRESS_WEB_PORT", 8080);
        web::Settings settings = web::read_settings(env, config.http_host);
        announce(config, env, settings.described());
        if (!settings.csrf_secret_configured) {
            spdlog::warn(
                "CSRF_SECRET is unset: a random one is used (loopback only), so open contact "
                "forms stop working when this process restarts and no second process accepts "
                "them");
        }

        const bool api_on = !settings.api_token.empty();
        if (!api_on) {
            spdlog::warn("INGRESS_API_TOKEN is unset: the JSON API is off (it answers 404)");
        }

        Metrics metrics;
        // The journal of the slot this replica leases (README, "Partitions and replicas"): a
        // recreated replica takes a free slot back and re-sends what it left unacknowledged.
        const Membership membership(config.data_dir, config.service);
        delivery::Node node(intake_delivery_options(config, membership));
        node.register_metrics(metrics);
        HttpEdge http(config.service, metrics, settings.max_body_bytes);
        web::IngressWeb site(std::move(settings), metrics, node, config.instance);
        site.register_routes(http.server());
        http.start(config.http_host, config.http_port);
        node.start();
        http.set_ready(true);
        spdlog::info("ready: website on {}:{}, JSON API {}", config.http_host, http.port(),
                     api_on ? "on (bearer token required)" : "off");

        return stop_on_shutdown(http, [&] {
            http.stop();
            node.stop();
        });
    });
}
