// The delivery contract in one process: real ZeroMQ sockets through a real BusProxy on loopback.
// Multi-process scenarios (restarts, kill -9, 10,000 events) are in tests/component.
#include "switchboard/delivery.h"

#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <mutex>

#include "in_process_bus.h"
#include "process.h"
#include "switchboard/delivery_wire.h"
#include "switchboard/time_format.h"
#include "switchboard/topics.h"

using namespace sb;
using namespace std::chrono_literals;

namespace {

using Bus = testing::InProcessBus;
using testing::options_for;
constexpr auto message_for = testing::customer_event;

struct Recorder {
    std::mutex mutex;
    std::vector<std::string> texts;
    void add(const Envelope& event) {
        std::lock_guard lock(mutex);
        texts.push_back(event.payload_as<CustomerMessage>().text);
    }
    size_t size() {
        std::lock_guard lock(mutex);
        return texts.size();
    }
    std::vector<std::string> copy() {
        std::lock_guard lock(mutex);
        return texts;
    }
};

}  // namespace

TEST_CASE("an event published before its consumer exists still arrives, once") {
    Bus bus;
    const auto dir = std::filesystem::path(testing::make_temp_dir("delivery"));
    delivery::Node producer(options_for(bus, "producer", dir));
    producer.start();
    for (int i = 1; i <= 3; ++i) producer.publish("test.topic", message_for(std::to_string(i)));
    CHECK(producer.stats().pending_out == 3);

    Recorder seen;
    delivery::Node consumer(options_for(bus, "consumer", dir, {"test.topic"}));
    consumer.on_event(
        [&](const delivery::Inbound& inbound, delivery::Transaction&) { seen.add(inbound.event); });
    consumer.start();
    REQUIRE(testing::wait_until([&] { return producer.stats().pending_out == 0; }, 10s));
    REQUIRE(testing::wait_until([&] { return seen.size() == 3; }, 5s));
    CHECK(seen.copy() == std::vector<std::string>{"1", "2", "3"});
    CHECK(consumer.stats().accepted == 3);
}

TEST_CASE("a held event comes back after a restart until a transaction completes it") {
    Bus bus;
    const auto dir = std::filesystem::path(testing::make_temp_dir("delivery"));
    delivery::Node producer(options_for(bus, "producer", dir));
    producer.start();
    producer.publish("test.topic", message_for("hold me"));

    std::optional<delivery::InboundRef> held;
    {
        delivery::Node consumer(options_for(bus, "consumer", dir, {"test.topic"}));
        consumer.on_event([&](const delivery::Inbound& inbound, delivery::Transaction& tx) {
            held = inbound.ref;
            tx.hold();
        });
        consumer.start();
        REQUIRE(testing::wait_until([&] { return consumer.stats().pending_in == 1 && held; }, 10s));
        CHECK(testing::wait_until([&] { return producer.stats().pending_out == 0; }, 5s));
    }
    Recorder replayed;
    {
        delivery::Node consumer(options_for(bus, "consumer", dir, {"test.topic"}));
        consumer.on_event([&](const delivery::Inbound& inbound, delivery::Transaction& tx) {
            replayed.add(inbound.event);
            CHECK(inbound.ref == *held);
            tx.hold();
        });
        consumer.start();
        REQUIRE(testing::wait_until([&] { return replayed.size() == 1; }, 5s));
        delivery::Transaction done;
        done.complete(*held);
        consumer.commit(std::move(done));
        CHECK(consumer.stats().pending_in == 0);
    }
    Recorder after_completion;
    delivery::Node consumer(options_for(bus, "consumer", dir, {"test.topic"}));
    consumer.on_event([&](const delivery::Inbound& inbound, delivery::Transaction&) {
        after_completion.add(inbound.event);
    });
    consumer.start();
    CHECK(consumer.stats().pending_in == 0);
    producer.publish("test.topic", message_for("next"));
    REQUIRE(testing::wait_until([&] { return after_completion.size() == 1; }, 5s));
    CHECK(after_completion.copy() == std::vector<std::string>{"next"});
}

