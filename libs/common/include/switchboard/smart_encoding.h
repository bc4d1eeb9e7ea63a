#pragma once
// Twilio's Smart Encoding, the transliteration its Messaging API applies with SmartEncoded=true
// ("List of characters replaced by Smart Encoding", PROVIDERS.md "SMS itself"): typographic
// quotes, dashes, the ellipsis and the Unicode spaces become their GSM-7 look-alikes, so that an
// otherwise GSM-7 text is not sent as UCS-2 (70 characters per SMS instead of 160). Used wherever
// Switchboard transliterates: tropo-gateway before it splits (Tropo does not do it), and the
// sandbox's Twilio half when a message asks for it.
#include <string>
#include <string_view>

namespace sb {

// Every other byte passes unchanged, invalid UTF-8 included.
std::string smart_encode(std::string_view utf8);

}  // namespace sb
