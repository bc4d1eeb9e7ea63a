// The delivery contract's checked decoders (switchboard/delivery_wire.h): tables of hostile
// frames, no sockets. The node's behaviour around them is in delivery_test.cpp.
#include "switchboard/delivery_wire.h"

#include <doctest/doctest.h>

#include "delivery_frames.h"
#include "in_process_bus.h"

using namespace sb;

namespace {

constexpr auto message_for = testing::customer_event;
using testing::ack_with;
using testing::good_event;
namespace wire = delivery::wire;

struct BadFrame {
    std::string what;
    std::string body;
    std::string reason;  // a part of the reason the decoder must give
};

json good_header() {
    return {{"producer", "p1"}, {"epoch", "e1"}, {"seq", 3}, {"base", 2}};
}

// The good frame with the header member `name` set to `value` (or removed, for null).
std::string with_header_member(const std::string& name, const json& value) {
    json header = good_header();
    if (value.is_null()) {
        header.erase(name);
    } else {
        header[name] = value;
    }
    json frame = good_event();
    frame["delivery"] = header;
    return frame.dump();
}

std::string with_delivery(const json& delivery) {
    json frame = good_event();
    frame["delivery"] = delivery;
    return frame.dump();
}

std::string nested(int depth) {
    return "{\"delivery\":" + good_header().dump() + ",\"x\":" + std::string(depth, '[') +
           std::string(depth, ']') + "}";
}

}  // namespace

TEST_CASE("a data frame survives encode and decode unchanged") {
    const Envelope event = stamp(message_for("hello"));
    const std::string body = wire::encode_data_frame({"p1", "e1", 3, 2}, json(event).dump());
    const auto decoded = wire::decode_data_frame(body);
    REQUIRE_MESSAGE(decoded, decoded.error);
    CHECK(decoded.frame->header.producer == "p1");
    CHECK(decoded.frame->header.epoch == "e1");
    CHECK(decoded.frame->header.seq == 3);
    CHECK(decoded.frame->header.base == 2);
    REQUIRE(decoded.frame->event);
    CHECK(decoded.frame->event->id == event.id);
    CHECK(decoded.frame->event->payload_as<CustomerMessage>().text == "hello");
    CHECK(decoded.frame->event_error.empty());
    // The largest position the contract allows is still a position.
    const auto last = wire::decode_data_frame(with_header_member("seq", wire::kMaxPosition));
    CHECK_MESSAGE(last, last.error);
}

