#pragma once
// The one JSON encoder and decoder for every struct with a Fields<> list (event_fields.h).
// Decoding is strict, because it reads untrusted bytes: a required member that is absent or null,
// a value of the wrong JSON type, an integer beyond int, a text beyond its cap or a broken rule
// is an error whose message names the member. nlohmann's own get<int>() would wrap 4294967297
// into 1 without a word, and its own type errors would not say which field.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "switchboard/event_fields.h"

namespace sb {

using json = nlohmann::json;

namespace codec {

inline constexpr std::size_t kMaxTextBytes = 64 * 1024;

inline void expect_object(const json& in) {
    if (!in.is_object()) contract_violation("expected an object");
}

// ---- One JSON value into one member, by the member's type ---------------------------------

inline void decode(const json& in, const char* name, Rule<std::string> rule, std::string& out) {
    if (!in.is_string()) contract_violation(std::string(name) + " must be a string");
    out = in.get<std::string>();
    if (out.size() > kMaxTextBytes) contract_violation(std::string(name) + " is too long");
    if (rule) rule(out, name);
}

inline void decode(const json& in, const char* name, Rule<std::vector<std::string>> rule,
                   std::vector<std::string>& out) {
    if (!in.is_array()) contract_violation(std::string(name) + " must be an array");
    out.clear();
    for (const json& item : in) {
        if (!item.is_string()) contract_violation(std::string(name) + " must hold strings");
        out.push_back(item.get<std::string>());
    }
    if (rule) rule(out, name);
}

// A number must fit before it is taken.
inline void decode(const json& in, const char* name, Rule<int> rule, int& out) {
    if (!in.is_number_integer()) contract_violation(std::string(name) + " must be an integer");
    constexpr auto kIntMax = static_cast<std::uint64_t>(std::numeric_limits<int>::max());
    if (in.is_number_unsigned() && in.get<std::uint64_t>() > kIntMax) {
        contract_violation(std::string(name) + " is out of range");
    }
    const auto value = in.get<std::int64_t>();  // exact: unsigned ones fit by now
    if (value > std::numeric_limits<int>::max()) {
        contract_violation(std::string(name) + " is out of range");
    }
    if (rule) rule(value, name);
    if (value < std::numeric_limits<int>::min()) {
        contract_violation(std::string(name) + " must be at least " +
                           std::to_string(std::numeric_limits<int>::min()));
    }
    out = static_cast<int>(value);
}

inline void decode(const json& in, const char* name, Rule<bool> rule, bool& out) {
    if (!in.is_boolean()) contract_violation(std::string(name) + " must be a boolean");
    out = in.get<bool>();
    if (rule) rule(out, name);
}

// Nested structs decode through their own Fields<> (nlohmann calls from_json below).
template <class Item>
void decode(const json& in, const char* name, Rule<std::vector<Item>> rule,
            std::vector<Item>& out) {
    if (!in.is_array()) contract_violation(std::string(name) + " must be an array");
    out = in.get<std::vector<Item>>();
    if (rule) rule(out, name);
}

template <class Item>
void decode(const json& in, const char* name, Rule<std::optional<Item>> rule,
            std::optional<Item>& out) {
    out = in.get<Item>();
    if (rule) rule(out, name);
}

// ---- Whether an optional member is set, so worth writing ----------------------------------

template <class Member>
bool is_set(const Member& value) {
    if constexpr (std::is_same_v<Member, int>) {
        return value != 0;
    } else if constexpr (std::is_same_v<Member, bool>) {
        return value;
    } else {
        return !value.empty();  // strings and lists
    }
}
template <class Item>
bool is_set(const std::optional<Item>& value) {
    return value.has_value();
}

template <class Member>
void encode(json& out, const char* name, const Member& value) {
    out[name] = value;
}
template <class Item>
void encode(json& out, const char* name, const std::optional<Item>& value) {
    if (value) out[name] = *value;
}

// ---- A whole struct, member by member in its list's order ---------------------------------

template <class Struct, class Member>
void read_field(const json& in, const Field<Struct, Member>& field, Struct& value) {
    Member& member = value.*field.member;
    const auto found = in.find(field.name);
    if (found == in.end() || found->is_null()) {
        if (field.required) contract_violation(std::string("missing ") + field.name);
        member = Member{};
        return;
    }
    decode(*found, field.name, field.rule, member);
}

template <class Struct, class Member>
void write_field(json& out, const Field<Struct, Member>& field, const Struct& value) {
    const Member& member = value.*field.member;
    if (field.always_written || is_set(member)) encode(out, field.name, member);
}

template <class Struct>
constexpr void check_list() {
    static_assert(lists_every_member<Struct>(),
                  "Fields<> must list every member of its struct once, under distinct names");
}

}  // namespace codec

template <class Struct, std::enable_if_t<has_fields<Struct>, int> = 0>
void to_json(json& out, const Struct& value) {
    codec::check_list<Struct>();
    out = json::object();
    std::apply([&](const auto&... field) { (codec::write_field(out, field, value), ...); },
               Fields<Struct>::list);
}

template <class Struct, std::enable_if_t<has_fields<Struct>, int> = 0>
void from_json(const json& in, Struct& value) {
    codec::check_list<Struct>();
    codec::expect_object(in);
    std::apply([&](const auto&... field) { (codec::read_field(in, field, value), ...); },
               Fields<Struct>::list);
}

}  // namespace sb
