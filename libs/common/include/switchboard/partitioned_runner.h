#pragma once
// Runs the partitions this replica owns (README, "Partitions and replicas"): every poll it asks
// ownership::plan what to take and let go, takes a partition's lock before its worker starts and
// lets it go only after the worker has stopped. The workers are the service's own (a router core
// and its node, a gateway's sender and its node), made by a factory for a Place.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "switchboard/file_lock.h"
#include "switchboard/membership.h"
#include "switchboard/partitions.h"

namespace sb {

class Metrics;

// One partition's work. start() recovers and runs it; stop() ends it for good (no journal write
// after it returns). Both are called from the runner's thread, never at once.
class PartitionWorker {
  public:
    virtual ~PartitionWorker() = default;
    virtual void start() = 0;
    virtual void stop() = 0;
};

struct RunnerOptions {
    std::string service;
    std::string plain_instance;  // the partition's name when there is only one
    std::filesystem::path data_dir;
    std::uint32_t partitions = 1;
    std::chrono::milliseconds poll{500};
};

class PartitionedRunner {
  public:
    using Factory = std::function<std::unique_ptr<PartitionWorker>(const partitions::Place&)>;

    PartitionedRunner(RunnerOptions options, const Membership& membership, Factory factory);
    ~PartitionedRunner();
    PartitionedRunner(const PartitionedRunner&) = delete;
    PartitionedRunner& operator=(const PartitionedRunner&) = delete;

    // Takes this replica's share at once (so a lone replica is whole when start returns), then
    // keeps polling.
    void start();
    // Stops every worker, then lets their locks go. The stopped workers are destroyed with the
    // runner, so what they registered (a lone partition's gauges) lives as long as the service.
    void stop();

    std::vector<std::uint32_t> owned() const;
    // partitions_owned{service} and partition handovers on /metrics.
    void register_metrics(Metrics& metrics);
    // Called after every change of what is owned (from the runner's thread).
    void on_change(std::function<void()> callback) { on_change_ = std::move(callback); }

  private:
    struct Owned {
        std::optional<FileLock> lock;
        std::unique_ptr<PartitionWorker> worker;
    };
    void rebalance();
    bool take(std::uint32_t partition);
    void release(std::uint32_t partition, bool keep_worker = false);
    void poll_loop();

    RunnerOptions options_;
    const Membership& membership_;
    Factory factory_;
    std::function<void()> on_change_;

    mutable std::mutex owned_mutex_;  // guards owned_'s keys for owned(); the thread changes it
    std::map<std::uint32_t, Owned> owned_;
    std::vector<std::unique_ptr<PartitionWorker>> stopped_;  // see stop()
    std::uint64_t taken_ = 0;
    std::uint64_t released_ = 0;

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace sb
