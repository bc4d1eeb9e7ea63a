#pragma once
// Executes the router's SendSms commands: split into SMS segments, launch one Tropo session per
// segment in order, and report the outcome on tropo.result. The delivery worker only checks and
// holds the command; the sends run on a small pool keyed by customer (one customer's SMS in
// order, different customers side by side), and each worker commits its DeliveryReport together
// with the command's completion. Each accepted segment is recorded in the progress store before
// the next is launched, so a command handed over again after a crash continues from the first
// segment not yet launched.
#include <atomic>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>

#include "gateway_config.h"
#include "sms_progress_store.h"
#include "switchboard/api_client.h"
#include "switchboard/delivery.h"
#include "switchboard/keyed_executor.h"
#include "switchboard/metrics.h"
#include "switchboard/recent_ids.h"

namespace sb::tropo_gateway {

// More segments than this is no SMS any phone shows well; the command fails instead.
inline constexpr size_t kMaxSegments = 30;
// Sends in flight at once (different customers): each is one blocking Session API round trip.
inline constexpr int kSendThreads = 4;

class SmsSender {
  public:
    // `launch` posts one Session API request body and returns the answer (ApiClient in
    // production; a stub in tests).
    using Launch = std::function<ApiResponse(const std::string& body)>;
    // `commit` is delivery::Node::commit (called from the pool's threads).
    using Commit = std::function<void(delivery::Transaction)>;
    SmsSender(const GatewayConfig& config, Launch launch, Commit commit, Metrics& metrics,
              SmsProgressStore& progress, int threads = kSendThreads);

    // The delivery handler for topics::tropo_commands (on the delivery worker).
    void handle(const delivery::Inbound& inbound, delivery::Transaction& transaction);
    // Shutdown, in two steps around cancelling the Tropo client: stop() starts nothing new,
    // join() waits for the sends in progress. Unfinished commands stay pending and are handed
    // over again after a restart.
    void stop();
    void join() { pool_.join(); }
    size_t queued() const { return pool_.queued(); }

  private:
    void send(const delivery::Inbound& inbound, const SendSms& sms);

    const GatewayConfig& config_;
    Launch launch_;
    Commit commit_;
    Metrics& metrics_;
    SmsProgressStore& progress_;
    std::atomic<bool> stopping_{false};
    RecentIds seen_;      // command ids: a producer may re-send one
    KeyedExecutor pool_;  // last: its threads use the members above
};

}  // namespace sb::tropo_gateway
