// The consumer's stream logic without sockets or a clock: decoded frames, journal positions and
// `now` in, verdicts, journal records and acks out (switchboard/delivery_incoming.h).
#include "switchboard/delivery_incoming.h"

#include <doctest/doctest.h>

#include "in_process_bus.h"
#include "switchboard/topics.h"

using namespace sb;
using namespace sb::delivery;
using namespace std::chrono_literals;

namespace {

const std::string kTopic = "test.topic";
const SteadyClock::time_point t0 = SteadyClock::time_point{} + 1h;

struct Sent {
    std::uint64_t seq;
    std::uint64_t base;
    bool sound = true;  // false: a sound header around a bad event
    std::string producer = "producer-1";
};

wire::DataFrame frame_of(const Sent& sent) {
    wire::DataFrame frame;
    frame.header = {sent.producer, "epoch-1", sent.seq, sent.base};
    if (sent.sound) {
        frame.event = testing::customer_event("event " + std::to_string(sent.seq));
    } else {
        frame.event_error = "payload.text is missing";
    }
    return frame;
}

// Feeds `frames` in order, journaling each record at the next position (from 1).
std::vector<Verdict> feed(Incoming& incoming, const std::vector<Sent>& frames,
                          std::uint64_t* position = nullptr) {
    std::uint64_t next_position = position ? *position : 0;
    std::vector<Verdict> verdicts;
    for (const Sent& sent : frames) {
        wire::DataFrame frame = frame_of(sent);
        const Arrival arrival = incoming.on_data(kTopic, frame);
        verdicts.push_back(arrival.verdict);
        const bool recorded =
            arrival.verdict == Verdict::accepted || arrival.verdict == Verdict::skipped;
        CHECK(arrival.record.has_value() == recorded);
        if (recorded) incoming.journaled(arrival, ++next_position, t0);
    }
    if (position) *position = next_position;
    return verdicts;
}

// The acks due, decoded: (seq, gap) per ack, all to producer-1 on kTopic.
std::vector<std::pair<std::uint64_t, bool>> acks(Incoming& incoming) {
    std::vector<std::pair<std::uint64_t, bool>> out;
    for (const Frame& frame : incoming.take_acks()) {
        CHECK(frame.topic == topics::acks_for("producer-1"));
        const auto decoded = wire::decode_ack(frame.body);
        REQUIRE_MESSAGE(decoded, decoded.error);
        CHECK(decoded.frame->consumer == "consumer-1");
        CHECK(decoded.frame->topic == kTopic);
        CHECK(decoded.frame->epoch == "epoch-1");
        out.emplace_back(decoded.frame->seq, decoded.frame->gap);
    }
    return out;
}

using Acks = std::vector<std::pair<std::uint64_t, bool>>;
constexpr Verdict A = Verdict::accepted;
constexpr Verdict S = Verdict::skipped;
constexpr Verdict D = Verdict::duplicate;
constexpr Verdict G = Verdict::out_of_order;

const std::string kStream = Incoming::stream_id("producer-1", "epoch-1", kTopic);

}  // namespace

TEST_CASE("incoming: a frame whose record was never appended is taken again") {
    Incoming incoming("consumer-1");
    wire::DataFrame first = frame_of({1, 1});
    CHECK(incoming.on_data(kTopic, first).verdict == A);  // the append failed: no journaled()
    CHECK(feed(incoming, {{1, 1}, {2, 1}}) == std::vector<Verdict>{A, A});
    CHECK(incoming.pending_count() == 2);
}

