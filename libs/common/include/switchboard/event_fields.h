#pragma once
// How an event struct maps to its JSON, said once per struct: a Fields<Struct> beside the struct
// in events.h lists each member with its JSON name, whether it must be present, and the rule its
// value must follow. The one encoder and decoder (event_codec.h) walk that list, and refuse to
// compile a list that misses a member of its struct (lists_every_member).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace sb {

// Specialised beside each struct that travels as JSON; empty for every other type.
template <class Struct>
struct Fields {};

// A rule a member's value must follow beyond its JSON type; it throws naming the field. Integers
// are checked before they are narrowed, so a rule sees the value the sender wrote.
template <class Member>
struct CheckedAs {
    using type = const Member&;
};
template <>
struct CheckedAs<int> {
    using type = std::int64_t;
};
template <class Member>
using Rule = void (*)(typename CheckedAs<Member>::type value, const char* name);

template <class Struct, class Member>
struct Field {
    Member Struct::*member;
    const char* name;
    bool required;        // absent or null is an error; else it reads as empty, 0 or false
    bool always_written;  // else written only when set: not empty, not 0, not false
    Rule<Member> rule;

    // An optional member that is written even when empty, as the schema's readers expect it.
    constexpr Field written_always() const {
        Field copy = *this;
        copy.always_written = true;
        return copy;
    }
};

// Thrown by a rule; defined in events.cpp so that the message reaches the caller as the reason.
[[noreturn]] void contract_violation(const std::string& reason);

// The vocabulary of a Fields<> list: a specialisation derives from it to name these unqualified.
struct FieldRules {
    template <class Struct, class Member>
    static constexpr Field<Struct, Member> required(Member Struct::*member, const char* name,
                                                    Rule<Member> rule = nullptr) {
        return {member, name, true, true, rule};
    }
    template <class Struct, class Member>
    static constexpr Field<Struct, Member> optional(Member Struct::*member, const char* name,
                                                    Rule<Member> rule = nullptr) {
        return {member, name, false, false, rule};
    }

    static void e164(const std::string& value, const char* name);
    static void not_empty(const std::string& value, const char* name);
    static void non_negative(std::int64_t value, const char* name);
    template <const auto& Allowed>
    static void one_of(const std::string& value, const char* name) {
        for (const std::string_view candidate : Allowed) {
            if (value == candidate) return;
        }
        contract_violation(std::string(name) + " has an unknown value");
    }
};

namespace detail {

// Converts to any member type; only ever named in unevaluated brace-initialisation.
struct AnyMember {
    template <class Member>
    operator Member() const;
};

template <class Struct, class Indices, class = void>
struct BraceInitializable : std::false_type {};
template <class Struct, std::size_t... I>
struct BraceInitializable<Struct, std::index_sequence<I...>,
                          std::void_t<decltype(Struct{(void(I), AnyMember{})...})>>
    : std::true_type {};

// How many members an aggregate has: the most initialisers its braces take.
template <class Struct, std::size_t Count = 0>
constexpr std::size_t member_count() {
    if constexpr (BraceInitializable<Struct, std::make_index_sequence<Count + 1>>::value) {
        return member_count<Struct, Count + 1>();
    } else {
        return Count;
    }
}

template <class Tuple, std::size_t... I>
constexpr bool names_distinct([[maybe_unused]] const Tuple& fields, std::index_sequence<I...>) {
    const std::string_view names[] = {std::string_view(std::get<I>(fields).name)..., ""};
    for (std::size_t a = 0; a < sizeof...(I); ++a) {
        for (std::size_t b = a + 1; b < sizeof...(I); ++b) {
            if (names[a] == names[b]) return false;
        }
    }
    return true;
}

template <std::size_t A, std::size_t B, class Tuple>
constexpr bool same_member(const Tuple& fields) {
    using First = std::tuple_element_t<A, Tuple>;
    using Second = std::tuple_element_t<B, Tuple>;
    if constexpr (A < B && std::is_same_v<First, Second>) {
        return std::get<A>(fields).member == std::get<B>(fields).member;
    } else {
        return false;
    }
}
template <std::size_t A, class Tuple, std::size_t... B>
constexpr bool listed_again(const Tuple& fields, std::index_sequence<B...>) {
    return (same_member<A, B>(fields) || ...);
}
template <class Tuple, std::size_t... A>
constexpr bool members_distinct([[maybe_unused]] const Tuple& fields,
                                [[maybe_unused]] std::index_sequence<A...> all) {
    return !(listed_again<A>(fields, all) || ...);
}

}  // namespace detail

template <class Struct, class = void>
inline constexpr bool has_fields = false;
template <class Struct>
inline constexpr bool has_fields<Struct, std::void_t<decltype(Fields<Struct>::list)>> = true;

// Each member of the struct is listed once, under a name no other member uses. A member added to
// the struct but not to its list would silently never travel; the codec makes that an error.
template <class Struct>
constexpr bool lists_every_member() {
    constexpr auto& list = Fields<Struct>::list;
    constexpr std::size_t listed = std::tuple_size_v<std::decay_t<decltype(list)>>;
    return detail::member_count<Struct>() == listed &&
           detail::members_distinct(list, std::make_index_sequence<listed>()) &&
           detail::names_distinct(list, std::make_index_sequence<listed>());
}

}  // namespace sb
