#pragma once
// Webex-style identifiers and the crypto the sandbox needs: ids are base64 of
// "ciscospark://us/<KIND>/<uuid>", deliveries are signed with hex HMAC-SHA1.
#include <optional>
#include <string>
#include <string_view>

#include "switchboard/crypto.h"

namespace sb::sandbox::spark {

// A fresh id of `kind` ("ROOM", "PEOPLE", "MESSAGE", "MEMBERSHIP", "TEAM_MEMBERSHIP",
// "WEBHOOK", "ORGANIZATION", ...).
std::string new_webex_id(std::string_view kind);
// The id of a fixed resource: base64 of "ciscospark://us/<kind>/<name>".
std::string webex_id(std::string_view kind, std::string_view name);

std::string base64_encode(std::string_view bytes);     // standard alphabet, no padding
std::string base64url_encode(std::string_view bytes);  // URL-safe, no padding (cursors)
std::optional<std::string> base64url_decode(std::string_view text);

// Lowercase hex HMAC-SHA1 of `body` under `key`, what X-Spark-Signature carries.
using sb::crypto::hmac_sha1_hex;

// "ROUTER_" + a random uuid, like Webex's trackingId.
std::string new_tracking_id();

}  // namespace sb::sandbox::spark
