// The delivery contract across real processes: the bus, producers and consumers as separate
// executables on loopback, restarted and killed mid-stream.
#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "bus_process.h"
#include "process.h"

using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

constexpr int kEvents = 10000;
constexpr int kKeys = 20;

struct Line {
    std::string key;
    int n = 0;
    std::string id;
};

std::vector<Line> read_sink(const std::string& path) {
    std::vector<Line> lines;
    std::istringstream in(read_file(path));
    Line line;
    while (in >> line.key >> line.n >> line.id) lines.push_back(line);
    return lines;
}

// Every event exactly once, and per key in the order it was produced.
void check_exactly_once_in_order(const std::vector<Line>& lines, int events, int keys) {
    CHECK(lines.size() == static_cast<size_t>(events));
    std::set<std::string> ids;
    std::map<std::string, int> last;
    int out_of_order = 0;
    for (const Line& line : lines) {
        ids.insert(line.id);
        if (line.n != last[line.key] + 1) ++out_of_order;
        last[line.key] = line.n;
    }
    CHECK(ids.size() == lines.size());  // no event twice
    CHECK(out_of_order == 0);
    CHECK(last.size() == static_cast<size_t>(keys));
    for (const auto& [key, n] : last) CHECK(n == events / keys);
}

struct Fixture {
    std::string dir = make_temp_dir("bus-delivery");
    std::string pub = free_endpoint();
    std::string sub = free_endpoint();
    std::string sink_path = dir + "/sink.txt";

    // Always on `pub` and `sub`, so a bus started after one was killed is where everyone left it.
    std::unique_ptr<BusProcess> start_bus() { return std::make_unique<BusProcess>(dir, pub, sub); }

    std::unique_ptr<Process> probe(const std::string& mode, std::vector<std::string> args) {
        std::vector<std::string> all{mode, "--pub", pub, "--sub", sub, "--data-dir", dir + "/data"};
        all.insert(all.end(), args.begin(), args.end());
        return std::make_unique<Process>(build_dir() + "/tests/delivery_probe", all,
                                         std::map<std::string, std::string>{},
                                         dir + "/" + mode + ".log");
    }

    std::unique_ptr<Process> produce(int events, const std::string& topic = "probe.in") {
        return probe("produce",
                     {"--instance", "producer", "--topic", topic, "--count", std::to_string(events),
                      "--keys", std::to_string(kKeys), "--wait-ms", "240000"});
    }
    std::unique_ptr<Process> sink(const std::string& topic = "probe.in") {
        return probe("sink", {"--instance", "sink", "--topic", topic, "--out", sink_path});
    }
    size_t sink_count() { return read_sink(sink_path).size(); }
};

}  // namespace

TEST_CASE("10,000 events cross the bus process exactly once and in order per key") {
    Fixture fixture;
    auto bus = fixture.start_bus();
    auto sink = fixture.sink();
    auto producer = fixture.produce(kEvents);
    REQUIRE(producer->wait_exit(240s) == 0);  // exits 0 only once every event is acked
    REQUIRE(wait_until([&] { return fixture.sink_count() >= kEvents; }, 180s));
    sink->terminate();
    CHECK(sink->wait_exit(5s) == 0);
    check_exactly_once_in_order(read_sink(fixture.sink_path), kEvents, kKeys);
}

TEST_CASE("a subscriber started after the publisher still gets every event") {
    Fixture fixture;
    auto bus = fixture.start_bus();
    auto producer = fixture.produce(2000);
    // Let the producer publish into the void first: nothing subscribes yet.
    REQUIRE(wait_until(
        [&] { return read_file(fixture.dir + "/data/producer.journal").size() > 2000 * 100; },
        30s));
    CHECK(producer->running());
    auto sink = fixture.sink();
    REQUIRE(producer->wait_exit(240s) == 0);
    REQUIRE(wait_until([&] { return fixture.sink_count() >= 2000; }, 30s));
    check_exactly_once_in_order(read_sink(fixture.sink_path), 2000, kKeys);
}

TEST_CASE("the bus restarted mid-stream loses and doubles nothing") {
    Fixture fixture;
    auto bus = fixture.start_bus();
    auto sink = fixture.sink();
    auto producer = fixture.produce(kEvents);
    REQUIRE(wait_until([&] { return fixture.sink_count() >= 2000; }, 60s));
    bus->process.kill9();
    REQUIRE(bus->process.wait_exit(5s));
    const size_t during_outage = fixture.sink_count();
    CHECK(during_outage < static_cast<size_t>(kEvents));
    bus = fixture.start_bus();  // same ports: everyone reconnects
    REQUIRE(producer->wait_exit(240s) == 0);
    REQUIRE(wait_until([&] { return fixture.sink_count() >= kEvents; }, 180s));
    check_exactly_once_in_order(read_sink(fixture.sink_path), kEvents, kKeys);
}

TEST_CASE("a consumer killed with SIGKILL mid-stream and restarted loses nothing") {
    // producer -> relay (killed) -> sink. The relay's output and its completion are one journal
    // record, so the sink must see every event exactly once despite the kill.
    Fixture fixture;
    auto bus = fixture.start_bus();
    auto sink = fixture.sink("probe.out");
    const auto relay_args =
        std::vector<std::string>{"--instance", "relay", "--topic", "probe.in", "--to", "probe.out"};
    auto relay = fixture.probe("relay", relay_args);
    auto producer = fixture.produce(kEvents);
    REQUIRE(wait_until([&] { return fixture.sink_count() >= 3000; }, 60s));
    relay->kill9();
    REQUIRE(relay->wait_exit(5s));
    CHECK(fixture.sink_count() < static_cast<size_t>(kEvents));
    relay = fixture.probe("relay", relay_args);
    REQUIRE(producer->wait_exit(240s) == 0);
    REQUIRE(wait_until([&] { return fixture.sink_count() >= kEvents; }, 180s));
    relay->terminate();
    CHECK(relay->wait_exit(5s) == 0);
    check_exactly_once_in_order(read_sink(fixture.sink_path), kEvents, kKeys);
}
