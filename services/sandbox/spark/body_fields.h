#pragma once
// Field readers for request bodies that never throw: a missing or mistyped field reads as the
// fallback, so a rule checks what it got instead of catching.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace sb::sandbox::spark {

std::string string_field(const nlohmann::json& body, const char* name);
std::optional<long long> int_field(const nlohmann::json& body, const char* name);
bool bool_field(const nlohmann::json& body, const char* name);

}  // namespace sb::sandbox::spark
