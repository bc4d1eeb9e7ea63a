#pragma once
// Where the SMS policy's state outlives the router: DATA_DIR/<instance>.sms-policy.journal, a
// Journal (CRC per record, torn tail cut, locked to one process) of the core's
// Outputs::remember records. A record is on disk before the SMS it counts is published, so a
// crash can count an SMS that never left, never send one that was not counted.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "switchboard/journal.h"

namespace sb::router {

class SmsPolicyStore {
  public:
    explicit SmsPolicyStore(const std::filesystem::path& path);

    // What earlier lives kept, in order (for Core::restore_sms_policy).
    const std::vector<nlohmann::json>& loaded() const { return loaded_; }
    // Returns once the records are on disk.
    void append(const std::vector<nlohmann::json>& records);
    // Replaces the file with `snapshot` (the policy's whole state) when it has grown well past it.
    void compact(const std::vector<nlohmann::json>& snapshot);
    // The file holds at least twice what the state needs (and 10,000 records more).
    bool wants_compaction() const { return in_file_ > 2 * compacted_ + kCompactAfter; }

  private:
    static constexpr std::size_t kCompactAfter = 10000;

    std::vector<nlohmann::json> loaded_;
    std::unique_ptr<Journal> journal_;
    std::size_t in_file_ = 0;    // records in the file
    std::size_t compacted_ = 0;  // of those, written by the last compaction
};

}  // namespace sb::router
