#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace sb {

// RFC 3339 / ISO 8601 in UTC with milliseconds, e.g. "2026-11-24T08:45:44.123Z".
std::string iso8601(std::chrono::system_clock::time_point when);
std::string iso8601_now();

// Parses the subset of RFC 3339 the providers send ("2013-05-17T15:44:08.724Z",
// "2026-11-24T08:45:44Z", "+00:00" offsets). Nothing on malformed input.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

}  // namespace sb
