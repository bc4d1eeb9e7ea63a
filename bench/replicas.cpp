#include "replicas.h"

#include <chrono>
#include <cstdio>
#include <thread>

#include "pipeline.h"
#include "scenarios.h"

namespace sb::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kPartitions = 4;

double owned(const Pipeline& pipeline, const std::string& service) {
    return scrape_metric(pipeline.port(service), "switchboard_partitions_owned");
}

bool spread(const Pipeline& pipeline, int replicas) {
    for (const std::string& base : {std::string("router"), pipeline.gateway()}) {
        for (int replica = 1; replica <= replicas; ++replica) {
            const std::string name = replica == 1 ? base : base + "#" + std::to_string(replica);
            const int share = kPartitions / replicas;  // the replicas split them evenly
            if (owned(pipeline, name) != share) return false;
        }
    }
    return true;
}

void print_step(int replicas, const StepResult& step) {
    std::printf(
        "  replicas=%d %-8s offered %7.1f/s delivered %7.1f/s p50 %7.1f ms p99 %7.1f ms"
        " (%d/%d, %d duplicates)\n",
        replicas, step.flow.c_str(), step.offered, step.delivered_per_second, step.latency.p50,
        step.latency.p99, step.delivered, step.sent, step.duplicates);
}

}  // namespace

json replicas_scenario(bool quick, int connections) {
    const double rate = quick ? 150 : 300;
    const double seconds = quick ? 2 : 5;
    json report = json::array();
    std::printf("\nReplicas (PARTITIONS=%d, Twilio; one offered rate per flow)\n", kPartitions);
    for (const int replicas : {1, 2}) {
        Pipeline pipeline(200, "warn", testing::Carrier::twilio, replicas, kPartitions);
        const auto deadline = Clock::now() + std::chrono::seconds(20);
        while (!spread(pipeline, replicas) && Clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        std::vector<std::string> customers(pipeline.customers().begin(),
                                           pipeline.customers().begin() + 100);
        const StepResult inbound =
            inbound_step(pipeline, {rate, seconds, connections, customers, 1000 * replicas});
        print_step(replicas, inbound);
        const StepResult replies =
            reply_step(pipeline, {rate / 2, seconds, connections, customers, 5000 * replicas});
        print_step(replicas, replies);
        // Past what one replica keeps up with on this machine: what each setup delivers.
        const StepResult burst = inbound_step(
            pipeline, {quick ? 800.0 : 1500.0, 2, connections, customers, 30000 * replicas});
        print_step(replicas, burst);
        json row = {{"replicas", replicas},
                    {"inbound", inbound.to_json()},
                    {"replies", replies.to_json()},
                    {"inbound_burst", burst.to_json()}};
        if (replicas == 2) {
            // Kill one router replica a second into a reply step; time until the survivor owns
            // every partition, and what the step delivered.
            double handover_ms = -1;
            std::thread killer([&] {
                std::this_thread::sleep_for(std::chrono::seconds(1));
                const auto killed = Clock::now();
                pipeline.kill9("router#2");
                while (Clock::now() - killed < std::chrono::seconds(30)) {
                    if (owned(pipeline, "router") == kPartitions) {
                        handover_ms =
                            std::chrono::duration<double, std::milli>(Clock::now() - killed)
                                .count();
                        return;
                    }
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
                }
            });
            const StepResult under_kill =
                reply_step(pipeline, {rate / 2, seconds + 2, connections, customers, 50000});
            killer.join();
            std::printf(
                "  router replica killed under load: partitions taken over in %.0f ms;"
                " that step delivered %d/%d (%d duplicates), p99 %.1f ms\n",
                handover_ms, under_kill.delivered, under_kill.sent, under_kill.duplicates,
                under_kill.latency.p99);
            row["handover_ms"] = handover_ms;
            row["replies_under_kill"] = under_kill.to_json();
        }
        report.push_back(row);
    }
    return report;
}

}  // namespace sb::bench
