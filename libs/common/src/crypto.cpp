#include "switchboard/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <climits>
#include <stdexcept>
#include <vector>

#include "switchboard/text.h"

namespace sb::crypto {
namespace {

std::string to_hex(const unsigned char* bytes, std::size_t size) {
    return hex_lower({reinterpret_cast<const char*>(bytes), size});
}

std::string hmac_hex(const EVP_MD* algorithm, std::string_view key, std::string_view body) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    // HMAC() takes the key length as int; a key that large is a caller's bug, not a secret.
    if (key.size() > static_cast<std::size_t>(INT_MAX))
        throw std::length_error("HMAC key too long");
    if (HMAC(algorithm, key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac,
             &length) == nullptr) {
        throw std::runtime_error("HMAC failed");
    }
    return to_hex(mac, length);
}

}  // namespace

std::string hmac_sha1_hex(std::string_view key, std::string_view body) {
    return hmac_hex(EVP_sha1(), key, body);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view body) {
    return hmac_hex(EVP_sha256(), key, body);
}

bool constant_time_equals(std::string_view a, std::string_view b) {
    unsigned char a_digest[SHA256_DIGEST_LENGTH];
    unsigned char b_digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(a.data()), a.size(), a_digest);
    SHA256(reinterpret_cast<const unsigned char*>(b.data()), b.size(), b_digest);
    return CRYPTO_memcmp(a_digest, b_digest, SHA256_DIGEST_LENGTH) == 0;
}

std::string random_hex(std::size_t bytes) {
    std::vector<unsigned char> buffer(bytes);
    if (bytes > static_cast<std::size_t>(INT_MAX) ||
        RAND_bytes(buffer.data(), static_cast<int>(bytes)) != 1) {
        throw std::runtime_error("no randomness available");
    }
    return to_hex(buffer.data(), bytes);
}

}  // namespace sb::crypto