TEST_CASE("incoming: each frame's verdict follows the stream's position") {
    struct Row {
        const char* name;
        std::vector<Sent> frames;
        std::vector<Verdict> verdicts;
    };
    const Row rows[] = {
        {"in order", {{1, 1}, {2, 1}, {3, 1}}, {A, A, A}},
        {"a re-publication is a duplicate", {{1, 1}, {2, 1}, {1, 1}, {2, 1}}, {A, A, D, D}},
        {"past a gap, dropped until it is filled", {{1, 1}, {3, 1}, {2, 1}, {3, 1}}, {A, G, A, A}},
        {"a new stream starts at its base: the rest was acknowledged to an earlier life",
         {{5, 5}, {6, 5}},
         {A, A}},
        {"a new stream's first frame above its base is past a gap", {{5, 3}, {3, 3}}, {G, A}},
        {"a base moving on skips what the producer no longer has",
         {{1, 1}, {4, 4}, {3, 3}},
         {A, A, D}},
        {"a bad event keeps its place", {{1, 1, false}, {2, 1}, {1, 1, false}}, {S, A, D}},
        {"producers are separate streams",
         {{1, 1}, {1, 1, true, "producer-2"}, {2, 1, true, "producer-2"}, {2, 1}},
         {A, A, A, A}},
    };
    for (const Row& row : rows) {
        CAPTURE(std::string(row.name));
        Incoming incoming("consumer-1");
        CHECK(feed(incoming, row.frames) == row.verdicts);
    }
}

TEST_CASE("incoming: an accepted frame's record carries its event, a skipped one's, its place") {
    Incoming incoming("consumer-1");
    wire::DataFrame good = frame_of({1, 1});
    const Arrival accepted = incoming.on_data(kTopic, good);
    REQUIRE(accepted.record);
    const auto& in = std::get<records::In>(*accepted.record);
    CHECK(in.order == 1);
    CHECK(in.stream == kStream);
    CHECK(in.producer == "producer-1");
    CHECK(in.epoch == "epoch-1");
    CHECK(in.topic == kTopic);
    CHECK(in.seq == 1);
    CHECK(in.event.payload_as<CustomerMessage>().text == "event 1");
    CHECK(incoming.pending_count() == 0);  // not before its record is appended
    incoming.journaled(accepted, 1, t0);
    CHECK(incoming.pending_count() == 1);

    wire::DataFrame bad = frame_of({2, 1, false});
    const Arrival skipped = incoming.on_data(kTopic, bad);
    REQUIRE(skipped.record);
    const auto& skip = std::get<records::Skip>(*skipped.record);
    CHECK(skip.stream == kStream);
    CHECK(skip.seq == 2);
    incoming.journaled(skipped, 2, t0);
    CHECK(incoming.pending_count() == 1);  // a skipped event is never handed to the handler
}

TEST_CASE("incoming: an acceptance is acknowledged only once its record is on disk") {
    Incoming incoming("consumer-1");
    std::uint64_t position = 10;
    feed(incoming, {{1, 1}, {2, 1}, {3, 1}}, &position);  // at positions 11, 12, 13
    CHECK(incoming.awaiting_sync());
    CHECK(acks(incoming).empty());
    incoming.on_durable(10);
    CHECK(acks(incoming).empty());
    incoming.on_durable(12);
    CHECK(acks(incoming) == Acks{{2, false}});
    CHECK(acks(incoming).empty());  // said once
    incoming.on_durable(13);
    CHECK(acks(incoming) == Acks{{3, false}});
    CHECK_FALSE(incoming.awaiting_sync());
}

TEST_CASE("incoming: duplicates and gaps are answered with what is on disk") {
    struct Row {
        const char* name;
        std::vector<Sent> then;
        Acks expected;
    };
    // Two events accepted and on disk, their ack already sent.
    const Row rows[] = {
        {"a duplicate: the producer missed an ack", {{2, 1}}, {{2, false}}},
        {"past a gap: resend from the gap now", {{4, 1}}, {{2, true}}},
        {"a gap then a duplicate: one ack says both", {{4, 1}, {1, 1}}, {{2, true}}},
    };
    for (const Row& row : rows) {
        CAPTURE(std::string(row.name));
        Incoming incoming("consumer-1");
        std::uint64_t position = 0;
        feed(incoming, {{1, 1}, {2, 1}}, &position);
        incoming.on_durable(position);
        REQUIRE(acks(incoming) == Acks{{2, false}});
        feed(incoming, row.then, &position);
        CHECK(acks(incoming) == row.expected);
    }
}

