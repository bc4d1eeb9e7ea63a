#pragma once
// Webex does not redeliver a webhook that could not reach us: an agent's reply posted while the
// gateway was down (a deploy, a crash) would never become an SMS. So the gateway remembers the
// newest message time it has taken in (a small file beside its journal) and, when it starts,
// asks Webex for what was posted in the team's rooms since then, taking each message in as if
// its webhook had come. The same happens while it runs, whenever its webhook had to be revived
// (deleted, deactivated, pointed elsewhere): whatever Webex could not deliver meanwhile.
#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "switchboard/api_client.h"
#include "switchboard/clocks.h"
#include "webex_cache.h"
#include "webex_translate.h"

namespace sb::spark_gateway {

// The newest message `created` the gateway has taken in, kept on disk.
class SeenMark {
  public:
    explicit SeenMark(std::filesystem::path file);
    std::optional<WallClock::time_point> load() const;
    // The newest time observed in this run, else what load() says.
    std::optional<WallClock::time_point> newest() const;
    void observe(WallClock::time_point created);  // cheap: memory only
    void save_if_changed();                       // atomically, when observe() moved it

  private:
    std::filesystem::path file_;
    mutable std::mutex mutex_;
    std::optional<WallClock::time_point> newest_;
    bool dirty_ = false;
};

struct CatchUpLimits {
    std::chrono::seconds max_age{24 * 3600};  // older than this stays unsent: stale as an SMS
    int max_rooms = 200;
    int messages_per_room = 100;  // one page, newest first
};

struct MissedMessages {
    std::vector<WebhookNotice> notices;  // oldest first
    int rooms_checked = 0;
    bool complete = true;  // false: a call failed, or a limit cut the list (logged)
};

// What was posted in the team's rooms after `since` by anyone but the bridge itself.
MissedMessages missed_messages(ApiClient& api, const std::string& team_id, const Identity& self,
                               const std::string& proxy_email, WallClock::time_point since,
                               WallClock::time_point now, const CatchUpLimits& limits);

}  // namespace sb::spark_gateway
