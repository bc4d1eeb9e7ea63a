#pragma once
#include <string>
#include <string_view>

namespace sb::web {

// How a number is printed for people: "(208) 555-0100" for North America, "+44 7911 123456"
// elsewhere; the input unchanged when libphonenumber cannot parse it.
std::string display_number(std::string_view e164);

}  // namespace sb::web
