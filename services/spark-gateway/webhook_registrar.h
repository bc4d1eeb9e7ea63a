#pragma once
// Keeps exactly one messages/created webhook pointing at us, with our secret and "active":
// at start-up, then every SPARK_WEBHOOK_CHECK_SECONDS (Webex deactivates webhooks after failed
// deliveries and never redelivers, and anyone with the token may delete ours, so a dead webhook
// must be noticed and revived; what was posted meanwhile is then caught up, see catch_up.h).
#include <string>

#include "switchboard/api_client.h"
#include "switchboard/metrics.h"

namespace sb::spark_gateway {

inline constexpr const char* kWebhookName = "switchboard spark-gateway";

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
    // as planned. Never logs the secret.
    WebhookCheck ensure();

  private:
    ApiClient& api_;
    Metrics& metrics_;
    std::string target_;
    std::string secret_;
};

}  // namespace sb::spark_gateway
