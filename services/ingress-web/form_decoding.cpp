#include "form_decoding.h"

#include "switchboard/form_urlencoded.h"
#include "switchboard/text.h"

namespace sb::web {

DecodedForm decode_form(std::string_view body) {
    DecodedForm result;
    form::Decoded decoded = form::decode_pairs(body, kMaxFormFields);
    if (!decoded.pairs) {
        result.error = decoded.error;
        return result;
    }
    FormFields fields;
    for (auto& [name, value] : *decoded.pairs) {
        if (!is_valid_utf8(name) || !is_valid_utf8(value)) {
            result.error = "text that is not UTF-8";
            return result;
        }
        fields.emplace(std::move(name), std::move(value));  // emplace keeps the first
    }
    result.fields = std::move(fields);
    return result;
}

}  // namespace sb::web
