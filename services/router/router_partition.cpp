#include "router_partition.h"

namespace sb::router {

void Readiness::set(std::uint32_t partition, bool ready) {
    std::lock_guard lock(mutex_);
    ready_[partition] = ready;
    report_locked();
}

void Readiness::forget(std::uint32_t partition) {
    std::lock_guard lock(mutex_);
    ready_.erase(partition);
    report_locked();
}

void Readiness::refresh() {
    std::lock_guard lock(mutex_);
    report_locked();
}

void Readiness::report_locked() {
    bool all = true;
    for (const auto& [partition, ready] : ready_) all = all && ready;
    report_(all);
}

RouterPartition::RouterPartition(const CommonConfig& config, const Settings& settings,
                                 Metrics& metrics, const partitions::Place& place,
                                 Readiness& readiness)
    : partition_(place.index),
      readiness_(readiness),
      own_metrics_(place.only() ? nullptr : std::make_unique<Metrics>()) {
    service_ = std::make_unique<RouterService>(config, settings,
                                               own_metrics_ ? *own_metrics_ : metrics, place);
    service_->on_ready([this](bool ready) { readiness_.set(partition_, ready); });
}

RouterPartition::~RouterPartition() {
    RouterPartition::stop();
}

void RouterPartition::start() {
    readiness_.set(partition_, false);
    service_->start();
}

void RouterPartition::stop() {
    if (!service_) return;
    service_->stop();
    service_.reset();
    readiness_.forget(partition_);
}

}  // namespace sb::router
