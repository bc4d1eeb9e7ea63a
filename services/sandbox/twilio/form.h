#pragma once
// application/x-www-form-urlencoded, the way Twilio writes and reads it: an ordered list of
// name/value pairs (a name may repeat: MediaUrl), spaces as '+', everything else outside
// [A-Za-z0-9-_.~] percent-encoded.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sb::sandbox::twilio {

using Params = std::vector<std::pair<std::string, std::string>>;

// Never throws: a malformed escape ("%zz", "%4") is kept as written.
Params parse_form(std::string_view body);
std::string encode_form(const Params& params);
std::string form_escape(std::string_view text);
std::string form_unescape(std::string_view text);

// The first value of `name`, if any.
std::optional<std::string> param(const Params& params, std::string_view name);
// Every value of `name`, in order.
std::vector<std::string> params_named(const Params& params, std::string_view name);

}  // namespace sb::sandbox::twilio
