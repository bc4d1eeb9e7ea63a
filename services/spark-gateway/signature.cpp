#include "signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cctype>

namespace sb::spark_gateway {

std::string hmac_sha1_hex(std::string_view key, std::string_view body) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        hex += kHex[digest[i] >> 4];
        hex += kHex[digest[i] & 0xF];
    }
    return hex;
}

bool signature_matches(std::string_view secret, std::string_view body, std::string_view header) {
    if (secret.empty()) return false;
    const std::string expected = hmac_sha1_hex(secret, body);
    if (header.size() != expected.size()) return false;  // the length is public: 40 hex digits
    std::string given(header);
    for (char& c : given) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

}  // namespace sb::spark_gateway
