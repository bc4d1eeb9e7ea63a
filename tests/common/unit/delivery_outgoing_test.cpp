// The producer's stream logic without sockets or a clock: events, acks and `now` in, frames and
// journal records out (switchboard/delivery_outgoing.h).
#include "switchboard/delivery_outgoing.h"

#include <doctest/doctest.h>

using namespace sb;
using namespace sb::delivery;
using namespace std::chrono_literals;

namespace {

const std::string kTopic = "test.topic";
const SteadyClock::time_point t0 = SteadyClock::time_point{} + 1h;

Outgoing make_outgoing(std::uint64_t window = 1000) {
    Outgoing outgoing({100ms, 2000ms, window});
    outgoing.set_identity("producer-1", "epoch-1");
    return outgoing;
}

// Events 1..count on kTopic, the first `durable` of them on disk.
void add_events(Outgoing& outgoing, std::uint64_t count, std::uint64_t durable) {
    for (std::uint64_t i = 1; i <= count; ++i) {
        outgoing.add(kTopic, R"({"id":"event-)" + std::to_string(i) + R"("})");
    }
    outgoing.durable(kTopic, durable);
}

wire::Ack ack_of(std::uint64_t seq, bool gap = false, std::string epoch = "epoch-1",
                 std::string topic = kTopic) {
    return {"consumer-1", std::move(topic), std::move(epoch), seq, gap};
}

std::vector<Frame> pump(Outgoing& outgoing, SteadyClock::time_point now,
                        std::uint64_t* retransmitted = nullptr) {
    std::vector<Frame> frames;
    const std::uint64_t resent = outgoing.pump(now, frames);
    if (retransmitted) *retransmitted = resent;
    return frames;
}

// The (seq, base) of each frame, decoded as a consumer would.
std::vector<std::pair<std::uint64_t, std::uint64_t>> positions(const std::vector<Frame>& frames) {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
    for (const Frame& frame : frames) {
        const auto decoded = wire::decode_data_frame(frame.body);
        REQUIRE_MESSAGE(decoded, decoded.error);
        CHECK(frame.topic == kTopic);
        CHECK(decoded.frame->header.producer == "producer-1");
        CHECK(decoded.frame->header.epoch == "epoch-1");
        out.emplace_back(decoded.frame->header.seq, decoded.frame->header.base);
    }
    return out;
}

using Positions = std::vector<std::pair<std::uint64_t, std::uint64_t>>;

}  // namespace

TEST_CASE("outgoing: nothing leaves before it is on disk, then it leaves in order, once") {
    Outgoing outgoing = make_outgoing();
    add_events(outgoing, 3, 0);
    CHECK(pump(outgoing, t0).empty());
    outgoing.durable(kTopic, 2);
    CHECK(positions(pump(outgoing, t0)) == Positions{{1, 1}, {2, 1}});
    CHECK(pump(outgoing, t0 + 1ms).empty());  // sent, not yet due again
    outgoing.durable(kTopic, 3);
    CHECK(positions(pump(outgoing, t0 + 2ms)) == Positions{{3, 1}});
    CHECK(outgoing.pending() == 3);
}

TEST_CASE("outgoing: which acks move the stream on, and what they journal") {
    struct Row {
        const char* name;
        wire::Ack ack;
        std::uint64_t newly_acked;
        bool journaled;
        std::uint64_t acked_after;
    };
    // Five events numbered, four on disk and sent.
    const Row rows[] = {
        {"a cumulative ack", ack_of(2), 2, true, 2},
        {"an ack of everything on disk", ack_of(4), 4, true, 4},
        {"an ack beyond what is on disk is not ours", ack_of(5), 0, false, 0},
        {"an ack of nothing", ack_of(0), 0, false, 0},
        {"an ack for an earlier epoch", ack_of(3, false, "epoch-0"), 0, false, 0},
        {"an ack for a topic never published", ack_of(3, false, "epoch-1", "other"), 0, false, 0},
    };
    for (const Row& row : rows) {
        CAPTURE(std::string(row.name));
        Outgoing outgoing = make_outgoing();
        add_events(outgoing, 5, 4);
        REQUIRE(pump(outgoing, t0).size() == 4);
        const Outgoing::AckOutcome outcome = outgoing.on_ack(row.ack, t0 + 10ms);
        CHECK(outcome.newly_acked == row.newly_acked);
        CHECK(outcome.record.has_value() == row.journaled);
        if (outcome.record) {
            CHECK(outcome.record->topic == kTopic);
            CHECK(outcome.record->seq == row.ack.seq);
        }
        CHECK(outgoing.view(kTopic)->acked == row.acked_after);
        CHECK(outgoing.pending() == 5 - row.newly_acked);
    }
}

