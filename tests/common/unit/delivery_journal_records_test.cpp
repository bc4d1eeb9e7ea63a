// The delivery journal's records (switchboard/delivery_journal_records.h,
// proto/delivery-journal.md): today's format decodes and encodes unchanged, a bad record gives
// its reason, and a journal written in that format by an earlier build recovers in full.
#include "switchboard/delivery_journal_records.h"

#include <doctest/doctest.h>

#include <fstream>
#include <mutex>

#include "in_process_bus.h"
#include "process.h"
#include "switchboard/delivery.h"
#include "switchboard/journal.h"

using namespace sb;
using namespace sb::delivery;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// An envelope as the journal holds it, with `text` as the customer's words.
std::string envelope(const std::string& id, const std::string& text) {
    return R"({"id":")" + id +
           R"(","key":"+12088675309","payload":{"channel":"sms","customer":"+12088675309",)"
           R"("received_at":"2026-05-01T10:00:00.000Z","text":")" +
           text +
           R"("},"schema_version":1,"source":"test","time":"2026-05-01T10:00:00.000Z","type":)"
           R"("CustomerMessage"})";
}

const std::string kStream = "far|far-epoch|in.topic";

// One record of each kind, as the journal held them before the records had a header of their
// own: what a build from then wrote must still read back.
std::vector<std::string> todays_lines() {
    const std::string stream = R"("st":")" + kStream +
                               R"(","p":"far","x":"far-epoch",)"
                               R"("t":"in.topic")";
    return {
        R"({"k":"epoch","epoch":"E-old"})",
        R"({"k":"outstream","t":"test.topic","next":3,"acked":1})",
        R"({"k":"out","t":"test.topic","s":2,"e":)" + envelope("out-2", "two") + "}",
        R"({"k":"instream",)" + stream + R"(,"next":3})",
        R"({"k":"in","n":4,)" + stream + R"(,"s":2,"e":)" + envelope("in-2", "held") + "}",
        R"({"k":"mem","key":"seen:a","v":{"at":1}})",
        R"({"k":"in","n":5,)" + stream + R"(,"s":3,"e":)" + envelope("in-3", "three") + "}",
        R"({"k":"skip",)" + stream + R"(,"s":4})",
        R"({"k":"tx","done":[[")" + kStream + R"(",3]],"outs":[{"t":"test.topic","s":3,"e":)" +
            envelope("out-3", "three done") + R"(}],"mem":[["seen:b",true],["seen:a"]]})",
        R"({"k":"tx","done":[],"outs":[{"t":"test.topic","s":4,"e":)" + envelope("out-4", "four") +
            "}]}",
        R"({"k":"ack","t":"test.topic","s":2})",
    };
}

template <class Kind>
bool holds(const std::string& line) {
    const auto decoded = records::decode(json::parse(line));
    return decoded && std::holds_alternative<Kind>(*decoded.frame);
}

}  // namespace

TEST_CASE("journal records: today's lines decode to their kinds and encode back unchanged") {
    const std::vector<std::string> lines = todays_lines();
    const std::vector<bool> kinds = {
        holds<records::Epoch>(lines[0]),       holds<records::OutStream>(lines[1]),
        holds<records::Out>(lines[2]),         holds<records::InStream>(lines[3]),
        holds<records::In>(lines[4]),          holds<records::Memory>(lines[5]),
        holds<records::In>(lines[6]),          holds<records::Skip>(lines[7]),
        holds<records::Transaction>(lines[8]), holds<records::Transaction>(lines[9]),
        holds<records::Ack>(lines[10]),
    };
    for (std::size_t i = 0; i < lines.size(); ++i) {
        CAPTURE(lines[i]);
        CHECK(kinds[i]);
        const auto decoded = records::decode(json::parse(lines[i]));
        REQUIRE_MESSAGE(decoded, decoded.error);
        CHECK(records::encode(*decoded.frame) == json::parse(lines[i]));
    }
}

TEST_CASE("journal records: the fields land where their names say") {
    const std::vector<std::string> lines = todays_lines();
    const auto in = std::get<records::In>(*records::decode(json::parse(lines[4])).frame);
    CHECK(in.order == 4);
    CHECK(in.stream == kStream);
    CHECK(in.producer == "far");
    CHECK(in.epoch == "far-epoch");
    CHECK(in.topic == "in.topic");
    CHECK(in.seq == 2);
    CHECK(in.event.payload_as<CustomerMessage>().text == "held");

    const auto tx = std::get<records::Transaction>(*records::decode(json::parse(lines[8])).frame);
    REQUIRE(tx.done.size() == 1);
    CHECK(tx.done[0] == InboundRef{kStream, 3});
    REQUIRE(tx.outs.size() == 1);
    CHECK(tx.outs[0].topic == "test.topic");
    CHECK(tx.outs[0].seq == 3);
    CHECK(tx.outs[0].event.at("id") == "out-3");
    REQUIRE(tx.memory.size() == 2);
    CHECK(tx.memory[0].key == "seen:b");
    CHECK(tx.memory[0].value == json(true));
    CHECK(tx.memory[1].key == "seen:a");
    CHECK_FALSE(tx.memory[1].value);  // forgotten

    // A transaction that changed no memory writes no "mem" at all.
    const auto quiet =
        std::get<records::Transaction>(*records::decode(json::parse(lines[9])).frame);
    CHECK_FALSE(records::encode(records::Transaction(quiet)).contains("mem"));
}

