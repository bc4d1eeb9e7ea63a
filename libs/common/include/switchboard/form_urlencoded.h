#pragma once
// application/x-www-form-urlencoded bodies, split and percent-decoded strictly: a '%' not
// followed by two hex digits refuses the whole body, since no honest client (a browser, Twilio)
// sends one. Names and values come back as bytes; whether they must be UTF-8 is the caller's
// rule (a Twilio signature is computed over the bytes first).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sb::form {

using Pairs = std::vector<std::pair<std::string, std::string>>;

struct Decoded {
    std::optional<Pairs> pairs;  // in body order, repeated names kept
    std::string error;           // why the body was refused, when it was
};

// Empty pieces ("a=1&&b=2") are skipped; a piece without '=' is a name with an empty value.
// More than `max_pairs` pieces refuse the body ("too many form fields").
Decoded decode_pairs(std::string_view body, std::size_t max_pairs);

}  // namespace sb::form
