#include "request_body.h"

namespace sb::sandbox::tropo {

using json = nlohmann::json;

std::optional<json> body_object(const httplib::Request& request) {
    if (request.body.empty()) return json::object();
    json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) return std::nullopt;
    return body;
}

std::string string_or(const json& object, const char* name, const std::string& fallback) {
    const auto found = object.find(name);
    return found != object.end() && found->is_string() ? found->get<std::string>() : fallback;
}

}  // namespace sb::sandbox::tropo
