#pragma once
// The customer directory: the team's room titles are the only record of which room belongs to
// which customer (DESIGN §2.1), so this is rebuilt from them and kept current from what the
// router sees, never stored anywhere else. Only the agents' team's rooms enter it (DESIGN
// §2.12): anyone can title a space `Anything 3055550111` and add the proxy to it.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace sb::router {

struct RoomInfo {
    std::string id;
    std::string title;
    std::string created;     // ISO 8601; the general room is the oldest non-customer room
    std::string customer;    // E.164 from the title's trailing number; empty for other rooms
    std::uint64_t seen = 0;  // the sync generation that last saw it
};

class Directory {
  public:
    explicit Directory(std::string team_id) : team_id_(std::move(team_id)) {}

    // Learns a room's current title (a sync page, a RoomCreated, an AgentMessage). A renamed
    // room follows its new title; a customer keeps the room it already has when a second room
    // for them shows up, so messages never hop between rooms. A room of another team, or of
    // none, is refused (false) and changes nothing.
    bool learn(const std::string& id, const std::string& title, const std::string& team_id,
               const std::string& created = {});
    bool in_team(const std::string& team_id) const {
        return !team_id_.empty() && team_id == team_id_;
    }

    // A room a post found deleted, or left by the proxy: dropped, and never learned again (a
    // listing or webhook that still names it must not send the customer back there).
    void forget(const std::string& id);

    const RoomInfo* room(const std::string& id) const;
    // The room of a customer, or nullptr.
    const RoomInfo* room_of(const std::string& customer) const;
    // The team's general room: the non-customer room created first. Nullptr when none is known.
    const RoomInfo* general_room() const;

    // A full sync: a room that two syncs in a row did not list is gone (deleted, or no longer
    // in the team). Two, because a listing may lag a room created just before it; forgetting a
    // customer's room too early would create a second one. Rooms learned meanwhile count as seen.
    void begin_sync() { ++generation_; }
    void end_sync();

    size_t customers() const { return by_customer_.size(); }
    size_t rooms() const { return rooms_.size(); }

  private:
    void bind_customer(const std::string& customer);

    std::string team_id_;                             // SPARK_AGENT_TEAM_ID
    std::map<std::string, RoomInfo> rooms_;           // by room id
    std::map<std::string, std::string> by_customer_;  // E.164 -> room id
    std::set<std::string> gone_;                      // forgotten room ids
    std::uint64_t generation_ = 0;
};

}  // namespace sb::router
