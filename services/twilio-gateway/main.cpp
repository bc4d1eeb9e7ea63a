// twilio-gateway: Twilio's webhooks in (SMS/MMS, calls), SMS out through Twilio's REST API.
#include <spdlog/spdlog.h>

#include "gateway_config.h"
#include "media_store.h"
#include "signed_requests.h"
#include "switchboard/http_edge.h"
#include "switchboard/service.h"
#include "switchboard/topics.h"
#include "webhook_routes.h"

int main() {
    return sb::run_service("twilio-gateway", [](const sb::Environment& env) {
        using namespace sb;
        using namespace sb::twilio_gateway;
        const GatewayConfig config = read_gateway_config(env);
        announce(config.common, env, config.settings());

        Metrics metrics;
        // ---- outbound (sms.send, status callbacks): the topics this instance consumes ----
        std::vector<std::string> consumed;
        // ---- end outbound ----
        delivery::Node node(delivery_options(config.common, consumed));
        node.register_metrics(metrics);
        SignedRequests signed_requests(config, metrics);  // every Twilio route's door
        MediaStore media(MediaStore::dir_for(config.common.data_dir),
                         std::chrono::hours(24) * config.media_keep_days);
        WebhookRoutes webhooks(config, node, metrics, signed_requests, media);
        HttpEdge http(config.common.service, metrics, kMaxWebhookBytes);
        webhooks.register_routes(http.server());
        // ---- outbound: the SMS sender (node.on_event on sms.send) and the status-callback
        // route (POST /api/twilio/sms/status/, through signed_requests) are wired here ----
        // ---- end outbound ----
        node.on_reply([&](const Envelope& reply) { webhooks.on_reply(reply); });

        node.start();
        webhooks.restore();  // the node's memory is complete once start() has returned
        http.start(config.common.http_host, config.common.http_port);
        http.set_ready(true);
        spdlog::info("ready: Twilio webhooks on :{} under {}, Twilio API {}", http.port(),
                     config.public_base_url, config.api_url);

        return stop_on_shutdown(http, [&] {
            webhooks.stop();
            // ---- outbound: stop the sender before node.stop() ----
            // ---- end outbound ----
            http.stop();
            node.stop();
        });
    });
}
