#pragma once
// Undo send (SMS_UNDO_SECONDS): an agent's reply waits this long after it was posted before it
// becomes an SMS, and a reply the agent deletes in Webex meanwhile is never sent and never
// noted. A small pure machine; the core asks it what to do and publishes.
//
// The waiting replies live in the core's remembered memory (remembered.h), one fact each:
//   undo.<message id>  {"sms": the SendSms, "due": ISO 8601 wall time}
// remembered in the step that takes the AgentMessage in (the same journal record that completes
// it and remembers its id as seen), forgotten in the step that publishes its SendSms or takes in
// its deletion. So after a kill -9 of the router, a reply is either still waiting (and sent once,
// after the restart) or already published with its fact gone: never both, never neither. The
// event itself is not held: the delivery layer would hand a held event back at every restart,
// while the memory is the one record of "what is still to send".
//
// Times: the window ends `window` after the message's Webex `created` time, on the wall clock
// (what survives a restart), but within one life the core's steady clock decides (ticks), so a
// wall clock stepping back cannot hold a reply longer than the window, nor a step forward send it
// early by more than what the created time allowed. A created time from the future (a skewed
// clock) counts as now, one too old to leave any window sends at once. After a restart every
// reply waits at least kRestartGrace, so a deletion made while the router was down (spark-gateway
// re-publishes it within 2 s of the router's return) still arrives before the reply would leave.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "remembered.h"
#include "switchboard/clocks.h"
#include "switchboard/events.h"

namespace sb::router {

inline constexpr std::string_view kUndoPrefix = "undo.";
inline constexpr std::chrono::seconds kRestartGrace{3};

class UndoWindow {
  public:
    using Time = SteadyClock::time_point;
    using WallTime = WallClock::time_point;

    explicit UndoWindow(std::chrono::seconds window) : window_(window) {}

    // What the core does with a reply taken in now.
    struct Parked {
        bool send_now = false;               // no window left (or undo is off): send it at once
        std::optional<Remembered> remember;  // else the fact to keep with this step
    };
    Parked park(const SendSms& sms, std::string_view created, Time now, WallTime wall);

    // The agent deleted `message_id`: the fact to forget when its reply was still waiting, else
    // nothing (unknown, already sent, not a reply): a deletion then changes nothing.
    std::optional<Remembered> cancel(const std::string& message_id);

    // The replies whose window has ended, in the order they were posted, let go of here; each
    // with the fact to forget in the step that publishes it.
    struct Due {
        SendSms sms;
        Remembered forget;
    };
    std::vector<Due> take_due(Time now);

    // Input::start: the replies an earlier life left waiting (other keys are skipped; an
    // unreadable fact is dropped rather than sent). Returns those that could not be read, whose
    // facts the core forgets.
    std::vector<Remembered> restore(const Memory& memory, Time now, WallTime wall);

    size_t waiting() const { return waiting_.size(); }
    std::chrono::seconds window() const { return window_; }

  private:
    struct Waiting {
        SendSms sms;
        Time due{};
        std::uint64_t order = 0;
    };
    void add(SendSms sms, Time due);

    std::chrono::seconds window_;
    std::map<std::string, Waiting> waiting_;  // by agent message id
    std::uint64_t next_order_ = 0;
};

}  // namespace sb::router