TEST_CASE("a handler's outputs travel with the completion of its event") {
    Bus bus;
    const auto dir = std::filesystem::path(testing::make_temp_dir("delivery"));
    delivery::Node relay(options_for(bus, "relay", dir, {"a"}));
    relay.on_event([](const delivery::Inbound& inbound, delivery::Transaction& tx) {
        tx.publish("b", inbound.event);
    });
    Recorder seen;
    delivery::Node sink(options_for(bus, "sink", dir, {"b"}));
    sink.on_event(
        [&](const delivery::Inbound& inbound, delivery::Transaction&) { seen.add(inbound.event); });
    delivery::Node producer(options_for(bus, "producer", dir));
    relay.start();
    sink.start();
    producer.start();
    for (int i = 0; i < 50; ++i) producer.publish("a", message_for(std::to_string(i)));
    REQUIRE(testing::wait_until([&] { return seen.size() == 50; }, 10s));
    const auto texts = seen.copy();
    for (int i = 0; i < 50; ++i) CHECK(texts[static_cast<size_t>(i)] == std::to_string(i));
    REQUIRE(testing::wait_until([&] { return relay.stats().pending_out == 0; }, 5s));
    CHECK(relay.stats().handled == 50);
}

TEST_CASE("a handler that throws sets its event aside instead of retrying it forever") {
    Bus bus;
    const auto dir = std::filesystem::path(testing::make_temp_dir("delivery"));
    Recorder seen;
    delivery::Node consumer(options_for(bus, "consumer", dir, {"t"}));
    consumer.on_event([&](const delivery::Inbound& inbound, delivery::Transaction&) {
        seen.add(inbound.event);
        if (inbound.event.payload_as<CustomerMessage>().text == "poison") {
            throw std::runtime_error("cannot handle");
        }
    });
    delivery::Node producer(options_for(bus, "producer", dir));
    consumer.start();
    producer.start();
    producer.publish("t", message_for("poison"));
    producer.publish("t", message_for("fine"));
    REQUIRE(testing::wait_until([&] { return seen.size() == 2; }, 10s));
    REQUIRE(testing::wait_until([&] { return consumer.stats().pending_in == 0; }, 5s));
    const std::string letters = testing::read_file((dir / "consumer.dead-letters.jsonl").string());
    CHECK(letters.find("cannot handle") != std::string::npos);
}

TEST_CASE("forged, malformed and invalid frames are refused without harm") {
    Bus bus;
    const auto dir = std::filesystem::path(testing::make_temp_dir("delivery"));
    Recorder seen;
    delivery::Node consumer(options_for(bus, "consumer", dir, {"t"}));
    consumer.on_event(
        [&](const delivery::Inbound& inbound, delivery::Transaction&) { seen.add(inbound.event); });
    consumer.start();

    zmq::socket_t raw(bus.context, zmq::socket_type::pub);
    raw.connect(bus.proxy.publish_endpoint());
    zmq::socket_t acks(bus.context, zmq::socket_type::sub);
    acks.set(zmq::sockopt::subscribe, topics::acks_for("rogue"));
    acks.set(zmq::sockopt::rcvtimeo, 50);
    acks.connect(bus.proxy.subscribe_endpoint());

    const json valid_event = json(stamp(message_for("hello")));
    json invalid_event = valid_event;
    invalid_event["payload"]["customer"] = "not a number";
    const auto with_header = [](json event, int seq) {
        event["delivery"] = {{"producer", "rogue"}, {"epoch", "e1"}, {"seq", seq}, {"base", 1}};
        return event.dump();
    };
    // Keep sending until the consumer has judged all of them: the first sends may be lost to
    // the slow-joiner window, and the contract is what makes them arrive, so repeat like a
    // producer would.
    REQUIRE(testing::wait_until(
        [&] {
            for (const std::string& body :
                 {std::string("not json"), std::string("[1,2,3]"), valid_event.dump(),
                  with_header(invalid_event, 1), with_header(valid_event, 2)}) {
                raw.send(zmq::str_buffer("t"), zmq::send_flags::sndmore);
                raw.send(zmq::buffer(body), zmq::send_flags::none);
            }
            raw.send(zmq::str_buffer("t"), zmq::send_flags::none);  // one frame only
            return seen.size() == 1;
        },
        10s));
    CHECK(seen.copy() == std::vector<std::string>{"hello"});
    CHECK(consumer.stats().rejected >= 4);
    const std::string letters = testing::read_file((dir / "consumer.dead-letters.jsonl").string());
    CHECK(letters.find("customer must be an E.164 number") != std::string::npos);
    // The dead-lettered event was acknowledged with the rest: a producer would not resend it.
    bool acked_both = false;
    REQUIRE(testing::wait_until(
        [&] {
            zmq::message_t topic, body;
            if (!acks.recv(topic)) return false;
            (void)acks.recv(body);
            acked_both = json::parse(body.to_string())["seq"] == 2;
            return acked_both;
        },
        5s));
}

