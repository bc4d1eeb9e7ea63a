#include "tropo_session.h"

#include <nlohmann/json.hpp>

#include "switchboard/phone.h"
#include "switchboard/text.h"

namespace sb::tropo_gateway {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxIdLength = 128;
constexpr size_t kMaxParameters = 64;

SessionParse reject(std::string code, std::string reason) {
    SessionParse result;
    result.code = std::move(code);
    result.reason = std::move(reason);
    return result;
}

// A string field: nothing when missing or null; `wrong_type` set when it is something else.
std::optional<std::string> string_field(const json& object, const char* name, bool& wrong_type) {
    const auto found = object.find(name);
    if (found == object.end() || found->is_null()) return std::nullopt;
    if (found->is_string()) return found->get<std::string>();
    wrong_type = true;
    return std::nullopt;
}

// from/to: an object {id, e164Id, channel, network}; Tropo's ids are strings, but a number
// written as a JSON number is still a number.
struct Endpoint {
    std::optional<std::string> number;
    std::string channel;
    std::string network;
};

std::optional<Endpoint> endpoint_field(const json& session, const char* name, bool& wrong_type) {
    const auto found = session.find(name);
    if (found == session.end() || found->is_null()) return std::nullopt;
    if (!found->is_object()) {
        wrong_type = true;
        return std::nullopt;
    }
    Endpoint endpoint;
    for (const char* key : {"id", "e164Id"}) {
        const auto id = found->find(key);
        if (id == found->end() || endpoint.number) continue;
        if (id->is_string())
            endpoint.number = number_from_tropo_id(id->get<std::string>());
        else if (id->is_number_unsigned())
            endpoint.number = number_from_tropo_id(id->dump());
    }
    bool ignored = false;
    endpoint.channel = to_lower(string_field(*found, "channel", ignored).value_or(""));
    endpoint.network = to_lower(string_field(*found, "network", ignored).value_or(""));
    return endpoint;
}

std::string parameter_value(const json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_null()) return {};
    return value.dump();
}

}  // namespace

const char* kind_name(SessionKind kind) {
    switch (kind) {
        case SessionKind::sms:
            return "sms";
        case SessionKind::call:
            return "call";
        case SessionKind::token_launch:
            return "token_launch";
    }
    return "unknown";
}

std::optional<std::string> number_from_tropo_id(std::string_view id) {
    std::string_view rest = id;
    if (rest.rfind("tel:", 0) == 0 || rest.rfind("sip:", 0) == 0) {
        rest.remove_prefix(4);
        rest = rest.substr(0, rest.find_first_of("@;"));
    }
    return phone::to_e164(rest);
}

SessionParse parse_session(std::string_view body) {
    const json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) return reject("malformed", "body is not JSON");
    if (!document.is_object()) return reject("wrong_shape", "body is not a JSON object");
    const auto session_it = document.find("session");
    if (session_it == document.end() || !session_it->is_object()) {
        return reject("wrong_shape", "no \"session\" object: not a Tropo session");
    }
    const json& session = *session_it;

    bool wrong_type = false;
    InboundSession parsed;
    const auto id = string_field(session, "id", wrong_type);
    if (wrong_type || !id || id->empty() || id->size() > kMaxIdLength) {
        return reject("wrong_shape", "session.id missing or not a string of at most 128 chars");
    }
    parsed.session_id = *id;
    const auto call_id = string_field(session, "callId", wrong_type);
    const auto text = string_field(session, "initialText", wrong_type);
    parsed.timestamp = string_field(session, "timestamp", wrong_type).value_or("");
    const auto from = endpoint_field(session, "from", wrong_type);
    const auto to = endpoint_field(session, "to", wrong_type);
    if (wrong_type) {
        return reject("wrong_shape",
                      "a session field has the wrong type (callId, initialText and timestamp are "
                      "strings, from and to objects)");
    }
    if (call_id && call_id->size() > kMaxIdLength) {
        return reject("wrong_shape", "session.callId longer than 128 chars");
    }
    parsed.call_id = call_id && !call_id->empty() ? *call_id : parsed.session_id;
    if (from) parsed.from = from->number;
    if (to) parsed.to = to->number;

    const auto parameters = session.find("parameters");
    if (parameters != session.end() && !parameters->is_null()) {
        if (!parameters->is_object()) return reject("wrong_shape", "parameters is not an object");
        if (parameters->size() > kMaxParameters)
            return reject("wrong_shape", "too many parameters");
        for (const auto& [name, value] : parameters->items()) {
            parsed.parameters[name] = parameter_value(value);
        }
        parsed.kind = SessionKind::token_launch;
        return SessionParse{std::move(parsed), {}, {}};
    }

    // A call is a VOICE session; a text session is TEXT/SMS or simply carries initialText.
    const bool voice = from && (from->channel == "voice");
    const bool texting =
        text.has_value() || (from && (from->channel == "text" || from->network == "sms"));
    if (voice) {
        parsed.kind = SessionKind::call;
        return SessionParse{std::move(parsed), {}, {}};
    }
    if (texting) {
        if (!text || text->empty()) return reject("empty_text", "SMS session without initialText");
        if (!parsed.from) {
            return reject("bad_number", "SMS session whose sender is no phone number");
        }
        parsed.kind = SessionKind::sms;
        parsed.text = *text;
        return SessionParse{std::move(parsed), {}, {}};
    }
    return reject("unknown_kind",
                  "neither an SMS (initialText), a call (from.channel VOICE) nor a token launch "
                  "(parameters)");
}

}  // namespace sb::tropo_gateway
