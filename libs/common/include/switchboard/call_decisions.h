#pragma once
// Calls waiting for the router's CallDecision, in any carrier gateway: the webhook thread waits,
// the bus's reply handler delivers. Decisions for calls nobody waits for (late or forged) are
// dropped.
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "switchboard/events.h"

namespace sb {

class CallDecisions {
  public:
    // Register before publishing the call, so a fast decision is not missed.
    void expect(const std::string& call_id);
    // Returns false when nobody waits for this call.
    bool deliver(const std::string& call_id, const std::string& forward_to);
    // A reply from the bus (the gateway's reply topic): a CallDecision is delivered; anything
    // else, a malformed one or one for a call nobody waits for any more is logged and dropped.
    void deliver_reply(const Envelope& reply);
    // The decided number, or nothing after `timeout`; the call is forgotten either way.
    std::optional<std::string> wait(const std::string& call_id, std::chrono::milliseconds timeout);
    void cancel_all();  // shutdown: every waiter returns at once

  private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::string, std::optional<std::string>> waiting_;
    bool cancelled_ = false;
};

}  // namespace sb
