#include "signature.h"

#include "switchboard/text.h"

namespace sb::spark_gateway {

bool signature_matches(std::string_view secret, std::string_view body, std::string_view header) {
    if (secret.empty()) return false;
    return crypto::constant_time_equals(to_lower(header), crypto::hmac_sha1_hex(secret, body));
}

}  // namespace sb::spark_gateway
