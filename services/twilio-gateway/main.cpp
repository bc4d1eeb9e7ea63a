// twilio-gateway: Twilio's webhooks in (SMS/MMS, calls), SMS out through Twilio's REST API.
#include <spdlog/spdlog.h>

#include "gateway_config.h"
#include "media_store.h"
#include "signed_requests.h"
#include "sms_sender.h"
#include "status_callbacks.h"
#include "switchboard/api_client.h"
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
        delivery::Node node(delivery_options(config.common, {std::string(topics::sms_to_send)}));
        node.register_metrics(metrics);
        SignedRequests signed_requests(config, metrics);  // every Twilio route's door
        MediaStore media(MediaStore::dir_for(config.common.data_dir),
                         std::chrono::hours(24) * config.media_keep_days);
        WebhookRoutes webhooks(config, node, metrics, signed_requests, media);
        HttpEdge http(config.common.service, metrics, kMaxWebhookBytes);
        webhooks.register_routes(http.server());
        // Out: SendSms on sms.send through Messages.json; status callbacks become reports.
        // One attempt per call: the sender retries itself, without a last attempt (send_backoff.h).
        RetryPolicy one_attempt;
        one_attempt.max_attempts = 1;
        one_attempt.read_timeout = std::chrono::seconds(15);
        ApiClient twilio_api(config.api_url,
                             BasicAuth{config.basic_user(), config.basic_password()}, "twilio",
                             &metrics, one_attempt);
        const auto commit = [&](delivery::Transaction transaction) {
            node.commit(std::move(transaction));
        };
        SmsSender sender(
            SenderSettings{config.account_sid, config.from_number, config.messaging_service_sid,
                           config.public_base_url},
            [&](const std::string& target, const FormParams& form) {
                return twilio_api.post_form(target, form);
            },
            commit, metrics);
        node.on_event([&](const delivery::Inbound& inbound, delivery::Transaction& transaction) {
            sender.handle(inbound, transaction);
        });
        StatusCallbacks status_callbacks(signed_requests, commit, metrics);
        status_callbacks.register_routes(http.server());
        node.on_reply([&](const Envelope& reply) { webhooks.on_reply(reply); });

        node.start();
        webhooks.restore();             // the node's memory is complete once start() has returned
        sender.restore(node.memory());  // the sends wait for it
        status_callbacks.restore(node.memory());
        http.start(config.common.http_host, config.common.http_port);
        http.set_ready(true);
        spdlog::info("ready: Twilio webhooks on :{} under {}, Twilio API {}", http.port(),
                     config.public_base_url, config.api_url);

        return stop_on_shutdown(http, [&] {
            webhooks.stop();
            sender.stop();
            twilio_api.cancel();  // cuts the sends in progress short; they stay pending
            sender.join();        // before node.stop(): the senders commit through the node
            http.stop();
            node.stop();
        });
    });
}
