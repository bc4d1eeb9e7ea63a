#pragma once
// Keeps exactly one messages/created webhook pointing at us, with our secret and "active":
// at start-up, then every few minutes (Webex deactivates webhooks after failed deliveries and
// never redelivers, so a dead webhook must be noticed and revived).
#include <string>

#include "switchboard/api_client.h"
#include "switchboard/metrics.h"

namespace sb::spark_gateway {

inline constexpr const char* kWebhookName = "switchboard spark-gateway";

class WebhookRegistrar {
public:
    WebhookRegistrar(ApiClient& api, Metrics& metrics, std::string target, std::string secret);
    // One pass: list, then create / update / delete as planned. True when, afterwards, exactly
    // one active webhook of ours exists. Never logs the secret.
    bool ensure();

private:
    ApiClient& api_;
    Metrics& metrics_;
    std::string target_;
    std::string secret_;
};

}  // namespace sb::spark_gateway
