// Events per second through the real bus process: raw ZeroMQ pub/sub against the delivery
// contract (journal + acks + dedupe) in the same run, with latency percentiles and the bus's
// peak memory. Usage: build/bench/bus_bench [events] [json-output-path]
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>
#include <zmq.hpp>

#include "process.h"
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

Result raw_pubsub(const std::string& pub_endpoint, const std::string& sub_endpoint, int events) {
    zmq::context_t context(1);
    zmq::socket_t pub(context, zmq::socket_type::pub);
    zmq::socket_t sub(context, zmq::socket_type::sub);
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
    Result result{"raw ZeroMQ pub/sub via bus", events, 0, {}};
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
                const std::string& sub_endpoint, int events, int threads, int per_commit) {
    const std::string dir = testing::make_temp_dir("bus-bench");
    const auto options = [&](const std::string& instance, std::vector<std::string> consume) {
        delivery::Options o;
        o.service = instance;
        o.instance = instance;
        o.data_dir = dir;
        o.publish_endpoint = pub_endpoint;
        o.subscribe_endpoint = sub_endpoint;
        o.consume = std::move(consume);
        return o;
    };
    Result result{name, events, 0, {}};
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

int main(int argc, char** argv) {
    const int events = argc > 1 ? std::stoi(argv[1]) : 50000;
    const std::string json_path = argc > 2 ? argv[2] : "bus-bench.json";
    spdlog::set_level(spdlog::level::warn);

    const int pub_port = testing::free_port();
    const int sub_port = testing::free_port();
    const int http_port = testing::free_port();
    const std::string pub = "tcp://127.0.0.1:" + std::to_string(pub_port);
    const std::string sub = "tcp://127.0.0.1:" + std::to_string(sub_port);
    const std::string dir = testing::make_temp_dir("bus-bench");
    testing::Process bus(testing::build_dir() + "/bus", {},
                         {{"BUS_PUBLISH_ENDPOINT", pub},
                          {"BUS_SUBSCRIBE_ENDPOINT", sub},
                          {"BUS_PORT", std::to_string(http_port)},
                          {"LOG_LEVEL", "warn"}},
                         dir + "/bus.log");
    if (!testing::wait_until([&] { return testing::http_status(http_port, "/healthz") == 200; },
                             10s)) {
        std::cerr << "bus did not start\n";
        return 1;
    }
    const long idle_kib = peak_rss_kib(bus.pid());

    std::vector<Result> results;
    results.push_back(raw_pubsub(pub, sub, events));
    results.push_back(contract("delivery contract, 100 events/commit", pub, sub, events, 1, 100));
    results.push_back(contract("delivery contract, 1 event/commit x 8 threads", pub, sub,
                               events / 5, 8, 1));
    const long peak_kib = peak_rss_kib(bus.pid());

    const double baseline = results[0].rate();
    std::printf("%-48s %10s %12s %9s %9s %9s %8s\n", "run", "events", "events/s", "p50 us",
                "p99 us", "max us", "ratio");
    nlohmann::json report = {{"events", events}, {"runs", nlohmann::json::array()}};
    for (const Result& r : results) {
        std::printf("%-48s %10d %12.0f %9.0f %9.0f %9.0f %8.3f\n", r.name.c_str(), r.events,
                    r.rate(), r.percentile(0.50), r.percentile(0.99), r.percentile(1.0),
                    r.rate() / baseline);
        report["runs"].push_back({{"name", r.name},
                                  {"events", r.events},
                                  {"events_per_second", r.rate()},
                                  {"p50_us", r.percentile(0.50)},
                                  {"p99_us", r.percentile(0.99)},
                                  {"max_us", r.percentile(1.0)},
                                  {"ratio_to_raw", r.rate() / baseline}});
    }
    std::printf("bus peak RSS: idle %ld KiB, after the runs %ld KiB\n", idle_kib, peak_kib);
    report["bus_peak_rss_kib"] = {{"idle", idle_kib}, {"loaded", peak_kib}};
    std::ofstream(json_path) << report.dump(2) << '\n';
    std::printf("written: %s\n", json_path.c_str());
    bus.terminate();
    bus.wait_exit(5s);
    return 0;
}
