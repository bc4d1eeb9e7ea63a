#pragma once
// application/x-www-form-urlencoded, decoded strictly: a browser never sends a broken escape or
// bytes that are not UTF-8, so either means a forged request, and it is refused whole.
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace sb::web {

using FormFields = std::map<std::string, std::string, std::less<>>;

struct DecodedForm {
    std::optional<FormFields> fields;  // the first value of each name wins
    std::string error;                 // why the body was refused, when it was
};

inline constexpr std::size_t kMaxFormFields = 32;

DecodedForm decode_form(std::string_view body);

}  // namespace sb::web
