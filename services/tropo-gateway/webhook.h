#pragma once
// POST /api/tropo-webhook/: Tropo sessions in, events out, Tropo verbs back.
#include <httplib.h>

#include "gateway_config.h"
#include "launch_confirmations.h"
#include "recent_sessions.h"
#include "switchboard/call_decisions.h"
#include "switchboard/delivery.h"
#include "switchboard/metrics.h"
#include "tropo_session.h"
#include "tropo_verbs.h"

namespace sb::tropo_gateway {

inline constexpr const char* kWebhookPath = "/api/tropo-webhook/";
inline constexpr size_t kMaxSessionBytes = 64 * 1024;  // a real session is about 1 KiB

class Webhook {
  public:
    // A launched session carrying a sendId is answered with its SMS only once per segment, and
    // reported to `confirmations` once that answer is written.
    Webhook(const GatewayConfig& config, delivery::Node& node, Metrics& metrics,
            LaunchConfirmations& confirmations);
    void register_routes(httplib::Server& server);
    // Immediate replies addressed to this instance (the router's CallDecision).
    void on_reply(const Envelope& reply);
    // Shutdown: calls still waiting are forwarded to the fallback at once.
    void stop() { decisions_.cancel_all(); }

  private:
    void handle(const httplib::Request& request, httplib::Response& response);
    void answer_sms(const InboundSession& session, httplib::Response& response);
    void answer_call(const InboundSession& session, httplib::Response& response);
    void answer_launch(const InboundSession& session, httplib::Response& response);
    // The result Tropo posts to a transfer's `incomplete`/`continue` handler (transfer_result.h).
    void answer_transfer_result(const httplib::Request& request, httplib::Response& response);
    TransferEvents transfer_events(const InboundSession& session) const;
    void answer_segment(const std::string& send_id, const std::string& answer,
                        const std::string& to, const InboundSession& session,
                        httplib::Response& response);
    void rejected(httplib::Response& response, int status, const std::string& code,
                  const std::string& reason);
    void count(const std::string& kind);

    const GatewayConfig& config_;
    delivery::Node& node_;
    Metrics& metrics_;
    LaunchConfirmations& confirmations_;
    CallDecisions decisions_;
    RecentSessions recent_;
};

}  // namespace sb::tropo_gateway
