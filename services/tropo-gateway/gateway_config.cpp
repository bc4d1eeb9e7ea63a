#include "gateway_config.h"

namespace sb::tropo_gateway {

GatewayConfig read_gateway_config(const Environment& env) {
    GatewayConfig config;
    config.common = read_common_config(env, "tropo-gateway", "TROPO_GATEWAY_PORT", 8081);
    config.tropo_key = env.require("TROPO_KEY");
    config.tropo_api_url = env.url_or("TROPO_API_URL", "https://api.tropo.com/1.0");
    config.redirect_dn = env.phone_number("CUSTOMER_SERVICE_REDIRECT_DN");
    config.webhook_token = env.get_or("TROPO_WEBHOOK_TOKEN", "");
    config.call_decision_timeout =
        std::chrono::milliseconds(env.int_or("CALL_DECISION_TIMEOUT_MS", 1000, 50, 10000));
    config.launch_confirm_timeout =
        std::chrono::milliseconds(env.int_or("TROPO_LAUNCH_CONFIRM_MS", 3000, 100, 60000));
    return config;
}

std::vector<Setting> GatewayConfig::settings() const {
    return {{"TROPO_KEY", tropo_key, true},
            {"TROPO_API_URL", tropo_api_url},
            {"CUSTOMER_SERVICE_REDIRECT_DN", redirect_dn},
            {"TROPO_WEBHOOK_TOKEN", webhook_token, true},
            {"CALL_DECISION_TIMEOUT_MS", std::to_string(call_decision_timeout.count())},
            {"TROPO_LAUNCH_CONFIRM_MS", std::to_string(launch_confirm_timeout.count())}};
}

}  // namespace sb::tropo_gateway
