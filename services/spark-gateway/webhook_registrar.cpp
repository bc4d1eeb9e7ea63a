#include "webhook_registrar.h"

#include <spdlog/spdlog.h>

#include "switchboard/text.h"
#include "webex_call.h"
#include "webex_translate.h"

namespace sb::spark_gateway {

WebhookRegistrar::WebhookRegistrar(ApiClient& api, Metrics& metrics, std::string target,
                                   std::string secret)
    : api_(api), metrics_(metrics), target_(std::move(target)), secret_(std::move(secret)) {}

WebhookCheck WebhookRegistrar::ensure() {
    const Listing listing = webex_list_all(api_, "/webhooks?max=100");
    if (listing.failure) {
        spdlog::warn("webhook check: cannot list webhooks: {}", listing.failure->error);
        return {};
    }
    // One webhook per event, from the same listing: what agents write, and what they delete
    // (undo send).
    WebhookCheck check{true, false};
    for (const char* event : kWebhookEvents) {
        const WebhookCheck one = ensure_one(nlohmann::json(listing.items), event);
        check.healthy = check.healthy && one.healthy;
        check.revived = check.revived || one.revived;
    }
    return check;
}

WebhookCheck WebhookRegistrar::ensure_one(const nlohmann::json& items, const std::string& event) {
    const WebhookPlan plan = plan_webhook(items, kWebhookName, target_, secret_, event);
    const auto count = [&](const char* action) {
        metrics_
            .counter("spark_webhook_registrations_total", "Changes made to our Webex webhook",
                     {{"action", action}})
            .add();
    };
    bool healthy = true;
    if (plan.create) {
        const Answer created = webex_post(
            api_, "/webhooks", webhook_create_body(kWebhookName, target_, secret_, event));
        healthy = created.ok();
        spdlog::info("webhook check: created messages/{} webhook -> {}: {}", event, target_,
                     created.ok() ? "ok" : created.error);
        count("created");
    } else if (plan.update) {
        const Answer updated = webex_put(api_, "/webhooks/" + percent_encode(plan.keep_id),
                                         webhook_update_body(kWebhookName, target_, secret_));
        healthy = updated.ok();
        spdlog::info("webhook check: updated/reactivated messages/{} webhook {} -> {}: {}", event,
                     plan.keep_id.substr(0, 16), target_, updated.ok() ? "ok" : updated.error);
        count("updated");
    }
    for (const std::string& id : plan.delete_ids) {
        const Answer deleted = webex_delete(api_, "/webhooks/" + percent_encode(id));
        // 404: someone else removed it already, which is what we wanted.
        if (!deleted.ok() && deleted.status != 404) healthy = false;
        spdlog::info("webhook check: deleted duplicate webhook {}: {}", id.substr(0, 16),
                     deleted.ok() || deleted.status == 404 ? "ok" : deleted.error);
        count("deleted");
    }
    if (plan.noop()) {
        spdlog::debug("webhook check: messages/{} webhook {} is fine", event,
                      plan.keep_id.substr(0, 16));
    }
    return {healthy, plan.create || plan.update};
}

}  // namespace sb::spark_gateway
