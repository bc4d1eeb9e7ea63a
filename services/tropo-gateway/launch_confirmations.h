#pragma once
// Where the webhook tells the senders that a launched session came back and was answered with
// its SMS — the moment a segment is really sent. The webhook claims a segment when the session
// arrives and reports once the answer is written; a sender waits for that, with a deadline,
// after each launch. Thread-safe; the decisions are LaunchLedger's.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

#include "launch_ledger.h"

namespace sb::tropo_gateway {

class LaunchConfirmations {
  public:
    // The webhook, for a launched session carrying `send_id`: true → answer with the SMS and
    // call answered() once that answer is written or has failed; false → this segment is sent
    // (or being sent) by another session: answer with nothing.
    bool claim(const std::string& send_id);
    void answered(const std::string& send_id, bool written) noexcept;

    // The senders: whether a session for `send_id` was answered with its SMS, waiting up to
    // `timeout` for it.
    bool wait_sent(const std::string& send_id, std::chrono::milliseconds timeout);
    bool sent(const std::string& send_id) const;

  private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    LaunchLedger ledger_;
};

}  // namespace sb::tropo_gateway
