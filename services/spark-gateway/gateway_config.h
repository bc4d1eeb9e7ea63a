#pragma once
// spark-gateway's settings, read once at start-up (DESIGN.md §3).
#include <chrono>
#include <string>
#include <vector>

#include "switchboard/config.h"

namespace sb::spark_gateway {

struct GatewayConfig {
    CommonConfig common;
    std::string token;                     // SPARK_TOKEN (secret)
    std::string api_url;                   // SPARK_API_URL
    std::string team_id;                   // SPARK_AGENT_TEAM_ID
    std::string webhook_secret;            // SPARK_WEBHOOK_SECRET (secret)
    std::string public_base_url;           // PUBLIC_BASE_URL
    std::string proxy_email;               // SPARK_CUSTOMER_PROXY_EMAIL, optional
    int room_title_ttl_seconds = 30;       // SPARK_ROOM_TITLE_TTL_SECONDS
    int webhook_check_seconds = 30;        // SPARK_WEBHOOK_CHECK_SECONDS
    int rooms_page_size = 1000;            // SPARK_ROOMS_PAGE_SIZE
    int workers = 4;                       // SPARK_GATEWAY_WORKERS
    int catch_up_max_age_seconds = 86400;  // SPARK_CATCH_UP_MAX_AGE_SECONDS; 0: no catch-up
    long long file_max_bytes = 5'000'000;  // FILE_MAX_BYTES: Twilio's MMS limit (5 MB)
    double file_link_ttl_hours = 168;      // FILE_LINK_TTL_HOURS: a week to open the link

    std::string webhook_target() const;  // PUBLIC_BASE_URL + /api/spark-webhook/
    std::string files_base() const;      // PUBLIC_BASE_URL + /api/files/ (agents' files)
    std::chrono::seconds file_link_ttl() const;
    std::vector<Setting> settings() const;
};

// Throws ConfigError naming the variable when a required one is missing or malformed.
GatewayConfig read_gateway_config(const Environment& env);

}  // namespace sb::spark_gateway
