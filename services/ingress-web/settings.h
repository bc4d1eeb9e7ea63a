#pragma once
// ingress-web's own settings, read once at start-up (the common ones are in CommonConfig).
#include <chrono>
#include <string>
#include <vector>

#include "contact_form.h"
#include "ip_address.h"
#include "switchboard/config.h"

namespace sb::web {

// INGRESS_MAX_BODY_BYTES may not go below this: every submission within the form's documented
// limits, in any script, must fit.
inline constexpr std::size_t kMinBodyBytes = 32 * 1024;
static_assert(kMinBodyBytes >= kLargestValidFormBytes);

struct Site {
    std::string company_name;  // COMPANY_NAME
    std::string sms_number;    // COMPANY_SMS_NUMBER, else SANDBOX_COMPANY_NUMBER: "text us"
    std::string call_number;   // CUSTOMER_SERVICE_REDIRECT_DN: "call us"; empty hides it
};

struct Settings {
    Site site;
    std::string api_token;    // INGRESS_API_TOKEN; empty: the JSON API is off (404)
    std::string csrf_secret;  // CSRF_SECRET; random per start when unset (loopback only)
    bool csrf_secret_configured = false;
    TrustedProxies trusted_proxies = TrustedProxies::loopback();  // TRUSTED_PROXIES
    std::chrono::seconds csrf_lifetime{2 * 60 * 60};              // INGRESS_CSRF_LIFETIME_SECONDS
    int rate_burst = 5;                                           // INGRESS_RATE_LIMIT_BURST
    std::chrono::seconds rate_refill{30};    // INGRESS_RATE_LIMIT_REFILL_SECONDS
    std::size_t max_body_bytes = 64 * 1024;  // INGRESS_MAX_BODY_BYTES

    std::vector<Setting> described() const;  // for the start-up log, secrets redacted
};

// CSRF_SECRET's shortest value: 32 characters (`openssl rand -hex 32` makes 64).
inline constexpr std::size_t kMinCsrfSecret = 32;

// Whether CSRF_SECRET must be set: when ingress-web listens where other machines reach it
// (HTTP_HOST not loopback: a container, a pod, a host behind a balancer), it may be one of
// several replicas, each of which must accept the forms the others rendered, and a restart must
// not break the forms open in browsers. Only a process on loopback (scripts/run, the tests) may
// make up its own.
bool csrf_secret_required(std::string_view http_host);

// Throws ConfigError naming the variable when a value is malformed. `http_host` is
// CommonConfig's (HTTP_HOST, default 127.0.0.1).
Settings read_settings(const Environment& env, std::string_view http_host = "127.0.0.1");

}  // namespace sb::web
