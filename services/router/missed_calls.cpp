#include "missed_calls.h"

#include <algorithm>

namespace sb::router {

std::string default_missed_call_text(std::string_view company_name) {
    return "Sorry we missed your call to " + std::string(company_name) +
           ". Text us at this number and an agent will reply.";
}

void MissedCalls::missed(const std::string& customer, const std::string& call_id) {
    if (call_id.empty() || texted_.contains(call_id)) return;
    std::vector<std::string>& calls = owed_[customer];
    if (std::find(calls.begin(), calls.end(), call_id) == calls.end()) calls.push_back(call_id);
}

std::vector<std::string> MissedCalls::take(const std::string& customer,
                                           std::vector<Remembered>& remember) {
    const auto found = owed_.find(customer);
    if (found == owed_.end()) return {};
    std::vector<std::string> calls = std::move(found->second);
    owed_.erase(found);
    for (const std::string& call_id : calls) {
        const RecentIds::Change change = texted_.admit(call_id);
        if (change.added) remember.push_back({std::string(kMissedCallPrefix) + call_id, true});
        if (change.forgotten) {
            remember.push_back({std::string(kMissedCallPrefix) + *change.forgotten, {}});
        }
    }
    return calls;
}

void MissedCalls::restore(const Memory& memory) {
    std::vector<std::string> calls;
    for (const auto& [key, value] : memory) {
        if (has_prefix(key, kMissedCallPrefix))
            calls.push_back(key.substr(kMissedCallPrefix.size()));
    }
    texted_.restore(calls);
}

}  // namespace sb::router
