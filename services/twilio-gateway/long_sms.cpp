#include "long_sms.h"

namespace sb::twilio_gateway {
namespace {

struct Char {
    std::size_t at = 0;     // byte offset
    std::size_t bytes = 1;  // its UTF-8 length
    std::size_t units = 1;  // its UTF-16 length
    bool space = false;     // a place to cut
};

bool continuation(unsigned char byte) {
    return (byte & 0xC0) == 0x80;
}

// The characters of `text`: a well-formed UTF-8 sequence is one character; a stray byte is one
// character of its own (it is never split from anything, and counts 1).
std::vector<Char> characters(std::string_view text) {
    std::vector<Char> out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = 1;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
        }
        bool whole = i + length <= text.size();
        for (std::size_t k = 1; whole && k < length; ++k) {
            whole = continuation(static_cast<unsigned char>(text[i + k]));
        }
        if (!whole) length = 1;
        Char c;
        c.at = i;
        c.bytes = length;
        c.units = length == 4 ? 2 : 1;  // beyond the BMP: a surrogate pair
        c.space = length == 1 && (lead == ' ' || lead == '\t' || lead == '\n' || lead == '\r' ||
                                  lead == '\f' || lead == '\v');
        out.push_back(c);
        i += length;
    }
    return out;
}

}  // namespace

std::size_t twilio_length(std::string_view text) {
    std::size_t units = 0;
    for (const Char& c : characters(text)) units += c.units;
    return units;
}

std::vector<std::string> split_long_sms(std::string_view text, std::size_t limit) {
    const std::vector<Char> chars = characters(text);
    std::size_t total = 0;
    bool blank = true;
    for (const Char& c : chars) {
        total += c.units;
        blank = blank && c.space;
    }
    if (blank) return {};
    if (total <= limit) return {std::string(text)};
    if (limit < 2) limit = 2;  // room for any one character

    std::vector<std::string> parts;
    const auto slice = [&](std::size_t from, std::size_t to) {  // chars [from, to)
        const std::size_t begin = chars[from].at;
        const std::size_t end = to < chars.size() ? chars[to].at : text.size();
        parts.emplace_back(text.substr(begin, end - begin));
    };
    std::size_t start = 0;
    while (true) {
        while (start < chars.size() && chars[start].space) ++start;  // no part starts blank
        if (start == chars.size()) break;
        // The longest run from `start` that fits; greedy filling gives the fewest parts.
        std::size_t end = start;
        std::size_t units = 0;
        while (end < chars.size() && units + chars[end].units <= limit) units += chars[end++].units;
        if (end == chars.size()) {
            std::size_t last = end;
            while (chars[last - 1].space) --last;
            slice(start, last);
            break;
        }
        // Cut at the last whitespace that leaves something before it, or at `end` when the
        // character that did not fit is whitespace itself.
        std::size_t cut = end;
        if (!chars[end].space) {
            while (cut > start && !chars[cut - 1].space) --cut;
            if (cut == start) cut = end;  // one word longer than the limit: cut inside it
        }
        std::size_t last = cut;
        while (last > start && chars[last - 1].space) --last;
        slice(start, last);
        start = cut;
    }
    return parts;
}

}  // namespace sb::twilio_gateway
