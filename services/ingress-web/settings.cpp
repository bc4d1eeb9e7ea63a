#include "settings.h"

#include "csrf.h"

namespace sb::web {

namespace {

std::string read_csrf_secret(const Environment& env, std::string_view http_host, bool& configured) {
    if (env.get("INGRESS_CSRF_SECRET")) {
        throw ConfigError("INGRESS_CSRF_SECRET is now called CSRF_SECRET: rename it");
    }
    const auto secret = env.get("CSRF_SECRET");
    configured = secret.has_value();
    if (!secret) {
        if (!csrf_secret_required(http_host)) return random_secret();
        throw ConfigError("CSRF_SECRET is required when HTTP_HOST (" + std::string(http_host) +
                          ") is not loopback: every replica must sign forms with the same "
                          "secret (make one with: openssl rand -hex 32)");
    }
    if (secret->size() < kMinCsrfSecret) {
        throw ConfigError("CSRF_SECRET must be " + std::to_string(kMinCsrfSecret) +
                          " characters or more (make one with: openssl rand -hex 32)");
    }
    return *secret;
}

TrustedProxies read_trusted_proxies(const Environment& env) {
    const auto list = env.get("TRUSTED_PROXIES");
    if (!list) return TrustedProxies::loopback();
    try {
        return TrustedProxies::parse(*list);
    } catch (const std::invalid_argument& error) {
        throw ConfigError(
            std::string("TRUSTED_PROXIES: ") + error.what() +
            "; write CIDR ranges separated by commas, e.g. 10.0.0.0/8,fd00::/8, or none");
    }
}

}  // namespace

bool csrf_secret_required(std::string_view http_host) {
    if (http_host == "localhost") return false;
    const auto address = parse_ip_address(http_host);
    return !address || !is_loopback(*address);
}

Settings read_settings(const Environment& env, std::string_view http_host) {
    Settings settings;
    settings.site.company_name = env.get_or("COMPANY_NAME", "Acme Outfitters");
    if (settings.site.company_name.empty() || settings.site.company_name.size() > 80) {
        throw ConfigError("COMPANY_NAME must hold 1 to 80 characters");
    }
    const std::string sandbox_number = env.get_or("SANDBOX_COMPANY_NUMBER", "+12085550100");
    settings.site.sms_number = env.get("COMPANY_SMS_NUMBER")
                                   ? env.phone_number_or("COMPANY_SMS_NUMBER", "")
                                   : env.phone_number_or("SANDBOX_COMPANY_NUMBER", sandbox_number);
    settings.site.call_number = env.phone_number_or("CUSTOMER_SERVICE_REDIRECT_DN", "");

    // Unset or empty: the JSON API is off. A short token would be guessable, and the API posts
    // as any customer, so it must be as long as the CSRF secret.
    settings.api_token = env.get_or("INGRESS_API_TOKEN", "");
    if (!settings.api_token.empty() && settings.api_token.size() < 16)
        throw ConfigError(
            "INGRESS_API_TOKEN must be 16 characters or more (unset turns the API off)");
    settings.csrf_secret = read_csrf_secret(env, http_host, settings.csrf_secret_configured);
    settings.trusted_proxies = read_trusted_proxies(env);
    settings.csrf_lifetime =
        std::chrono::seconds(env.int_or("INGRESS_CSRF_LIFETIME_SECONDS", 7200, 60, 7 * 86400));
    settings.rate_burst = env.int_or("INGRESS_RATE_LIMIT_BURST", 5, 1, 100000);
    settings.rate_refill =
        std::chrono::seconds(env.int_or("INGRESS_RATE_LIMIT_REFILL_SECONDS", 30, 1, 86400));
    settings.max_body_bytes = static_cast<std::size_t>(env.int_or(
        "INGRESS_MAX_BODY_BYTES", 64 * 1024, static_cast<int>(kMinBodyBytes), 1024 * 1024));
    return settings;
}

std::vector<Setting> Settings::described() const {
    return {
        {"COMPANY_NAME", site.company_name},
        {"COMPANY_SMS_NUMBER", site.sms_number},
        {"CUSTOMER_SERVICE_REDIRECT_DN",
         site.call_number.empty() ? std::string("(none)") : site.call_number},
        {"INGRESS_API_TOKEN", api_token, true},
        {"CSRF_SECRET", csrf_secret_configured ? csrf_secret : std::string{}, true},
        {"TRUSTED_PROXIES", trusted_proxies.text()},
        {"INGRESS_CSRF_LIFETIME_SECONDS", std::to_string(csrf_lifetime.count())},
        {"INGRESS_RATE_LIMIT_BURST", std::to_string(rate_burst)},
        {"INGRESS_RATE_LIMIT_REFILL_SECONDS", std::to_string(rate_refill.count())},
        {"INGRESS_MAX_BODY_BYTES", std::to_string(max_body_bytes)},
    };
}

}  // namespace sb::web
