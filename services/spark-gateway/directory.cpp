#include "directory.h"

namespace sb::spark_gateway {

Directory::Directory(std::chrono::seconds title_ttl, std::chrono::seconds person_ttl)
    : title_ttl_(title_ttl), person_ttl_(person_ttl) {}

void Directory::set_identity(Identity identity) {
    std::lock_guard lock(mutex_);
    identity_ = std::move(identity);
}

std::optional<Identity> Directory::identity() const {
    std::lock_guard lock(mutex_);
    return identity_;
}

std::optional<std::string> Directory::room_title(const std::string& room_id,
                                                 SteadyClock::time_point now) const {
    std::lock_guard lock(mutex_);
    const auto found = titles_.find(room_id);
    if (found == titles_.end() || now - found->second.fetched >= title_ttl_) return std::nullopt;
    return found->second.title;
}

void Directory::set_room_title(const std::string& room_id, const std::string& title,
                               SteadyClock::time_point now) {
    std::lock_guard lock(mutex_);
    if (titles_.size() > 200000) titles_.clear();  // a bound, not a policy: refetching is cheap
    titles_[room_id] = Title{title, now};
}

std::optional<PersonInfo> Directory::person(const std::string& id,
                                            SteadyClock::time_point now) const {
    std::lock_guard lock(mutex_);
    if (identity_ && identity_->id == id) {
        return PersonInfo{identity_->email, identity_->display_name};
    }
    const auto found = people_.find(id);
    if (found == people_.end() || now - found->second.fetched >= person_ttl_) return std::nullopt;
    return found->second.info;
}

void Directory::set_person(const std::string& id, PersonInfo info, SteadyClock::time_point now) {
    std::lock_guard lock(mutex_);
    if (people_.size() > 100000) people_.clear();
    people_[id] = Person{std::move(info), now};
}

}  // namespace sb::spark_gateway
