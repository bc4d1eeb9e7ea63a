#include "twilio_signature.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <optional>

#include "switchboard/crypto.h"
#include "switchboard/form_urlencoded.h"
#include "switchboard/text.h"

namespace sb::twilio_gateway {
namespace {

std::string sha256_hex(std::string_view body) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest);
    return hex_lower(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

// The string Twilio signs. `distinct`: a repeated name's equal values count once (the SDKs);
// otherwise every value is kept, as a literal reading of Twilio's docs would.
std::string signed_data(std::string_view url, const TwilioParams& params, bool distinct) {
    std::string data(url);
    for (auto it = params.begin(); it != params.end();) {
        const auto range = params.equal_range(it->first);
        std::vector<std::string_view> values;
        for (auto value = range.first; value != range.second; ++value) {
            values.push_back(value->second);
        }
        std::sort(values.begin(), values.end());
        if (distinct) values.erase(std::unique(values.begin(), values.end()), values.end());
        for (const std::string_view value : values) {
            data += it->first;
            data += value;
        }
        it = range.second;
    }
    return data;
}

bool has_repeated_value(const TwilioParams& params) {
    for (auto it = params.begin(); it != params.end(); ++it) {
        for (auto next = std::next(it); next != params.end() && next->first == it->first; ++next) {
            if (next->second == it->second) return true;
        }
    }
    return false;
}

struct SplitUrl {
    std::string scheme;  // "https"
    std::string host;    // without user info or port
    std::string port;    // "" when none
    std::string rest;    // path, query and fragment, "" or starting with '/', '?' or '#'
};

std::optional<SplitUrl> split_url(std::string_view url) {
    const std::size_t scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return std::nullopt;
    SplitUrl split;
    split.scheme = to_lower(url.substr(0, scheme_end));
    std::string_view after = url.substr(scheme_end + 3);
    const std::size_t authority_end = after.find_first_of("/?#");
    std::string_view authority = after.substr(0, authority_end);
    split.rest = authority_end == std::string_view::npos ? "" : after.substr(authority_end);
    const std::size_t at = authority.rfind('@');
    if (at != std::string_view::npos) authority = authority.substr(at + 1);
    const std::size_t colon = authority.rfind(':');
    const std::size_t bracket = authority.rfind(']');  // an IPv6 literal's colons are no port
    if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
        split.port = authority.substr(colon + 1);
        authority = authority.substr(0, colon);
    }
    split.host = authority;
    return split;
}

std::string join(const SplitUrl& url, const std::string& port) {
    return url.scheme + "://" + url.host + (port.empty() ? "" : ":" + port) + url.rest;
}

// The value of query parameter `name` in `url`, percent-decoded; nothing when absent.
std::optional<std::string> query_parameter(std::string_view url, std::string_view name) {
    const std::size_t question = url.find('?');
    if (question == std::string_view::npos) return std::nullopt;
    std::string_view query = url.substr(question + 1);
    query = query.substr(0, query.find('#'));
    const form::Decoded decoded = form::decode_pairs(query, 1000);
    if (!decoded.pairs) return std::nullopt;
    for (const auto& [key, value] : *decoded.pairs) {
        if (key == name) return value;
    }
    return std::nullopt;
}

}  // namespace

std::string twilio_signature(std::string_view auth_token, std::string_view url,
                             const TwilioParams& params) {
    return crypto::hmac_sha1_base64(auth_token, signed_data(url, params, true));
}

std::vector<std::string> signed_url_forms(std::string_view url) {
    std::vector<std::string> forms{std::string(url)};
    const auto split = split_url(url);
    if (!split) return forms;
    const std::string without = join(*split, "");
    const std::string default_port = split->scheme == "https"  ? "443"
                                     : split->scheme == "http" ? "80"
                                                               : "";
    const std::string with =
        split->port.empty() ? join(*split, default_port) : join(*split, split->port);
    for (const std::string& form : {without, with}) {
        if (std::find(forms.begin(), forms.end(), form) == forms.end()) forms.push_back(form);
    }
    return forms;
}

bool valid_twilio_signature(std::string_view auth_token, std::string_view url,
                            const TwilioParams& params, std::string_view signature) {
    if (signature.empty() || auth_token.empty()) return false;
    const bool both_readings = has_repeated_value(params);
    bool valid = false;
    for (const std::string& form : signed_url_forms(url)) {
        // Every form is computed and compared, so the time taken says nothing about which one
        // (if any) matched.
        valid |= crypto::constant_time_equals(
            crypto::hmac_sha1_base64(auth_token, signed_data(form, params, true)), signature);
        if (both_readings) {
            valid |= crypto::constant_time_equals(
                crypto::hmac_sha1_base64(auth_token, signed_data(form, params, false)), signature);
        }
    }
    return valid;
}

bool valid_twilio_json_signature(std::string_view auth_token, std::string_view url,
                                 std::string_view body, std::string_view signature) {
    const auto body_hash = query_parameter(url, "bodySHA256");
    if (!body_hash) return false;
    const bool body_matches = crypto::constant_time_equals(to_lower(*body_hash), sha256_hex(body));
    return valid_twilio_signature(auth_token, url, {}, signature) && body_matches;
}

}  // namespace sb::twilio_gateway
