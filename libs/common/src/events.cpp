#include "switchboard/events.h"

#include <algorithm>
#include <functional>
#include <map>
#include <stdexcept>

#include "switchboard/ids.h"
#include "switchboard/time_format.h"

namespace sb {
namespace {

// A field that breaks the contract; the message names the field so the log says what to fix.
struct ContractError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

const json& field(const json& in, const char* name) {
    codec::expect_object(in);
    const auto found = in.find(name);
    if (found == in.end() || found->is_null()) throw ContractError(std::string("missing ") + name);
    return *found;
}

std::string required_string(const json& in, const char* name) {
    std::string text;
    codec::decode(field(in, name), name, nullptr, text);
    return text;
}

std::string optional_string(const json& in, const char* name) {
    codec::expect_object(in);
    const auto found = in.find(name);
    if (found == in.end() || found->is_null()) return {};
    std::string text;
    codec::decode(*found, name, nullptr, text);
    return text;
}

// The rules that span members, which no single field can say; every other type has none.
template <class Payload>
void check_whole(const Payload&) {}

void check_whole(const CustomerMessage& message) {
    if (message.channel != "voice" && message.text.empty() && message.markdown.empty() &&
        message.files.empty()) {
        throw ContractError("a message needs text, markdown or files");
    }
    if (message.channel == "voice" && !message.call) {
        throw ContractError("a voice message needs call");
    }
}

void check_whole(const PostMessage& post) {
    if (post.text.empty() && post.markdown.empty()) {
        throw ContractError("a post needs text or markdown");
    }
}

void check_whole(const AddMember& add) {
    if (add.person_id.empty() && add.person_email.empty()) {
        throw ContractError("add a member by person_id or person_email");
    }
}

// One checker per known type: decode the payload into its struct, then the whole-struct rules.
using Checker = std::function<void(const json&)>;
using Checkers = std::map<std::string, Checker, std::less<>>;

template <class... Payload>
Checkers checkers_for(EventName<Payload>... names) {
    return {
        {std::string(names), [](const json& payload) { check_whole(payload.get<Payload>()); }}...};
}

const Checkers& checkers() {
    static const Checkers table =
        std::apply([](auto... names) { return checkers_for(names...); }, event_type::all);
    return table;
}

template <class... Payload>
constexpr bool names_distinct(EventName<Payload>... names) {
    const std::string_view list[] = {names.value...};
    for (std::size_t a = 0; a < sizeof...(Payload); ++a) {
        for (std::size_t b = a + 1; b < sizeof...(Payload); ++b) {
            if (list[a] == list[b]) return false;
        }
    }
    return true;
}
static_assert(std::apply([](auto... names) { return names_distinct(names...); }, event_type::all),
              "two event types share a wire name");

}  // namespace

void contract_violation(const std::string& reason) {
    throw ContractError(reason);
}

void FieldRules::e164(const std::string& value, const char* name) {
    if (!is_e164(value)) contract_violation(std::string(name) + " must be an E.164 number");
}

void FieldRules::not_empty(const std::string& value, const char* name) {
    if (value.empty()) contract_violation(std::string(name) + " must not be empty");
}

void FieldRules::non_negative(std::int64_t value, const char* name) {
    if (value < 0) contract_violation(std::string(name) + " must be at least 0");
}

bool is_e164(std::string_view number) {
    if (number.size() < 3 || number.size() > 16 || number[0] != '+' || number[1] == '0') {
        return false;
    }
    return std::all_of(number.begin() + 1, number.end(),
                       [](char c) { return c >= '0' && c <= '9'; });
}

const std::vector<std::string_view>& known_event_types() {
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> list;
        for (const auto& entry : checkers()) list.emplace_back(entry.first);
        return list;
    }();
    return names;
}

Envelope stamp(Envelope envelope) {
    if (envelope.id.empty()) envelope.id = new_id();
    if (envelope.time.empty()) envelope.time = iso8601_now();
    return envelope;
}

ParsedEnvelope validate_envelope(const json& document) {
    ParsedEnvelope result;
    try {
        Envelope envelope = document.get<Envelope>();
        const auto checker = checkers().find(envelope.type);
        if (checker == checkers().end()) {
            result.error = "unknown event type '" + envelope.type.substr(0, 64) + "'";
            return result;
        }
        checker->second(envelope.payload);
        result.envelope = std::move(envelope);
    } catch (const std::exception& error) {
        result.error = error.what();
    }
    return result;
}

ParsedEnvelope parse_envelope(std::string_view bytes) {
    if (bytes.size() > kMaxEventBytes) {
        return {std::nullopt, "event of " + std::to_string(bytes.size()) + " bytes exceeds " +
                                  std::to_string(kMaxEventBytes)};
    }
    json document = json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) return {std::nullopt, "event is not valid JSON"};
    return validate_envelope(document);
}

// ---- Envelope ------------------------------------------------------------------------------

void to_json(json& out, const Envelope& value) {
    out = json{{"id", value.id},
               {"type", value.type},
               {"time", value.time},
               {"source", value.source},
               {"schema_version", value.schema_version},
               {"key", value.key},
               {"payload", value.payload}};
    if (!value.correlation_id.empty()) out["correlation_id"] = value.correlation_id;
}

void from_json(const json& in, Envelope& value) {
    value.id = required_string(in, "id");
    value.type = required_string(in, "type");
    value.time = required_string(in, "time");
    value.source = required_string(in, "source");
    value.key = optional_string(in, "key");
    value.correlation_id = optional_string(in, "correlation_id");
    const json& version = field(in, "schema_version");
    if (!version.is_number_integer()) throw ContractError("schema_version must be an integer");
    // Compared as JSON numbers: get<int>() would read 4294967297 as 1.
    if (version != json(kSchemaVersion)) {
        throw ContractError("unsupported schema_version " + version.dump());
    }
    value.schema_version = kSchemaVersion;
    FieldRules::not_empty(value.id, "id");
    if (value.id.size() > 128) throw ContractError("id is too long");
    if (!parse_iso8601(value.time)) throw ContractError("time must be an ISO 8601 timestamp");
    value.payload = field(in, "payload");
    if (!value.payload.is_object()) throw ContractError("payload must be an object");
}

}  // namespace sb
