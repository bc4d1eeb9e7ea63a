#include "signature.h"

#include <algorithm>

#include "switchboard/crypto.h"

namespace sb::sandbox::twilio {
namespace {

int sextet(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

}  // namespace

std::string signed_text(std::string_view url, const Params& params) {
    Params sorted = params;
    // By name, then (for a repeated name) by value: both in byte order.
    std::sort(sorted.begin(), sorted.end());
    std::string text(url);
    for (const auto& [name, value] : sorted) {
        text += name;
        text += value;
    }
    return text;
}

std::string twilio_signature(std::string_view auth_token, std::string_view url,
                             const Params& params) {
    return crypto::hmac_sha1_base64(auth_token, signed_text(url, params));
}

std::optional<std::string> base64_decode(std::string_view text) {
    while (!text.empty() && text.back() == '=') text.remove_suffix(1);
    if (text.size() % 4 == 1) return std::nullopt;
    std::string out;
    out.reserve(text.size() * 3 / 4);
    unsigned buffer = 0;
    int bits = 0;
    for (const char c : text) {
        const int value = sextet(c);
        if (value < 0) return std::nullopt;
        buffer = (buffer << 6) | static_cast<unsigned>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    return out;
}

}  // namespace sb::sandbox::twilio
