#include "gateway_config.h"

#include <cctype>

namespace sb::twilio_gateway {
namespace {

// Twilio's sids: a two-letter prefix and 32 hex digits.
bool is_sid(const std::string& value, const char* prefix) {
    if (value.size() != 34 || value.compare(0, 2, prefix) != 0) return false;
    for (std::size_t i = 2; i < value.size(); ++i) {
        if (!std::isxdigit(static_cast<unsigned char>(value[i]))) return false;
    }
    return true;
}

std::string sid(const Environment& env, const char* name, const char* prefix, bool required) {
    std::string value = required ? env.require(name) : env.get_or(name, "");
    if (value.empty() && !required) return value;
    if (!is_sid(value, prefix)) {
        throw ConfigError(std::string(name) + " must be '" + prefix +
                          "' followed by 32 hex digits, as Twilio's console shows it");
    }
    return value;
}

}  // namespace

std::string GatewayConfig::basic_user() const {
    return api_key_sid.empty() ? account_sid : api_key_sid;
}

std::string GatewayConfig::basic_password() const {
    return api_key_sid.empty() ? auth_token : api_key_secret;
}

std::string GatewayConfig::public_url(const std::string& path) const {
    return public_base_url + path;
}

GatewayConfig read_gateway_config(const Environment& env) {
    GatewayConfig config;
    config.common = read_common_config(env, "twilio-gateway", "TWILIO_GATEWAY_PORT", 8085);
    config.account_sid = sid(env, "TWILIO_ACCOUNT_SID", "AC", true);
    config.auth_token = env.require("TWILIO_AUTH_TOKEN");
    config.api_url = env.url_or("TWILIO_API_URL", "https://api.twilio.com");
    while (!config.api_url.empty() && config.api_url.back() == '/') config.api_url.pop_back();
    config.from_number = env.phone_number_or("TWILIO_FROM_NUMBER", "");
    config.messaging_service_sid = sid(env, "TWILIO_MESSAGING_SERVICE_SID", "MG", false);
    if (config.from_number.empty() && config.messaging_service_sid.empty()) {
        throw ConfigError(
            "TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID must be set: who sends the SMS");
    }
    config.api_key_sid = sid(env, "TWILIO_API_KEY_SID", "SK", false);
    config.api_key_secret = env.get_or("TWILIO_API_KEY_SECRET", "");
    if (config.api_key_sid.empty() != config.api_key_secret.empty()) {
        throw ConfigError(config.api_key_sid.empty()
                              ? "TWILIO_API_KEY_SID must be set with TWILIO_API_KEY_SECRET"
                              : "TWILIO_API_KEY_SECRET must be set with TWILIO_API_KEY_SID");
    }
    config.public_base_url = env.url_or(
        "PUBLIC_BASE_URL", "http://127.0.0.1:" + std::to_string(config.common.http_port));
    while (!config.public_base_url.empty() && config.public_base_url.back() == '/') {
        config.public_base_url.pop_back();
    }
    if (config.public_base_url.find('?') != std::string::npos ||
        config.public_base_url.find('#') != std::string::npos) {
        throw ConfigError("PUBLIC_BASE_URL must be an origin (and path prefix) without a query");
    }
    config.redirect_dn = env.phone_number("CUSTOMER_SERVICE_REDIRECT_DN");
    config.call_decision_timeout =
        std::chrono::milliseconds(env.int_or("CALL_DECISION_TIMEOUT_MS", 1000, 50, 10000));
    // Twilio accepts 5..600 s for <Dial timeout>.
    config.dial_timeout_seconds = env.int_or("TWILIO_DIAL_TIMEOUT_SECONDS", 20, 5, 600);
    config.media_max_bytes =
        static_cast<std::size_t>(env.int_or("TWILIO_MEDIA_MAX_BYTES", 5 << 20, 1024, 100 << 20));
    config.media_fetch_timeout =
        std::chrono::milliseconds(env.int_or("TWILIO_MEDIA_TIMEOUT_MS", 10000, 100, 60000));
    config.media_keep_days = env.int_or("TWILIO_MEDIA_KEEP_DAYS", 7, 1, 365);
    config.answers_keywords = env.flag_or("TWILIO_ANSWERS_KEYWORDS", true);
    return config;
}

std::vector<Setting> GatewayConfig::settings() const {
    return {{"TWILIO_ACCOUNT_SID", account_sid},
            {"TWILIO_AUTH_TOKEN", auth_token, true},
            {"TWILIO_API_URL", api_url},
            {"TWILIO_FROM_NUMBER", from_number},
            {"TWILIO_MESSAGING_SERVICE_SID", messaging_service_sid},
            {"TWILIO_API_KEY_SID", api_key_sid},
            {"TWILIO_API_KEY_SECRET", api_key_secret, true},
            {"PUBLIC_BASE_URL", public_base_url},
            {"CUSTOMER_SERVICE_REDIRECT_DN", redirect_dn},
            {"CALL_DECISION_TIMEOUT_MS", std::to_string(call_decision_timeout.count())},
            {"TWILIO_DIAL_TIMEOUT_SECONDS", std::to_string(dial_timeout_seconds)},
            {"TWILIO_MEDIA_MAX_BYTES", std::to_string(media_max_bytes)},
            {"TWILIO_MEDIA_TIMEOUT_MS", std::to_string(media_fetch_timeout.count())},
            {"TWILIO_MEDIA_KEEP_DAYS", std::to_string(media_keep_days)},
            {"TWILIO_ANSWERS_KEYWORDS", answers_keywords ? "true" : "false"}};
}

}  // namespace sb::twilio_gateway
