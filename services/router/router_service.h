#pragma once
// The router's thin shell: a delivery::Node feeds the core its events, a timer feeds it ticks,
// and whatever the core decides is published (durably, with the event's completion) or sent at
// once. One mutex makes the core single-threaded.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "router_core.h"
#include "switchboard/config.h"
#include "switchboard/delivery.h"
#include "switchboard/metrics.h"
#include "switchboard/partitions.h"

namespace sb::router {

class RouterService {
  public:
    // `place`: the partition this core decides for (its node's name, journal and topics).
    RouterService(const CommonConfig& config, Settings settings, Metrics& metrics,
                  const partitions::Place& place);
    ~RouterService();
    RouterService(const RouterService&) = delete;
    RouterService& operator=(const RouterService&) = delete;

    // Called with true once the first sync is complete (and false on stop), for /healthz.
    void on_ready(std::function<void(bool)> callback) { on_ready_ = std::move(callback); }
    void start();  // recovers the journal, connects, starts the first sync and the timer
    void stop();
    bool ready() const;

  private:
    void handle(const delivery::Inbound& inbound, delivery::Transaction& transaction);
    void tick_loop();
    // Turns the core's outputs into a transaction (and immediate replies). Caller holds mutex_.
    void apply(Outputs& outputs, delivery::Transaction& transaction);
    void update_metrics();  // caller holds mutex_

    delivery::Node node_;
    Metrics& metrics_;
    mutable std::mutex mutex_;
    Core core_;
    Counters reported_{};
    bool reported_ready_ = false;
    std::function<void(bool)> on_ready_;

    std::mutex timer_mutex_;
    std::condition_variable timer_wake_;
    bool stopping_ = false;
    std::thread timer_;
};

}  // namespace sb::router
