#pragma once
// Directory sync: the ListRooms that rebuilds the directory (directory.h) from the team's room
// titles, at start, every ROUTER_RESYNC_SECONDS, and before a failed CreateRoom is retried. One
// sync at a time; a failed one is tried again after a doubling pause (backoff.h). The core is
// ready once the first sync has listed its last page.
#include <optional>
#include <string>

#include "backoff.h"
#include "commands.h"
#include "core_types.h"
#include "directory.h"

namespace sb::router {

class DirectorySync {
  public:
    enum class Page { ignored, more, finished };

    DirectorySync(Directory& directory, std::string team_id, RetryPolicy retry,
                  std::chrono::seconds resync_every)
        : directory_(directory),
          team_id_(std::move(team_id)),
          retry_(retry),
          resync_every_(resync_every) {}

    // Starts a sync unless one is in flight: the ListRooms to publish.
    std::optional<Envelope> start(Commands& commands);
    // A page of the sync in flight teaches the directory its rooms; the last one finishes it.
    // Pages of a sync given up on, or of an earlier life, are ignored.
    Page on_page(const RoomsPage& page, Time now);
    // A failed ListRooms (`command_id` may be empty: the gateway could not tell which): the
    // sync is tried again after a pause. False when it is not the sync in flight.
    bool on_failed(const std::string& command_id, Time now);

    bool ready() const { return ready_; }  // a first sync has finished
    bool in_flight() const { return sync_.has_value(); }
    bool due(Time now) const { return !sync_ && next_at_ && now >= *next_at_; }

  private:
    struct Sync {
        std::string sync_id;
        std::string command_id;
    };

    Directory& directory_;
    std::string team_id_;
    RetryPolicy retry_;
    std::chrono::seconds resync_every_;
    bool ready_ = false;
    std::optional<Sync> sync_;     // in flight
    std::optional<Time> next_at_;  // the next sync: a retry, or the periodic one
    Backoff backoff_;
};

}  // namespace sb::router
