#pragma once
// Which SMS segments the webhook has sent, by the sendId the gateway put in their launch. A
// segment may be launched more than once (its session did not come back in time, or a gateway
// restarted mid-send), so more than one session can arrive for it: only the first is answered
// with the SMS, the others with nothing, and a session whose answer could not be written frees
// the segment for the next one. Pure: launch_confirmations.* shares it between the webhook and
// the senders.
#include <cstddef>
#include <deque>
#include <string>
#include <unordered_map>

namespace sb::tropo_gateway {

class LaunchLedger {
  public:
    explicit LaunchLedger(std::size_t capacity = 10000) : capacity_(capacity) {}

    enum class Answer {
        message,  // answer with the SMS: nothing has sent this segment yet
        nothing,  // hang up: another session for it has sent it, or is answering right now
    };
    // A launched session for `send_id` arrived; `message` also claims the segment.
    Answer session_arrived(const std::string& send_id);
    // The SMS answer for `send_id` went out (`written`) or could not be written (its session
    // may come again, or the segment be launched again).
    void answer_done(const std::string& send_id, bool written);
    // A session for `send_id` was answered with its SMS.
    bool sent(const std::string& send_id) const;
    std::size_t size() const { return states_.size(); }

  private:
    enum class State { answering, sent, given_up };  // given_up: as if never answered
    void remember(const std::string& send_id, State state);

    std::size_t capacity_;
    std::unordered_map<std::string, State> states_;
    std::deque<std::string> order_;  // oldest first, for eviction
};

}  // namespace sb::tropo_gateway
