// POST /contact/: the urlencoded body a browser (or a bot) sends, decoded strictly by
// decode_form, then held to the contact form's rules by validate_contact.
#include "contact_form.h"

#include "form_decoding.h"
#include "fuzz_check.h"
#include "switchboard/events.h"
#include "switchboard/text.h"

using namespace sb;
using namespace sb::web;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body = sb::fuzz::as_text(data, size);
    const DecodedForm decoded = decode_form(body);
    FUZZ_CHECK(decoded.fields.has_value() == decoded.error.empty());
    if (!decoded.fields) return 0;
    FUZZ_CHECK(decoded.fields->size() <= kMaxFormFields);
    for (const auto& [name, value] : *decoded.fields) {
        FUZZ_CHECK(is_valid_utf8(name) && is_valid_utf8(value));
        // What encode_form_component writes decodes to the same value.
        const std::string encoded = "v=" + sb::percent_encode(value);
        const DecodedForm again = decode_form(encoded);
        FUZZ_CHECK(again.fields && again.fields->at("v") == value);
    }

    const ContactInput input = contact_input_from(*decoded.fields);
    const ContactValidation validation = validate_contact(input);
    if (validation.ok()) {
        FUZZ_CHECK(sb::is_e164(validation.e164));
        FUZZ_CHECK(!validation.message.empty());
        FUZZ_CHECK(code_point_count(validation.message) <= kMaxMessageChars);
        FUZZ_CHECK(code_point_count(validation.name) <= kMaxNameChars);
        FUZZ_CHECK(!has_control_characters(validation.message, true));
        FUZZ_CHECK(!has_control_characters(validation.name, false));
        FUZZ_CHECK(validation.email.empty() || is_plausible_email(validation.email));
        FUZZ_CHECK(validation.message.find('\r') == std::string::npos);
    }
    for (const FieldError& error : validation.errors) {
        FUZZ_CHECK(!error.message.empty() && validation.error_for(error.field) != "");
    }
    // Whatever a person typed is shown again on the page, escaped.
    for (const std::string* typed : {&input.name, &input.email, &input.phone, &input.message}) {
        const std::string escaped = html_escape(*typed);
        FUZZ_CHECK(escaped.find('<') == std::string::npos &&
                   escaped.find('"') == std::string::npos);
    }
    return 0;
}
