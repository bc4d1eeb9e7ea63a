#pragma once
// tropo-gateway's settings, read once at start-up; a bad one stops the service naming it.
#include <chrono>
#include <string>
#include <vector>

#include "switchboard/config.h"

namespace sb::tropo_gateway {

struct GatewayConfig {
    CommonConfig common;
    std::string tropo_key;      // TROPO_KEY: the messaging token sessions are launched with
    std::string tropo_api_url;  // TROPO_API_URL
    std::string redirect_dn;    // CUSTOMER_SERVICE_REDIRECT_DN, E.164
    std::string webhook_token;  // TROPO_WEBHOOK_TOKEN; empty: the webhook URL is open
    std::chrono::milliseconds call_decision_timeout{1000};  // CALL_DECISION_TIMEOUT_MS
    // TROPO_LAUNCH_CONFIRM_MS: how long a launched SMS segment waits for Tropo's session to come
    // back to the webhook before it is launched again
    std::chrono::milliseconds launch_confirm_timeout{3000};

    std::vector<Setting> settings() const;  // the service-specific part, secrets redacted
};

GatewayConfig read_gateway_config(const Environment& env);

}  // namespace sb::tropo_gateway
