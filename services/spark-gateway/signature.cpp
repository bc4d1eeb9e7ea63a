#include "signature.h"

#include <cctype>

namespace sb::spark_gateway {

bool signature_matches(std::string_view secret, std::string_view body, std::string_view header) {
    if (secret.empty()) return false;
    std::string given(header);
    for (char& c : given) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return crypto::constant_time_equals(given, crypto::hmac_sha1_hex(secret, body));
}

}  // namespace sb::spark_gateway
