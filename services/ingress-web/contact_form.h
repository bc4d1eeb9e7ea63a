#pragma once
// The contact form's rules, separate from HTTP: what each field must hold, what a person is told
// when it does not, and the cleaned values a CustomerMessage is built from.
#include <cstddef>
#include <string>
#include <vector>

#include "form_decoding.h"

namespace sb::web {

inline constexpr std::size_t kMaxNameChars = 100;
inline constexpr std::size_t kMaxEmailBytes = 254;  // RFC 5321's path limit
inline constexpr std::size_t kMaxPhoneChars = 40;
inline constexpr std::size_t kMaxMessageChars = 2000;

// The largest body a valid submission makes. Percent-encoded, a character takes at most 12 bytes
// (a 4-byte UTF-8 character is %XX four times), so 2,000 emoji are 24,000 bytes; with the other
// fields at their limits, the names, separators and the CSRF token it stays under 27 KB.
inline constexpr std::size_t kMaxEncodedBytesPerChar = 12;
inline constexpr std::size_t kMaxCsrfTokenBytes = 256;
inline constexpr std::size_t kLargestValidFormBytes =
    kMaxMessageChars * kMaxEncodedBytesPerChar + kMaxNameChars * kMaxEncodedBytesPerChar +
    kMaxEmailBytes * 3 + kMaxPhoneChars * 3 + kMaxCsrfTokenBytes + 128;

// Form field names (DESIGN.md §3 fixes email, phone and message).
namespace field {
inline constexpr const char* name = "name";
inline constexpr const char* email = "email";
inline constexpr const char* phone = "phone";
inline constexpr const char* message = "message";
inline constexpr const char* csrf = "csrf_token";
// The honeypot: hidden from people and screen readers, so only a bot fills it in.
inline constexpr const char* honeypot = "website_check";
}  // namespace field

// What the person typed, as typed: shown again when the form comes back with errors.
struct ContactInput {
    std::string name;
    std::string email;
    std::string phone;
    std::string message;
};
ContactInput contact_input_from(const FormFields& fields);

struct FieldError {
    std::string field;
    std::string message;
};

struct ContactValidation {
    std::vector<FieldError> errors;  // in the order the fields appear on the page
    // Cleaned values, meaningful only when errors is empty.
    std::string e164;
    std::string name;
    std::string email;
    std::string message;

    bool ok() const { return errors.empty(); }
    // The message for `field_name`, or empty when it has none.
    std::string error_for(const std::string& field_name) const;
};

ContactValidation validate_contact(const ContactInput& input);

// A pragmatic address check: one '@', a dot-atom local part, a dotted domain of LDH labels and
// a letter TLD. Deliverability is the mail server's business, not ours.
bool is_plausible_email(const std::string& address);

}  // namespace sb::web
