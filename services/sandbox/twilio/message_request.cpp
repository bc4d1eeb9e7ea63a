#include "message_request.h"

#include <map>

#include "switchboard/text.h"

namespace sb::sandbox::twilio {
namespace {

// Twilio's test numbers: sending to them fails with these codes.
const std::map<std::string, int>& magic_recipients() {
    static const std::map<std::string, int> numbers = {
        {"+15005550001", 21211}, {"+15005550002", 21612}, {"+15005550003", 21408},
        {"+15005550004", 21610}, {"+15005550009", 21614},
    };
    return numbers;
}

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

bool is_e164(const std::string& number) {
    if (number.size() < 3 || number.size() > 16 || number[0] != '+' || number[1] == '0') {
        return false;
    }
    for (size_t i = 1; i < number.size(); ++i) {
        if (number[i] < '0' || number[i] > '9') return false;
    }
    return true;
}

bool is_sid(const std::string& sid, const char* prefix) {
    if (sid.size() != 34 || sid.compare(0, 2, prefix) != 0) return false;
    for (size_t i = 2; i < sid.size(); ++i) {
        if (!is_hex(sid[i])) return false;
    }
    return true;
}

bool is_http_url(const std::string& url) {
    const auto host_start = url.rfind("http://", 0) == 0    ? 7
                            : url.rfind("https://", 0) == 0 ? 8
                                                            : std::string::npos;
    return host_start != std::string::npos && url.size() > host_start && url[host_start] != '/' &&
           !has_control_characters(url, false) && url.find(' ') == std::string::npos;
}

SendDecision decide_send(const Params& params, const SendContext& context) {
    SendDecision decision;
    SendRequest& request = decision.request;
    const auto fail = [&](int code) {
        decision.error_code = code;
        return decision;
    };
    request.to = param(params, "To").value_or("");
    if (request.to.empty()) return fail(21604);
    const auto magic = magic_recipients().find(request.to);
    if (magic != magic_recipients().end()) return fail(magic->second);
    if (!is_e164(request.to)) return fail(21211);

    request.from = param(params, "From").value_or("");
    request.messaging_service_sid = param(params, "MessagingServiceSid").value_or("");
    if (request.from.empty() && request.messaging_service_sid.empty()) return fail(21603);
    if (!request.messaging_service_sid.empty() &&
        (!is_sid(request.messaging_service_sid, "MG") ||
         (!context.messaging_service_sid.empty() &&
          request.messaging_service_sid != context.messaging_service_sid))) {
        return fail(21701);
    }
    if (!request.from.empty() && request.from != context.company_number) return fail(21606);

    request.body = param(params, "Body").value_or("");
    request.media_urls = params_named(params, "MediaUrl");
    if (request.body.empty() && request.media_urls.empty()) return fail(21602);
    if (code_point_count(request.body) > kMaxBodyCharacters) return fail(21617);
    if (request.media_urls.size() > kMaxMedia) return fail(21623);
    for (const std::string& url : request.media_urls) {
        if (!is_http_url(url)) return fail(21620);
    }
    request.status_callback = param(params, "StatusCallback").value_or("");
    if (!request.status_callback.empty() && !is_http_url(request.status_callback)) {
        return fail(21609);
    }
    const std::string smart = to_lower(param(params, "SmartEncoded").value_or("false"));
    request.smart_encoded = smart == "true";
    if (context.opted_out && context.opted_out(request.to)) return fail(21610);
    return decision;
}

}  // namespace sb::sandbox::twilio
