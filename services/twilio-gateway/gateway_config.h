#pragma once
// twilio-gateway's settings, read once at start-up; a bad one stops the service (exit code 2)
// with a message naming it. Secrets (the auth token, the API key secret) are never logged.
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "switchboard/config.h"

namespace sb::twilio_gateway {

struct GatewayConfig {
    CommonConfig common;
    std::string account_sid;  // TWILIO_ACCOUNT_SID: "AC" + 32 hex
    std::string auth_token;   // TWILIO_AUTH_TOKEN: signs every webhook (secret)
    std::string api_url;      // TWILIO_API_URL, e.g. https://api.twilio.com (no /2010-04-01)
    // One of the two says who sends: a single number, or a Messaging Service's pool.
    std::string from_number;            // TWILIO_FROM_NUMBER, E.164
    std::string messaging_service_sid;  // TWILIO_MESSAGING_SERVICE_SID: "MG" + 32 hex
    // An API key for HTTP Basic instead of sid:token (both or neither). Webhooks are still
    // signed with the auth token: Twilio signs with the account's primary token only.
    std::string api_key_sid;     // TWILIO_API_KEY_SID: "SK" + 32 hex
    std::string api_key_secret;  // TWILIO_API_KEY_SECRET (secret)
    // The gateway's public origin (and path prefix, if a proxy adds one), no trailing slash:
    // every signature is checked against it + the request's path and query, and every URL the
    // gateway hands Twilio or Webex starts with it.
    std::string public_base_url;  // PUBLIC_BASE_URL
    std::string redirect_dn;      // CUSTOMER_SERVICE_REDIRECT_DN, E.164: the fallback for calls
    std::chrono::milliseconds call_decision_timeout{1000};  // CALL_DECISION_TIMEOUT_MS
    int dial_timeout_seconds = 20;                          // TWILIO_DIAL_TIMEOUT_SECONDS
    std::size_t media_max_bytes = 5u << 20;                 // TWILIO_MEDIA_MAX_BYTES
    std::chrono::milliseconds media_fetch_timeout{10000};   // TWILIO_MEDIA_TIMEOUT_MS
    int media_keep_days = 7;                                // TWILIO_MEDIA_KEEP_DAYS
    // TWILIO_ANSWERS_KEYWORDS: Twilio's own opt-out handling answers STOP/START/HELP (its
    // default); false when the account turned it off, so the router confirms them itself.
    bool answers_keywords = true;

    // Basic auth for Twilio's REST API and its media: the API key when set, else sid:token.
    std::string basic_user() const;
    std::string basic_password() const;
    // PUBLIC_BASE_URL + path ("/api/twilio/voice/dial/").
    std::string public_url(const std::string& path) const;

    std::vector<Setting> settings() const;  // the service-specific part, secrets redacted
};

GatewayConfig read_gateway_config(const Environment& env);

}  // namespace sb::twilio_gateway
