#pragma once
// Twilio's default opt-out handling for a long code: a message that is only one of the keywords
// (trimmed, any case) opts the sender out, back in, or asks for help, and Twilio itself answers
// with its standard confirmation. The message is still forwarded to the webhook.
#include <string>
#include <string_view>

namespace sb::sandbox::twilio {

enum class Keyword { none, stop, start, help };

Keyword classify_keyword(std::string_view text);
// Twilio's confirmation SMS for the keyword; empty for none.
std::string keyword_reply(Keyword keyword);
// Advanced Opt-Out's OptOutType parameter: "STOP", "START", "HELP"; empty for none.
std::string opt_out_type(Keyword keyword);

}  // namespace sb::sandbox::twilio
