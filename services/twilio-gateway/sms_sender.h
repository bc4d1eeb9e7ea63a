#pragma once
// Executes the router's SendSms commands through Twilio's Messages.json: one call per SMS with
// the whole text (Twilio splits it into segments and the phone joins them), or, for a text over
// Twilio's 1600-character limit, one call per part (long_sms.h). Each call names the gateway's
// status path as its StatusCallback, with the room and the agent's message in the query, so the
// callbacks that follow can be reported to the right room (Twilio signs that URL with its query,
// so nobody can forge the pair).
//
// The delivery worker only checks and holds the command; the sends run on a small pool keyed by
// the customer's number (one customer's SMS in order, different customers side by side), and each
// worker commits the command's DeliveryReport together with its completion. An answer that clears
// by itself (429/20429, 5xx, 21611, no answer) is tried again with backoff (send_backoff.h) for
// as long as it takes: the command stays pending, so an outage delays an SMS and loses none,
// and shutdown leaves it pending for the next start. A refusal is never tried again.
//
// A text sent as several messages records each part Twilio took (its sid) in the delivery
// node's memory before the next part goes, so a command handed over again after a crash sends
// only the parts not yet taken; the record is forgotten in the commit of the report.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "send_backoff.h"
#include "switchboard/api_client.h"
#include "switchboard/delivery.h"
#include "switchboard/keyed_executor.h"
#include "switchboard/metrics.h"
#include "switchboard/recent_ids.h"

namespace sb::twilio_gateway {

// Sends in flight at once (different customers): each is one blocking REST round trip.
inline constexpr int kSendThreads = 4;
// More parts than this is no SMS anybody reads; the command fails instead.
inline constexpr std::size_t kMaxParts = 10;
// The path Twilio posts status callbacks to (status_callbacks.h serves it).
inline constexpr const char* kStatusPath = "/api/twilio/sms/status/";

// What the sender needs of the gateway's settings.
struct SenderSettings {
    std::string account_sid;            // TWILIO_ACCOUNT_SID
    std::string from_number;            // TWILIO_FROM_NUMBER, or
    std::string messaging_service_sid;  // TWILIO_MESSAGING_SERVICE_SID (preferred when set)
    std::string public_base_url;        // PUBLIC_BASE_URL, no trailing slash
};

// "/2010-04-01/Accounts/{sid}/Messages.json": the target under TWILIO_API_URL.
std::string messages_target(const std::string& account_sid);
// PUBLIC_BASE_URL + kStatusPath + "?room=…&reply=…" (percent-encoded).
std::string status_callback_url(const std::string& public_base_url, const std::string& room_id,
                                const std::string& agent_message_id);
// The Messages.json form for one body, and its pictures (MediaUrl, repeated; Body may then be
// empty).
FormParams message_form(const SenderSettings& settings, const std::string& to,
                        const std::string& body, const std::string& status_callback,
                        const std::vector<std::string>& media_urls = {});

class SmsSender {
  public:
    // `post` makes one Messages.json call (ApiClient::post_form with a one-attempt policy in
    // production: the retries are this class's). `commit` is delivery::Node::commit.
    using Post = std::function<ApiResponse(const std::string& target, const FormParams& form)>;
    using Commit = std::function<void(delivery::Transaction)>;
    SmsSender(SenderSettings settings, Post post, Commit commit, Metrics& metrics,
              SendBackoff backoff = {}, int threads = kSendThreads);

    // The delivery handler for topics::sms_to_send (on the delivery worker).
    void handle(const delivery::Inbound& inbound, delivery::Transaction& transaction);
    // Shutdown, around cancelling the Twilio client: stop() starts nothing new and ends the
    // waits between retries; join() waits for the sends in progress. Unfinished commands stay
    // pending and are handed over again after a restart.
    void stop();
    void join() { pool_.join(); }
    // After node.start() (the node's memory is complete only then): the parts that an earlier
    // life had sent of commands still pending. Sends wait for this before they begin.
    void restore(const std::vector<std::pair<std::string, nlohmann::json>>& memory);

    static std::string memory_key(const std::string& command_id) {
        return "twilio.parts:" + command_id;
    }

  private:
    struct PartResult {
        enum class Kind { sent, failed, opted_out, interrupted } kind = Kind::sent;
        std::string reason;
        std::string carrier_code;
        std::string sid;
        int segments = 0;
    };
    void send(const delivery::Inbound& inbound, const SendSms& sms);
    PartResult send_part(const std::string& to, const std::string& body,
                         const std::string& callback, const std::string& fields,
                         const std::vector<std::string>& media_urls = {});
    bool wait(std::chrono::milliseconds duration);  // false when stopping
    bool wait_restored();                           // false when stopping first
    // The parts of `command_id` sent before (restored), taken out of the table.
    nlohmann::json take_progress(const std::string& command_id);

    const SenderSettings settings_;
    const std::string target_;
    Post post_;
    Commit commit_;
    Metrics& metrics_;
    const SendBackoff backoff_;
    std::mutex stop_mutex_;
    std::condition_variable stop_cv_;
    std::atomic<bool> stopping_{false};
    bool restored_ = false;                           // guarded by stop_mutex_
    std::map<std::string, nlohmann::json> progress_;  // command id -> {"sids": [...], "segments"}
    RecentIds seen_;                                  // command ids: a producer may re-send one
    KeyedExecutor pool_;                              // last: its threads use the members above
};

}  // namespace sb::twilio_gateway
