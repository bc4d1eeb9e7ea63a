#include "directory.h"

#include <vector>

#include "earliest_first.h"
#include "switchboard/phone.h"

namespace sb::router {
namespace {

// Earlier creation first (earliest_first.h), so every run keeps the same room.
bool created_before(const RoomInfo& a, const RoomInfo& b) {
    return earliest_first(a.created, a.id, b.created, b.id);
}

}  // namespace

bool Directory::learn(const std::string& id, const std::string& title, const std::string& team_id,
                      const std::string& created) {
    if (!in_team(team_id)) return false;
    if (gone_.count(id) > 0) return false;
    RoomInfo& room = rooms_[id];
    const std::string previous_customer = room.customer;
    room.id = id;
    room.title = title;
    if (!created.empty()) room.created = created;
    room.customer = phone::number_from_room_title(title).value_or("");
    room.seen = generation_;

    if (!previous_customer.empty() && previous_customer != room.customer) {
        const auto bound = by_customer_.find(previous_customer);
        if (bound != by_customer_.end() && bound->second == id) {
            by_customer_.erase(bound);
            bind_customer(previous_customer);  // another room of theirs, if any
        }
    }
    if (!room.customer.empty() && by_customer_.count(room.customer) == 0) {
        by_customer_[room.customer] = id;
    }
    return true;
}

void Directory::bind_customer(const std::string& customer) {
    const RoomInfo* best = nullptr;
    for (const auto& [id, room] : rooms_) {
        if (room.customer == customer && (best == nullptr || created_before(room, *best))) {
            best = &room;
        }
    }
    if (best != nullptr) by_customer_[customer] = best->id;
}

void Directory::forget(const std::string& id) {
    gone_.insert(id);
    const auto found = rooms_.find(id);
    if (found == rooms_.end()) return;
    const std::string customer = found->second.customer;
    rooms_.erase(found);
    const auto bound = by_customer_.find(customer);
    if (!customer.empty() && bound != by_customer_.end() && bound->second == id) {
        by_customer_.erase(bound);
        bind_customer(customer);  // another room of theirs, if any
    }
}

const RoomInfo* Directory::room(const std::string& id) const {
    const auto found = rooms_.find(id);
    return found == rooms_.end() ? nullptr : &found->second;
}

const RoomInfo* Directory::room_of(const std::string& customer) const {
    const auto found = by_customer_.find(customer);
    return found == by_customer_.end() ? nullptr : room(found->second);
}

const RoomInfo* Directory::general_room() const {
    const RoomInfo* oldest = nullptr;
    for (const auto& [id, room] : rooms_) {
        if (room.customer.empty() && (oldest == nullptr || created_before(room, *oldest))) {
            oldest = &room;
        }
    }
    return oldest;
}

void Directory::end_sync() {
    std::vector<std::string> orphaned;
    for (auto it = rooms_.begin(); it != rooms_.end();) {
        if (it->second.seen + 1 < generation_) {
            if (!it->second.customer.empty()) orphaned.push_back(it->second.customer);
            it = rooms_.erase(it);
        } else {
            ++it;
        }
    }
    for (const std::string& customer : orphaned) {
        const auto bound = by_customer_.find(customer);
        if (bound != by_customer_.end() && rooms_.count(bound->second) == 0) {
            by_customer_.erase(bound);
            bind_customer(customer);
        }
    }
}

}  // namespace sb::router
