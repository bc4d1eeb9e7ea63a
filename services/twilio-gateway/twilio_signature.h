#pragma once
// X-Twilio-Signature, exactly as Twilio computes it (PROVIDERS.md; twilio-python's
// request_validator.py and twilio-node's webhooks.ts agree): base64 of HMAC-SHA1, keyed with the
// account's auth token, over the full URL (scheme through query) followed by every POST
// parameter as name + value, names sorted in byte order, a repeated name's values sorted (the
// SDKs keep each distinct value once). Pure: no I/O, no clock.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sb::twilio_gateway {

// A form body's parameters by name, in byte order; a repeated name keeps every value.
using TwilioParams = std::multimap<std::string, std::string>;

// The signature Twilio sends for a POST of `params` to `url`.
std::string twilio_signature(std::string_view auth_token, std::string_view url,
                             const TwilioParams& params);

// The forms of `url` a valid signature may be computed over: the URL itself, without its port,
// and with the scheme's default port (:443 / :80) when it has none. Twilio keeps the port on SMS
// callbacks and drops it on voice callbacks over HTTPS, so the SDKs accept both; a `user:pass@`
// is dropped, as Twilio drops it before signing.
std::vector<std::string> signed_url_forms(std::string_view url);

// True when `signature` is Twilio's for `params` posted to any form of `url`; compared in
// constant time.
bool valid_twilio_signature(std::string_view auth_token, std::string_view url,
                            const TwilioParams& params, std::string_view signature);

// A JSON body: Twilio puts the body's hex SHA-256 in the URL's `bodySHA256` query parameter and
// signs the URL alone. True when that parameter matches `body` and the signature the URL.
bool valid_twilio_json_signature(std::string_view auth_token, std::string_view url,
                                 std::string_view body, std::string_view signature);

}  // namespace sb::twilio_gateway
