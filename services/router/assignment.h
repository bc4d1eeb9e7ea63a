#pragma once
// Agent assignment: a customer unanswered for ROUTER_UNANSWERED_SECONDS (or whose room was just
// made) gets a look-up of their room's and the team's members; then an active team member not
// yet in the room is added (the most idle, or a random one), unless an active agent is already
// there; with nobody available the customer and the team are told (by the core). A failed
// look-up or AddMember, or one nobody answers, is tried again after a doubling pause.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backoff.h"
#include "bridge_identities.h"
#include "commands.h"
#include "core_types.h"
#include "directory.h"

namespace sb::router {

// The decision once both look-ups are in (pure).
struct AgentChoice {
    enum class Kind { covered, add, nobody };
    Kind kind = Kind::nobody;
    Member member;  // add only
};
// `draw` is asked only when the choice is random and there is a choice to make.
AgentChoice choose_agent(const std::vector<Member>& room, const std::vector<Member>& team,
                         const BridgeIdentities& bridge, bool most_idle,
                         const std::function<std::uint64_t()>& draw);

class Assignments {
  public:
    // Both member lists of one room's look-up.
    struct Lookup {
        std::string customer;
        std::string room_id;
        std::string room_command;
        std::string team_command;
        Time started{};
        std::optional<std::vector<Member>> room_members;
        std::optional<std::vector<Member>> team_members;
    };
    enum class Answer { ignored, partial, complete };

    Assignments(RetryPolicy retry, std::chrono::seconds unanswered_after,
                std::chrono::seconds lookup_timeout)
        : retry_(retry), unanswered_after_(unanswered_after), lookup_timeout_(lookup_timeout) {}

    // A customer's message is in their room: unanswered from now, unless already waiting.
    void waiting(const std::string& customer, Time now);
    // An agent answered: no wait, so no assignment until the customer writes again.
    void answered(const std::string& customer);

    // The two look-ups for a waiting customer's room, once per wait (none when not due).
    std::vector<Envelope> start(const std::string& customer, const RoomInfo& room, Time now,
                                Commands& commands);
    // A RoomMembers or TeamMembers: `complete` once both are in (`decided` is then the look-up,
    // no longer pending).
    Answer on_room_members(const std::string& command_id, std::vector<Member> members,
                           Lookup& decided);
    Answer on_team_members(const std::string& command_id, std::vector<Member> members,
                           Lookup& decided);

    void add_requested(const std::string& command_id, const std::string& customer) {
        adds_[command_id] = customer;
    }
    void member_added(const std::string& command_id) { adds_.erase(command_id); }
    // A failed AddMember or look-up of ours: tried again later (true), or not ours (false).
    bool add_failed(const std::string& command_id, Time now);
    bool lookup_failed(const std::string& command_id, Time now);
    // The room is gone: its look-up is dropped.
    void forget_room(const std::string& room_id);

    // Look-ups nobody answered within ROUTER_LOOKUP_TIMEOUT: given up, retried later.
    void expire(Time now);
    // The customers whose assignment check is due now (a retry, or unanswered long enough).
    std::vector<std::string> due(Time now);

  private:
    struct Customer {
        std::optional<Time> waiting_since;  // unanswered since
        bool checked = false;               // during this wait
        Backoff retry;                      // a failed look-up or AddMember: try again
    };
    Answer on_members(const std::string& command_id, bool room, std::vector<Member> members,
                      Lookup& decided);
    void failed(const std::string& customer, Time now);

    RetryPolicy retry_;
    std::chrono::seconds unanswered_after_;
    std::chrono::seconds lookup_timeout_;
    std::map<std::string, Customer> customers_;    // by E.164
    std::map<std::string, Lookup> lookups_;        // by room id
    std::map<std::string, std::string> commands_;  // look-up id -> room id
    std::map<std::string, std::string> adds_;      // AddMember id -> customer
};

}  // namespace sb::router