TEST_CASE("outgoing: an older ack after a newer one changes nothing") {
    Outgoing outgoing = make_outgoing();
    add_events(outgoing, 3, 3);
    pump(outgoing, t0);
    CHECK(outgoing.on_ack(ack_of(3), t0 + 1ms).newly_acked == 3);
    const Outgoing::AckOutcome late = outgoing.on_ack(ack_of(2), t0 + 2ms);
    CHECK(late.newly_acked == 0);
    CHECK_FALSE(late.record);
    CHECK(outgoing.view(kTopic)->acked == 3);
}

TEST_CASE("outgoing: the retransmission timeout follows the smoothed round-trip time") {
    struct Row {
        const char* name;
        std::vector<std::chrono::milliseconds> samples;  // each event's time to its ack
        double smoothed_ms;
        std::chrono::milliseconds timeout;
    };
    const Row rows[] = {
        {"a first sample is taken as it is", {40ms}, 40, 100ms},  // 2 * 40 + 20 = 100
        {"later samples weigh an eighth", {40ms, 80ms}, 45, 110ms},
        {"never below the first retry", {1ms}, 1, 100ms},
        {"never above the maximum", {5000ms}, 5000, 2000ms},
    };
    for (const Row& row : rows) {
        CAPTURE(std::string(row.name));
        Outgoing outgoing = make_outgoing();
        SteadyClock::time_point now = t0;
        std::uint64_t seq = 0;
        for (const auto sample : row.samples) {
            outgoing.add(kTopic, R"({"id":"x"})");
            outgoing.durable(kTopic, ++seq);
            REQUIRE(pump(outgoing, now).size() == 1);
            now += sample;
            REQUIRE(outgoing.on_ack(ack_of(seq), now).newly_acked == 1);
        }
        const auto view = *outgoing.view(kTopic);
        CHECK(view.smoothed_rtt_ms == doctest::Approx(row.smoothed_ms));
        CHECK(view.timeout == row.timeout);
    }
}

TEST_CASE("outgoing: no ack in time resends a small burst from the first unacknowledged event") {
    Outgoing outgoing = make_outgoing();
    add_events(outgoing, 40, 40);
    CHECK(pump(outgoing, t0).size() == 40);
    CHECK(pump(outgoing, t0 + 99ms).empty());  // first_retry is 100ms
    std::uint64_t retransmitted = 0;
    const auto resent = positions(pump(outgoing, t0 + 100ms, &retransmitted));
    CHECK(retransmitted == 40);  // all of them went back for resending...
    REQUIRE(resent.size() == Outgoing::kBurstAfterTimeout);  // ...but only a burst leaves
    CHECK(resent.front() == std::pair<std::uint64_t, std::uint64_t>{1, 1});
    CHECK(resent.back() == std::pair<std::uint64_t, std::uint64_t>{32, 1});
    const auto view = *outgoing.view(kTopic);
    CHECK(view.timeout == 200ms);  // doubled
    CHECK(view.congestion_window == Outgoing::kBurstAfterTimeout);
    // Acks grow the window again: the rest follow, and their base says what is acknowledged.
    CHECK(outgoing.on_ack(ack_of(10), t0 + 150ms).newly_acked == 10);
    CHECK(
        positions(pump(outgoing, t0 + 150ms)) ==
        Positions{{33, 11}, {34, 11}, {35, 11}, {36, 11}, {37, 11}, {38, 11}, {39, 11}, {40, 11}});
}

TEST_CASE("outgoing: the timeout doubles up to the maximum while no ack comes") {
    Outgoing outgoing = make_outgoing();
    add_events(outgoing, 1, 1);
    SteadyClock::time_point now = t0;
    pump(outgoing, now);
    const std::chrono::milliseconds expected[] = {200ms, 400ms, 800ms, 1600ms, 2000ms, 2000ms};
    std::chrono::milliseconds wait = 100ms;
    for (const auto timeout : expected) {
        now += wait;
        CHECK(positions(pump(outgoing, now)) == Positions{{1, 1}});
        CHECK(outgoing.view(kTopic)->timeout == timeout);
        wait = timeout;
    }
}