TEST_CASE("a data frame without a sound header is refused with a reason") {
    const std::vector<BadFrame> table = {
        {"empty", "", "not valid JSON"},
        {"not JSON", "not json", "not valid JSON"},
        {"truncated", good_event().dump().substr(0, 40), "not valid JSON"},
        {"an array", "[1,2,3]", "not a JSON object"},
        {"a number", "42", "not a JSON object"},
        {"a string", "\"hello\"", "not a JSON object"},
        {"null", "null", "not a JSON object"},
        {"invalid UTF-8 in a string", with_header_member("producer", "p1").insert(2, "\xff"),
         "not valid JSON"},
        {"an overlong UTF-8 sequence",
         "{\"delivery\":{\"producer\":\"\xc0\xaf\",\"epoch\":\"e\",\"seq\":1,\"base\":1}}",
         "not valid JSON"},
        {"a lone surrogate",
         "{\"delivery\":{\"producer\":\"\\ud800\",\"epoch\":\"e\",\"seq\":1,\"base\":1}}",
         "not valid JSON"},
        {"bigger than anything parsed", std::string(wire::kMaxParsedBytes + 1, ' '), "exceeds"},
        {"nested 10,000 deep", nested(10000), "nested deeper than"},
        {"nested one level too deep", nested(wire::kMaxDepth), "nested deeper than"},
        {"no header", good_event().dump(), "no delivery header"},
        {"header is an array", with_delivery(json::array({1, 2})), "delivery must be an object"},
        {"header is a string", with_delivery("p1|e1|3"), "delivery must be an object"},
        {"header is null", with_delivery(nullptr), "delivery must be an object"},
        {"producer missing", with_header_member("producer", nullptr),
         "delivery.producer is missing"},
        {"producer a number", with_header_member("producer", 5),
         "delivery.producer must be a string"},
        {"producer empty", with_header_member("producer", ""),
         "delivery.producer must not be empty"},
        {"producer huge", with_header_member("producer", std::string(300, 'p')),
         "delivery.producer is too long"},
        {"producer an object", with_header_member("producer", json{{"a", 1}}),
         "delivery.producer must be a string"},
        {"epoch a boolean", with_header_member("epoch", true), "delivery.epoch must be a string"},
        {"epoch missing", with_header_member("epoch", nullptr), "delivery.epoch is missing"},
        {"seq a string", with_header_member("seq", "3"), "delivery.seq must be an integer"},
        {"seq negative", with_header_member("seq", -1), "delivery.seq must not be negative"},
        {"seq zero", with_header_member("seq", 0), "delivery.seq must be at least 1"},
        {"seq a fraction", with_header_member("seq", 2.5), "delivery.seq must be an integer"},
        {"seq beyond 2^53", with_header_member("seq", wire::kMaxPosition + 1),
         "delivery.seq is beyond"},
        {"seq beyond 2^64",
         R"({"delivery":{"producer":"p","epoch":"e","seq":18446744073709551616,"base":1}})",
         "delivery.seq must be an integer"},
        {"seq an array", with_header_member("seq", json::array({3})),
         "delivery.seq must be an integer"},
        {"base missing", with_header_member("base", nullptr), "delivery.base is missing"},
        {"base negative", with_header_member("base", -5), "delivery.base must not be negative"},
        {"base past seq", with_header_member("base", 4), "delivery.base is beyond delivery.seq"},
        {"an unknown header member", with_header_member("priority", 1),
         "delivery has an unknown member 'priority'"},
    };
    for (const BadFrame& bad : table) {
        CAPTURE(bad.what);
        const auto decoded = wire::decode_data_frame(bad.body);
        CHECK_FALSE(decoded);
        CHECK_MESSAGE(decoded.error.find(bad.reason) != std::string::npos, decoded.error);
    }
}

TEST_CASE("a sound header around a bad event keeps its place, with the event's reason") {
    const auto frame_with = [](json event) {
        event["delivery"] = good_header();
        return event.dump();
    };
    json no_payload = good_event();
    no_payload.erase("payload");
    json wrong_type = good_event();
    wrong_type["payload"]["text"] = 42;
    json unknown = good_event();
    unknown["type"] = "DropAllTables";
    json huge_version = good_event();
    huge_version["schema_version"] = 4294967297ULL;  // get<int>() would read 1
    json big = good_event();
    big["payload"]["pad"] = std::string(kMaxEventBytes + 10, 'x');
    const std::vector<BadFrame> table = {
        {"no payload", frame_with(no_payload), "missing payload"},
        {"a field of the wrong type", frame_with(wrong_type), "text must be a string"},
        {"an unknown type", frame_with(unknown), "unknown event type"},
        {"a schema version that wraps", frame_with(huge_version), "unsupported schema_version"},
        {"an oversized event", frame_with(big), "exceeds"},
    };
    for (const BadFrame& bad : table) {
        CAPTURE(bad.what);
        const auto decoded = wire::decode_data_frame(bad.body);
        REQUIRE_MESSAGE(decoded, decoded.error);
        CHECK(decoded.frame->header.seq == 3);
        CHECK_FALSE(decoded.frame->event);
        CHECK_MESSAGE(decoded.frame->event_error.find(bad.reason) != std::string::npos,
                      decoded.frame->event_error);
    }
}

TEST_CASE("an ack survives encode and decode unchanged") {
    for (const bool gap : {false, true}) {
        const auto decoded = wire::decode_ack(wire::encode_ack({"c1", "t", "e1", 7, gap}));
        REQUIRE_MESSAGE(decoded, decoded.error);
        CHECK(decoded.frame->consumer == "c1");
        CHECK(decoded.frame->topic == "t");
        CHECK(decoded.frame->epoch == "e1");
        CHECK(decoded.frame->seq == 7);
        CHECK(decoded.frame->gap == gap);
    }
    const auto nothing_yet = wire::decode_ack(ack_with("seq", 0));
    REQUIRE_MESSAGE(nothing_yet, nothing_yet.error);
    CHECK(nothing_yet.frame->seq == 0);
}

