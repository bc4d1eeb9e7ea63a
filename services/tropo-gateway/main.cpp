// tropo-gateway: Tropo WebAPI sessions in (SMS, calls), SMS out through the Session API.
#include <spdlog/spdlog.h>

#include "gateway_config.h"
#include "sms_sender.h"
#include "switchboard/api_client.h"
#include "switchboard/http_edge.h"
#include "switchboard/service.h"
#include "switchboard/topics.h"
#include "webhook.h"

int main() {
    return sb::run_service("tropo-gateway", [](const sb::Environment& env) {
        using namespace sb;
        using namespace sb::tropo_gateway;
        const GatewayConfig config = read_gateway_config(env);
        announce(config.common, env, config.settings());

        Metrics metrics;
        RetryPolicy policy;
        policy.read_timeout = std::chrono::seconds(10);
        ApiClient tropo_api(config.tropo_api_url, /*bearer_token=*/"", "tropo", &metrics, policy);
        delivery::Node node(delivery_options(config.common, {std::string(topics::sms_to_send)}));
        node.register_metrics(metrics);
        LaunchConfirmations confirmations;  // the webhook tells the senders what was sent
        Webhook webhook(config, node, metrics, confirmations);
        SmsProgressStore progress(
            SmsProgressStore::path_for(config.common.data_dir, config.common.instance));
        SmsSender sender(
            config, [&](const std::string& body) { return tropo_api.post_json("/sessions", body); },
            [&](delivery::Transaction transaction) { node.commit(std::move(transaction)); },
            metrics, progress, confirmations);
        node.on_event([&](const delivery::Inbound& inbound, delivery::Transaction& transaction) {
            sender.handle(inbound, transaction);
        });
        node.on_reply([&](const Envelope& reply) { webhook.on_reply(reply); });

        HttpEdge http(config.common.service, metrics, kMaxSessionBytes);
        webhook.register_routes(http.server());
        node.start();
        http.start(config.common.http_host, config.common.http_port);
        http.set_ready(true);
        spdlog::info("ready: webhook on :{}{}, Tropo API {}", http.port(), kWebhookPath,
                     config.tropo_api_url);

        return stop_on_shutdown(http, [&] {
            webhook.stop();
            sender.stop();
            tropo_api.cancel();  // cuts the sends in progress short; they stay pending
            sender.join();       // before node.stop(): the workers commit through the node
            http.stop();
            node.stop();
        });
    });
}
