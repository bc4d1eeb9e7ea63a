#include "switchboard/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>

#include "switchboard/config.h"
#include "switchboard/text.h"

namespace sb::logging {
namespace {

// The message payload, escaped: the pattern uses %* where it would use %v, so every line any
// call site writes goes through escape().
class EscapedPayload final : public spdlog::custom_flag_formatter {
  public:
    void format(const spdlog::details::log_msg& message, const std::tm&,
                spdlog::memory_buf_t& destination) override {
        const std::string escaped = escape({message.payload.data(), message.payload.size()});
        destination.append(escaped.data(), escaped.data() + escaped.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<EscapedPayload>();
    }
};

void append_hex_byte(std::string& out, unsigned char byte) {
    static constexpr char kDigits[] = "0123456789abcdef";
    out += "\\x";
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0xf];
}

void append_code_point(std::string& out, char32_t code_point) {
    static constexpr char kDigits[] = "0123456789abcdef";
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += kDigits[(code_point >> shift) & 0xf];
}

// The length of the valid UTF-8 sequence of two or more bytes starting at text[at] and its code
// point, or 0 when the bytes there are not one (overlong, surrogate, past U+10FFFF, cut short).
size_t utf8_sequence(std::string_view text, size_t at, char32_t& code_point) {
    const auto lead = static_cast<unsigned char>(text[at]);
    size_t length = 0;
    char32_t minimum = 0;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2, minimum = 0x80, code_point = lead & 0x1f;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3, minimum = 0x800, code_point = lead & 0x0f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4, minimum = 0x10000, code_point = lead & 0x07;
    } else {
        return 0;
    }
    if (at + length > text.size()) return 0;
    for (size_t i = 1; i < length; ++i) {
        const auto next = static_cast<unsigned char>(text[at + i]);
        if ((next & 0xc0) != 0x80) return 0;
        code_point = (code_point << 6) | (next & 0x3f);
    }
    if (code_point < minimum || code_point > 0x10ffff) return 0;
    if (code_point >= 0xd800 && code_point <= 0xdfff) return 0;
    return length;
}

}  // namespace

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (size_t at = 0; at < text.size();) {
        const auto byte = static_cast<unsigned char>(text[at]);
        if (byte >= 0x20 && byte < 0x7f) {
            out += static_cast<char>(byte);
            ++at;
        } else if (byte == '\r') {
            out += "\\r", ++at;
        } else if (byte == '\n') {
            out += "\\n", ++at;
        } else if (byte == '\t') {
            out += "\\t", ++at;
        } else if (byte < 0x80) {  // the other C0 controls and DEL
            append_hex_byte(out, byte);
            ++at;
        } else {
            char32_t code_point = 0;
            const size_t length = utf8_sequence(text, at, code_point);
            if (length == 0) {
                append_hex_byte(out, byte);
                ++at;
            } else if ((code_point >= 0x80 && code_point <= 0x9f) || code_point == 0x2028 ||
                       code_point == 0x2029) {
                append_code_point(out, code_point);
                at += length;
            } else {
                out.append(text.substr(at, length));
                at += length;
            }
        }
    }
    return out;
}

std::optional<spdlog::level::level_enum> parse_level(std::string_view text) {
    const std::string name = to_lower(text);
    if (name == "trace") return spdlog::level::trace;
    if (name == "debug") return spdlog::level::debug;
    if (name == "info") return spdlog::level::info;
    if (name == "warn" || name == "warning") return spdlog::level::warn;
    if (name == "error" || name == "err") return spdlog::level::err;
    if (name == "critical" || name == "fatal") return spdlog::level::critical;
    if (name == "off") return spdlog::level::off;
    return std::nullopt;
}

void init(std::string_view service, std::string_view instance, std::string_view level) {
    const auto parsed = parse_level(level);
    if (!parsed) throw std::invalid_argument("unknown log level '" + escape(level) + "'");
    spdlog::drop(std::string(instance));
    auto logger = spdlog::stderr_color_mt(std::string(instance));
    std::string label(service);
    if (instance != service) label += "/" + std::string(instance);
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<EscapedPayload>('*');
    formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%-5l%$ [" + escape(label) + "] %*");
    logger->set_formatter(std::move(formatter));
    logger->set_level(*parsed);
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(logger);
}

}  // namespace sb::logging

namespace sb {

// Declared with the rest of the configuration (config.h); here beside parse_level.
std::string read_log_level(const Environment& env) {
    std::string level = env.get_or("LOG_LEVEL", "info");
    if (!logging::parse_level(level)) {
        throw ConfigError(
            "LOG_LEVEL must be one of trace, debug, info, warn, error, critical, off "
            "(any case), not '" +
            level + "'");
    }
    return level;
}

}  // namespace sb

namespace sb::logging {

std::string event_fields(std::string_view topic, const Envelope& event) {
    std::string fields =
        "topic=" + std::string(topic) + " event=" + event.id + " type=" + event.type;
    if (!event.key.empty()) fields += " key=" + event.key;
    return fields;
}

}  // namespace sb::logging
