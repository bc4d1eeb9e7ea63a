#pragma once
// POST /api/customer_room_message_post/ (the original lab's API): JSON in, a CustomerMessage or
// a reason out. Pure: no HTTP, no clock (the receive time is passed in).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "switchboard/events.h"

namespace sb::web {

inline constexpr std::size_t kMaxApiTextBytes = 7000;  // Webex refuses messages over ~7,400 bytes
inline constexpr std::size_t kMaxApiFiles = 10;
inline constexpr std::size_t kMaxFileUrlBytes = 2048;

struct ApiValidation {
    std::optional<CustomerMessage> message;
    std::string error;   // for the JSON answer
    std::string reason;  // a short metric label: malformed_json, missing_customer_id, ...
};

// Accepts {"customer_id": "<phone>", "text": ..., "markdown": ..., "files": [urls]}; "message"
// is read as "text" for clients of the lab's first version. Unknown members are ignored.
ApiValidation parse_api_message(std::string_view body, const std::string& received_at);

}  // namespace sb::web
