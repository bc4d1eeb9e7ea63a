#pragma once
// The router's one tie-break for "which comes first" (the room a customer keeps, the team's
// general room, the most idle agent): the earlier ISO 8601 time first; an unknown or unreadable
// time after every known one; then the id, so every run chooses the same.
#include <string_view>

#include "switchboard/time_format.h"

namespace sb::router {

inline bool earliest_first(std::string_view time_a, std::string_view id_a, std::string_view time_b,
                           std::string_view id_b) {
    const auto ta = parse_iso8601(time_a);
    const auto tb = parse_iso8601(time_b);
    if (ta && tb && *ta != *tb) return *ta < *tb;
    if (ta.has_value() != tb.has_value()) return ta.has_value();
    return id_a < id_b;
}

}  // namespace sb::router
