#include "switchboard/partitioned_runner.h"

#include <spdlog/spdlog.h>

#include <set>

#include "switchboard/metrics.h"
#include "switchboard/partition_ownership.h"
#include "switchboard/thread_guard.h"

namespace sb {
namespace {

// DATA_DIR/partitions/<service>.<k>.lock: the ownership of partition k of this service.
std::filesystem::path lock_path(const RunnerOptions& options, std::uint32_t partition) {
    return options.data_dir / "partitions" /
           (options.service + "." + std::to_string(partition) + ".lock");
}

}  // namespace

PartitionedRunner::PartitionedRunner(RunnerOptions options, const Membership& membership,
                                     Factory factory)
    : options_(std::move(options)), membership_(membership), factory_(std::move(factory)) {}

PartitionedRunner::~PartitionedRunner() {
    stop();
}

void PartitionedRunner::start() {
    rebalance();
    // A poll that throws is caught inside the loop; the guard is for anything else.
    thread_ = std::thread([this] { run_guarded("partition runner", [this] { poll_loop(); }); });
}

void PartitionedRunner::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    std::vector<std::uint32_t> all = owned();
    for (auto it = all.rbegin(); it != all.rend(); ++it) release(*it, /*keep_worker=*/true);
}

std::vector<std::uint32_t> PartitionedRunner::owned() const {
    std::lock_guard lock(owned_mutex_);
    std::vector<std::uint32_t> keys;
    for (const auto& [partition, held] : owned_) keys.push_back(partition);
    return keys;
}

void PartitionedRunner::register_metrics(Metrics& metrics) {
    metrics.gauge("partitions_owned", "Partitions this replica owns (runs)",
                  [this] { return static_cast<double>(owned().size()); });
    metrics.gauge("partitions_taken_total", "Partitions this replica took over", [this] {
        std::lock_guard lock(owned_mutex_);
        return static_cast<double>(taken_);
    });
    metrics.gauge("partitions_released_total", "Partitions this replica let go", [this] {
        std::lock_guard lock(owned_mutex_);
        return static_cast<double>(released_);
    });
}

void PartitionedRunner::poll_loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, options_.poll, [this] { return stopping_; });
        if (stopping_) break;
        lock.unlock();
        try {
            rebalance();
        } catch (const std::exception& error) {
            note_caught_exception("partition runner", error.what());
        }
        lock.lock();
    }
}

void PartitionedRunner::rebalance() {
    const std::vector<std::uint32_t> now = owned();
    const std::set<std::uint32_t> mine(now.begin(), now.end());
    const ownership::Plan plan =
        ownership::plan(options_.partitions, membership_.live_members(), mine, membership_.slot());
    bool changed = false;
    for (const std::uint32_t partition : plan.release) {
        release(partition);
        changed = true;
    }
    std::uint32_t taken = 0;
    for (const std::uint32_t partition : plan.candidates) {
        if (taken == plan.want) break;
        {
            std::lock_guard lock(mutex_);
            if (stopping_) break;
        }
        if (take(partition)) {
            ++taken;
            changed = true;
        }
    }
    if (changed && on_change_) on_change_();
}

bool PartitionedRunner::take(std::uint32_t partition) {
    std::optional<FileLock> lock = FileLock::try_take(lock_path(options_, partition));
    if (!lock) return false;  // somebody else's
    const partitions::Place place =
        partitions::place_for(options_.service, options_.plain_instance, options_.data_dir,
                              partition, options_.partitions);
    std::error_code ignored;
    std::filesystem::create_directories(place.data_dir, ignored);
    std::unique_ptr<PartitionWorker> worker;
    try {
        worker = factory_(place);
        worker->start();
    } catch (const std::exception& error) {
        // The lock goes back (closing it): another replica, or the next poll, tries again.
        spdlog::error("partition {} ({}) did not start: {}", partition, place.instance,
                      error.what());
        if (worker) worker->stop();
        return false;
    }
    spdlog::info("partition {} of {} taken: {} in {}", partition, options_.partitions,
                 place.instance, place.data_dir.string());
    std::lock_guard guard(owned_mutex_);
    owned_.emplace(partition, Owned{std::move(*lock), std::move(worker)});
    ++taken_;
    return true;
}

void PartitionedRunner::release(std::uint32_t partition, bool keep_worker) {
    Owned held;
    {
        std::lock_guard guard(owned_mutex_);
        auto it = owned_.find(partition);
        if (it == owned_.end()) return;
        held = std::move(it->second);
        owned_.erase(it);
        ++released_;
    }
    // The fence: the worker writes nothing more once stop() returns, and only then does the
    // lock go (when `held` goes out of scope, its worker first).
    held.worker->stop();
    if (keep_worker) {
        stopped_.push_back(std::move(held.worker));
    } else {
        held.worker.reset();
    }
    held.lock.reset();
    spdlog::info("partition {} of {} released", partition, options_.partitions);
}

}  // namespace sb
