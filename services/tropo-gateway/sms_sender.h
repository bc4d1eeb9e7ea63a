#pragma once
// Executes the router's SendSms commands: split into SMS segments, launch one Tropo session per
// segment in order, and report the outcome on sms.report. The delivery worker only checks and
// holds the command; the sends run on a small pool keyed by customer (one customer's SMS in
// order, different customers side by side), and each worker commits its DeliveryReport together
// with the command's completion. A segment is sent only when Tropo's launched session comes back
// to the webhook and is answered with it, so after each launch the sender waits for that (up to
// TROPO_LAUNCH_CONFIRM_MS) and launches again when it does not come, a few times at most. Each
// launch and each confirmation is recorded in the progress store before the sender goes on, so
// a command handed over again after a crash continues from the first segment not yet confirmed.
#include <atomic>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>

#include "gateway_config.h"
#include "launch_confirmations.h"
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
// Launches of one segment whose session never comes back before the command fails.
inline constexpr int kLaunchAttempts = 3;

class SmsSender {
  public:
    // `launch` posts one Session API request body and returns the answer (ApiClient in
    // production; a stub in tests).
    using Launch = std::function<ApiResponse(const std::string& body)>;
    // `commit` is delivery::Node::commit (called from the pool's threads).
    using Commit = std::function<void(delivery::Transaction)>;
    SmsSender(const GatewayConfig& config, Launch launch, Commit commit, Metrics& metrics,
              SmsProgressStore& progress, LaunchConfirmations& confirmations,
              int threads = kSendThreads);

    // The delivery handler for topics::sms_to_send (on the delivery worker).
    void handle(const delivery::Inbound& inbound, delivery::Transaction& transaction);
    // Shutdown, in two steps around cancelling the Tropo client: stop() starts nothing new,
    // join() waits for the sends in progress. Unfinished commands stay pending and are handed
    // over again after a restart. A send waiting for a launched session's confirmation keeps
    // waiting (the webhook still serves) up to TROPO_LAUNCH_CONFIRM_MS, and is not launched
    // again.
    void stop();
    void join() { pool_.join(); }
    size_t queued() const { return pool_.queued(); }

  private:
    void send(const delivery::Inbound& inbound, const SendSms& sms);
    struct SegmentResult {
        enum class Kind { sent, failed, interrupted } kind = Kind::sent;
        std::string reason;  // when failed
    };
    // Launches segment `index` until a session for it was answered with the SMS.
    SegmentResult send_segment(const std::string& command_id, const std::string& to,
                               const std::string& text, std::size_t index, std::size_t total,
                               const std::string& fields);

    const GatewayConfig& config_;
    Launch launch_;
    Commit commit_;
    Metrics& metrics_;
    SmsProgressStore& progress_;
    LaunchConfirmations& confirmations_;
    std::atomic<bool> stopping_{false};
    RecentIds seen_;      // command ids: a producer may re-send one
    KeyedExecutor pool_;  // last: its threads use the members above
};

}  // namespace sb::tropo_gateway
