#include "switchboard/phone.h"

#include <phonenumbers/phonenumberutil.h>

#include <cctype>
#include <set>

namespace sb::phone {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

bool all_digits(std::string_view text) {
    for (const char c : text) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    }
    return !text.empty();
}

// `candidate` is '+' and digits: the E.164 libphonenumber writes for it, when it passes `check`.
std::optional<std::string> e164_of(const std::string& candidate, Check check) {
    const std::size_t digits = candidate.size() - 1;
    if (digits < 7 || digits > 15) return std::nullopt;
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    if (util.Parse(candidate, "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
        return std::nullopt;
    }
    const bool acceptable =
        check == Check::valid ? util.IsValidNumber(number) : util.IsPossibleNumber(number);
    if (!acceptable) return std::nullopt;
    std::string formatted;
    util.Format(number, PhoneNumberUtil::E164, &formatted);
    return formatted;
}

}  // namespace

std::optional<std::string> to_e164(std::string_view raw, Check check) {
    if (raw.empty() || raw.size() > 40) return std::nullopt;
    std::string digits;
    bool plus = false;
    for (const char c : raw) {
        if (std::isdigit(static_cast<unsigned char>(c))) {
            digits += c;
        } else if (c == '+' && digits.empty() && !plus) {
            plus = true;
        } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
            return std::nullopt;  // letters, "Unknown", "Restricted", sip: URIs...
        }
    }
    if (digits.size() < 7 || digits.size() > 15) return std::nullopt;

    std::string candidate;
    // With a "+", or longer than a NANP number without its country code (eleven digits
    // starting with 1 are NANP with it), the digits are international already.
    if (plus || digits.size() > 10) {
        candidate = "+" + digits;
    } else if (digits.size() == 10) {
        candidate = "+1" + digits;
    } else {
        return std::nullopt;
    }

    // libphonenumber writes some numbers as E.164 that it, or the length rule above, then reads
    // as another number or as none (zeros after the country code: "+660001333009" ->
    // "+66001333009" -> "+6601333009"; "+4300091" -> "+430091", six digits). Such a number
    // cannot key a customer: the room title it is read back from would name someone else.
    auto formatted = e164_of(candidate, check);
    if (!formatted || e164_of(*formatted, check) != formatted) return std::nullopt;
    return formatted;
}

std::optional<std::string> number_from_room_title(std::string_view title) {
    size_t end = title.size();
    while (end > 0 && std::isspace(static_cast<unsigned char>(title[end - 1]))) --end;
    size_t begin = end;
    while (begin > 0 && std::isdigit(static_cast<unsigned char>(title[begin - 1]))) --begin;
    const std::string_view digits = title.substr(begin, end - begin);
    if (!all_digits(digits)) return std::nullopt;
    // As in the original lab, a title whose last 10 characters are digits is a North-American
    // customer, whatever comes before ("Tommy Tutone 2088675309"); a longer run is no number
    // unless '+' marks it as E.164.
    if (begin > 0 && title[begin - 1] == '+') return to_e164("+" + std::string(digits));
    if (digits.size() == 10) return to_e164(digits);
    return std::nullopt;
}

std::string room_title_for(std::string_view e164) {
    if (e164.size() == 12 && e164.substr(0, 2) == "+1") return std::string(e164.substr(2));
    return std::string(e164);
}

std::string country_of(std::string_view e164) {
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    if (util.Parse(std::string(e164), "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
        return {};
    }
    std::string region;
    util.GetRegionCodeForNumber(number, &region);
    // "ZZ": no country's numbering plan has it; "001": a non-geographic entity (+800, +882).
    if (region.size() != 2 || region == "ZZ") return {};
    return region;
}

bool is_country(std::string_view code) {
    if (code.size() != 2 || code == "ZZ") return false;
    std::set<std::string> regions;
    PhoneNumberUtil::GetInstance()->GetSupportedRegions(&regions);
    return regions.count(std::string(code)) > 0;
}

}  // namespace sb::phone
