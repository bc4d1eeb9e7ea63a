#include "webex_cache.h"

namespace sb::spark_gateway {

WebexCache::WebexCache(std::chrono::seconds title_ttl, std::chrono::seconds person_ttl)
    : title_ttl_(title_ttl), person_ttl_(person_ttl) {}

void WebexCache::set_identity(Identity identity) {
    std::lock_guard lock(mutex_);
    identity_ = std::move(identity);
}

std::optional<Identity> WebexCache::identity() const {
    std::lock_guard lock(mutex_);
    return identity_;
}

std::optional<RoomFacts> WebexCache::room(const std::string& room_id,
                                          SteadyClock::time_point now) const {
    std::lock_guard lock(mutex_);
    const auto found = rooms_.find(room_id);
    if (found == rooms_.end() || now - found->second.fetched >= title_ttl_) return std::nullopt;
    return RoomFacts{found->second.title, found->second.team_id};
}

void WebexCache::set_room(const std::string& room_id, RoomFacts facts,
                          SteadyClock::time_point now) {
    std::lock_guard lock(mutex_);
    if (rooms_.size() > 200000) rooms_.clear();  // a bound, not a policy: refetching is cheap
    rooms_[room_id] = CachedRoom{std::move(facts.title), now, std::move(facts.team_id)};
}

std::optional<PersonInfo> WebexCache::person(const std::string& id,
                                             SteadyClock::time_point now) const {
    std::lock_guard lock(mutex_);
    if (identity_ && identity_->id == id) {
        return PersonInfo{identity_->email, identity_->display_name};
    }
    const auto found = people_.find(id);
    if (found == people_.end() || now - found->second.fetched >= person_ttl_) return std::nullopt;
    return found->second.info;
}

void WebexCache::set_person(const std::string& id, PersonInfo info, SteadyClock::time_point now) {
    std::lock_guard lock(mutex_);
    if (people_.size() > 100000) people_.clear();
    people_[id] = Person{std::move(info), now};
}

}  // namespace sb::spark_gateway
