#pragma once
// Executes one command from the router against the Webex API and says what to publish:
// the typed result, or CommandFailed once ApiClient's retries are spent.
#include <string>
#include <vector>

#include "directory.h"
#include "switchboard/api_client.h"
#include "switchboard/events.h"

namespace sb::spark_gateway {

struct Execution {
    std::vector<Envelope> results;  // for topics::spark_results, in order
    bool abandoned = false;         // shutting down: publish nothing, leave the command pending
    std::string outcome;            // "ok" or the failure, for logs and metrics
};

class CommandRunner {
public:
    CommandRunner(ApiClient& api, Directory& directory, std::string team_id, int rooms_page_size,
                  std::string source);
    Execution execute(const Envelope& command);

private:
    Execution list_rooms(const Envelope& command);
    Execution create_room(const Envelope& command);
    Execution post_message(const Envelope& command);
    Execution add_member(const Envelope& command);
    Execution list_room_members(const Envelope& command);
    Execution list_team_members(const Envelope& command);
    std::vector<Member> with_presence(const std::vector<nlohmann::json>& memberships,
                                      bool& abandoned);

    template <class Payload>
    Envelope result(const Envelope& command, std::string_view type, const Payload& payload) const;
    Execution failed(const Envelope& command, const std::string& reason, int status) const;

    ApiClient& api_;
    Directory& directory_;
    std::string team_id_;
    int rooms_page_size_;
    std::string source_;
};

}  // namespace sb::spark_gateway