TEST_CASE("journal records: a kind this code does not know is passed over, not refused") {
    for (const char* line : {R"({"k":"future","x":1})", R"({"x":1})", R"({"k":7})"}) {
        CAPTURE(std::string(line));
        const auto decoded = records::decode(json::parse(line));
        REQUIRE(decoded);
        CHECK(std::holds_alternative<records::Unknown>(*decoded.frame));
    }
}

TEST_CASE("journal records: a record that is not what its kind says gives the reason") {
    struct Row {
        std::string line;
        const char* reason;
    };
    const Row rows[] = {
        {"[1,2]", "a record must be a JSON object"},
        {R"({"k":"epoch","epoch":5})", "'epoch': epoch must be a string"},
        {R"({"k":"ack","t":"x"})", "'ack': s is missing"},
        {R"({"k":"out","t":"x","s":-1,"e":{}})", "'out': s must be a non-negative integer"},
        {R"({"k":"outstream","t":"x","next":1.5,"acked":0})", "next must be a non-negative"},
        {R"({"k":"instream","st":"a","p":"b","x":"c","next":1})", "t is missing"},
        {R"({"k":"in","n":1,"st":"a","p":"b","x":"c","t":"d","s":1,"e":{"id":"x"}})",
         "e is not an envelope"},
        {R"({"k":"tx","done":[["a"]],"outs":[]})", "done holds [stream, seq] pairs"},
        {R"({"k":"tx","done":[],"outs":[{"t":"x","s":1}]})", "e is missing"},
        {R"({"k":"tx","done":{},"outs":[]})", "done must be an array"},
        {R"({"k":"tx","done":[],"outs":[],"mem":[[1]]})", "mem holds [key, value] or [key]"},
        {R"({"k":"mem","key":"a"})", "v is missing"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.line);
        const auto decoded = records::decode(json::parse(row.line));
        REQUIRE_FALSE(decoded);
        CHECK_MESSAGE(decoded.error.find(row.reason) != std::string::npos, decoded.error);
    }
}

TEST_CASE("a journal written in today's format recovers: streams, pending events and memory") {
    testing::InProcessBus bus;
    const auto dir = std::filesystem::path(testing::make_temp_dir("delivery-old-journal"));
    {
        std::ofstream out(dir / "old.journal", std::ios::binary);
        for (const std::string& line : todays_lines()) out << Journal::frame(json::parse(line));
        out << Journal::frame(json{{"k", "future"}, {"anything", 1}});
    }

    std::mutex mutex;
    std::vector<std::string> handled;
    std::vector<std::string> read;
    {
        delivery::Node old(testing::options_for(bus, "old", dir, {"in.topic"}));
        old.on_event([&](const Inbound& inbound, delivery::Transaction&) {
            std::lock_guard lock(mutex);
            CHECK(inbound.ref == InboundRef{kStream, 2});
            CHECK(inbound.producer == "far");
            CHECK(inbound.topic == "in.topic");
            handled.push_back(inbound.event.payload_as<CustomerMessage>().text);
        });
        old.start();
        CHECK(old.epoch() == "E-old");
        CHECK(old.memory() == std::vector<std::pair<std::string, json>>{{"seen:b", true}});
        // The held event is handed over again and, completed this time, is done.
        REQUIRE(testing::wait_until([&] { return old.stats().pending_in == 0; }, 10s));
        {
            std::lock_guard lock(mutex);
            CHECK(handled == std::vector<std::string>{"held"});
        }

        // The two unacknowledged events go out again, in order, to a consumer that never saw
        // the stream: numbered after the journal's last ack.
        delivery::Node reader(testing::options_for(bus, "reader", dir, {"test.topic"}));
        reader.on_event([&](const Inbound& inbound, delivery::Transaction&) {
            std::lock_guard lock(mutex);
            CHECK(inbound.ref.seq == (read.empty() ? 3u : 4u));
            read.push_back(inbound.event.payload_as<CustomerMessage>().text);
        });
        reader.start();
        REQUIRE(testing::wait_until([&] { return old.stats().pending_out == 0; }, 10s));
        REQUIRE(testing::wait_until(
            [&] {
                std::lock_guard lock(mutex);
                return read.size() == 2;
            },
            5s));
        std::lock_guard lock(mutex);
        CHECK(read == std::vector<std::string>{"three done", "four"});
    }

    // The file the new code rewrote on start (and appended to) recovers the same way.
    delivery::Node again(testing::options_for(bus, "old", dir, {"in.topic"}));
    again.start();
    CHECK(again.epoch() == "E-old");
    CHECK(again.memory() == std::vector<std::pair<std::string, json>>{{"seen:b", true}});
    CHECK(again.stats().pending_in == 0);
    CHECK(again.stats().pending_out == 0);
}

TEST_CASE("a journal record that cannot be read stops the start, naming the file and the record") {
    testing::InProcessBus bus;
    const auto dir = std::filesystem::path(testing::make_temp_dir("delivery-bad-journal"));
    {
        std::ofstream out(dir / "bad.journal", std::ios::binary);
        out << Journal::frame(json::parse(R"({"k":"epoch","epoch":"E"})"));
        out << Journal::frame(json::parse(R"({"k":"ack","t":"test.topic"})"));
    }
    delivery::Node node(testing::options_for(bus, "bad", dir));
    try {
        node.start();
        FAIL("start() accepted an unreadable journal");
    } catch (const std::runtime_error& error) {
        const std::string what = error.what();
        CHECK(what.find("bad.journal") != std::string::npos);
        CHECK(what.find("record 2 is unreadable") != std::string::npos);
        CHECK(what.find("s is missing") != std::string::npos);
    }
}
