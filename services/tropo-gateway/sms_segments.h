#pragma once
// Splitting a text into the SMS a phone reassembles: GSM-7 (160 septets alone, 153 per part) when
// every character is in the GSM 03.38 alphabet, else UCS-2 (70 units alone, 67 per part).
#include <string>
#include <string_view>
#include <vector>

namespace sb::tropo_gateway {

enum class SmsEncoding { gsm7, ucs2 };

struct SmsSegments {
    SmsEncoding encoding = SmsEncoding::gsm7;
    std::vector<std::string> parts;  // UTF-8, in order; empty for an empty text
};

// Works on UTF-8; a malformed byte is taken as U+FFFD (which forces UCS-2). An escape-table
// character (GSM-7) or a surrogate pair (UCS-2) always stays whole within one part.
SmsSegments split_sms(std::string_view utf8);

// Cost of one code point: GSM-7 septets (0 when not in GSM-7) and UCS-2 units.
int gsm7_septets(char32_t code_point);
int ucs2_units(char32_t code_point);

}  // namespace sb::tropo_gateway
