#pragma once
// What the gateway knows of each message it sent, from Twilio's status callbacks, so that a
// duplicated or late callback never moves a message's status backwards and never reports twice.
// Twilio posts each status change once, but retries, a proxy or a slow carrier can bring them
// twice or out of order (a `sent` after `delivered`). A status is acted on only when it ranks
// above what the message already has; terminal statuses rank equal, so the first one stands.
// Pure: the shell (status_callbacks.*) keeps the entries in the delivery node's memory, in the
// same commit as the report they led to, so they survive a restart.
#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sb::twilio_gateway {

// Twilio's MessageStatus in its order: accepted/scheduled < queued < sending < sent <
// delivered = undelivered = failed = canceled < read (WhatsApp, after delivered). -1: a status
// this code does not know (ignored).
int status_rank(const std::string& message_status);

// The report a status leads to: delivered, undelivered or failed; nullopt for the statuses on
// the way (accepted, queued, sending, sent: the command's own report already said `sent`), and
// for unknown ones. The router hears each message's outcome once.
std::optional<std::string> report_status_for(const std::string& message_status);

class StatusLedger {
  public:
    // Remembers at most `capacity` messages; the oldest is let go first (its late callbacks
    // then count as new, which after that many newer messages is a late callback from days ago).
    explicit StatusLedger(std::size_t capacity);

    enum class Verdict { advance, duplicate, backwards, unknown_status };
    // What a callback with `status` for `sid` would do. Does not change the ledger.
    Verdict judge(const std::string& sid, const std::string& status) const;
    // Records `status` for `sid` (after a judged advance was made durable); returns the sid let
    // go to make room, if any.
    std::optional<std::string> record(const std::string& sid, const std::string& status);
    std::optional<std::string> status_of(const std::string& sid) const;
    std::size_t size() const { return statuses_.size(); }

  private:
    std::size_t capacity_;
    std::map<std::string, std::string> statuses_;
    std::deque<std::string> order_;  // sids, oldest first
};

}  // namespace sb::twilio_gateway
