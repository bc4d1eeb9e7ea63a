#include "inbound_sms.h"

#include <cctype>

#include "switchboard/phone.h"
#include "switchboard/text.h"
#include "twilio_form.h"

namespace sb::twilio_gateway {
namespace {

SmsParse refuse(std::string code, std::string reason) {
    SmsParse parse;
    parse.refusal = {400, std::move(code), std::move(reason)};
    return parse;
}

bool is_http_url(const std::string& url) {
    return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

// "0".."10" only: NumMedia is a count Twilio writes in plain digits.
std::optional<int> media_count(const std::string& text) {
    if (text.empty()) return 0;
    if (text.size() > 2) return std::nullopt;
    int count = 0;
    for (const char c : text) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
        count = count * 10 + (c - '0');
    }
    if (count > kMaxMedia) return std::nullopt;
    return count;
}

}  // namespace

bool is_twilio_sid(const std::string& sid, const char* prefix) {
    if (sid.size() != 34 || sid.compare(0, 2, prefix) != 0) return false;
    for (std::size_t i = 2; i < sid.size(); ++i) {
        if (!std::isalnum(static_cast<unsigned char>(sid[i]))) return false;
    }
    return true;
}

std::optional<std::string> e164_from(const std::string& from) {
    if (from.empty() || from.front() != '+') return std::nullopt;
    return phone::to_e164(from, phone::Check::possible);
}

SmsParse parse_inbound_sms(const TwilioParams& params) {
    InboundSms sms;
    sms.message_sid = param(params, "MessageSid");
    if (sms.message_sid.empty()) sms.message_sid = param(params, "SmsMessageSid");
    if (!is_twilio_sid(sms.message_sid, "SM") && !is_twilio_sid(sms.message_sid, "MM")) {
        return refuse("bad_message_sid", "MessageSid is missing or not a Twilio message sid");
    }
    const std::string from = param(params, "From");
    if (from.empty()) return refuse("missing_from", "From is missing");
    const auto e164 = e164_from(from);
    if (!e164) return refuse("bad_from", "From is no E.164 phone number");
    sms.from = *e164;
    sms.to = param(params, "To");
    sms.body = param(params, "Body");
    if (!is_valid_utf8(sms.body)) return refuse("bad_utf8", "Body is not UTF-8");
    if (code_point_count(sms.body) > kMaxBodyCharacters) {
        return refuse("body_too_long", "Body is longer than Twilio's 1600 characters");
    }
    const auto count = media_count(param(params, "NumMedia"));
    if (!count) return refuse("bad_num_media", "NumMedia is not a number from 0 to 10");
    for (int i = 0; i < *count; ++i) {
        MediaRef media;
        media.url = param(params, "MediaUrl" + std::to_string(i));
        media.content_type = param(params, "MediaContentType" + std::to_string(i));
        if (!is_http_url(media.url)) {
            return refuse("bad_media_url",
                          "MediaUrl" + std::to_string(i) + " is missing or no http(s) URL");
        }
        sms.media.push_back(std::move(media));
    }
    if (sms.body.empty() && sms.media.empty()) {
        return refuse("empty_message", "neither Body nor media: nothing to pass on");
    }
    SmsParse parse;
    parse.sms = std::move(sms);
    return parse;
}

CustomerMessage sms_message(const InboundSms& sms, std::vector<Attachment> attachments,
                            std::size_t media_missing, const std::string& now) {
    CustomerMessage message;
    message.customer = sms.from;
    message.channel = "sms";
    message.text = sms.body;
    message.received_at = now;
    message.attachments = std::move(attachments);
    if (media_missing > 0) {
        // The text must not be lost for a picture: it goes through, and the agent is told.
        if (!message.text.empty()) message.text += "\n";
        message.text += media_missing == 1
                            ? "(the customer sent a picture that could not be fetched)"
                            : "(the customer sent " + std::to_string(media_missing) +
                                  " pictures that could not be fetched)";
    }
    return message;
}

}  // namespace sb::twilio_gateway
