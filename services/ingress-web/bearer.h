#pragma once
#include <string_view>

namespace sb::web {

// True when `authorization` is "Bearer <expected>". Compares SHA-256 digests in constant time,
// so neither the token's bytes nor its length show in the timing.
bool bearer_token_matches(std::string_view authorization, std::string_view expected);

// Who may use the JSON API. It posts into any customer's room as that customer and opens rooms
// (with a welcome SMS) for any number, so it is closed unless a token is configured.
enum class ApiAccess {
    allowed,       // the configured token was presented
    disabled,      // no token configured: the API is off (404, as if it did not exist)
    unauthorized,  // a token is configured and this request did not carry it (401)
};
ApiAccess api_access(std::string_view authorization, std::string_view configured_token);

}  // namespace sb::web
