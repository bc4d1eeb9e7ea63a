#pragma once
// The TwiML the gateway answers with. Pure.
#include <string>
#include <string_view>

namespace sb::twilio_gateway {

inline constexpr const char* kTwimlContentType = "text/xml";

// Escapes & < > " ' for XML text and attribute values.
std::string xml_escape(std::string_view text);

// <?xml …?><Response/>: "nothing to say". For an SMS: no reply. As the answer to a <Dial action>:
// there are no more verbs, so Twilio hangs up the caller's leg.
std::string empty_response();

// <Response><Dial timeout="…" action="…">number</Dial></Response>: forward the call to `number`;
// when the dialled leg ends Twilio posts DialCallStatus to `action_url`.
std::string dial_response(std::string_view number, int timeout_seconds,
                          std::string_view action_url);

}  // namespace sb::twilio_gateway
