// The text of an SMS to send (an agent's message, after markdown_to_plain) split into the parts
// a phone reassembles. Arbitrary bytes: the split must keep every character, in order, and no
// part may cost more than its encoding allows.
#include "sms_segments.h"

#include <vector>

#include "fuzz_check.h"

using namespace sb::tropo_gateway;

namespace {

// The parts are UTF-8 the splitter wrote itself, so a plain decoder is enough to cost them.
std::vector<char32_t> code_points(const std::string& utf8) {
    std::vector<char32_t> out;
    for (std::size_t i = 0; i < utf8.size();) {
        const auto lead = static_cast<unsigned char>(utf8[i]);
        const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        FUZZ_CHECK(i + length <= utf8.size());
        char32_t value = length == 1   ? lead
                         : length == 2 ? lead & 0x1F
                         : length == 3 ? lead & 0x0F
                                       : lead & 0x07;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(utf8[i + k]);
            FUZZ_CHECK((next & 0xC0) == 0x80);
            value = (value << 6) | (next & 0x3F);
        }
        out.push_back(value);
        i += length;
    }
    return out;
}

bool is_ascii_without_controls(std::string_view text) {
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte > 0x7E || c == '`') return false;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = sb::fuzz::as_text(data, size);
    const SmsSegments segments = split_sms(text);
    if (text.empty()) {
        FUZZ_CHECK(segments.parts.empty());
        return 0;
    }
    FUZZ_CHECK(!segments.parts.empty());
    const bool gsm = segments.encoding == SmsEncoding::gsm7;
    const std::size_t single = gsm ? 160 : 70;
    const std::size_t per_part = segments.parts.size() == 1 ? single : (gsm ? 153 : 67);

    std::string joined;
    std::size_t characters = 0;
    for (const std::string& part : segments.parts) {
        FUZZ_CHECK(!part.empty());
        std::size_t cost = 0;
        for (const char32_t c : code_points(part)) {
            if (gsm) FUZZ_CHECK(gsm7_septets(c) > 0);
            cost += static_cast<std::size_t>(gsm ? gsm7_septets(c) : ucs2_units(c));
            ++characters;
        }
        FUZZ_CHECK(cost <= per_part);
        joined += part;
    }
    FUZZ_CHECK(characters >= 1);
    // Printable ASCII is GSM-7 and comes back byte for byte; so does any text that was UTF-8.
    if (is_ascii_without_controls(text)) {
        FUZZ_CHECK(gsm);
        FUZZ_CHECK(joined == text);
    }
    if (joined.size() == text.size()) FUZZ_CHECK(joined == text);
    return 0;
}
