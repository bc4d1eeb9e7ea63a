#pragma once
// Splitting a reply into the SMS Tropo sends. Tropo launches one session per part and each part
// leaves as an SMS of its own, with no concatenation header: the phone shows them as separate
// messages, so each must read on its own. A part is therefore at most one whole SMS (160 GSM-7
// septets, or 70 UCS-2 units when a character is outside GSM 03.38; each part has its own
// encoding), and parts break only at whitespace: never inside a word or a URL.
//
// The one exception is a word (a run without whitespace) longer than one SMS by itself: it
// starts a part of its own and is cut at the last character that fits, as many times as needed
// (never inside a GSM-7 escape pair, a surrogate pair or a UTF-8 sequence); what follows its
// last piece continues in that part. The whitespace at a break is dropped (the next SMS does not
// start with a space or a newline); whitespace within a part is kept as written.
#include <string>
#include <string_view>
#include <vector>

namespace sb::tropo_gateway {

enum class SmsEncoding { gsm7, ucs2 };

inline constexpr size_t kGsmSmsSeptets = 160;
inline constexpr size_t kUcsSmsUnits = 70;

struct SmsSegments {
    std::vector<std::string> parts;  // UTF-8, in order; empty for a text of only whitespace
};

// Works on UTF-8; a malformed byte is taken as U+FFFD (which makes its part UCS-2).
SmsSegments split_sms(std::string_view utf8);

// The encoding one SMS of `utf8` needs, and its size in that encoding (septets or units).
SmsEncoding sms_encoding(std::string_view utf8);
size_t sms_size(std::string_view utf8);

// Cost of one code point: GSM-7 septets (0 when not in GSM-7) and UCS-2 units.
int gsm7_septets(char32_t code_point);
int ucs2_units(char32_t code_point);

}  // namespace sb::tropo_gateway
