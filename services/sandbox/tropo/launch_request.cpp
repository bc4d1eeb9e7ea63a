#include "launch_request.h"

#include <nlohmann/json.hpp>

namespace sb::sandbox::tropo {

LaunchRequest read_launch_request(const httplib::Request& request) {
    LaunchRequest launch;
    constexpr size_t kMaxParameters = 64;
    constexpr size_t kMaxValueBytes = 16 * 1024;
    // Query string (and a form-encoded body: httplib parses both into params).
    for (const auto& [name, value] : request.params) launch.parameters[name] = value;

    const std::string type = request.get_header_value("Content-Type");
    if (request.method == "POST" && type.find("application/json") != std::string::npos) {
        const auto body = nlohmann::json::parse(request.body, nullptr, false);
        if (body.is_discarded() || !body.is_object()) {
            launch.error = "the body is not a JSON object";
            return launch;
        }
        for (const auto& [name, value] : body.items()) {
            launch.parameters[name] = value.is_string() ? value.get<std::string>()
                                      : value.is_null() ? std::string()
                                                        : value.dump();
        }
    }
    if (launch.parameters.size() > kMaxParameters) launch.error = "too many parameters";
    for (const auto& [name, value] : launch.parameters) {
        if (value.size() > kMaxValueBytes) launch.error = "parameter " + name + " is too long";
    }
    return launch;
}

}  // namespace sb::sandbox::tropo
