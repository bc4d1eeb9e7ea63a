// Events per second through the real bus process: raw ZeroMQ pub/sub against the delivery
// contract (journal + acks + dedupe) in the same run, each through a plaintext bus and through
// a CURVE bus (encrypted, ZAP-authenticated), with latency percentiles and the buses' peak
// memory. Usage: build/bench/bus_bench [events] [json-output-path]
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <zmq.hpp>

#include "bus_process.h"
#include "process.h"
#include "switchboard/bus_security.h"
#include "switchboard/delivery.h"
#include "switchboard/time_format.h"

using namespace sb;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

struct Result {
    std::string name;
    int events = 0;
    double seconds = 0;
    std::vector<double> latencies_us;
    double rate() const { return events / seconds; }
    double percentile(double p) const {
        if (latencies_us.empty()) return 0;
        auto sorted = latencies_us;
        std::sort(sorted.begin(), sorted.end());
        return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()))];
    }
};

long peak_rss_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    }
    return -1;
}

long long now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
        .count();
}

std::string payload_text(long long stamp) {
    // ~200 bytes of text, like an ordinary SMS plus the send time.
    return std::to_string(stamp) + " " + std::string(180, 'x');
}

using Keys = std::optional<bus_security::ClientKeys>;

std::string suffix(const Keys& keys) {
    return keys ? " (CURVE)" : "";
}

Result raw_pubsub(const std::string& pub_endpoint, const std::string& sub_endpoint, int events,
                  const Keys& keys) {
    zmq::context_t context(1);
    zmq::socket_t pub(context, zmq::socket_type::pub);
    zmq::socket_t sub(context, zmq::socket_type::sub);
    bus_security::secure_client(pub, keys);
    bus_security::secure_client(sub, keys);
    pub.set(zmq::sockopt::sndhwm, 0);
    sub.set(zmq::sockopt::rcvhwm, 0);
    pub.connect(pub_endpoint);
    sub.set(zmq::sockopt::subscribe, "raw");
    sub.set(zmq::sockopt::rcvtimeo, 20);
    sub.connect(sub_endpoint);
    // Slow joiner: publish a probe until one arrives, so the measured run starts connected.
    zmq::message_t frame;
    while (true) {
        pub.send(zmq::str_buffer("raw"), zmq::send_flags::sndmore);
        pub.send(zmq::str_buffer("warmup"), zmq::send_flags::none);
        if (sub.recv(frame)) {
            (void)sub.recv(frame);
            break;
        }
    }
    sub.set(zmq::sockopt::rcvtimeo, 2000);
    Result result{"raw ZeroMQ pub/sub via bus" + suffix(keys), events, 0, {}};
    std::thread receiver([&] {
        int received = 0;
        zmq::message_t topic, body;
        while (received < events) {
            if (!sub.recv(topic)) break;
            (void)sub.recv(body);
            const std::string text = body.to_string();
            if (text == "warmup") continue;
            result.latencies_us.push_back((now_ns() - std::stoll(text)) / 1000.0);
            ++received;
        }
        result.events = received;
    });
    const auto start = Clock::now();
    for (int i = 0; i < events; ++i) {
        const std::string body = payload_text(now_ns());
        pub.send(zmq::str_buffer("raw"), zmq::send_flags::sndmore);
        pub.send(zmq::buffer(body), zmq::send_flags::none);
    }
    receiver.join();
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
}

Result contract(const std::string& name, const std::string& pub_endpoint,
                const std::string& sub_endpoint, int events, int threads, int per_commit,
                const Keys& keys) {
    const std::string dir = testing::make_temp_dir("bus-bench");
    const auto options = [&](const std::string& instance, std::vector<std::string> consume) {
        delivery::Options o;
        o.service = instance;
        o.instance = instance;
        o.data_dir = dir;
        o.publish_endpoint = pub_endpoint;
        o.subscribe_endpoint = sub_endpoint;
        o.bus_keys = keys;
        o.consume = std::move(consume);
        return o;
    };
    Result result{name + suffix(keys), events, 0, {}};
    std::mutex mutex;
    std::atomic<int> handled{0};
    delivery::Node consumer(options("bench-consumer", {"bench.events"}));
    consumer.on_event([&](const delivery::Inbound& inbound, delivery::Transaction&) {
        const auto text = inbound.event.payload_as<CustomerMessage>().text;
        const double latency = (now_ns() - std::stoll(text)) / 1000.0;
        std::lock_guard lock(mutex);
        result.latencies_us.push_back(latency);
        ++handled;
    });
    delivery::Node producer(options("bench-producer", {}));
    consumer.start();
    producer.start();

    const auto start = Clock::now();
    std::vector<std::thread> workers;
    workers.reserve(static_cast<size_t>(threads));
    const int per_thread = events / threads;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&] {
            for (int i = 0; i < per_thread;) {
                delivery::Transaction tx;
                for (int j = 0; j < per_commit && i < per_thread; ++j, ++i) {
                    CustomerMessage message;
                    message.customer = "+12088675309";
                    message.channel = "sms";
                    message.text = payload_text(now_ns());
                    message.received_at = iso8601_now();
                    tx.publish("bench.events", make_event(event_type::customer_message, "bench",
                                                          message.customer, message));
                }
                producer.commit(std::move(tx));
            }
        });
    }
    for (auto& worker : workers) worker.join();
    result.events = per_thread * threads;
    testing::wait_until([&] { return handled.load() >= result.events; }, 300s);
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    producer.stop();
    consumer.stop();
    return result;
}

}  // namespace