TEST_CASE("a malformed ack is refused with a reason") {
    const std::vector<BadFrame> table = {
        {"only an epoch, a number (seen on main)", R"({"epoch": 5})", "ack.consumer is missing"},
        {"epoch a number", ack_with("epoch", 5), "ack.epoch must be a string"},
        {"gap a string (seen on main)", ack_with("gap", "yes"), "ack.gap must be a boolean"},
        {"gap a number", ack_with("gap", 1), "ack.gap must be a boolean"},
        {"gap null", R"({"consumer":"c","topic":"t","epoch":"e","seq":1,"gap":null})",
         "ack.gap must be a boolean"},
        {"topic an array", ack_with("topic", json::array({"t"})), "ack.topic must be a string"},
        {"topic missing", ack_with("topic", nullptr), "ack.topic is missing"},
        {"consumer empty", ack_with("consumer", ""), "ack.consumer must not be empty"},
        {"seq negative", ack_with("seq", -1), "ack.seq must not be negative"},
        {"seq a string", ack_with("seq", "7"), "ack.seq must be an integer"},
        {"seq a fraction", ack_with("seq", 7.5), "ack.seq must be an integer"},
        {"seq beyond 2^53", ack_with("seq", wire::kMaxPosition + 1), "ack.seq is beyond"},
        {"seq missing", ack_with("seq", nullptr), "ack.seq is missing"},
        {"an unknown member", ack_with("extra", true), "ack has an unknown member 'extra'"},
        {"nested inside", ack_with("extra", json{{"a", {{"b", 1}}}}), "unknown member"},
        {"an array", "[]", "not a JSON object"},
        {"not JSON", "ack!", "not valid JSON"},
        {"invalid UTF-8", "{\"consumer\":\"\xfe\xff\"}", "not valid JSON"},
        {"oversized", ack_with("consumer", std::string(wire::kMaxAckBytes, 'c')), "exceeds"},
        {"deeply nested", std::string(100, '[') + std::string(100, ']'), "nested deeper than"},
    };
    for (const BadFrame& bad : table) {
        CAPTURE(bad.what);
        const auto decoded = wire::decode_ack(bad.body);
        CHECK_FALSE(decoded);
        CHECK_MESSAGE(decoded.error.find(bad.reason) != std::string::npos, decoded.error);
    }
}

TEST_CASE("a reply is a checked envelope") {
    CHECK(wire::decode_reply(good_event().dump()));
    json bad_payload = good_event();
    bad_payload["payload"]["customer"] = 12088675309LL;
    const std::vector<BadFrame> table = {
        {"not an object", "[\"reply\"]", "not a JSON object"},
        {"bad payload", bad_payload.dump(), "customer must be a string"},
        {"nested deep", "{\"payload\":" + std::string(50, '[') + std::string(50, ']') + "}",
         "nested deeper than"},
        {"oversized", std::string(kMaxEventBytes + 1, ' '), "exceeds"},
        {"invalid UTF-8", "{\"id\":\"\x80\"}", "not valid JSON"},
    };
    for (const BadFrame& bad : table) {
        CAPTURE(bad.what);
        const ParsedEnvelope parsed = wire::decode_reply(bad.body);
        CHECK_FALSE(parsed);
        CHECK_MESSAGE(parsed.error.find(bad.reason) != std::string::npos, parsed.error);
    }
}

TEST_CASE("nesting is measured outside strings only") {
    CHECK_FALSE(wire::nests_deeper_than(R"({"a":[1,{"b":[]}]})", 4));
    CHECK(wire::nests_deeper_than(R"({"a":[1,{"b":[]}]})", 3));
    CHECK_FALSE(wire::nests_deeper_than(R"({"text":"[[[[[[[[[[[[["})", 1));
    CHECK_FALSE(wire::nests_deeper_than(R"({"text":"a \" [[[[[[[[ \\"})", 1));
    CHECK(wire::nests_deeper_than(R"({"text":"\\",[[]]})", 2));
    CHECK_FALSE(wire::nests_deeper_than("", 0));
}