TEST_CASE("outgoing: an event sent twice says nothing about the round-trip time (Karn)") {
    Outgoing outgoing = make_outgoing();
    add_events(outgoing, 1, 1);
    pump(outgoing, t0);
    REQUIRE(pump(outgoing, t0 + 100ms).size() == 1);  // resent
    CHECK(outgoing.on_ack(ack_of(1), t0 + 130ms).newly_acked == 1);
    CHECK(outgoing.view(kTopic)->smoothed_rtt_ms == 0);
}

TEST_CASE("outgoing: a gap the consumer reports is resent at once, at most every 20ms") {
    Outgoing outgoing = make_outgoing();
    add_events(outgoing, 5, 5);
    pump(outgoing, t0);
    outgoing.on_ack(ack_of(1, true), t0 + 30ms);
    CHECK(positions(pump(outgoing, t0 + 30ms)) == Positions{{2, 2}, {3, 2}, {4, 2}, {5, 2}});
    outgoing.on_ack(ack_of(1, true), t0 + 40ms);  // 10ms later: the resend is on its way
    CHECK(pump(outgoing, t0 + 40ms).empty());
    outgoing.on_ack(ack_of(1, true), t0 + 51ms);
    CHECK(pump(outgoing, t0 + 51ms).size() == 4);
}

TEST_CASE("outgoing: no more than the window is in flight") {
    struct Row {
        std::uint64_t window;
        std::size_t first_pump;
    };
    // The window never goes below the burst a timeout allows, nor above the setting.
    for (const Row row : {Row{10, 10}, Row{100, 100}, Row{1000, 150}}) {
        CAPTURE(row.window);
        Outgoing outgoing = make_outgoing(row.window);
        add_events(outgoing, 150, 150);
        CHECK(pump(outgoing, t0).size() == row.first_pump);
        if (row.first_pump < 150) {
            outgoing.on_ack(ack_of(5), t0 + 1ms);
            CHECK(pump(outgoing, t0 + 1ms).size() == 5);
        }
    }
}

TEST_CASE("outgoing: recovery from journal records resends what is unacknowledged") {
    Outgoing outgoing = make_outgoing();
    outgoing.recover(records::OutStream{kTopic, 3, 1});
    outgoing.recover(records::Out{kTopic, 2, {{"id", "two"}}});
    outgoing.recover(records::TxOut{kTopic, 3, {{"id", "three"}}});
    outgoing.recover(records::TxOut{kTopic, 4, {{"id", "four"}}});
    outgoing.recover(records::Ack{kTopic, 2});
    outgoing.recover(records::TxOut{kTopic, 2, {{"id", "acked already"}}});  // ignored
    outgoing.all_durable();
    const auto view = *outgoing.view(kTopic);
    CHECK(view.next_seq == 5);
    CHECK(view.acked == 2);
    CHECK(view.pending == 2);
    const std::vector<Frame> frames = pump(outgoing, t0);
    CHECK(positions(frames) == Positions{{3, 3}, {4, 3}});
    CHECK(frames[0].body.find(R"("id":"three")") != std::string::npos);
    CHECK(outgoing.add(kTopic, "{}") == 5);  // numbering goes on
}

TEST_CASE("outgoing: a snapshot recreates every stream") {
    Outgoing before = make_outgoing();
    add_events(before, 4, 4);
    before.add("other.topic", R"({"id":"o1"})");
    before.durable("other.topic", 1);
    pump(before, t0);
    before.on_ack(ack_of(2), t0 + 5ms);
    std::vector<records::Record> snapshot;
    before.snapshot(snapshot);
    REQUIRE(snapshot.size() == 2 + 1 + 2);  // per stream its position, then its pending events

    Outgoing after = make_outgoing();
    for (const records::Record& record : snapshot) {
        if (const auto* stream = std::get_if<records::OutStream>(&record)) after.recover(*stream);
        if (const auto* out = std::get_if<records::Out>(&record)) after.recover(*out);
    }
    for (const std::string& topic : {kTopic, std::string("other.topic")}) {
        CAPTURE(topic);
        CHECK(after.view(topic)->next_seq == before.view(topic)->next_seq);
        CHECK(after.view(topic)->acked == before.view(topic)->acked);
        CHECK(after.view(topic)->pending == before.view(topic)->pending);
    }
}