int run_bench(int argc, char** argv) {
    const int events = argc > 1 ? std::stoi(argv[1]) : 50000;
    const std::string json_path = argc > 2 ? argv[2] : "bus-bench.json";
    spdlog::set_level(spdlog::level::warn);

    const auto start_bus = [](const std::map<std::string, std::string>& keys) {
        auto env = keys;
        env["LOG_LEVEL"] = "warn";
        return std::make_unique<testing::BusProcess>(testing::make_temp_dir("bus-bench"),
                                                     testing::free_endpoint(),
                                                     testing::free_endpoint(), env);
    };
    // One bus in plaintext, one with CURVE (throwaway keys, as scripts/run makes): the same
    // runs through each, so the ratio is the price of encryption and authentication.
    const testing::BusKeys curve_keys;
    auto plain_bus = start_bus({{"BUS_SERVER_SECRET_KEY", ""}, {"BUS_CLIENT_PUBLIC_KEYS", ""}});
    auto curve_bus = start_bus(curve_keys.bus_env());
    const long idle_kib = peak_rss_kib(plain_bus->process.pid());
    const long curve_idle_kib = peak_rss_kib(curve_bus->process.pid());

    std::vector<Result> results;
    for (const Keys& keys : {Keys{}, Keys{curve_keys.client_keys()}}) {
        const testing::BusProcess& bus = keys ? *curve_bus : *plain_bus;
        results.push_back(raw_pubsub(bus.publish, bus.subscribe, events, keys));
        results.push_back(contract("delivery contract, 100 events/commit", bus.publish,
                                   bus.subscribe, events, 1, 100, keys));
        results.push_back(contract("delivery contract, 1 event/commit x 8 threads", bus.publish,
                                   bus.subscribe, events / 5, 8, 1, keys));
    }
    const long peak_kib = peak_rss_kib(plain_bus->process.pid());
    const long curve_peak_kib = peak_rss_kib(curve_bus->process.pid());

    const double baseline = results[0].rate();
    std::printf("%-57s %10s %12s %9s %9s %9s %8s %8s\n", "run", "events", "events/s", "p50 us",
                "p99 us", "max us", "ratio", "vs plain");
    nlohmann::json report = {{"events", events}, {"runs", nlohmann::json::array()}};
    const std::size_t per_bus = results.size() / 2;
    for (std::size_t i = 0; i < results.size(); ++i) {
        const Result& r = results[i];
        // A CURVE run against the same run through the plaintext bus.
        const double vs_plain = i >= per_bus ? r.rate() / results[i - per_bus].rate() : 1.0;
        std::printf("%-57s %10d %12.0f %9.0f %9.0f %9.0f %8.3f %8.3f\n", r.name.c_str(), r.events,
                    r.rate(), r.percentile(0.50), r.percentile(0.99), r.percentile(1.0),
                    r.rate() / baseline, vs_plain);
        report["runs"].push_back({{"name", r.name},
                                  {"events", r.events},
                                  {"events_per_second", r.rate()},
                                  {"p50_us", r.percentile(0.50)},
                                  {"p99_us", r.percentile(0.99)},
                                  {"max_us", r.percentile(1.0)},
                                  {"ratio_to_raw", r.rate() / baseline},
                                  {"ratio_to_plaintext", vs_plain}});
    }
    std::printf("bus peak RSS: idle %ld KiB, after the runs %ld KiB; with CURVE %ld / %ld KiB\n",
                idle_kib, peak_kib, curve_idle_kib, curve_peak_kib);
    report["bus_peak_rss_kib"] = {{"idle", idle_kib}, {"loaded", peak_kib}};
    report["curve_bus_peak_rss_kib"] = {{"idle", curve_idle_kib}, {"loaded", curve_peak_kib}};
    std::ofstream(json_path) << report.dump(2) << '\n';
    std::printf("written: %s\n", json_path.c_str());
    for (testing::BusProcess* bus : {plain_bus.get(), curve_bus.get()}) {
        bus->process.terminate();
        bus->process.wait_exit(5s);
    }
    return 0;
}

// Nothing may escape main: a failure is reported and the exit code says so.
int main(int argc, char** argv) {
    try {
        return run_bench(argc, argv);
    } catch (const std::exception& error) {
        std::cerr << "bus_bench failed: " << error.what() << "\n";
    } catch (...) {
        std::cerr << "bus_bench failed\n";
    }
    return 1;
}
