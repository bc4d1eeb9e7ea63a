#pragma once
// How an agent's text becomes Messages.json calls. Twilio takes up to 1600 characters in one
// call and splits them into SMS segments itself (the phone shows them as one message), so a text
// up to that goes whole, in one call. A longer one is cut into as few messages as possible, each
// within the limit, at whitespace: never inside a word or a URL, unless one word alone is longer
// than the limit, and never inside a character (a UTF-8 sequence, or a surrogate pair as Twilio
// counts). The whitespace at a cut is dropped; everything else is kept as written.
//
// How Twilio counts: its docs give the limit as "1,600 characters", and error 21617's page says
// emoji and other characters "with a higher byte count" count as more than one. Twilio's API
// counts UTF-16 code units (an emoji outside the Basic Multilingual Plane counts 2, as in
// Java's or JavaScript's String.length), which is never fewer than the code points, so counting
// UTF-16 units here keeps every part within the limit under either reading.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sb::twilio_gateway {

inline constexpr std::size_t kMaxBodyChars = 1600;

// The length Twilio counts: UTF-16 code units (a byte that is not valid UTF-8 counts 1).
std::size_t twilio_length(std::string_view text);

// The bodies to send, in order: one (the text as it is) when it fits; none for a text with
// nothing but whitespace in it.
std::vector<std::string> split_long_sms(std::string_view text, std::size_t limit = kMaxBodyChars);

}  // namespace sb::twilio_gateway
