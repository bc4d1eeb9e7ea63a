#include "bearer.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace sb::web {
namespace {

void digest(std::string_view text, unsigned char (&out)[SHA256_DIGEST_LENGTH]) {
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), out);
}

}  // namespace

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
    unsigned char given_digest[SHA256_DIGEST_LENGTH];
    unsigned char expected_digest[SHA256_DIGEST_LENGTH];
    digest(authorization.substr(kScheme.size()), given_digest);
    digest(expected, expected_digest);
    return CRYPTO_memcmp(given_digest, expected_digest, SHA256_DIGEST_LENGTH) == 0;
}

}  // namespace sb::web
