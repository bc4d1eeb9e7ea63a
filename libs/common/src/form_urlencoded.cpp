#include "switchboard/form_urlencoded.h"

namespace sb::form {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Decodes one name or value; false on a '%' not followed by two hex digits.
bool decode_component(std::string_view raw, std::string& out) {
    out.clear();
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%') {
            if (i + 2 >= raw.size()) return false;
            const int high = hex_value(raw[i + 1]);
            const int low = hex_value(raw[i + 2]);
            if (high < 0 || low < 0) return false;
            out += static_cast<char>(high * 16 + low);
            i += 2;
        } else {
            out += c;
        }
    }
    return true;
}

}  // namespace

Decoded decode_pairs(std::string_view body, std::size_t max_pairs) {
    Decoded result;
    Pairs pairs;
    while (!body.empty()) {
        const std::size_t end = body.find('&');
        const std::string_view piece = body.substr(0, end);
        body = end == std::string_view::npos ? std::string_view{} : body.substr(end + 1);
        if (piece.empty()) continue;
        if (pairs.size() >= max_pairs) {
            result.error = "too many form fields";
            return result;
        }
        const std::size_t equals = piece.find('=');
        std::string name;
        std::string value;
        if (!decode_component(piece.substr(0, equals), name) ||
            (equals != std::string_view::npos &&
             !decode_component(piece.substr(equals + 1), value))) {
            result.error = "broken percent-encoding";
            return result;
        }
        pairs.emplace_back(std::move(name), std::move(value));
    }
    result.pairs = std::move(pairs);
    return result;
}

}  // namespace sb::form
