#pragma once
// Twilio's side of a webhook, written in the test from PROVIDERS.md with OpenSSL directly (not
// the product's code): the form body as Twilio sends it, and its X-Twilio-Signature.
#include <string>
#include <utility>
#include <vector>

namespace sb::testing {

using FormParams = std::vector<std::pair<std::string, std::string>>;

// name=value&… with RFC 3986 percent-encoding, in the given order.
std::string form_body(const FormParams& params);

// Standard base64 (for HTTP Basic in the test's fake Twilio).
std::string base64_of(const std::string& bytes);

// base64(HMAC-SHA1(token, url + each name+value sorted by name, then value)).
std::string twilio_sign(const std::string& token, const std::string& url, const FormParams& params);

}  // namespace sb::testing
