#pragma once
// What the gateway remembers to save API calls: room titles (refreshed after a TTL, and
// whenever a listing or a creation tells us), people's names, the proxy's identity, and the
// messages it posted itself (so their webhooks cost no GET /messages).
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
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
                       std::chrono::seconds person_ttl = std::chrono::hours(1),
                       size_t posted_capacity = 10000);

    void set_identity(Identity identity);
    std::optional<Identity> identity() const;

    // A title younger than the TTL, or nothing (then fetch it and set_room_title).
    std::optional<std::string> room_title(const std::string& room_id,
                                          SteadyClock::time_point now) const;
    void set_room_title(const std::string& room_id, const std::string& title,
                        SteadyClock::time_point now);

    std::optional<PersonInfo> person(const std::string& id, SteadyClock::time_point now) const;
    void set_person(const std::string& id, PersonInfo info, SteadyClock::time_point now);

    // Bracket a POST /messages: a webhook for the proxy's own message may arrive before the
    // POST's answer, so posted() waits for the room's posts in flight before giving up.
    void begin_post(const std::string& room_id);
    void end_post(const std::string& room_id, const nlohmann::json* message);
    std::optional<nlohmann::json> posted(const std::string& message_id,
                                         const std::string& room_id,
                                         std::chrono::milliseconds wait);

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
    size_t posted_capacity_;

    mutable std::mutex mutex_;
    std::condition_variable posts_done_;
    std::optional<Identity> identity_;
    std::map<std::string, Title> titles_;
    std::map<std::string, Person> people_;
    std::map<std::string, int> posts_in_flight_;  // by room
    std::map<std::string, nlohmann::json> posted_;
    std::deque<std::string> posted_order_;  // oldest first, for eviction
};

}  // namespace sb::spark_gateway
