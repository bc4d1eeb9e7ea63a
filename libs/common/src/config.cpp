#include "switchboard/config.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "switchboard/api_client.h"
#include "switchboard/bus_security.h"
#include "switchboard/text.h"

extern char** environ;

namespace sb {
namespace {

std::optional<long> parse_long(const std::string& text) {
    if (text.empty()) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    const long value = std::strtol(text.c_str(), &end, 10);
    if (errno != 0 || end == nullptr || *end != '\0') return std::nullopt;
    return value;
}

}  // namespace

Environment::Environment(std::map<std::string, std::string, std::less<>> values)
    : values_(std::move(values)) {}

std::map<std::string, std::string, std::less<>> Environment::parse_dotenv(std::string_view text) {
    std::map<std::string, std::string, std::less<>> values;
    std::istringstream lines{std::string(text)};
    std::string line;
    while (std::getline(lines, line)) {
        std::string content(trim(line));
        if (content.empty() || content[0] == '#') continue;
        if (content.rfind("export ", 0) == 0)
            content = std::string(trim(std::string_view(content).substr(7)));
        const auto equals = content.find('=');
        if (equals == std::string::npos) continue;
        std::string name(trim(std::string_view(content).substr(0, equals)));
        std::string value(trim(std::string_view(content).substr(equals + 1)));
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
            value.back() == value.front()) {
            value = value.substr(1, value.size() - 2);
        } else if (const auto comment = value.find(" #"); comment != std::string::npos) {
            value = std::string(trim(std::string_view(value).substr(0, comment)));
        }
        if (!name.empty()) values[name] = value;
    }
    return values;
}

Environment Environment::from_process(const std::string& dotenv_path) {
    std::map<std::string, std::string, std::less<>> values;
    if (std::ifstream file{dotenv_path}; file) {
        std::stringstream content;
        content << file.rdbuf();
        values = parse_dotenv(content.str());
    }
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view pair{*entry};
        const auto equals = pair.find('=');
        if (equals == std::string_view::npos) continue;
        values[std::string(pair.substr(0, equals))] = std::string(pair.substr(equals + 1));
    }
    return Environment{std::move(values)};
}

std::optional<std::string> Environment::get(std::string_view name) const {
    const auto found = values_.find(name);
    if (found == values_.end() || found->second.empty()) return std::nullopt;
    return found->second;
}

bool Environment::is_set(std::string_view name) const {
    return values_.find(name) != values_.end();
}

std::string Environment::require(std::string_view name) const {
    if (auto value = get(name)) return *value;
    throw ConfigError(std::string(name) + " is required but not set");
}

std::string Environment::get_or(std::string_view name, std::string_view fallback) const {
    return get(name).value_or(std::string(fallback));
}

int Environment::int_or(std::string_view name, int fallback, int min, int max) const {
    const auto text = get(name);
    if (!text) return fallback;
    const auto value = parse_long(*text);
    if (!value || *value < min || *value > max) {
        throw ConfigError(std::string(name) + " must be a whole number from " +
                          std::to_string(min) + " to " + std::to_string(max) + ", not '" + *text +
                          "'");
    }
    return static_cast<int>(*value);
}

int Environment::port_or(std::string_view name, int fallback) const {
    return int_or(name, fallback, 0, 65535);
}

bool Environment::flag_or(std::string_view name, bool fallback) const {
    const auto text = get(name);
    if (!text) return fallback;
    if (*text == "true" || *text == "1" || *text == "yes") return true;
    if (*text == "false" || *text == "0" || *text == "no") return false;
    throw ConfigError(std::string(name) + " must be true or false, not '" + *text + "'");
}

std::string Environment::url_or(std::string_view name, std::string_view fallback) const {
    std::string url = get_or(name, fallback);
    if (!BaseUrl::parse(url)) {
        throw ConfigError(std::string(name) + " must be an http(s) URL such as " +
                          std::string(fallback) + ", not '" + url + "'");
    }
    return url;
}

std::string describe_settings(const std::vector<Setting>& settings) {
    std::string line;
    for (const Setting& setting : settings) {
        if (!line.empty()) line += ' ';
        line += setting.name + '=';
        if (setting.secret) {
            line += setting.value.empty() ? "<unset>" : "<set>";
        } else {
            line += setting.value.empty() ? "<unset>" : setting.value;
        }
    }
    return line;
}

std::vector<Setting> CommonConfig::settings() const {
    std::vector<Setting> all{{"INSTANCE_ID", instance},
                             {"DATA_DIR", data_dir},
                             {"PARTITIONS", std::to_string(partitions)},
                             {"BUS_PUBLISH_ENDPOINT", bus_publish},
                             {"BUS_SUBSCRIBE_ENDPOINT", bus_subscribe},
                             {"HTTP_HOST", http_host},
                             {port_variable, std::to_string(http_port)}};
    const auto security =
        service == "bus" ? bus_security::describe(bus_server) : bus_security::describe(bus_client);
    all.insert(all.end(), security.begin(), security.end());
    return all;
}

CommonConfig read_common_config(const Environment& env, std::string service,
                                std::string_view port_variable, int default_port) {
    CommonConfig config;
    config.instance = env.get_or("INSTANCE_ID", service);
    if (config.instance == "@hostname") {
        // Replicas started from one definition (docker-compose --scale) need distinct ids;
        // a container's hostname is unique and survives its restarts.
        char host[256] = {};
        ::gethostname(host, sizeof host - 1);
        config.instance = service + "-" + host;
    }
    config.service = std::move(service);
    config.data_dir = env.get_or("DATA_DIR", "./var");
    // Every service must be given the same value: producers and consumers split topics by it.
    config.partitions = static_cast<std::uint32_t>(env.int_or("PARTITIONS", 1, 1, 256));
    config.bus_publish = env.get_or("BUS_PUBLISH_ENDPOINT", "tcp://127.0.0.1:5550");
    config.bus_subscribe = env.get_or("BUS_SUBSCRIBE_ENDPOINT", "tcp://127.0.0.1:5551");
    config.http_host = env.get_or("HTTP_HOST", "127.0.0.1");
    config.port_variable = std::string(port_variable);
    config.http_port = env.port_or(port_variable, default_port);
    config.log_level = read_log_level(env);
    for (const char c : config.instance) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                             (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        if (!allowed) throw ConfigError("INSTANCE_ID may hold only letters, digits, '-', '_', '.'");
    }
    if (config.service == "bus") {
        config.bus_server = bus_security::read_server_keys(env);
        // Plaintext only where nobody else can connect: a bus bound to every interface without
        // keys is the hole this closes, so it takes an explicit BUS_ALLOW_PLAINTEXT=true.
        for (const auto& [name, endpoint] :
             {std::pair{"BUS_PUBLISH_ENDPOINT", config.bus_publish},
              std::pair{"BUS_SUBSCRIBE_ENDPOINT", config.bus_subscribe}}) {
            if (!config.bus_server && !bus_security::is_loopback_endpoint(endpoint) &&
                !env.flag_or("BUS_ALLOW_PLAINTEXT", false)) {
                throw ConfigError(std::string("BUS_SERVER_SECRET_KEY is required: ") + name + "=" +
                                  endpoint +
                                  " is reachable from other hosts; generate keys with `bus "
                                  "--generate-keys` (or set BUS_ALLOW_PLAINTEXT=true)");
            }
        }
    } else {
        config.bus_client = bus_security::read_client_keys(env);
    }
    return config;
}

}  // namespace sb
