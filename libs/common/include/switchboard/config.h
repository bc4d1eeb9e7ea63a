#pragma once
// Configuration from the environment (and an optional .env file), read once at start-up.
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "switchboard/bus_keys.h"

namespace sb {

// Thrown when a setting is missing or malformed; the message names the variable.
struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Environment {
  public:
    using Values = std::map<std::string, std::string, std::less<>>;
    explicit Environment(Values values);

    // The process environment, over the values of `dotenv_path` when that file exists
    // (a variable set in the process wins, like docker-compose's env_file).
    static Environment from_process(const std::string& dotenv_path = ".env");
    // Parses KEY=VALUE lines; '#' starts a comment; values may be single- or double-quoted.
    static std::map<std::string, std::string, std::less<>> parse_dotenv(std::string_view text);

    std::optional<std::string> get(std::string_view name) const;
    // Present at all, even empty (get() takes empty as unset): for a setting whose empty value
    // means "off" rather than "the default".
    bool is_set(std::string_view name) const;
    std::string require(std::string_view name) const;
    std::string get_or(std::string_view name, std::string_view fallback) const;
    int port_or(std::string_view name, int fallback) const;
    int int_or(std::string_view name, int fallback, int min, int max) const;
    bool flag_or(std::string_view name, bool fallback) const;
    // An http(s)://host[:port][/prefix] URL, checked as ApiClient will parse it, so a typo stops
    // the service at start-up rather than failing every request later.
    std::string url_or(std::string_view name, std::string_view fallback) const;
    // A required phone number, returned in E.164; anything libphonenumber cannot read as a
    // possible number stops the service with a message naming the variable.
    std::string phone_number(std::string_view name) const;
    // The same, optional: unset or empty gives "".
    std::string phone_number_or(std::string_view name, std::string_view fallback) const;

  private:
    std::map<std::string, std::string, std::less<>> values_;
};

// One line of the start-up log; secrets print as "<set>" or "<unset>", never their value.
struct Setting {
    std::string name;
    std::string value;
    bool secret = false;
};
std::string describe_settings(const std::vector<Setting>& settings);

// What every service reads, whatever else it needs.
struct CommonConfig {
    std::string service;
    std::string instance;       // INSTANCE_ID, default the service name
    std::string data_dir;       // DATA_DIR
    std::string log_level;      // LOG_LEVEL, checked: see read_log_level
    std::string bus_publish;    // BUS_PUBLISH_ENDPOINT (the bus's XSUB)
    std::string bus_subscribe;  // BUS_SUBSCRIBE_ENDPOINT (the bus's XPUB)
    std::string http_host;      // HTTP_HOST, default 127.0.0.1
    std::string port_variable;  // e.g. ROUTER_PORT
    int http_port = 0;
    // PARTITIONS (README, "Partitions and replicas"): the same in every service.
    std::uint32_t partitions = 1;
    // CURVE on the bus (bus_security.h): the bus reads the server side, every other service the
    // client side; nullopt is plaintext.
    std::optional<bus_security::ClientKeys> bus_client;
    std::optional<bus_security::ServerKeys> bus_server;

    std::vector<Setting> settings() const;
};
// LOG_LEVEL: trace|debug|info|warn|error|critical|off in any case, default info; anything else
// is a ConfigError naming LOG_LEVEL (a typo must not silence the service).
std::string read_log_level(const Environment& env);

CommonConfig read_common_config(const Environment& env, std::string service,
                                std::string_view port_variable, int default_port);

}  // namespace sb
