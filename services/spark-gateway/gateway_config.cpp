#include "gateway_config.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace sb::spark_gateway {

std::string GatewayConfig::webhook_target() const {
    std::string base = public_base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/api/spark-webhook/";
}

namespace {
std::string ttl_text(double hours) {
    std::string text = std::to_string(hours);
    while (text.size() > 1 && text.back() == '0') text.pop_back();
    if (!text.empty() && text.back() == '.') text.pop_back();
    return text;
}
}  // namespace

std::chrono::seconds GatewayConfig::file_link_ttl() const {
    return std::chrono::seconds(std::max(1LL, std::llround(file_link_ttl_hours * 3600)));
}

std::string GatewayConfig::files_base() const {
    std::string base = public_base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/api/files/";
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
            {"SPARK_CATCH_UP_MAX_AGE_SECONDS", std::to_string(catch_up_max_age_seconds)},
            {"FILE_MAX_BYTES", std::to_string(file_max_bytes)},
            {"FILE_LINK_TTL_HOURS", ttl_text(file_link_ttl_hours)}};
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
    // Agents' files for customers: Twilio takes at most 5 MB per MMS (Tropo sends a link, which
    // has no limit, but one cap for both keeps what a customer gets the same on either carrier);
    // a link lives a week, long enough to open a text read days later, short enough that a
    // forwarded link does not serve the file for ever.
    config.file_max_bytes = env.int_or("FILE_MAX_BYTES", 5'000'000, 1, 100'000'000);
    // A decimal number, so a test can make links that expire in seconds (0.001 h = 3.6 s).
    const std::string ttl = env.get_or("FILE_LINK_TTL_HOURS", "168");
    char* end = nullptr;
    config.file_link_ttl_hours = std::strtod(ttl.c_str(), &end);
    if (ttl.empty() || end != ttl.c_str() + ttl.size() ||
        !std::isfinite(config.file_link_ttl_hours) || config.file_link_ttl_hours < 0.0002 ||
        config.file_link_ttl_hours > 24 * 90) {
        throw ConfigError(
            "FILE_LINK_TTL_HOURS must be a number of hours from 0.0002 to 2160, not \"" + ttl +
            "\"");
    }
    return config;
}

}  // namespace sb::spark_gateway
