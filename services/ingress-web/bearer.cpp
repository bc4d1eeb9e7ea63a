#include "bearer.h"

#include "switchboard/crypto.h"

namespace sb::web {

bool bearer_token_matches(std::string_view authorization, std::string_view expected) {
    constexpr std::string_view kScheme = "Bearer ";
    if (expected.empty() || authorization.size() <= kScheme.size()) return false;
    // The scheme name is case-insensitive (RFC 7235); the token is not.
    for (std::size_t i = 0; i < kScheme.size(); ++i) {
        const char c = authorization[i];
        const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        const char want = (kScheme[i] >= 'A' && kScheme[i] <= 'Z')
                              ? static_cast<char>(kScheme[i] - 'A' + 'a')
                              : kScheme[i];
        if (lower != want) return false;
    }
    return crypto::constant_time_equals(authorization.substr(kScheme.size()), expected);
}

}  // namespace sb::web

namespace sb::web {

ApiAccess api_access(std::string_view authorization, std::string_view configured_token) {
    if (configured_token.empty()) return ApiAccess::disabled;
    return bearer_token_matches(authorization, configured_token) ? ApiAccess::allowed
                                                                 : ApiAccess::unauthorized;
}

}  // namespace sb::web
