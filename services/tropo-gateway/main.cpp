// tropo-gateway: Tropo WebAPI sessions in (SMS, calls), SMS out through the Session API.
#include <spdlog/spdlog.h>

#include "gateway_config.h"
#include "sms_partition.h"
#include "switchboard/http_edge.h"
#include "switchboard/service.h"
#include "webhook.h"

int main() {
    return sb::run_service("tropo-gateway", [](const sb::Environment& env) {
        using namespace sb;
        using namespace sb::tropo_gateway;
        const GatewayConfig config = read_gateway_config(env);
        announce(config.common, env, config.settings());

        Metrics metrics;
        // Intake in the journal of the slot this replica leases (README, "Partitions and
        // replicas"); SMS out from the partitions it owns.
        const Membership membership(config.common.data_dir, config.common.service);
        delivery::Node intake(intake_delivery_options(config.common, membership));
        intake.register_metrics(metrics);
        LaunchConfirmations confirmations;  // the webhook tells the senders what was sent
        Webhook webhook(config, intake, metrics, confirmations);
        intake.on_reply([&](const Envelope& reply) { webhook.on_reply(reply); });
        PartitionedRunner partitions(
            runner_options(config.common), membership, [&](const partitions::Place& place) {
                return std::make_unique<SmsPartition>(config, metrics, place, confirmations);
            });
        partitions.register_metrics(metrics);

        HttpEdge http(config.common.service, metrics, kMaxSessionBytes);
        webhook.register_routes(http.server());
        intake.start();
        partitions.start();
        http.start(config.common.http_host, config.common.http_port);
        http.set_ready(true);
        spdlog::info("ready: webhook on :{}{}, Tropo API {}, slot {}", http.port(), kWebhookPath,
                     config.tropo_api_url, membership.slot());

        return stop_on_shutdown(http, [&] {
            webhook.stop();
            partitions.stop();  // each: senders stopped, sends cut short and left pending
            http.stop();
            intake.stop();
        });
    });
}
