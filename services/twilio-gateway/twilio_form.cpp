#include "twilio_form.h"

#include "switchboard/form_urlencoded.h"
#include "switchboard/text.h"

namespace sb::twilio_gateway {

ParsedForm parse_twilio_form(std::string_view body) {
    ParsedForm result;
    form::Decoded decoded = form::decode_pairs(body, kMaxFormParams);
    if (!decoded.pairs) {
        result.error = decoded.error;
        return result;
    }
    TwilioParams params;
    for (auto& [name, value] : *decoded.pairs) {
        if (name.empty()) {
            result.error = "a form field without a name";
            return result;
        }
        if (name.size() > kMaxParamNameBytes) {
            result.error =
                "a form field name longer than " + std::to_string(kMaxParamNameBytes) + " bytes";
            return result;
        }
        params.emplace(std::move(name), std::move(value));
    }
    result.params = std::move(params);
    return result;
}

std::string param(const TwilioParams& params, const std::string& name) {
    const auto found = params.find(name);
    return found == params.end() ? std::string() : found->second;
}

bool all_utf8(const TwilioParams& params) {
    for (const auto& [name, value] : params) {
        if (!is_valid_utf8(name) || !is_valid_utf8(value)) return false;
    }
    return true;
}

}  // namespace sb::twilio_gateway
