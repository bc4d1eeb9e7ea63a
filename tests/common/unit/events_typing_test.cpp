// What the compiler refuses about events: a wire name sent with another type's payload, and a
// struct whose Fields<> list misses or repeats a member. The static_asserts are the test (this
// file would not compile if a mismatch compiled); the test cases show that a struct described
// once by its Fields<> travels with the same strictness as the real events.
#include <doctest/doctest.h>

#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "switchboard/events.h"

namespace sb {
namespace {

// ---- A name with the wrong payload does not compile -----------------------------------------

template <class Name, class Payload, class = void>
struct MakesEvent : std::false_type {};
template <class Name, class Payload>
struct MakesEvent<Name, Payload,
                  std::void_t<decltype(make_event(std::declval<Name>(), "router", "key",
                                                  std::declval<const Payload&>()))>>
    : std::true_type {};

using SendSmsName = decltype(event_type::send_sms);

static_assert(MakesEvent<SendSmsName, SendSms>::value, "a name takes its own payload");
static_assert(!MakesEvent<SendSmsName, CreateRoom>::value,
              "make_event(event_type::send_sms, ..., CreateRoom{}) must not compile");
static_assert(!MakesEvent<decltype(event_type::create_room), SendSms>::value,
              "make_event(event_type::create_room, ..., SendSms{}) must not compile");
static_assert(!MakesEvent<decltype(event_type::customer_message), AgentMessage>::value,
              "the two fact events are not interchangeable");
// Raw JSON may go under any name (hostile-input tests, relays); validate_envelope judges it.
static_assert(MakesEvent<SendSmsName, json>::value, "raw JSON under a known name");
static_assert(MakesEvent<std::string_view, json>::value, "raw JSON under a run-time name");

// Every name's payload struct is the one its constant says, for all of them.
template <class... Payload>
constexpr bool each_takes_its_own(EventName<Payload>...) {
    return (MakesEvent<EventName<Payload>, Payload>::value && ...);
}
static_assert(std::apply([](auto... names) { return each_takes_its_own(names...); },
                         event_type::all));

// ---- Every member of every struct is listed once --------------------------------------------

template <class... Payload>
constexpr bool each_lists_every_member(EventName<Payload>...) {
    return (lists_every_member<Payload>() && ...);
}
static_assert(std::apply([](auto... names) { return each_lists_every_member(names...); },
                         event_type::all));
static_assert(lists_every_member<CallInfo>() && lists_every_member<RoomSummary>() &&
              lists_every_member<Member>());

// These test structs live in an unnamed namespace, which is where ADL looks for their codec.
using sb::from_json;  // NOLINT(misc-unused-using-decls): nlohmann's ADL finds it here
using sb::to_json;    // NOLINT(misc-unused-using-decls): nlohmann's ADL finds it here

struct Probe {
    std::string to;
    int count = 0;
    std::string note;
};
struct MissesOne {
    std::string to;
    std::string text;  // added to the struct, never to its list
};
struct NameTwice {
    std::string to;
    std::string text;
};
struct MemberTwice {
    std::string to;
    std::string text;
};

}  // namespace

template <>
struct Fields<Probe> : FieldRules {
    static constexpr auto list = std::make_tuple(required(&Probe::to, "to", e164),
                                                 optional(&Probe::count, "count", non_negative),
                                                 optional(&Probe::note, "note"));
};
template <>
struct Fields<MissesOne> : FieldRules {
    static constexpr auto list = std::make_tuple(required(&MissesOne::to, "to"));
};
template <>
struct Fields<NameTwice> : FieldRules {
    static constexpr auto list =
        std::make_tuple(required(&NameTwice::to, "to"), required(&NameTwice::text, "to"));
};
template <>
struct Fields<MemberTwice> : FieldRules {
    static constexpr auto list =
        std::make_tuple(required(&MemberTwice::to, "to"), required(&MemberTwice::to, "text"));
};

namespace {

static_assert(lists_every_member<Probe>());
static_assert(!lists_every_member<MissesOne>(), "a member missing from the list is caught");
static_assert(!lists_every_member<NameTwice>(), "two members under one JSON name are caught");
static_assert(!lists_every_member<MemberTwice>(), "one member listed twice is caught");
static_assert(!has_fields<Envelope>, "the envelope keeps its own hand-written codec");

}  // namespace
}  // namespace sb

using namespace sb;

TEST_CASE("a struct described once by its Fields<> reads and writes like the events do") {
    const Probe probe{"+12088675309", 3, ""};
    const json written = probe;
    CHECK(written == json{{"to", "+12088675309"}, {"count", 3}});  // an empty optional stays out
    const auto back = written.get<Probe>();
    CHECK(back.to == probe.to);
    CHECK(back.count == 3);
    CHECK(back.note.empty());

    const auto refused_with = [](const json& document) -> std::string {
        try {
            (void)document.get<Probe>();
        } catch (const std::exception& error) {
            return error.what();
        }
        return "accepted";
    };
    CHECK(refused_with(json::object()) == "missing to");
    CHECK(refused_with({{"to", nullptr}}) == "missing to");
    CHECK(refused_with({{"to", "2088675309"}}) == "to must be an E.164 number");
    CHECK(refused_with({{"to", "+12088675309"}, {"count", -1}}) == "count must be at least 0");
    CHECK(refused_with({{"to", "+12088675309"}, {"count", 4294967297LL}}) ==
          "count is out of range");
    CHECK(refused_with({{"to", "+12088675309"}, {"note", 5}}) == "note must be a string");
    CHECK(refused_with(json::array()) == "expected an object");
}

TEST_CASE("each event name reads as its wire string") {
    CHECK(std::string(event_type::send_sms) == "SendSms");
    const std::string type = "SendSms";
    CHECK(type == event_type::send_sms);
    CHECK(event_type::send_sms == std::string_view("SendSms"));
    CHECK(type != event_type::create_room);
    CHECK(make_event(event_type::send_sms, "router", "k", SendSms{"+12088675309", "hi", ""}).type ==
          "SendSms");
    CHECK(std::tuple_size_v<decltype(event_type::all)> == known_event_types().size());
}
