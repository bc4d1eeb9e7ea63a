#include "switchboard/delivery_wire.h"

#include <algorithm>
#include <initializer_list>

namespace sb::delivery::wire {
namespace {

// A field's check: empty when it holds, else the reason, naming the field.
using Problem = std::string;

std::string describe_size(std::size_t size, std::size_t limit) {
    return "frame of " + std::to_string(size) + " bytes exceeds " + std::to_string(limit);
}

// Untrusted bytes to a JSON object, or the reason they are none. Never throws.
Decoded<json> parse_object(std::string_view body, std::size_t max_bytes) {
    if (body.size() > max_bytes)
        return Decoded<json>::rejected(describe_size(body.size(), max_bytes));
    if (nests_deeper_than(body, kMaxDepth)) {
        return Decoded<json>::rejected("nested deeper than " + std::to_string(kMaxDepth));
    }
    // nlohmann's parser refuses ill-formed UTF-8 in strings, so whatever it returns can be
    // printed again (journal, logs) without a type_error.
    json document = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) return Decoded<json>::rejected("not valid JSON (or not UTF-8)");
    if (!document.is_object()) return Decoded<json>::rejected("not a JSON object");
    return {std::move(document), {}};
}

Problem only_members(const json& object, std::string_view owner,
                     std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, value] : object.items()) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            return std::string(owner) + " has an unknown member '" + key.substr(0, 64) + "'";
        }
    }
    return {};
}

// A non-empty string of at most kMaxNameBytes.
Problem read_name(const json& object, std::string_view owner, const char* name, std::string& out) {
    const std::string where = std::string(owner) + "." + name;
    const auto found = object.find(name);
    if (found == object.end()) return where + " is missing";
    if (!found->is_string()) return where + " must be a string";
    const auto& text = found->get_ref<const std::string&>();
    if (text.empty()) return where + " must not be empty";
    if (text.size() > kMaxNameBytes) return where + " is too long";
    out = text;
    return {};
}

// An integer in [minimum, kMaxPosition]. nlohmann reads non-negative integers as unsigned,
// negative ones as signed and anything with a fraction or exponent as a float.
Problem read_position(const json& object, std::string_view owner, const char* name,
                      std::uint64_t minimum, std::uint64_t& out) {
    const std::string where = std::string(owner) + "." + name;
    const auto found = object.find(name);
    if (found == object.end()) return where + " is missing";
    if (found->is_number_integer() && !found->is_number_unsigned()) {
        return where + " must not be negative";
    }
    if (!found->is_number_unsigned()) return where + " must be an integer";
    const auto value = found->get<std::uint64_t>();
    if (value < minimum) return where + " must be at least " + std::to_string(minimum);
    if (value > kMaxPosition) return where + " is beyond 2^53 - 1";
    out = value;
    return {};
}

Decoded<Header> read_header(const json& document) {
    const auto found = document.find("delivery");
    if (found == document.end()) return Decoded<Header>::rejected("no delivery header");
    const json& header = *found;
    if (!header.is_object()) return Decoded<Header>::rejected("delivery must be an object");
    Header out;
    for (const Problem& problem :
         {read_name(header, "delivery", "producer", out.producer),
          read_name(header, "delivery", "epoch", out.epoch),
          read_position(header, "delivery", "seq", 1, out.seq),
          read_position(header, "delivery", "base", 1, out.base),
          only_members(header, "delivery", {"producer", "epoch", "seq", "base"})}) {
        if (!problem.empty()) return Decoded<Header>::rejected(problem);
    }
    if (out.base > out.seq)
        return Decoded<Header>::rejected("delivery.base is beyond delivery.seq");
    return {std::move(out), {}};
}

