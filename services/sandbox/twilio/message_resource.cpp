#include "message_resource.h"

#include <ctime>
#include <utility>

#include "switchboard/ids.h"

namespace sb::sandbox::twilio {
namespace {

using json = nlohmann::json;

// Decodes one UTF-8 code point at `i` (advancing it); malformed bytes count as one unit each.
char32_t next_code_point(std::string_view text, size_t& i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    int length = byte < 0x80         ? 1
                 : (byte >> 5) == 6  ? 2
                 : (byte >> 4) == 14 ? 3
                 : (byte >> 3) == 30 ? 4
                                     : 1;
    if (i + static_cast<size_t>(length) > text.size()) length = 1;
    char32_t value = length == 1 ? byte : byte & (0x7f >> length);
    for (int k = 1; k < length; ++k) {
        value =
            (value << 6) | (static_cast<unsigned char>(text[i + static_cast<size_t>(k)]) & 0x3f);
    }
    i += static_cast<size_t>(length);
    return value;
}

// GSM 03.38's basic set (as code points) and its extension table (two septets each).
bool gsm_basic(char32_t c) {
    static const std::u32string kBasic =
        U"@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
        U"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    return kBasic.find(c) != std::u32string::npos;
}

bool gsm_extension(char32_t c) {
    static const std::u32string kExtension = U"\f^{}\\[~]|€";
    return kExtension.find(c) != std::u32string::npos;
}

}  // namespace

std::string new_sid(const char* prefix) {
    return std::string(prefix) + new_id();
}

std::string rfc2822(std::chrono::system_clock::time_point when) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40];
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S +0000", &utc);
    return text;
}

int segment_count(std::string_view body) {
    size_t septets = 0;
    size_t units = 0;
    bool gsm = true;
    for (size_t i = 0; i < body.size();) {
        const char32_t c = next_code_point(body, i);
        units += c > 0xffff ? 2 : 1;
        if (gsm_basic(c)) {
            septets += 1;
        } else if (gsm_extension(c)) {
            septets += 2;
        } else {
            gsm = false;
        }
    }
    const size_t length = gsm ? septets : units;
    const size_t single = gsm ? 160 : 70;
    const size_t part = gsm ? 153 : 67;
    if (length <= single) return 1;
    return static_cast<int>((length + part - 1) / part);
}

std::string message_uri(const std::string& account_sid, const std::string& sid) {
    return "/2010-04-01/Accounts/" + account_sid + "/Messages/" + sid + ".json";
}

json message_json(const MessageRecord& message) {
    const std::string uri = message_uri(message.account_sid, message.sid);
    const std::string base = uri.substr(0, uri.size() - 5);  // without ".json"
    return json{
        {"account_sid", message.account_sid},
        {"api_version", "2010-04-01"},
        {"body", message.body},
        {"date_created", rfc2822(message.created)},
        {"date_sent", message.sent_at.time_since_epoch().count() == 0
                          ? json(nullptr)
                          : json(rfc2822(message.sent_at))},
        {"date_updated", rfc2822(message.updated)},
        {"direction", message.direction},
        {"error_code", message.error_code == 0 ? json(nullptr) : json(message.error_code)},
        {"error_message",
         message.error_message.empty() ? json(nullptr) : json(message.error_message)},
        {"from", message.from.empty() ? json(nullptr) : json(message.from)},
        {"messaging_service_sid", message.messaging_service_sid.empty()
                                      ? json(nullptr)
                                      : json(message.messaging_service_sid)},
        {"num_media", std::to_string(message.media_sids.size())},
        // A Messaging Service has not picked a sender yet while the message is `accepted`:
        // Twilio says 0 segments until it has.
        {"num_segments", message.status == "accepted"
                             ? std::string("0")
                             : std::to_string(segment_count(message.body))},
        {"price", nullptr},
        {"price_unit", "USD"},
        {"sid", message.sid},
        {"status", message.status},
        {"subresource_uris", {{"media", base + "/Media.json"}}},
        {"to", message.to},
        {"uri", uri},
    };
}

}  // namespace sb::sandbox::twilio
