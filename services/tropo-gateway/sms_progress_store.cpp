#include "sms_progress_store.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <vector>

namespace sb::tropo_gateway {
namespace {

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

std::filesystem::path SmsProgressStore::path_for(const std::string& data_dir,
                                                 const std::string& instance) {
    return std::filesystem::path(data_dir) / (instance + ".sms-progress.journal");
}

SmsProgressStore::SmsProgressStore(const std::filesystem::path& path) {
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
    std::vector<nlohmann::json> records;
    journal_ = std::make_unique<Journal>(path, records);
    std::size_t unreadable = 0;
    for (const nlohmann::json& record : records) {
        if (!apply_progress_record(table_, record)) ++unreadable;
    }
    if (unreadable > 0) {
        spdlog::warn("sms progress: {} unreadable record(s) in {} skipped", unreadable,
                     path.string());
    }
    std::lock_guard lock(mutex_);
    compact_locked();
    if (!table_.empty()) {
        spdlog::info(
            "sms progress: {} command(s) were mid-send; they continue at their first segment not "
            "confirmed sent",
            table_.size());
    }
}

std::optional<SegmentProgress> SmsProgressStore::find(const std::string& command_id) const {
    std::lock_guard lock(mutex_);
    const auto found = table_.find(command_id);
    if (found == table_.end()) return std::nullopt;
    return found->second;
}

void SmsProgressStore::record(const std::string& command_id, const SegmentProgress& progress) {
    std::uint64_t position = 0;
    {
        std::lock_guard lock(mutex_);
        table_[command_id] = progress;
        position = journal_->append(progress_record(command_id, progress));
    }
    journal_->sync(position);
}

void SmsProgressStore::forget(const std::string& command_id) {
    std::lock_guard lock(mutex_);
    if (table_.erase(command_id) == 0) return;
    journal_->append(done_record(command_id));
    if (journal_->size_bytes() > kCompactAfterBytes) compact_locked();
}

std::size_t SmsProgressStore::size() const {
    std::lock_guard lock(mutex_);
    return table_.size();
}

void SmsProgressStore::compact_locked() {
    table_ = live_entries(table_, unix_now(), kMaxAgeSeconds);
    std::vector<nlohmann::json> records;
    records.reserve(table_.size());
    for (const auto& [id, progress] : table_) records.push_back(progress_record(id, progress));
    journal_->rewrite(records);
}

}  // namespace sb::tropo_gateway
