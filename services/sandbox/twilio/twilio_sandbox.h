#pragma once
// The Twilio half of the sandbox: the REST API under /twilio/2010-04-01 (Messages, Media),
// simulated phones that text and call the company number (signed webhooks to the number's
// SMS and voice URLs, TwiML carried out), status callbacks, and the test/admin API under
// /sandbox/twilio.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "form.h"
#include "media_store.h"
#include "message_resource.h"
#include "phones.h"
#include "switchboard/config.h"
#include "switchboard/metrics.h"
#include "twiml.h"
#include "webhook_worker.h"

namespace sb::sandbox::twilio {

struct TwilioSettings {
    std::string account_sid;            // TWILIO_ACCOUNT_SID
    std::string auth_token;             // TWILIO_AUTH_TOKEN
    std::string api_key_sid;            // TWILIO_API_KEY_SID (optional)
    std::string api_key_secret;         // TWILIO_API_KEY_SECRET
    std::string company_number;         // TWILIO_FROM_NUMBER
    std::string messaging_service_sid;  // TWILIO_MESSAGING_SERVICE_SID (optional)
    std::string sms_url;                // TWILIO_SMS_URL
    std::string voice_url;              // TWILIO_VOICE_URL
    std::string connect_via;  // SANDBOX_TWILIO_CONNECT_VIA (optional): where webhooks connect
};

// Reads and checks the settings; throws ConfigError naming the variable.
TwilioSettings twilio_settings_from(const Environment& env);

class TwilioSandbox {
  public:
    TwilioSandbox(const Environment& env, Metrics& metrics);
    ~TwilioSandbox();
    void register_routes(httplib::Server& server);
    // The phones' admin routes under `prefix` ("/sandbox/twilio", or the carrier-neutral
    // "/sandbox" when this is the sandbox's SMS carrier).
    void register_phone_routes(httplib::Server& server, const std::string& prefix);
    void start(const std::string& public_base_url);
    void stop();

  private:
    struct Faults {
        std::string mode;  // "429", "500" or "outage"
        int remaining = 0;
    };
    struct Knobs {
        std::chrono::milliseconds rest_latency{0};
        std::chrono::milliseconds delivery_latency{0};
        bool duplicate_callbacks = false;
        bool out_of_order_callbacks = false;
        bool media_auth = true;
        bool advanced_opt_out = false;
        std::string dial_answer = "completed";
    };

    // REST (twilio_rest.cpp)
    bool authenticated(const httplib::Request& request, const std::string& account) const;
    // A scripted fault answers the call; true when it did. Called before the credentials are
    // checked (`authenticated` false: an outage) and after (429, 500).
    bool fault(httplib::Response& response, bool authenticated);
    void answer_rest(httplib::Response& response, int status, const std::string& body);
    void answer_error(httplib::Response& response, int code);
    void create_message(const httplib::Request& request, httplib::Response& response);
    void fetch_message(const httplib::Request& request, httplib::Response& response);
    void fetch_media(const httplib::Request& request, httplib::Response& response);
    void serve_cdn(const httplib::Request& request, httplib::Response& response);
    void hold_rest_call();
    void count_call(const httplib::Request& request, const char* endpoint);  // the metric

    // Outbound delivery (twilio_delivery.cpp): runs on outbound_.
    void deliver(const std::string& sid, const std::vector<std::string>& media_urls, bool smart);
    void set_status(const std::string& sid, const std::string& status, int error_code = 0,
                    const std::string& error_message = {});
    void post_status_callbacks(const MessageRecord& message,
                               const std::vector<std::string>& statuses);
    // A message from the company number to the phone: its inbox, unless the phone is on the
    // refusal list (false then).
    void to_phone(const std::string& number, const std::string& text, const std::string& sid,
                  std::vector<MediaRef> media = {});

    // The phones (twilio_phones.cpp)
    void phone_sms(const httplib::Request& request, httplib::Response& response);
    void phone_call(const httplib::Request& request, httplib::Response& response);
    void get_phone(const httplib::Request& request, httplib::Response& response);
    void carry_out_messaging(const std::string& phone, const std::string& inbound_sid,
                             const WebhookAnswer& answer);
    // twilio_voice.cpp
    void run_call(const std::string& phone, const std::string& call_sid, const std::string& answer,
                  int duration);

    // Knobs (twilio_knobs.cpp)
    void faults(const httplib::Request& request, httplib::Response& response);
    void knobs(const httplib::Request& request, httplib::Response& response);
    void undeliverable(const httplib::Request& request, httplib::Response& response);
    void opt_outs(const httplib::Request& request, httplib::Response& response);
    void stats(httplib::Response& response) const;
    void reset();
    void log_webhook(nlohmann::json entry);
    void count_rest(int status);
    void count_answer(std::map<std::string, std::uint64_t>& counter, const WebhookAnswer& answer);

    bool opted_out(const std::string& number) const;
    std::string public_url() const;
    std::string media_path(const StoredMedia& media) const;  // the REST URL path of a picture
    Params geo_params(const std::string& from, const std::string& to) const;

    Metrics& metrics_;
    const TwilioSettings settings_;
    Phones phones_;
    MediaStore media_;
    WebhookWorker inbound_{"twilio sandbox webhooks"};
    WebhookWorker outbound_{"twilio sandbox delivery"};

    mutable std::mutex mutex_;
    std::string public_url_;
    std::map<std::string, MessageRecord> messages_;
    std::deque<std::string> message_order_;  // sids, oldest first, for the cap
    std::set<std::string> opted_out_;
    std::set<std::string> undeliverable_;
    Faults faults_;
    Knobs knobs_;
    std::deque<nlohmann::json> webhook_log_;
    std::map<int, std::uint64_t> rest_by_status_;
    std::map<std::string, std::uint64_t> webhook_answers_;
    std::map<std::string, std::uint64_t> callback_answers_;
    std::uint64_t webhooks_sent_ = 0;
    std::uint64_t callbacks_sent_ = 0;
    std::uint64_t sms_from_phones_ = 0;
    std::uint64_t calls_placed_ = 0;
    std::uint64_t sms_to_phones_ = 0;
    bool stopping_ = false;
    std::condition_variable stopped_;

    static constexpr size_t kMessagesKept = 5000;
    static constexpr size_t kWebhookLog = 500;
};

}  // namespace sb::sandbox::twilio
