#include "body_fields.h"

namespace sb::sandbox::spark {

using json = nlohmann::json;

namespace {

// The field's value, or null when the body is no object or has no such field. (Through
// contains() and at(): GCC's -Wnull-dereference sees through find()'s iterator here.)
const json* field(const json& body, const char* name) {
    if (!body.is_object() || !body.contains(name)) return nullptr;
    return &body.at(name);
}

}  // namespace

std::string string_field(const json& body, const char* name) {
    const json* value = field(body, name);
    if (!value || !value->is_string()) return {};
    return value->get<std::string>();
}

std::optional<long long> int_field(const json& body, const char* name) {
    const json* value = field(body, name);
    if (!value || !value->is_number_integer()) return std::nullopt;
    return value->get<long long>();
}

bool bool_field(const json& body, const char* name) {
    const json* value = field(body, name);
    return value && value->is_boolean() && value->get<bool>();
}

}  // namespace sb::sandbox::spark
