#pragma once
// How a forwarded call ended, from what Tropo posts when its `transfer` is over. Pure.
//
// The call's answer (tropo_verbs.h transfer_answer) is the `transfer` followed by two document
// events, `{"on":{"event":"incomplete","next":…}}` (nobody answered: Tropo's timeout, busy,
// rejected or failed) and `{"on":{"event":"continue","next":…}}` (the transfer connected and
// ended). Tropo then POSTs its result object to that `next` URL:
//   {"result":{"sessionId","callId","state","sessionDuration","sequence","complete","error",
//              "actions":{"name","attempts","disposition",…} or [ … ]}}
// with `disposition` SUCCESS, TIMEOUT, BUSY, REJECTED, FAILED or EXTERNAL_EVENT. The result
// does not say who called, so the `next` URL does: it is a query-only reference (resolved
// against the application URL, so the result comes back to this webhook wherever it is
// mounted) naming the event, the call and the caller, signed with TROPO_KEY so a forged result
// texts nobody.
#include <optional>
#include <string>
#include <string_view>

#include "switchboard/events.h"

namespace sb::tropo_gateway {

// The name the transfer is given, so its entry among the result's actions is found.
inline constexpr const char* kTransferActionName = "forward";

namespace result_param {
inline constexpr const char* event = "transfer_event";  // incomplete | continue
inline constexpr const char* call = "call";             // the call id the router was told
inline constexpr const char* from = "from";             // the caller, E.164
inline constexpr const char* sig = "sig";               // HMAC-SHA256 of the above, TROPO_KEY
inline constexpr const char* token = "token";           // TROPO_WEBHOOK_TOKEN, when set
}  // namespace result_param

// "?transfer_event=…&call=…&from=…&sig=…[&token=…]": the `next` of one event.
std::string result_reference(std::string_view event, const std::string& call_id,
                             const std::string& from, const std::string& tropo_key,
                             const std::string& webhook_token);

struct TransferOutcome {
    std::string call_id;
    std::string from;
    std::string outcome;  // answered | missed
    std::string detail;   // completed, no-answer, busy, rejected, failed, …
};

struct ResultParams {
    std::string event;
    std::string call_id;
    std::string from;
    std::string sig;
};

struct TransferParse {
    std::optional<TransferOutcome> outcome;
    int status = 400;
    std::string code;    // metric label when refused
    std::string reason;  // said to the client
    explicit operator bool() const { return outcome.has_value(); }
};

// Checks the URL's signature, then reads the body; any fault is a 4xx with a reason.
TransferParse parse_transfer_result(const ResultParams& params, std::string_view body,
                                    const std::string& tropo_key);

// The disposition decides when it is one of Tropo's words; otherwise the event does
// (incomplete: missed, continue: answered).
std::pair<std::string, std::string> outcome_of(std::string_view event,
                                               std::string_view disposition);

// The room's note of how the call ended (channel voice, no reply_to: nobody waits).
CustomerMessage transfer_message(const TransferOutcome& outcome, const std::string& now);

}  // namespace sb::tropo_gateway