Decoded<DataFrame> decode_data_frame_unguarded(std::string_view body) {
    Decoded<json> parsed = parse_object(body, kMaxParsedBytes);
    if (!parsed) return Decoded<DataFrame>::rejected(parsed.error);
    json& document = *parsed.frame;
    Decoded<Header> header = read_header(document);
    if (!header) return Decoded<DataFrame>::rejected(header.error);
    DataFrame frame;
    frame.header = std::move(*header.frame);
    // The event is the body without its header: `"delivery":{...},` (12 bytes around it).
    const std::size_t header_bytes = document["delivery"].dump().size() + 12;
    const std::size_t event_bytes = body.size() > header_bytes ? body.size() - header_bytes : 0;
    if (event_bytes > kMaxEventBytes) {
        frame.event_error = "event of " + std::to_string(event_bytes) + " bytes exceeds " +
                            std::to_string(kMaxEventBytes);
        return {std::move(frame), {}};
    }
    document.erase("delivery");
    ParsedEnvelope envelope = validate_envelope(document);
    if (envelope) {
        frame.event = std::move(envelope.envelope);
    } else {
        frame.event_error = std::move(envelope.error);
    }
    return {std::move(frame), {}};
}

Decoded<Ack> decode_ack_unguarded(std::string_view body) {
    Decoded<json> parsed = parse_object(body, kMaxAckBytes);
    if (!parsed) return Decoded<Ack>::rejected(parsed.error);
    const json& document = *parsed.frame;
    Ack ack;
    for (const Problem& problem :
         {read_name(document, "ack", "consumer", ack.consumer),
          read_name(document, "ack", "topic", ack.topic),
          read_name(document, "ack", "epoch", ack.epoch),
          read_position(document, "ack", "seq", 0, ack.seq),
          only_members(document, "ack", {"consumer", "topic", "epoch", "seq", "gap"})}) {
        if (!problem.empty()) return Decoded<Ack>::rejected(problem);
    }
    const auto gap = document.find("gap");
    if (gap != document.end()) {
        if (!gap->is_boolean()) return Decoded<Ack>::rejected("ack.gap must be a boolean");
        ack.gap = gap->get<bool>();
    }
    return {std::move(ack), {}};
}

}  // namespace

bool nests_deeper_than(std::string_view text, int max_depth) {
    int depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (const char c : text) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) return true;
        } else if (c == ']' || c == '}') {
            --depth;  // unbalanced input is the parser's to refuse
        }
    }
    return false;
}

// The decoders promise not to throw: the only exception left possible is running out of
// memory, and that too becomes a reason rather than a dead I/O thread.
Decoded<DataFrame> decode_data_frame(std::string_view body) {
    try {
        return decode_data_frame_unguarded(body);
    } catch (const std::exception& error) {
        return Decoded<DataFrame>::rejected(std::string("undecodable: ") + error.what());
    }
}

Decoded<Ack> decode_ack(std::string_view body) {
    try {
        return decode_ack_unguarded(body);
    } catch (const std::exception& error) {
        return Decoded<Ack>::rejected(std::string("undecodable: ") + error.what());
    }
}

ParsedEnvelope decode_reply(std::string_view body) {
    try {
        Decoded<json> parsed = parse_object(body, kMaxEventBytes);
        if (!parsed) return {std::nullopt, parsed.error};
        return validate_envelope(*parsed.frame);
    } catch (const std::exception& error) {
        return {std::nullopt, std::string("undecodable: ") + error.what()};
    }
}

std::string encode_data_frame(const Header& header, std::string_view envelope_json) {
    const json member = {{"producer", header.producer},
                         {"epoch", header.epoch},
                         {"seq", header.seq},
                         {"base", header.base}};
    // The envelope's own members follow the header: "{" + header + "," + rest of the envelope.
    std::string body = "{\"delivery\":" + member.dump() + ",";
    body.append(envelope_json.substr(1));
    return body;
}

std::string encode_ack(const Ack& ack) {
    json body = {
        {"consumer", ack.consumer}, {"topic", ack.topic}, {"epoch", ack.epoch}, {"seq", ack.seq}};
    if (ack.gap) body["gap"] = true;
    return body.dump();
}

}  // namespace sb::delivery::wire
