// The delivery contract in one process: real ZeroMQ sockets through a real BusProxy on loopback.
// Multi-process scenarios (restarts, kill -9, 10,000 events) are in tests/component.
// The checked decoders' tables of hostile frames are in delivery_wire_test.cpp.
#include "switchboard/delivery.h"

#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <mutex>

#include "delivery_frames.h"
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
using testing::ack_with;
using testing::good_event;

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
