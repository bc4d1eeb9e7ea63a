#pragma once
// Executes one command from the router against the Webex API and says what to publish:
// the typed result, or CommandFailed once ApiClient's retries are spent. A command an earlier
// run may have carried out before it crashed is first looked for in Webex (command_recovery.h).
#include <chrono>
#include <string>
#include <vector>

#include "command_recovery.h"
#include "switchboard/api_client.h"
#include "switchboard/events.h"
#include "webex_cache.h"

namespace sb::spark_gateway {

struct Execution {
    std::vector<Envelope> results;  // for topics::spark_results, in order
    bool abandoned = false;         // shutting down: publish nothing, leave the command pending
    std::string outcome;            // "ok" or the failure, for logs and metrics
    bool found_done = false;        // an earlier run had carried it out: completed, not repeated
};

class CommandRunner {
  public:
    // `run_started`: when this run began; commands stamped before it may have been executed by
    // the run that crashed.
    CommandRunner(ApiClient& api, WebexCache& cache, std::string team_id, int rooms_page_size,
                  std::string source, WallClock::time_point run_started = WallClock::now());
    Execution execute(const Envelope& command);

  private:
    Execution list_rooms(const Envelope& command);
    Execution create_room(const Envelope& command);
    Execution post_message(const Envelope& command);
    Execution add_member(const Envelope& command);
    Execution list_room_members(const Envelope& command);
    Execution list_team_members(const Envelope& command);
    Execution rename_room(const Envelope& command);  // command_runner_rename.cpp
    std::optional<AlreadyDone> posted_before(const Envelope& command, const PostMessage& request,
                                             const std::string& marker, bool& abandoned);
    std::optional<AlreadyDone> created_before(const Envelope& command, const CreateRoom& request,
                                              bool& abandoned);
    std::vector<Member> with_presence(const std::vector<nlohmann::json>& memberships,
                                      bool& abandoned);

    template <class Payload>
    Envelope result(const Envelope& command, EventName<Payload> type, const Payload& payload) const;
    Execution failed(const Envelope& command, const std::string& reason, int status) const;

    ApiClient& api_;
    WebexCache& cache_;
    std::string team_id_;
    int rooms_page_size_;
    std::string source_;
    WallClock::time_point run_started_;
};

}  // namespace sb::spark_gateway
