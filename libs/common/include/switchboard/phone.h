#pragma once
// Phone numbers, normalized to E.164 with libphonenumber.
#include <optional>
#include <string>
#include <string_view>

namespace sb::phone {

enum class Check {
    possible,  // the right length for its country: what a provider hands us
    valid,     // a number that can exist (libphonenumber's metadata): what a person types
};

// "2088675309", "12088675309", "+1 (208) 867-5309", "442079460000" (an e164Id without '+')
// and "+44 7911 123456" become E.164. A bare 10-digit number is North American (+1); a longer
// string of digits is taken as E.164 without its '+'. Nothing when it is no phone number.
std::optional<std::string> to_e164(std::string_view raw, Check check = Check::possible);

// The customer number a room title ends with: "Tommy Tutone 2088675309" -> "+12088675309",
// "Ana +447911123456" -> "+447911123456". Nothing for a title that ends in no number.
std::optional<std::string> number_from_room_title(std::string_view title);

// The title of a new customer's room: the 10-digit number for North America, else +E.164.
std::string room_title_for(std::string_view e164);

// The country (ISO 3166 alpha-2 region, as libphonenumber names it: "US", "CA", "JM", "GB",
// "GG") a number belongs to, from its digits, not only its calling code: +1 876 is Jamaica, not
// the US. Empty when no single country can be told (an invalid number, or a non-geographic one
// such as +800 or +882).
std::string country_of(std::string_view e164);

// Whether libphonenumber knows this upper-case two-letter region code ("US" yes, "UK" no).
bool is_country(std::string_view code);

}  // namespace sb::phone
