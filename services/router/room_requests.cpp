#include "room_requests.h"

#include <algorithm>

#include "switchboard/phone.h"

namespace sb::router {

bool RoomRequests::wanted(const std::string& customer) const {
    const auto found = customers_.find(customer);
    return found != customers_.end() && found->second.wanted;
}

bool RoomRequests::in_flight(const std::string& customer) const {
    const auto found = customers_.find(customer);
    return found != customers_.end() && !found->second.create_id.empty();
}

bool RoomRequests::retry_waiting(const std::string& customer) const {
    const auto found = customers_.find(customer);
    return found != customers_.end() && found->second.retry.waiting();
}

Envelope RoomRequests::request(const std::string& customer, Commands& commands) {
    Envelope create = commands.make(event_type::create_room, customer,
                                    CreateRoom{customer, phone::room_title_for(customer)});
    Customer& state = customers_[customer];
    state.create_id = create.id;
    state.retry.disarm();
    commands_[create.id] = customer;
    return create;
}

void RoomRequests::created(const std::string& customer) {
    Customer& state = customers_[customer];
    commands_.erase(state.create_id);
    state.create_id.clear();
}

bool RoomRequests::failed(const std::string& command_id, Time now) {
    const auto found = commands_.find(command_id);
    if (found == commands_.end()) return false;
    Customer& state = customers_[found->second];
    commands_.erase(found);
    state.create_id.clear();
    state.retry.failed(now, retry_);  // its messages stay held meanwhile
    return true;
}

void RoomRequests::unplaced(const std::string& customer, Time now) {
    customers_[customer].retry.failed(now, retry_);
}

void RoomRequests::placed(const std::string& customer) {
    Customer& state = customers_[customer];
    state.wanted = false;
    state.retry.reset();
}

bool RoomRequests::retry_due(Time now) const {
    return std::any_of(customers_.begin(), customers_.end(),
                       [&](const auto& entry) { return entry.second.retry.due(now); });
}

bool RoomRequests::owes_welcome(const std::string& customer) const {
    const auto found = customers_.find(customer);
    return found != customers_.end() && found->second.texted && !found->second.welcomed;
}

}  // namespace sb::router
