#pragma once
// How an agent's files go by Twilio: a picture Twilio formats for phones (is_mms_picture) as
// MMS, its public URL in `MediaUrl` (at most 10 a message, Twilio's limit); anything else, and
// pictures past the tenth, as a link on its own line of the text.
#include <string>
#include <vector>

#include "switchboard/events.h"

namespace sb::twilio_gateway {

inline constexpr size_t kMaxMediaUrls = 10;

struct OutboundPlan {
    std::string text;                     // the SMS text with the links of what is not MMS
    std::vector<std::string> media_urls;  // MediaUrl values, in order
};

OutboundPlan plan_outbound(const SendSms& sms);

}  // namespace sb::twilio_gateway
