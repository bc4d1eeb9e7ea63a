#pragma once
#include <string_view>

namespace sb::web {

// True when `authorization` is "Bearer <expected>". Compares SHA-256 digests in constant time,
// so neither the token's bytes nor its length show in the timing.
bool bearer_token_matches(std::string_view authorization, std::string_view expected);

}  // namespace sb::web
