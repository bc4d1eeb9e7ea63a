#include "launch_confirmations.h"

#include <spdlog/spdlog.h>

namespace sb::tropo_gateway {

bool LaunchConfirmations::claim(const std::string& send_id) {
    std::lock_guard lock(mutex_);
    return ledger_.session_arrived(send_id) == LaunchLedger::Answer::message;
}

void LaunchConfirmations::answered(const std::string& send_id, bool written) noexcept {
    // Called from cpp-httplib's response destructor: nothing may escape.
    try {
        {
            std::lock_guard lock(mutex_);
            ledger_.answer_done(send_id, written);
        }
        changed_.notify_all();
    } catch (const std::exception& error) {
        spdlog::error("launch confirmations: could not note SMS {}: {}", send_id, error.what());
    }
}

bool LaunchConfirmations::wait_sent(const std::string& send_id, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return ledger_.sent(send_id); });
}

bool LaunchConfirmations::sent(const std::string& send_id) const {
    std::lock_guard lock(mutex_);
    return ledger_.sent(send_id);
}

}  // namespace sb::tropo_gateway