TEST_CASE("incoming: a gap before anything is on disk asks from the start") {
    Incoming incoming("consumer-1");
    feed(incoming, {{2, 1}});
    CHECK(acks(incoming) == Acks{{0, true}});
}

TEST_CASE("incoming: the node syncs by itself only when nothing synced an acceptance in time") {
    Incoming incoming("consumer-1");
    CHECK_FALSE(incoming.overdue_sync(t0 + 1h));
    wire::DataFrame first = frame_of({1, 1});
    incoming.journaled(incoming.on_data(kTopic, first), 7, t0);
    wire::DataFrame second = frame_of({2, 1});
    incoming.journaled(incoming.on_data(kTopic, second), 8, t0 + 3ms);
    CHECK_FALSE(incoming.overdue_sync(t0 + Incoming::kAckSyncDelay - 1ms));
    CHECK(incoming.overdue_sync(t0 + Incoming::kAckSyncDelay) == 8u);  // the newest, at once
    incoming.on_durable(8);
    CHECK_FALSE(incoming.overdue_sync(t0 + 1h));
}

TEST_CASE("incoming: accepted events stay pending, in order, until completed once") {
    Incoming incoming("consumer-1");
    feed(incoming, {{1, 1}, {2, 1}, {3, 1}});
    CHECK(incoming.pending_count() == 3);
    CHECK(incoming.complete({kStream, 2}));
    CHECK_FALSE(incoming.complete({kStream, 2}));  // done already
    CHECK_FALSE(incoming.complete({kStream, 9}));  // never accepted
    const std::vector<Inbound> pending = incoming.pending();
    REQUIRE(pending.size() == 2);
    CHECK(pending[0].ref == InboundRef{kStream, 1});
    CHECK(pending[1].ref == InboundRef{kStream, 3});
    CHECK(pending[1].producer == "producer-1");
    CHECK(pending[1].topic == kTopic);
    CHECK(pending[1].event.payload_as<CustomerMessage>().text == "event 3");
}

TEST_CASE("incoming: recovery from journal records knows each stream's place") {
    Incoming incoming("consumer-1");
    incoming.recover(records::InStream{kStream, "producer-1", "epoch-1", kTopic, 3});
    incoming.recover(records::In{7, kStream, "producer-1", "epoch-1", kTopic, 3,
                                 testing::customer_event("three")});
    incoming.recover(records::Skip{kStream, "producer-1", "epoch-1", kTopic, 4});
    incoming.finish_recovery();
    CHECK(incoming.pending_count() == 1);
    CHECK(incoming.pending()[0].ref == InboundRef{kStream, 3});
    CHECK(acks(incoming).empty());  // nothing new to say until the producer speaks
    // What was read from disk is on disk: a resend is answered at once.
    CHECK(feed(incoming, {{4, 1}}) == std::vector<Verdict>{D});
    CHECK(acks(incoming) == Acks{{4, false}});
    // Acceptance order goes on after the recovered one.
    wire::DataFrame next = frame_of({5, 1});
    const Arrival arrival = incoming.on_data(kTopic, next);
    CHECK(std::get<records::In>(*arrival.record).order == 8);
}

TEST_CASE("incoming: a snapshot recreates every stream and every pending event") {
    Incoming before("consumer-1");
    feed(before, {{1, 1}, {2, 1}, {3, 1}, {1, 1, true, "producer-2"}});
    before.complete({kStream, 1});
    std::vector<records::Record> snapshot;
    before.snapshot(snapshot);
    REQUIRE(snapshot.size() == 2 + 3);  // the streams, then the pending events

    Incoming after("consumer-1");
    for (const records::Record& record : snapshot) {
        if (const auto* stream = std::get_if<records::InStream>(&record)) after.recover(*stream);
        if (const auto* in = std::get_if<records::In>(&record)) after.recover(*in);
    }
    after.finish_recovery();
    CHECK(after.pending_count() == 3);
    CHECK(after.pending()[0].ref == InboundRef{kStream, 2});
    CHECK(feed(after, {{3, 1}, {4, 1}}) == std::vector<Verdict>{D, A});
}
