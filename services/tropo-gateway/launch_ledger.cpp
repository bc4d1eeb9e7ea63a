#include "launch_ledger.h"

namespace sb::tropo_gateway {

LaunchLedger::Answer LaunchLedger::session_arrived(const std::string& send_id) {
    const auto found = states_.find(send_id);
    if (found == states_.end()) {
        remember(send_id, State::answering);
        return Answer::message;
    }
    if (found->second != State::given_up) return Answer::nothing;
    found->second = State::answering;
    return Answer::message;
}

void LaunchLedger::answer_done(const std::string& send_id, bool written) {
    const auto found = states_.find(send_id);
    if (found == states_.end()) {
        // Forgotten while it was being answered (a very full ledger): what was sent is kept.
        if (written) remember(send_id, State::sent);
        return;
    }
    if (written) {
        found->second = State::sent;
    } else if (found->second == State::answering) {
        found->second = State::given_up;  // a segment already sent stays sent
    }
}

bool LaunchLedger::sent(const std::string& send_id) const {
    const auto found = states_.find(send_id);
    return found != states_.end() && found->second == State::sent;
}

void LaunchLedger::remember(const std::string& send_id, State state) {
    states_.emplace(send_id, state);
    order_.push_back(send_id);
    if (order_.size() > capacity_) {
        states_.erase(order_.front());
        order_.pop_front();
    }
}

}  // namespace sb::tropo_gateway
