#include "demo_settings.h"

#include <cstdlib>
#include <stdexcept>

#include "process.h"
#include "switchboard/config.h"

namespace sb::testing {
namespace {

DemoSettings read_demo_settings() {
    const std::string path = demo_settings_path();
    const std::string text = read_file(path);
    if (text.empty()) throw std::runtime_error("the demo settings file " + path + " is missing");
    DemoSettings settings;
    for (const auto& [name, value] : Environment::parse_dotenv(text)) settings.all[name] = value;
    const auto value_of = [&](const char* name) {
        const auto found = settings.all.find(name);
        if (found == settings.all.end() || found->second.empty())
            throw std::runtime_error(path + " does not set " + name);
        return found->second;
    };
    settings.spark_token = value_of("SPARK_TOKEN");
    settings.team_id = value_of("SPARK_AGENT_TEAM_ID");
    settings.proxy_email = value_of("SPARK_CUSTOMER_PROXY_EMAIL");
    settings.webhook_secret = value_of("SPARK_WEBHOOK_SECRET");
    settings.tropo_key = value_of("TROPO_KEY");
    settings.twilio_account_sid = value_of("TWILIO_ACCOUNT_SID");
    settings.twilio_auth_token = value_of("TWILIO_AUTH_TOKEN");
    settings.twilio_from_number = value_of("TWILIO_FROM_NUMBER");
    settings.redirect_number = value_of("CUSTOMER_SERVICE_REDIRECT_DN");
    settings.company_number = value_of("SANDBOX_COMPANY_NUMBER");
    settings.company_name = value_of("COMPANY_NAME");
    settings.api_token = value_of("INGRESS_API_TOKEN");
    return settings;
}

}  // namespace

std::string demo_settings_path() {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): getenv races only with setenv, which no test calls
    if (const char* path = std::getenv("SWITCHBOARD_DEMO_ENV")) return path;
    return std::string(SB_SOURCE_DIR) + "/deploy/env.demo";
}

const DemoSettings& demo() {
    static const DemoSettings settings = read_demo_settings();
    return settings;
}

}  // namespace sb::testing
