#pragma once
// X-Twilio-Signature as Twilio computes it (and twilio-python's RequestValidator checks it):
// base64 of HMAC-SHA1, keyed with the auth token, of the full URL (scheme through query string)
// followed by every POST parameter's name and value, sorted by name in byte order (a repeated
// name: each of its values, sorted), with no separators. A GET signs the URL alone.
#include <optional>
#include <string>
#include <string_view>

#include "form.h"

namespace sb::sandbox::twilio {

// What is signed: the URL, then the sorted parameters.
std::string signed_text(std::string_view url, const Params& params);
std::string twilio_signature(std::string_view auth_token, std::string_view url,
                             const Params& params);

// Standard base64; padding optional; nothing for any other character or a bad length.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace sb::sandbox::twilio
