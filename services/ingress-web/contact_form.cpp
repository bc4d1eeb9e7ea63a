#include "contact_form.h"

#include <cctype>

#include "switchboard/phone.h"
#include "switchboard/text.h"

namespace sb::web {
namespace {

std::string field_value(const FormFields& fields, const char* name) {
    const auto found = fields.find(name);
    return found == fields.end() ? std::string{} : found->second;
}

bool is_atext(char c) {
    if (std::isalnum(static_cast<unsigned char>(c))) return true;
    static constexpr std::string_view kSpecials = "!#$%&'*+/=?^_`{|}~-";
    return kSpecials.find(c) != std::string_view::npos;
}

bool is_dot_atom(std::string_view text) {
    if (text.empty() || text.front() == '.' || text.back() == '.') return false;
    char previous = '\0';
    for (const char c : text) {
        if (c == '.' && previous == '.') return false;
        if (c != '.' && !is_atext(c)) return false;
        previous = c;
    }
    return true;
}

bool is_domain(std::string_view domain) {
    if (domain.empty() || domain.size() > 253) return false;
    std::size_t labels = 0;
    std::string_view last;
    while (true) {
        const std::size_t dot = domain.find('.');
        const std::string_view label = domain.substr(0, dot);
        if (label.empty() || label.size() > 63) return false;
        if (label.front() == '-' || label.back() == '-') return false;
        for (const char c : label) {
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
        }
        ++labels;
        last = label;
        if (dot == std::string_view::npos) break;
        domain.remove_prefix(dot + 1);
    }
    if (labels < 2 || last.size() < 2) return false;
    for (const char c : last) {
        if (!std::isalpha(static_cast<unsigned char>(c))) {
            return last.rfind("xn--", 0) == 0;  // an internationalized TLD in punycode
        }
    }
    return true;
}

std::string with_thousands(std::size_t value) {
    std::string digits = std::to_string(value);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
        digits.insert(static_cast<std::size_t>(i), ",");
    }
    return digits;
}

}  // namespace

ContactInput contact_input_from(const FormFields& fields) {
    return ContactInput{field_value(fields, field::name), field_value(fields, field::email),
                        field_value(fields, field::phone), field_value(fields, field::message)};
}

std::string ContactValidation::error_for(const std::string& field_name) const {
    for (const FieldError& error : errors) {
        if (error.field == field_name) return error.message;
    }
    return {};
}

bool is_plausible_email(const std::string& address) {
    if (address.size() > kMaxEmailBytes) return false;
    const std::size_t at = address.find('@');
    if (at == std::string::npos || address.find('@', at + 1) != std::string::npos) return false;
    const std::string_view local = std::string_view(address).substr(0, at);
    const std::string_view domain = std::string_view(address).substr(at + 1);
    return local.size() <= 64 && is_dot_atom(local) && is_domain(domain);
}

ContactValidation validate_contact(const ContactInput& input) {
    ContactValidation result;

    result.name = std::string(trim(input.name));
    if (code_point_count(result.name) > kMaxNameChars) {
        result.errors.push_back({field::name, "Keep your name to " + std::to_string(kMaxNameChars) +
                                                  " characters or fewer."});
    } else if (has_control_characters(result.name, false)) {
        result.errors.push_back({field::name, "Your name contains characters we can't accept."});
    }

    const std::string_view phone = trim(input.phone);
    if (phone.empty()) {
        result.errors.push_back(
            {field::phone, "Enter your mobile number, so we can text you back."});
    } else {
        std::optional<std::string> e164;
        if (phone.size() <= kMaxPhoneChars) e164 = phone::to_e164(phone, phone::Check::valid);
        if (e164) {
            result.e164 = *e164;
        } else {
            result.errors.push_back(
                {field::phone,
                 "Enter a mobile number we can text, like (208) 555-0100 or +44 7911 123456."});
        }
    }

    result.email = std::string(trim(input.email));
    if (!result.email.empty() && !is_plausible_email(result.email)) {
        result.errors.push_back(
            {field::email, "Enter an email address like name@example.com, or leave it empty."});
    }

    result.message = normalize_newlines(trim(input.message));
    const std::size_t length = code_point_count(result.message);
    if (result.message.empty()) {
        result.errors.push_back({field::message, "Enter your message."});
    } else if (length > kMaxMessageChars) {
        result.errors.push_back({field::message, "Your message is " + with_thousands(length) +
                                                     " characters long; keep it to " +
                                                     with_thousands(kMaxMessageChars) +
                                                     " or fewer."});
    } else if (has_control_characters(result.message, true)) {
        result.errors.push_back(
            {field::message, "Your message contains characters we can't accept."});
    }
    return result;
}

}  // namespace sb::web
