#include "gateway_config.h"

namespace sb::spark_gateway {

std::string GatewayConfig::webhook_target() const {
    std::string base = public_base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/api/spark-webhook/";
}

std::vector<Setting> GatewayConfig::settings() const {
    return {{"SPARK_TOKEN", token, true},
            {"SPARK_API_URL", api_url},
            {"SPARK_AGENT_TEAM_ID", team_id},
            {"SPARK_WEBHOOK_SECRET", webhook_secret, true},
            {"PUBLIC_BASE_URL", public_base_url},
            {"SPARK_CUSTOMER_PROXY_EMAIL", proxy_email},
            {"SPARK_ROOM_TITLE_TTL_SECONDS", std::to_string(room_title_ttl_seconds)},
            {"SPARK_WEBHOOK_CHECK_SECONDS", std::to_string(webhook_check_seconds)},
            {"SPARK_ROOMS_PAGE_SIZE", std::to_string(rooms_page_size)},
            {"SPARK_GATEWAY_WORKERS", std::to_string(workers)},
            {"SPARK_CATCH_UP_MAX_AGE_SECONDS", std::to_string(catch_up_max_age_seconds)}};
}

GatewayConfig read_gateway_config(const Environment& env) {
    GatewayConfig config;
    config.common = read_common_config(env, "spark-gateway", "SPARK_GATEWAY_PORT", 8082);
    config.token = env.require("SPARK_TOKEN");
    config.api_url = env.url_or("SPARK_API_URL", "https://webexapis.com/v1");
    config.team_id = env.require("SPARK_AGENT_TEAM_ID");
    config.webhook_secret = env.require("SPARK_WEBHOOK_SECRET");
    config.public_base_url = env.url_or(
        "PUBLIC_BASE_URL", "http://127.0.0.1:" + std::to_string(config.common.http_port));
    config.proxy_email = env.get_or("SPARK_CUSTOMER_PROXY_EMAIL", "");
    config.room_title_ttl_seconds = env.int_or("SPARK_ROOM_TITLE_TTL_SECONDS", 30, 0, 86400);
    // A webhook deleted or deactivated is noticed within this (one GET /webhooks each time).
    config.webhook_check_seconds = env.int_or("SPARK_WEBHOOK_CHECK_SECONDS", 30, 1, 86400);
    config.rooms_page_size = env.int_or("SPARK_ROOMS_PAGE_SIZE", 1000, 1, 1000);
    config.workers = env.int_or("SPARK_GATEWAY_WORKERS", 4, 1, 64);
    config.catch_up_max_age_seconds =
        env.int_or("SPARK_CATCH_UP_MAX_AGE_SECONDS", 86400, 0, 30 * 86400);
    return config;
}

}  // namespace sb::spark_gateway
