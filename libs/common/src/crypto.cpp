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

// The raw MAC.
std::string hmac_bytes(const EVP_MD* algorithm, std::string_view key, std::string_view body) {
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
    return std::string(reinterpret_cast<const char*>(mac), length);
}

std::string hmac_hex(const EVP_MD* algorithm, std::string_view key, std::string_view body) {
    const std::string mac = hmac_bytes(algorithm, key, body);
    return to_hex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
}

}  // namespace

std::string hmac_sha1_hex(std::string_view key, std::string_view body) {
    return hmac_hex(EVP_sha1(), key, body);
}

std::string hmac_sha1_base64(std::string_view key, std::string_view body) {
    return base64(hmac_bytes(EVP_sha1(), key, body));
}

std::string base64(std::string_view bytes) {
    if (bytes.size() > static_cast<std::size_t>(INT_MAX) / 4 * 3) {
        throw std::length_error("base64: input too long");
    }
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                        reinterpret_cast<const unsigned char*>(bytes.data()),
                                        static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(written));
    return out;
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
