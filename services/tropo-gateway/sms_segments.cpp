#include "sms_segments.h"

#include <algorithm>

namespace sb::tropo_gateway {
namespace {

constexpr size_t kGsmSingle = 160;
constexpr size_t kGsmPart = 153;  // 7 septets go to the concatenation header
constexpr size_t kUcsSingle = 70;
constexpr size_t kUcsPart = 67;
constexpr char32_t kReplacement = 0xFFFD;

// GSM 03.38 basic table, outside printable ASCII.
constexpr char32_t kGsmBasicExtra[] = {
    U'\n',  U'\r',  0x00A3, 0x00A5, 0x00E8, 0x00E9, 0x00F9, 0x00EC, 0x00F2, 0x00C7, 0x00D8,
    0x00F8, 0x00C5, 0x00E5, 0x0394, 0x03A6, 0x0393, 0x039B, 0x03A9, 0x03A0, 0x03A8, 0x03A3,
    0x0398, 0x039E, 0x00C6, 0x00E6, 0x00DF, 0x00C9, 0x00A4, 0x00A1, 0x00C4, 0x00D6, 0x00D1,
    0x00DC, 0x00A7, 0x00BF, 0x00E4, 0x00F6, 0x00F1, 0x00FC, 0x00E0};
// GSM 03.38 extension table: sent as ESC + character, two septets.
constexpr char32_t kGsmExtension[] = {U'\f', U'^', U'{', U'}', U'\\',
                                      U'[',  U'~', U']', U'|', 0x20AC};

std::vector<char32_t> decode_utf8(std::string_view text) {
    std::vector<char32_t> out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        int length = 0;
        char32_t value = 0;
        char32_t minimum = 0;
        if (lead < 0x80) {
            out.push_back(lead);
            ++i;
            continue;
        } else if ((lead & 0xE0) == 0xC0) {
            length = 2, value = lead & 0x1F, minimum = 0x80;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3, value = lead & 0x0F, minimum = 0x800;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4, value = lead & 0x07, minimum = 0x10000;
        } else {
            out.push_back(kReplacement);
            ++i;
            continue;
        }
        bool ok = i + static_cast<size_t>(length) <= text.size();
        for (int k = 1; ok && k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + static_cast<size_t>(k)]);
            if ((next & 0xC0) != 0x80)
                ok = false;
            else
                value = (value << 6) | (next & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not characters.
        if (!ok || value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
            out.push_back(kReplacement);
            ++i;
            continue;
        }
        out.push_back(value);
        i += static_cast<size_t>(length);
    }
    return out;
}

void append_utf8(std::string& out, char32_t value) {
    if (value < 0x80) {
        out += static_cast<char>(value);
    } else if (value < 0x800) {
        out += static_cast<char>(0xC0 | (value >> 6));
        out += static_cast<char>(0x80 | (value & 0x3F));
    } else if (value < 0x10000) {
        out += static_cast<char>(0xE0 | (value >> 12));
        out += static_cast<char>(0x80 | ((value >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (value & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (value >> 18));
        out += static_cast<char>(0x80 | ((value >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((value >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (value & 0x3F));
    }
}

}  // namespace

int gsm7_septets(char32_t c) {
    if (std::find(std::begin(kGsmExtension), std::end(kGsmExtension), c) !=
        std::end(kGsmExtension)) {
        return 2;
    }
    if (c >= 0x20 && c <= 0x7E) return c == U'`' ? 0 : 1;  // the rest of ASCII is handled above
    if (std::find(std::begin(kGsmBasicExtra), std::end(kGsmBasicExtra), c) !=
        std::end(kGsmBasicExtra)) {
        return 1;
    }
    return 0;
}

int ucs2_units(char32_t c) {
    return c >= 0x10000 ? 2 : 1;
}

SmsSegments split_sms(std::string_view utf8) {
    const std::vector<char32_t> characters = decode_utf8(utf8);
    SmsSegments result;
    if (characters.empty()) return result;

    const bool gsm = std::all_of(characters.begin(), characters.end(),
                                 [](char32_t c) { return gsm7_septets(c) > 0; });
    result.encoding = gsm ? SmsEncoding::gsm7 : SmsEncoding::ucs2;
    const auto cost = [gsm](char32_t c) {
        return static_cast<size_t>(gsm ? gsm7_septets(c) : ucs2_units(c));
    };
    size_t total = 0;
    for (const char32_t c : characters) total += cost(c);
    const size_t single = gsm ? kGsmSingle : kUcsSingle;
    const size_t per_part = total <= single ? single : (gsm ? kGsmPart : kUcsPart);

    // Greedy: a character whose cost does not fit in what is left of a part (an escape pair,
    // a surrogate pair) opens the next part whole.
    std::string part;
    size_t used = 0;
    for (const char32_t c : characters) {
        const size_t units = cost(c);
        if (used + units > per_part) {
            result.parts.push_back(std::move(part));
            part.clear();
            used = 0;
        }
        append_utf8(part, c);
        used += units;
    }
    result.parts.push_back(std::move(part));
    return result;
}

}  // namespace sb::tropo_gateway
