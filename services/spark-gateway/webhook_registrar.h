#pragma once
// Keeps exactly one messages/created and one messages/deleted webhook (undo send) pointing at us,
// with our secret and "active":
// at start-up, then every SPARK_WEBHOOK_CHECK_SECONDS (Webex deactivates webhooks after failed
// deliveries and never redelivers, and anyone with the token may delete ours, so a dead webhook
// must be noticed and revived; what was posted meanwhile is then caught up, see catch_up.h).
#include <nlohmann/json.hpp>
#include <string>

#include "switchboard/api_client.h"
#include "switchboard/metrics.h"

namespace sb::spark_gateway {

inline constexpr const char* kWebhookName = "switchboard spark-gateway";
// The messages events we subscribe to, each its own webhook under kWebhookName.
inline constexpr const char* kWebhookEvents[] = {"created", "deleted"};

struct WebhookCheck {
    bool healthy = false;  // afterwards exactly one active webhook of ours exists
    // Ours was missing, inactive, pointed elsewhere or had another secret, and a create or an
    // update was attempted: deliveries since the last check may never have reached us.
    bool revived = false;
};

class WebhookRegistrar {
  public:
    WebhookRegistrar(ApiClient& api, Metrics& metrics, std::string target, std::string secret);
    // One pass: one GET /webhooks (while there are at most 100), then create / update / delete
    // as planned, for each of kWebhookEvents. Never logs the secret.
    WebhookCheck ensure();

  private:
    WebhookCheck ensure_one(const nlohmann::json& items, const std::string& event);

    ApiClient& api_;
    Metrics& metrics_;
    std::string target_;
    std::string secret_;
};

}  // namespace sb::spark_gateway
