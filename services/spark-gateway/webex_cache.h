#pragma once
// What the gateway remembers to save API calls: room titles and teams (refreshed after a TTL,
// and whenever a listing or a creation tells us), people's names and the proxy's identity.
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "switchboard/clocks.h"

namespace sb::spark_gateway {

struct Identity {
    std::string id;
    std::string email;
    std::string display_name;
};

// What GET /rooms/{id} says about a room that an AgentMessage carries.
struct RoomFacts {
    std::string title;
    std::string team_id;  // Webex teamId; empty for a space in no team
};

struct PersonInfo {
    std::string email;
    std::string display_name;
};

class WebexCache {
  public:
    explicit WebexCache(std::chrono::seconds title_ttl,
                        std::chrono::seconds person_ttl = std::chrono::hours(1));

    void set_identity(Identity identity);
    std::optional<Identity> identity() const;

    // A room's title and team younger than the TTL, or nothing (then fetch it and set_room).
    std::optional<RoomFacts> room(const std::string& room_id, SteadyClock::time_point now) const;
    void set_room(const std::string& room_id, RoomFacts facts, SteadyClock::time_point now);

    std::optional<PersonInfo> person(const std::string& id, SteadyClock::time_point now) const;
    void set_person(const std::string& id, PersonInfo info, SteadyClock::time_point now);

  private:
    struct CachedRoom {
        std::string title;
        SteadyClock::time_point fetched;
        std::string team_id;
    };
    struct Person {
        PersonInfo info;
        SteadyClock::time_point fetched;
    };
    std::chrono::seconds title_ttl_;
    std::chrono::seconds person_ttl_;

    mutable std::mutex mutex_;
    std::optional<Identity> identity_;
    std::map<std::string, CachedRoom> rooms_;
    std::map<std::string, Person> people_;
};

}  // namespace sb::spark_gateway
