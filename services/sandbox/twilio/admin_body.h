#pragma once
// Reading the JSON body of an admin request without throwing.
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace sb::sandbox::twilio {

// The body as a JSON object; an empty body is an empty object; anything else is nothing.
std::optional<nlohmann::json> admin_body(const httplib::Request& request);

// A string field, or `fallback` when it is missing or not a string.
std::string string_field(const nlohmann::json& object, const char* name,
                         const std::string& fallback);

// JSON text that never throws: bytes that are not UTF-8 (a hostile Body, a broken application's
// answer) become U+FFFD instead of failing the answer.
std::string dump_json(const nlohmann::json& value);

}  // namespace sb::sandbox::twilio
