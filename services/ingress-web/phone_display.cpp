#include "phone_display.h"

#include <phonenumbers/phonenumberutil.h>

namespace sb::web {

std::string display_number(std::string_view e164) {
    using i18n::phonenumbers::PhoneNumber;
    using i18n::phonenumbers::PhoneNumberUtil;
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    if (util.Parse(std::string(e164), "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
        return std::string(e164);
    }
    std::string formatted;
    util.Format(
        number,
        number.country_code() == 1 ? PhoneNumberUtil::NATIONAL : PhoneNumberUtil::INTERNATIONAL,
        &formatted);
    return formatted;
}

}  // namespace sb::web
