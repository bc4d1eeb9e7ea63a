#pragma once
// X-Spark-Signature: lowercase hex HMAC-SHA1 of the raw body under the webhook's secret.
#include <string>
#include <string_view>

#include "switchboard/crypto.h"

namespace sb::spark_gateway {

using sb::crypto::hmac_sha1_hex;

// True when `header` is the signature of exactly `body`. Compared in constant time so a forger
// learns nothing from how long a rejection takes; hex case is ignored.
bool signature_matches(std::string_view secret, std::string_view body, std::string_view header);

}  // namespace sb::spark_gateway
