// The text of an SMS to send (an agent's message, after markdown_to_plain) split into the
// separate SMS Tropo sends. Arbitrary bytes: every part is one whole SMS of its own encoding,
// no part starts or ends with whitespace, the words come back in order, and a part ends inside
// a word only when that word alone is longer than one SMS.
#include "sms_segments.h"

#include <vector>

#include "fuzz_check.h"

using namespace sb::tropo_gateway;

namespace {

bool ascii_space(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f';
}

// Printable ASCII and ASCII whitespace: characters the splitter keeps byte for byte.
bool is_plain_ascii(std::string_view text) {
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (!ascii_space(c) && (byte < 0x20 || byte > 0x7E)) return false;
    }
    return true;
}

size_t limit_of(const std::string& part) {
    return sms_encoding(part) == SmsEncoding::gsm7 ? kGsmSmsSeptets : kUcsSmsUnits;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = sb::fuzz::as_text(data, size);
    const SmsSegments segments = split_sms(text);
    for (const std::string& part : segments.parts) {
        FUZZ_CHECK(!part.empty());
        FUZZ_CHECK(sms_size(part) <= limit_of(part));
        FUZZ_CHECK(!ascii_space(part.front()) && !ascii_space(part.back()));
    }
    if (!is_plain_ascii(text)) return 0;
    // Plain ASCII: walk the text along the parts. Between two parts there is whitespace, unless
    // the first is a cut word filling its SMS.
    bool all_space = true;
    for (const char c : text) all_space = all_space && ascii_space(c);
    FUZZ_CHECK(segments.parts.empty() == all_space);
    size_t at = 0;
    for (const std::string& part : segments.parts) {
        while (at < text.size() && ascii_space(text[at])) ++at;
        FUZZ_CHECK(text.substr(at, part.size()) == part);
        at += part.size();
        if (at < text.size() && !ascii_space(text[at])) {
            bool one_word = true;
            for (const char c : part) one_word = one_word && !ascii_space(c);
            FUZZ_CHECK(one_word);
            FUZZ_CHECK(sms_size(part + text[at]) > limit_of(part + text[at]));
        }
    }
    while (at < text.size() && ascii_space(text[at])) ++at;
    FUZZ_CHECK(at == text.size());
    return 0;
}
