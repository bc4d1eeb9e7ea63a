// Phone-number settings, apart from config.cpp on purpose: they need libphonenumber (and with it
// ICU, protobuf and abseil, ~4 MiB of shared pages), and a service that reads no phone number
// (the bus, spark-gateway) should not load them. The linker only pulls this file in for a caller.
#include "switchboard/config.h"
#include "switchboard/phone.h"

namespace sb {

std::string Environment::phone_number(std::string_view name) const {
    std::string value = phone_number_or(name, "");
    if (value.empty()) throw ConfigError(std::string(name) + " is required");
    return value;
}

std::string Environment::phone_number_or(std::string_view name, std::string_view fallback) const {
    const std::string raw = get_or(name, fallback);
    if (raw.empty()) return {};
    const auto e164 = phone::to_e164(raw);
    if (!e164) {
        throw ConfigError(std::string(name) +
                          " must be a phone number in E.164 (e.g. +18005551234), not '" +
                          raw.substr(0, 40) + "'");
    }
    return *e164;
}

}  // namespace sb
