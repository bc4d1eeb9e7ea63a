#pragma once
// A Twilio webhook's form body as the parameters its signature covers. Strict: a broken
// percent-escape or a flood of fields refuses the body whole; UTF-8 is checked after the
// signature, by what reads the values (a signature is over bytes). Pure.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "twilio_signature.h"

namespace sb::twilio_gateway {

// A real inbound MMS has about 25 fixed parameters and two per picture (at most 10); Twilio
// adds parameters without notice, hence the room.
inline constexpr std::size_t kMaxFormParams = 200;
// A name longer than this is no Twilio parameter.
inline constexpr std::size_t kMaxParamNameBytes = 64;

struct ParsedForm {
    std::optional<TwilioParams> params;
    std::string error;  // why the body was refused, when it was
};

ParsedForm parse_twilio_form(std::string_view body);

// The first value of `name`, or "" when absent.
std::string param(const TwilioParams& params, const std::string& name);
// Whether every name and value is UTF-8.
bool all_utf8(const TwilioParams& params);

}  // namespace sb::twilio_gateway
