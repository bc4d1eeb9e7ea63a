#include "api_request.h"

#include "switchboard/phone.h"
#include "switchboard/text.h"

namespace sb::web {
namespace {

ApiValidation refuse(std::string reason, std::string error) {
    ApiValidation result;
    result.reason = std::move(reason);
    result.error = std::move(error);
    return result;
}

bool is_web_url(const std::string& url) {
    if (url.size() > kMaxFileUrlBytes) return false;
    if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) return false;
    for (const char c : url) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7F || c == '"' || c == '<' || c == '>') return false;
    }
    return true;
}

}  // namespace

ApiValidation parse_api_message(std::string_view body, const std::string& received_at) {
    // nlohmann's parser refuses ill-formed UTF-8 inside strings, so broken encodings land here.
    const json document =
        json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) {
        return refuse("malformed_json", "malformed JSON (or text that is not UTF-8)");
    }
    if (!document.is_object()) return refuse("malformed_json", "the body must be a JSON object");

    const auto id = document.find("customer_id");
    if (id == document.end() || id->is_null() ||
        (id->is_string() && id->get<std::string>().empty())) {
        return refuse("missing_customer_id", "missing customer_id (the customer's phone number)");
    }
    std::string raw_id;
    if (id->is_string()) {
        raw_id = id->get<std::string>();
    } else if (id->is_number_unsigned()) {
        raw_id = std::to_string(id->get<std::uint64_t>());
    } else {
        return refuse("invalid_customer_id", "customer_id must be a phone number as a string");
    }
    const auto e164 =
        raw_id.size() <= 40 ? phone::to_e164(raw_id, phone::Check::valid) : std::nullopt;
    if (!e164) return refuse("invalid_customer_id", "customer_id is not a valid phone number");

    CustomerMessage message;
    message.customer = *e164;
    message.channel = "api";
    message.received_at = received_at;

    const auto read_text = [&](const char* name,
                               std::string& into) -> std::optional<ApiValidation> {
        const auto member = document.find(name);
        if (member == document.end() || member->is_null()) return std::nullopt;
        if (!member->is_string()) {
            return refuse("invalid_content", std::string(name) + " must be a string");
        }
        into = std::string(trim(member->get<std::string>()));
        if (into.size() > kMaxApiTextBytes) {
            return refuse("content_too_long", std::string(name) + " is longer than " +
                                                  std::to_string(kMaxApiTextBytes) + " bytes");
        }
        if (has_control_characters(into, true)) {
            return refuse("invalid_content", std::string(name) + " holds control characters");
        }
        return std::nullopt;
    };
    if (auto failed = read_text("text", message.text)) return *failed;
    if (message.text.empty()) {
        if (auto failed = read_text("message", message.text)) return *failed;
    }
    if (auto failed = read_text("markdown", message.markdown)) return *failed;

    const auto files = document.find("files");
    if (files != document.end() && !files->is_null()) {
        if (!files->is_array()) return refuse("invalid_content", "files must be an array of URLs");
        if (files->size() > kMaxApiFiles) {
            return refuse("invalid_content",
                          "at most " + std::to_string(kMaxApiFiles) + " files per message");
        }
        for (const json& file : *files) {
            if (!file.is_string() || !is_web_url(file.get<std::string>())) {
                return refuse("invalid_content", "each file must be an http(s) URL");
            }
            message.files.push_back(file.get<std::string>());
        }
    }

    if (message.text.empty() && message.markdown.empty() && message.files.empty()) {
        return refuse("missing_content", "missing content: give text, markdown or files");
    }
    ApiValidation result;
    result.message = std::move(message);
    return result;
}

}  // namespace sb::web
