// twilio-gateway: Twilio's webhooks in (SMS/MMS, calls), SMS out through Twilio's REST API.
#include <spdlog/spdlog.h>

#include "gateway_config.h"
#include "media_store.h"
#include "signed_requests.h"
#include "sms_partition.h"
#include "status_callbacks.h"
#include "switchboard/http_edge.h"
#include "switchboard/service.h"
#include "webhook_routes.h"

int main() {
    return sb::run_service("twilio-gateway", [](const sb::Environment& env) {
        using namespace sb;
        using namespace sb::twilio_gateway;
        const GatewayConfig config = read_gateway_config(env);
        announce(config.common, env, config.settings());

        Metrics metrics;
        // Intake on every replica, in the journal of the slot it leases (README, "Partitions and
        // replicas"): webhooks, status callbacks, call decisions' replies.
        const Membership membership(config.common.data_dir, config.common.service);
        delivery::Node intake(intake_delivery_options(config.common, membership));
        intake.register_metrics(metrics);
        SignedRequests signed_requests(config, metrics);  // every Twilio route's door
        MediaStore media(MediaStore::dir_for(config.common.data_dir),
                         std::chrono::hours(24) * config.media_keep_days);
        WebhookRoutes webhooks(config, intake, metrics, signed_requests, media);
        HttpEdge http(config.common.service, metrics, kMaxWebhookBytes);
        webhooks.register_routes(http.server());
        StatusCallbacks status_callbacks(
            signed_requests,
            [&](delivery::Transaction transaction) { intake.commit(std::move(transaction)); },
            metrics);
        status_callbacks.register_routes(http.server());
        intake.on_reply([&](const Envelope& reply) { webhooks.on_reply(reply); });
        // Out: SendSms on the owned partitions' sms.send through Messages.json.
        PartitionedRunner partitions(
            runner_options(config.common), membership, [&](const partitions::Place& place) {
                return std::make_unique<SmsPartition>(config, metrics, place);
            });
        partitions.register_metrics(metrics);

        intake.start();
        webhooks.restore();  // the node's memory is complete once start() has returned
        status_callbacks.restore(intake.memory());
        partitions.start();
        http.start(config.common.http_host, config.common.http_port);
        http.set_ready(true);
        spdlog::info("ready: Twilio webhooks on :{} under {}, Twilio API {}, slot {}", http.port(),
                     config.public_base_url, config.api_url, membership.slot());

        return stop_on_shutdown(http, [&] {
            webhooks.stop();
            http.stop();
            partitions.stop();  // each: sender stopped, its sends cut short and left pending
            intake.stop();
        });
    });
}
