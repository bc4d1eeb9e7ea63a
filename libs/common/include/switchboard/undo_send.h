#pragma once
// SMS_UNDO_SECONDS, read the same way by the two that need it: the router, which holds an
// agent's reply that long before it becomes an SMS, and the sandbox's browser demo, which shows
// a delete button on an agent's message for as long (README, "Undo send").
#include <chrono>

#include "switchboard/config.h"

namespace sb {

// Long enough for an agent to see a reply went to the customer when it was meant for the team
// (a missing @mention), open the message's menu and delete it; short enough that a customer
// in a live SMS conversation notices no difference (an SMS takes seconds anyway).
inline constexpr int kDefaultSmsUndoSeconds = 10;
inline constexpr int kMaxSmsUndoSeconds = 600;

// 0 turns undo off (a reply is sent at once). A value outside 0..600 is a ConfigError naming
// the variable.
inline std::chrono::seconds sms_undo_seconds(const Environment& env) {
    return std::chrono::seconds(
        env.int_or("SMS_UNDO_SECONDS", kDefaultSmsUndoSeconds, 0, kMaxSmsUndoSeconds));
}

}  // namespace sb
