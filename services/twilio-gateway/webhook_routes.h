#pragma once
// twilio-gateway's inbound side: the SMS/MMS webhook, the voice webhook and its <Dial action>,
// and the media it holds for Webex. Each webhook is answered 200 TwiML only once what it carried
// is durable on this instance's delivery node (Twilio does not redeliver).
#include <httplib.h>

#include <string>

#include "gateway_config.h"
#include "inbound_sms.h"
#include "media_store.h"
#include "recent_message_sids.h"
#include "signed_requests.h"
#include "switchboard/call_decisions.h"
#include "switchboard/delivery.h"
#include "switchboard/metrics.h"

namespace sb::twilio_gateway {

inline constexpr const char* kSmsPath = "/api/twilio/sms/";
inline constexpr const char* kVoicePath = "/api/twilio/voice/";
inline constexpr const char* kDialPath = "/api/twilio/voice/dial/";
inline constexpr const char* kMediaPath = "/api/twilio/media/";
// The edge's cap on a webhook body: a real inbound MMS is a few KiB; more is refused with 413
// before a handler sees it.
inline constexpr std::size_t kMaxWebhookBytes = 64 * 1024;

class WebhookRoutes {
  public:
    WebhookRoutes(const GatewayConfig& config, delivery::Node& node, Metrics& metrics,
                  SignedRequests& signed_requests, MediaStore& media);
    void register_routes(httplib::Server& server);
    // After node.start(): the webhooks an earlier life already passed on; expired media go.
    void restore();
    // Immediate replies addressed to this instance (the router's CallDecision).
    void on_reply(const Envelope& reply);
    // Shutdown: calls still waiting are forwarded to the fallback at once.
    void stop() { decisions_.cancel_all(); }

  private:
    void sms(const httplib::Request& request, httplib::Response& response);
    void voice(const httplib::Request& request, httplib::Response& response);
    void dial(const httplib::Request& request, httplib::Response& response);
    void media(const httplib::Request& request, httplib::Response& response);
    std::vector<Attachment> fetch_all(const InboundSms& sms, std::size_t& missing);
    // Publishes `message` and remembers `key` in one durable transaction.
    void publish_once(const std::string& key, const CustomerMessage& message);
    void duplicate(const std::string& kind, const std::string& key, httplib::Response& response);

    const GatewayConfig& config_;
    delivery::Node& node_;
    Metrics& metrics_;
    SignedRequests& signed_;
    MediaStore& media_;
    CallDecisions decisions_;
    RecentMessageSids recent_;
};

}  // namespace sb::twilio_gateway
