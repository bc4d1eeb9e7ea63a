#pragma once
// An inbound SMS/MMS webhook's parameters, read and checked, and the CustomerMessage it becomes.
// Pure: the media are fetched elsewhere (media_fetch.h) and handed in as attachments.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "refusal.h"
#include "switchboard/events.h"
#include "twilio_signature.h"

namespace sb::twilio_gateway {

inline constexpr std::size_t kMaxBodyCharacters = 1600;  // Twilio's own limit on Body
inline constexpr int kMaxMedia = 10;                     // Twilio's limit on MediaUrl{N}

struct MediaRef {
    std::string url;           // MediaUrl{N}: on api.twilio.com, behind Basic auth
    std::string content_type;  // MediaContentType{N}; may be empty
};

struct InboundSms {
    std::string message_sid;  // SM… or MM…, 34 characters: the de-duplication key
    std::string from;         // E.164
    std::string to;
    std::string body;  // valid UTF-8, at most 1600 characters; may be empty for an MMS
    std::vector<MediaRef> media;
};

struct SmsParse {
    std::optional<InboundSms> sms;
    Refusal refusal;  // when there is no sms
    explicit operator bool() const { return sms.has_value(); }
};

SmsParse parse_inbound_sms(const TwilioParams& params);

// The CustomerMessage (channel "sms") for `sms`, with the media the gateway now holds;
// `media_missing` pictures that could not be fetched are said in a line of the text.
CustomerMessage sms_message(const InboundSms& sms, std::vector<Attachment> attachments,
                            std::size_t media_missing, const std::string& now);

// "From" in E.164, or nothing: a Twilio From that is no phone number (a short code, an
// alphanumeric sender, "Anonymous") or anything not starting with '+'.
std::optional<std::string> e164_from(const std::string& from);

// A Twilio sid: a two-letter prefix and 32 letters or digits.
bool is_twilio_sid(const std::string& sid, const char* prefix);

}  // namespace sb::twilio_gateway
