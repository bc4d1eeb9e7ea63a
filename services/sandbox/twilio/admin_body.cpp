#include "admin_body.h"

namespace sb::sandbox::twilio {

std::optional<nlohmann::json> admin_body(const httplib::Request& request) {
    if (request.body.empty()) return nlohmann::json::object();
    nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) return std::nullopt;
    return body;
}

std::string string_field(const nlohmann::json& object, const char* name,
                         const std::string& fallback) {
    const auto found = object.find(name);
    return found != object.end() && found->is_string() ? found->get<std::string>() : fallback;
}

std::string dump_json(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace sb::sandbox::twilio