TEST_CASE("a reply reaches the waiting instance without being journaled") {
    Bus bus;
    const auto dir = std::filesystem::path(testing::make_temp_dir("delivery"));
    std::atomic<int> replies{0};
    delivery::Node waiter(options_for(bus, "waiter", dir));
    waiter.on_reply([&](const Envelope& event) {
        if (event.payload_as<CallDecision>().forward_to == "+18005551234") ++replies;
    });
    delivery::Node answerer(options_for(bus, "answerer", dir));
    waiter.start();
    answerer.start();
    REQUIRE(testing::wait_until(
        [&] {
            answerer.send_now(topics::replies_for("waiter"),
                              make_event(event_type::call_decision, "answerer", "c1",
                                         CallDecision{"c1", "+18005551234"}));
            return testing::wait_until([&] { return replies > 0; }, 100ms);
        },
        10s));
    CHECK(answerer.stats().pending_out == 0);
}

// ---- The checked decoders: tables of hostile frames, no sockets ------------------------------

namespace {

namespace wire = delivery::wire;

struct BadFrame {
    std::string what;
    std::string body;
    std::string reason;  // a part of the reason the decoder must give
};

json good_header() {
    return {{"producer", "p1"}, {"epoch", "e1"}, {"seq", 3}, {"base", 2}};
}

json good_event() {
    return json(stamp(message_for("hello")));
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

json good_ack() {
    return {{"consumer", "c1"}, {"topic", "t"}, {"epoch", "e1"}, {"seq", 7}};
}

std::string ack_with(const std::string& name, const json& value) {
    json ack = good_ack();
    if (value.is_null()) {
        ack.erase(name);
    } else {
        ack[name] = value;
    }
    return ack.dump();
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

TEST_CASE("hostile acks, replies and frames do not stop a node, and it goes on working") {
    Bus bus;
    const auto dir = std::filesystem::path(testing::make_temp_dir("delivery"));
    std::atomic<int> replies{0};
    delivery::Node producer(options_for(bus, "producer", dir));
    producer.on_reply([&](const Envelope&) {
        ++replies;
        throw std::runtime_error("a reply handler that throws");
    });
    Recorder seen;
    delivery::Node consumer(options_for(bus, "consumer", dir, {"t"}));
    consumer.on_event(
        [&](const delivery::Inbound& inbound, delivery::Transaction&) { seen.add(inbound.event); });
    producer.start();
    consumer.start();

    zmq::socket_t raw(bus.context, zmq::socket_type::pub);
    raw.connect(bus.proxy.publish_endpoint());
    const std::string ack_topic = topics::acks_for("producer");
    const std::string reply_topic = topics::replies_for("producer");
    const auto send = [&](const std::string& topic, const std::string& body) {
        raw.send(zmq::buffer(topic), zmq::send_flags::sndmore);
        raw.send(zmq::buffer(body), zmq::send_flags::none);
    };
    const std::vector<std::string> hostile_acks = {
        R"({"epoch": 5})",
        ack_with("gap", "yes"),
        R"({"consumer":"c","topic":"t","epoch":"e","seq":-1})",
        "[]",
        "\xff\xfe",
    };
    // Repeated until both have counted every kind: the first sends may be lost to the
    // slow-joiner window of the raw socket.
    REQUIRE(testing::wait_until(
        [&] {
            for (const std::string& body : hostile_acks) send(ack_topic, body);
            send(reply_topic, "{\"id\": 5}");
            send(reply_topic, good_event().dump());  // valid, but its handler throws
            raw.send(zmq::buffer(ack_topic), zmq::send_flags::none);  // one frame only
            const auto stats = producer.stats();
            return stats.malformed_control >= hostile_acks.size() + 2 && stats.failures >= 1;
        },
        10s));
    CHECK(replies > 0);
    // Still in business: an event travels, is acked, and is handled.
    producer.publish("t", message_for("after the storm"));
    REQUIRE(testing::wait_until([&] { return seen.size() == 1; }, 10s));
    CHECK(seen.copy() == std::vector<std::string>{"after the storm"});
    REQUIRE(testing::wait_until([&] { return producer.stats().pending_out == 0; }, 10s));
}
