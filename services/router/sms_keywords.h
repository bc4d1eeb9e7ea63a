#pragma once
// The opt-out keywords US carriers expect (CTIA; the same list Twilio answers by itself): an
// SMS whose whole text is one of them opts the sender out, back in, or asks for help. Pure.
#include <string_view>

namespace sb::router {

enum class Keyword { none, opt_out, opt_in, help };

// The keyword an inbound SMS is, if any: the whole text, trimmed, in any case. Punctuation at
// the end still counts ("Stop.", "STOP!"): when in doubt, never text someone who asked to
// stop. A keyword inside a longer text ("STOP PLEASE", "please stop") is an ordinary message.
Keyword classify_keyword(std::string_view text);

// Whether the text is the bare word, trimmed, with no punctuation after it: the only form a
// carrier's own keyword handling is known to match (Twilio: "single-word messages").
bool bare_keyword(std::string_view text);

// The word as the customer typed it, trimmed and without the punctuation after it ("Stop").
std::string_view keyword_word(std::string_view text);

}  // namespace sb::router
