#pragma once
// What every edge needs from cryptography: signing a body and comparing secrets. One copy, on
// OpenSSL, so a fix reaches the gateways, the web ingress and the sandbox at once.
#include <cstddef>
#include <string>
#include <string_view>

namespace sb::crypto {

// Lowercase hex HMAC-SHA1 of `body` under `key`: what Webex's X-Spark-Signature carries.
std::string hmac_sha1_hex(std::string_view key, std::string_view body);

// Standard base64 (RFC 4648, with padding) of HMAC-SHA1 of `body` under `key`: what Twilio's
// X-Twilio-Signature carries.
std::string hmac_sha1_base64(std::string_view key, std::string_view body);

// Standard base64 of `bytes`, with padding (RFC 4648 section 4).
std::string base64(std::string_view bytes);

// Lowercase hex HMAC-SHA256 of `body` under `key`.
std::string hmac_sha256_hex(std::string_view key, std::string_view body);

// True when `a` and `b` hold the same bytes. Both sides are hashed (SHA-256) and the digests
// compared with CRYPTO_memcmp, so the timing shows neither how many leading bytes matched nor
// either length: it serves secrets whose length is private (tokens, keys) and MACs alike.
// Hashing costs two SHA-256 runs, nothing beside an HTTP request.
bool constant_time_equals(std::string_view a, std::string_view b);

// `bytes` bytes from OpenSSL's CSPRNG as lowercase hex (twice as many characters): secrets made
// up on the spot. Throws std::runtime_error when the generator cannot deliver.
std::string random_hex(std::size_t bytes);

}  // namespace sb::crypto
