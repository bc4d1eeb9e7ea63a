#pragma once
// What the gateway remembers to save API calls: room titles (refreshed after a TTL, and
// whenever a listing or a creation tells us), people's names and the proxy's identity.
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace sb::spark_gateway {

using SteadyClock = std::chrono::steady_clock;

struct Identity {
    std::string id;
    std::string email;
    std::string display_name;
};

struct PersonInfo {
    std::string email;
    std::string display_name;
};

class Directory {
public:
    explicit Directory(std::chrono::seconds title_ttl,
                       std::chrono::seconds person_ttl = std::chrono::hours(1));

    void set_identity(Identity identity);
    std::optional<Identity> identity() const;

    // A title younger than the TTL, or nothing (then fetch it and set_room_title).
    std::optional<std::string> room_title(const std::string& room_id,
                                          SteadyClock::time_point now) const;
    void set_room_title(const std::string& room_id, const std::string& title,
                        SteadyClock::time_point now);

    std::optional<PersonInfo> person(const std::string& id, SteadyClock::time_point now) const;
    void set_person(const std::string& id, PersonInfo info, SteadyClock::time_point now);

private:
    struct Title {
        std::string title;
        SteadyClock::time_point fetched;
    };
    struct Person {
        PersonInfo info;
        SteadyClock::time_point fetched;
    };
    std::chrono::seconds title_ttl_;
    std::chrono::seconds person_ttl_;

    mutable std::mutex mutex_;
    std::optional<Identity> identity_;
    std::map<std::string, Title> titles_;
    std::map<std::string, Person> people_;
};

}  // namespace sb::spark_gateway
