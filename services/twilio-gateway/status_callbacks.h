#pragma once
// POST /api/twilio/sms/status/: Twilio's status callbacks for the messages the sender sent
// (each Messages.json call names this path, with ?room=…&reply=… for the room and the agent's
// message). Taken only when Twilio signed them (SignedRequests: the URL with that query is part
// of what is signed, so the room cannot be forged); a forged one is refused with 403 and
// changes nothing. A message's outcome — delivered, undelivered, failed — becomes a
// DeliveryReport on sms.report (correlation_id empty, key = the customer's E.164, the plain
// reason of the ErrorCode); the statuses on the way (queued, sending, sent) publish nothing. The
// ledger (status_ledger.h) keeps duplicates and late callbacks from moving a status backwards;
// an outcome is remembered in the node's memory in the same commit as its report, so a restart
// neither forgets it nor reports it twice. 200 (`<Response/>`) once the report is durable.
#include <httplib.h>

#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "refusal.h"
#include "signed_requests.h"
#include "status_ledger.h"
#include "switchboard/delivery.h"
#include "switchboard/events.h"
#include "switchboard/metrics.h"
#include "twilio_signature.h"

namespace sb::twilio_gateway {

// Messages whose status the gateway remembers: days of traffic for one number (Twilio sends
// one segment a second per number); a callback for an older message counts as new.
inline constexpr std::size_t kRememberStatuses = 20000;

// One status callback, read and checked. Pure.
struct StatusCallback {
    std::string message_sid;       // SM… or MM…
    std::string status;            // MessageStatus
    std::string error_code;        // ErrorCode; may be empty
    std::string to;                // the customer's number (E.164 as Twilio writes it)
    std::string room_id;           // from our own query (?room=)
    std::string agent_message_id;  // ?reply=
};
struct StatusCallbackParse {
    std::optional<StatusCallback> callback;
    Refusal refusal;  // when there is none
};
// `params` are the signed form's, `query` the request's own query string (room, reply).
StatusCallbackParse parse_status_callback(const TwilioParams& params, const std::string& query);

// The report a callback that advanced to `report_status` (report_status_for) leads to.
DeliveryReport status_report(const StatusCallback& callback, const std::string& report_status);

class StatusCallbacks {
  public:
    using Commit = std::function<void(delivery::Transaction)>;
    // `commit` is delivery::Node::commit.
    StatusCallbacks(SignedRequests& signed_requests, Commit commit, Metrics& metrics,
                    std::size_t capacity = kRememberStatuses);

    void register_routes(httplib::Server& server);
    // After node.start(), before the routes serve: the outcomes an earlier life reported
    // (Node::memory(), oldest first).
    void restore(const std::vector<std::pair<std::string, nlohmann::json>>& memory);

    static std::string memory_key(const std::string& sid) { return "twilio.status:" + sid; }

  private:
    void handle(const httplib::Request& request, httplib::Response& response);

    SignedRequests& signed_;
    Commit commit_;
    Metrics& metrics_;
    // Held across judge, commit and record: one message's callbacks are decided one at a time
    // and in the order they were made durable. Callbacks come at Twilio's sending pace (about
    // one a second per number), far below one journal sync each.
    std::mutex mutex_;
    StatusLedger ledger_;
    std::vector<std::string> forgotten_;  // sids let go, forgotten in the next commit
};

}  // namespace sb::twilio_gateway
