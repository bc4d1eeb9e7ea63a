#include "status_ledger.h"

namespace sb::twilio_gateway {

int status_rank(const std::string& status) {
    if (status == "accepted" || status == "scheduled") return 0;
    if (status == "queued") return 1;
    if (status == "sending") return 2;
    if (status == "sent") return 3;
    if (status == "delivered" || status == "undelivered" || status == "failed" ||
        status == "canceled") {
        return 4;
    }
    if (status == "read") return 5;
    return -1;
}

std::optional<std::string> report_status_for(const std::string& status) {
    if (status == "delivered" || status == "undelivered" || status == "failed") return status;
    return std::nullopt;
}

StatusLedger::StatusLedger(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

StatusLedger::Verdict StatusLedger::judge(const std::string& sid, const std::string& status) const {
    const int rank = status_rank(status);
    if (rank < 0) return Verdict::unknown_status;
    const auto known = statuses_.find(sid);
    if (known == statuses_.end()) return Verdict::advance;
    if (known->second == status) return Verdict::duplicate;
    // Terminal statuses rank equal: the first one stands, a second is not a move forward.
    return rank > status_rank(known->second) ? Verdict::advance : Verdict::backwards;
}

std::optional<std::string> StatusLedger::record(const std::string& sid, const std::string& status) {
    const auto [at, added] = statuses_.insert_or_assign(sid, status);
    (void)at;
    if (!added) return std::nullopt;
    order_.push_back(sid);
    if (order_.size() <= capacity_) return std::nullopt;
    std::string oldest = order_.front();
    order_.pop_front();
    statuses_.erase(oldest);
    return oldest;
}

std::optional<std::string> StatusLedger::status_of(const std::string& sid) const {
    const auto known = statuses_.find(sid);
    if (known == statuses_.end()) return std::nullopt;
    return known->second;
}

}  // namespace sb::twilio_gateway
