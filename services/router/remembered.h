#pragma once
// The router's one way to keep a fact across restarts: the core names it in its Outputs, the
// shell keeps it with the step's delivery transaction (Transaction::remember/forget), and a new
// life gets back whatever was kept (Node::memory()) in Input::start. A fact is therefore on disk
// exactly when the effects of the step that learned it are: never one without the other.
//
// The keys, each owned by one part of the core:
//   seen.<message id>  an AgentMessage acted on (seen_messages.h); bounded, the oldest let go
//   sms.texted.<E164>  a number that texted us (sms_policy.h); never let go, so it grows with
//                      the customers who ever texted in (a few dozen bytes each)
//   sms.hour           {"hour": h, "sent": n}: the automatic SMS counted in the current hour
//   undo.<message id>  {"sms": SendSms, "due": ISO 8601}: a reply in its undo window
//                      (undo_window.h); forgotten when it is sent or deleted
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sb::router {

// One change: `value` kept under `key`, or (no value) `key` let go.
struct Remembered {
    std::string key;
    std::optional<nlohmann::json> value;
    bool operator==(const Remembered& other) const {
        return key == other.key && value == other.value;
    }
};

// What earlier lives kept, oldest first, one value per key (as Node::memory() gives it).
using Memory = std::vector<std::pair<std::string, nlohmann::json>>;

inline constexpr std::string_view kSeenPrefix = "seen.";
inline constexpr std::string_view kTextedInPrefix = "sms.texted.";
inline constexpr std::string_view kSmsHourKey = "sms.hour";

inline bool has_prefix(const std::string& key, std::string_view prefix) {
    return key.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace sb::router
