#include "router_config.h"

#include <cctype>
#include <set>
#include <string>

#include "missed_calls.h"
#include "switchboard/phone.h"
#include "switchboard/text.h"
#include "switchboard/undo_send.h"

namespace sb::router {
namespace {

// "US, ca" -> {"CA", "US"}. Every entry must be a country libphonenumber can place numbers in.
std::set<std::string> parse_countries(std::string_view name, const std::string& value) {
    std::set<std::string> countries;
    size_t begin = 0;
    while (begin <= value.size()) {
        size_t end = value.find(',', begin);
        if (end == std::string::npos) end = value.size();
        std::string entry;
        for (size_t i = begin; i < end; ++i) {
            const auto c = static_cast<unsigned char>(value[i]);
            if (!std::isspace(c)) entry += static_cast<char>(std::toupper(c));
        }
        if (!phone::is_country(entry)) {
            throw ConfigError(std::string(name) + " must be a comma-separated list of ISO 3166 " +
                              "alpha-2 country codes (e.g. US,CA); '" + entry.substr(0, 20) +
                              "' is not one");
        }
        countries.insert(entry);
        begin = end + 1;
    }
    return countries;
}

std::string joined(const std::set<std::string>& countries) {
    std::string out;
    for (const std::string& country : countries) out += (out.empty() ? "" : ",") + country;
    return out;
}

size_t utf8_length(std::string_view text) {
    size_t characters = 0;
    for (const char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++characters;
    }
    return characters;
}

// MISSED_CALL_TEXT: unset, the default; set but empty, no text-back; else that text, which must
// be one SMS in GSM-7 at most (160 characters).
std::string read_missed_call_text(const Environment& env, const std::string& company_name) {
    if (!env.is_set("MISSED_CALL_TEXT")) return default_missed_call_text(company_name);
    std::string text = env.get_or("MISSED_CALL_TEXT", "");
    if (!is_valid_utf8(text)) throw ConfigError("MISSED_CALL_TEXT must be UTF-8 text");
    if (utf8_length(text) > 160) {
        throw ConfigError("MISSED_CALL_TEXT must be at most 160 characters (one SMS), or empty");
    }
    return text;
}

}  // namespace

Settings read_settings(const Environment& env) {
    Settings settings;
    settings.redirect_dn = env.phone_number("CUSTOMER_SERVICE_REDIRECT_DN");
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

    // SMS pumping (sms_policy.h): by default a number that never texted us is texted only in
    // the company's own country, the contact center's (the router knows no other number of
    // the company's).
    if (const auto countries = env.get("SMS_ALLOWED_COUNTRIES"); countries && !countries->empty()) {
        settings.sms.allowed_countries = parse_countries("SMS_ALLOWED_COUNTRIES", *countries);
    } else {
        const std::string home = phone::country_of(settings.redirect_dn);
        if (home.empty()) {
            throw ConfigError("SMS_ALLOWED_COUNTRIES must be set: CUSTOMER_SERVICE_REDIRECT_DN " +
                              settings.redirect_dn + " belongs to no single country");
        }
        settings.sms.allowed_countries = {home};
    }
    settings.sms.per_hour =
        static_cast<std::uint32_t>(env.int_or("SMS_UNSOLICITED_PER_HOUR", 60, 0, 1000000));
    settings.missed_call_text = read_missed_call_text(env, settings.company_name);
    settings.undo_window = sms_undo_seconds(env);
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
            {"ROUTER_RETRY_SECONDS", std::to_string(settings.first_retry.count())},
            {"SMS_ALLOWED_COUNTRIES", joined(settings.sms.allowed_countries)},
            {"SMS_UNSOLICITED_PER_HOUR", std::to_string(settings.sms.per_hour)},
            {"MISSED_CALL_TEXT",
             settings.missed_call_text.empty() ? "(off)" : settings.missed_call_text},
            {"SMS_UNDO_SECONDS", std::to_string(settings.undo_window.count())}};
}

}  // namespace sb::router
