#pragma once
// What the gateway says to Tropo: WebAPI answers ({"tropo":[verbs]}) and Session API requests.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace sb::tropo_gateway {

// Ends a session without a word to the customer.
std::string hangup_answer();
// Where Tropo posts its result when a transfer ends (transfer_result.h): the `next` of the
// document's `incomplete` and `continue` events. Empty: the answer has no event handlers.
struct TransferEvents {
    std::string incomplete_next;
    std::string continue_next;
};
// Forwards a call: {"transfer":{"to":"tel:+E164", "from": caller}}, with `events` the transfer
// is named (transfer_result.h kTransferActionName) and followed by
// {"on":{"event":"incomplete","next":…}} and {"on":{"event":"continue","next":…}}.
std::string transfer_answer(const std::string& to_e164, const std::optional<std::string>& caller,
                            const TransferEvents& events = {});
// Sends one SMS from a token-launched session.
std::string message_answer(const std::string& to_e164, const std::string& text);

// Session API parameters the gateway sets and reads back from the token-launched session.
namespace parameter {
inline constexpr const char* token = "token";
inline constexpr const char* action = "action";
inline constexpr const char* number_to_dial = "numberToDial";  // the lab's names
inline constexpr const char* msg = "msg";
inline constexpr const char* send_id = "sendId";  // ours: command id and segment
}  // namespace parameter

// The JSON body of POST {TROPO_API_URL}/sessions for one SMS.
std::string launch_request(const std::string& token, const std::string& to_e164,
                           const std::string& text, const std::string& send_id);

// The Session API's answer: {"success":true,"token":..,"id":..} or {"success":false,"reason":..}.
struct LaunchOutcome {
    bool launched = false;
    std::string session_id;
    std::string reason;  // why not, for the delivery report
};
LaunchOutcome read_launch_answer(int status, const std::string& body, const std::string& error);

}  // namespace sb::tropo_gateway
