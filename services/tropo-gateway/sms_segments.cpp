#include "sms_segments.h"

#include <algorithm>
#include <string>

namespace sb::tropo_gateway {
namespace {

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

namespace {

// Whitespace a part may break at (after Smart Encoding most Unicode spaces are ASCII already).
// The no-break spaces (U+00A0, U+2007, U+202F) are not among them: they ask not to break.
bool breakable_space(char32_t c) {
    switch (c) {
        case U' ':
        case U'\n':
        case U'\r':
        case U'\t':
        case U'\v':
        case U'\f':
        case 0x1680:
        case 0x2028:
        case 0x2029:
        case 0x205F:
        case 0x3000:
            return true;
        default:
            return c >= 0x2000 && c <= 0x200A && c != 0x2007;
    }
}

// What a run of characters costs in either encoding, and whether GSM-7 can carry it at all.
struct Cost {
    bool gsm = true;
    size_t septets = 0;
    size_t units = 0;

    void add(char32_t c) {
        const int septet_cost = gsm7_septets(c);
        if (septet_cost == 0) gsm = false;
        septets += static_cast<size_t>(septet_cost);
        units += static_cast<size_t>(ucs2_units(c));
    }
    Cost operator+(const Cost& other) const {
        return {gsm && other.gsm, septets + other.septets, units + other.units};
    }
    bool fits_one_sms() const { return gsm ? septets <= kGsmSmsSeptets : units <= kUcsSmsUnits; }
};

struct Run {
    std::u32string text;
    Cost cost;
};

Cost cost_of(const std::u32string& text) {
    Cost cost;
    for (const char32_t c : text) cost.add(c);
    return cost;
}

std::string to_utf8(const std::u32string& text) {
    std::string out;
    for (const char32_t c : text) append_utf8(out, c);
    return out;
}

class Splitter {
  public:
    void word(const Run& separator, Run word) {
        if (!part_.text.empty()) {
            const Cost joined = part_.cost + separator.cost + word.cost;
            if (joined.fits_one_sms()) {
                part_.text += separator.text;
                part_.text += word.text;
                part_.cost = joined;
                return;
            }
            flush();  // the separator is where this SMS ends
        }
        while (!word.cost.fits_one_sms()) cut(word);
        part_ = std::move(word);
    }
    std::vector<std::string> finish() {
        flush();
        return std::move(parts_);
    }

  private:
    // A word longer than one SMS: its longest first piece that fits becomes a part of its own.
    void cut(Run& word) {
        Cost piece;
        size_t length = 0;
        while (length < word.text.size()) {
            Cost longer = piece;
            longer.add(word.text[length]);
            if (!longer.fits_one_sms()) break;
            piece = longer;
            ++length;
        }
        if (length == 0) length = 1;  // cannot happen (one character always fits); never loop
        parts_.push_back(to_utf8(word.text.substr(0, length)));
        word.text.erase(0, length);
        word.cost = cost_of(word.text);
    }
    void flush() {
        if (!part_.text.empty()) parts_.push_back(to_utf8(part_.text));
        part_ = Run{};
    }

    Run part_;
    std::vector<std::string> parts_;
};

}  // namespace

SmsSegments split_sms(std::string_view utf8) {
    const std::vector<char32_t> characters = decode_utf8(utf8);
    Splitter splitter;
    Run separator;
    Run word;
    for (const char32_t c : characters) {
        if (breakable_space(c)) {
            if (!word.text.empty()) {
                splitter.word(separator, std::move(word));
                word = Run{};
                separator = Run{};
            }
            separator.text += c;
            separator.cost.add(c);
        } else {
            word.text += c;
            word.cost.add(c);
        }
    }
    if (!word.text.empty()) splitter.word(separator, std::move(word));
    return SmsSegments{splitter.finish()};
}

SmsEncoding sms_encoding(std::string_view utf8) {
    Cost cost;
    for (const char32_t c : decode_utf8(utf8)) cost.add(c);
    return cost.gsm ? SmsEncoding::gsm7 : SmsEncoding::ucs2;
}

size_t sms_size(std::string_view utf8) {
    Cost cost;
    for (const char32_t c : decode_utf8(utf8)) cost.add(c);
    return cost.gsm ? cost.septets : cost.units;
}

}  // namespace sb::tropo_gateway
