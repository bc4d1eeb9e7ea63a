#include "router_config.h"

#include "switchboard/phone.h"

namespace sb::router {

Settings read_settings(const Environment& env) {
    Settings settings;
    const std::string redirect = env.require("CUSTOMER_SERVICE_REDIRECT_DN");
    const auto e164 = phone::to_e164(redirect);
    if (!e164) {
        throw ConfigError("CUSTOMER_SERVICE_REDIRECT_DN must be a phone number (E.164), not '" +
                          redirect.substr(0, 40) + "'");
    }
    settings.redirect_dn = *e164;
    settings.proxy_email = env.get_or("SPARK_CUSTOMER_PROXY_EMAIL", "");
    settings.team_id = env.require("SPARK_AGENT_TEAM_ID");
    settings.company_name = env.get_or("COMPANY_NAME", "Switchboard");
    if (settings.company_name.size() > 60) {
        throw ConfigError("COMPANY_NAME must be at most 60 characters (it goes in an SMS)");
    }
    settings.assign_agents = env.flag_or("ROUTER_ASSIGN_AGENTS", true);
    settings.assign_most_idle = env.flag_or("SPARK_TASK_ASSIGN_MOST_IDLE_ACTIVE", true);
    settings.unanswered_after =
        std::chrono::seconds(env.int_or("ROUTER_UNANSWERED_SECONDS", 300, 1, 7 * 86400));
    settings.resync_every =
        std::chrono::seconds(env.int_or("ROUTER_RESYNC_SECONDS", 900, 1, 7 * 86400));
    settings.first_retry = std::chrono::seconds(env.int_or("ROUTER_RETRY_SECONDS", 5, 1, 3600));
    settings.max_retry = std::max(settings.first_retry, std::chrono::seconds(120));
    return settings;
}

std::vector<Setting> describe(const Settings& settings) {
    const auto flag = [](bool value) { return std::string(value ? "true" : "false"); };
    return {{"CUSTOMER_SERVICE_REDIRECT_DN", settings.redirect_dn},
            {"SPARK_CUSTOMER_PROXY_EMAIL", settings.proxy_email},
            {"SPARK_AGENT_TEAM_ID", settings.team_id},
            {"COMPANY_NAME", settings.company_name},
            {"ROUTER_ASSIGN_AGENTS", flag(settings.assign_agents)},
            {"SPARK_TASK_ASSIGN_MOST_IDLE_ACTIVE", flag(settings.assign_most_idle)},
            {"ROUTER_UNANSWERED_SECONDS", std::to_string(settings.unanswered_after.count())},
            {"ROUTER_RESYNC_SECONDS", std::to_string(settings.resync_every.count())},
            {"ROUTER_RETRY_SECONDS", std::to_string(settings.first_retry.count())}};
}

}  // namespace sb::router
