#pragma once
// Executes the router's SendSms commands: split into SMS segments, launch one Tropo session per
// segment in order, and report the outcome on tropo.result.
#include <atomic>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <string>

#include "gateway_config.h"
#include "switchboard/api_client.h"
#include "switchboard/delivery.h"
#include "switchboard/metrics.h"

namespace sb::tropo_gateway {

// More segments than this is no SMS any phone shows well; the command fails instead.
inline constexpr size_t kMaxSegments = 30;

class SmsSender {
  public:
    // `launch` posts one Session API request body and returns the answer (ApiClient in
    // production; a stub in tests).
    using Launch = std::function<ApiResponse(const std::string& body)>;
    SmsSender(const GatewayConfig& config, Launch launch, Metrics& metrics);

    // The delivery handler for topics::tropo_commands.
    void handle(const delivery::Inbound& inbound, delivery::Transaction& transaction);
    // Shutdown: the command in progress stays pending and is handed over again after a restart.
    void stop() { stopping_ = true; }

  private:
    bool seen_before(const std::string& command_id);

    const GatewayConfig& config_;
    Launch launch_;
    Metrics& metrics_;
    std::atomic<bool> stopping_{false};
    std::set<std::string> seen_;
    std::deque<std::string> seen_order_;
};

}  // namespace sb::tropo_gateway
