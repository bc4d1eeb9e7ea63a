#include "sms_policy_store.h"

namespace sb::router {

SmsPolicyStore::SmsPolicyStore(const std::filesystem::path& path)
    : journal_(std::make_unique<Journal>(path, loaded_)) {
    in_file_ = loaded_.size();
}

void SmsPolicyStore::append(const std::vector<nlohmann::json>& records) {
    if (records.empty()) return;
    std::uint64_t position = 0;
    for (const nlohmann::json& record : records) position = journal_->append(record);
    journal_->sync(position);
    in_file_ += records.size();
}

void SmsPolicyStore::compact(const std::vector<nlohmann::json>& snapshot) {
    journal_->rewrite(snapshot);
    in_file_ = snapshot.size();
    compacted_ = snapshot.size();
}

}  // namespace sb::router
