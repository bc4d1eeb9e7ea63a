#pragma once
// The segment progress of SendSms commands in progress, journaled under DATA_DIR
// (<instance>.sms-progress.journal, beside the delivery journal): a launch and its confirmation
// are each recorded and synced before the sender goes on, so after a crash — kill -9 included —
// a command handed over again continues where it stopped. Thread-safe: the sender pool records
// from several threads.
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "sms_progress.h"
#include "switchboard/journal.h"

namespace sb::tropo_gateway {

class SmsProgressStore {
  public:
    // A leftover entry (see live_entries) is dropped after this long.
    static constexpr std::int64_t kMaxAgeSeconds = 7 * 24 * 60 * 60;
    // Rewritten to its live entries when it grows past this (and at every start).
    static constexpr std::uint64_t kCompactAfterBytes = 1u << 20;

    // Opens (or creates) the journal, reads it back and compacts it. Throws when the file is
    // locked by another process or cannot be written.
    explicit SmsProgressStore(const std::filesystem::path& path);

    std::optional<SegmentProgress> find(const std::string& command_id) const;
    // Returns once the record is on disk. `progress` is the command's whole state (launched
    // and confirmed counts), as after the launch or the confirmation it records.
    void record(const std::string& command_id, const SegmentProgress& progress);
    // After the command's report is committed; not synced (a lost forget is a leftover entry
    // for a command that is never handed over again).
    void forget(const std::string& command_id);
    std::size_t size() const;

    static std::filesystem::path path_for(const std::string& data_dir, const std::string& instance);

  private:
    void compact_locked();

    mutable std::mutex mutex_;
    ProgressTable table_;
    std::unique_ptr<Journal> journal_;
};

}  // namespace sb::tropo_gateway
