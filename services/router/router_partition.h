#pragma once
// One partition of the router as the runner starts and stops it (partitioned_runner.h): a core,
// its node and its timer (RouterService) for the customers whose numbers hash to it. The
// replica is ready once every partition it owns has finished its first directory sync.
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "router_service.h"
#include "switchboard/partitioned_runner.h"

namespace sb::router {

// Ready when every owned partition is (none owned: ready, a standby or one between polls).
class Readiness {
  public:
    explicit Readiness(std::function<void(bool)> report) : report_(std::move(report)) {}
    void set(std::uint32_t partition, bool ready);
    void forget(std::uint32_t partition);
    void refresh();  // says it again (a standby owns nothing and is ready)

  private:
    void report_locked();
    std::mutex mutex_;
    std::map<std::uint32_t, bool> ready_;
    std::function<void(bool)> report_;
};

class RouterPartition : public PartitionWorker {
  public:
    // `metrics`: the replica's, when this is the only partition; a partition among several keeps
    // its own (its gauges must not outlive it), and the replica shows partitions_owned.
    RouterPartition(const CommonConfig& config, const Settings& settings, Metrics& metrics,
                    const partitions::Place& place, Readiness& readiness);
    ~RouterPartition() override;
    void start() override;
    void stop() override;

  private:
    std::uint32_t partition_;
    Readiness& readiness_;
    std::unique_ptr<Metrics> own_metrics_;
    std::unique_ptr<RouterService> service_;
};

}  // namespace sb::router
