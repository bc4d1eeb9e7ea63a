#pragma once
// How far a SendSms command has got, segment by segment, so a gateway killed mid-send continues
// from the first segment not yet confirmed sent instead of texting the customer the earlier ones
// again. A segment is *launched* when the Session API accepted it, and *confirmed* once Tropo's
// launched session came back to the webhook and was answered with the SMS (only that answer
// sends it). The decisions are here, pure; sms_progress_store.* keeps the table in a journal.
#include <cstddef>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace sb::tropo_gateway {

struct SegmentProgress {
    std::size_t launched = 0;   // segments the Session API has accepted, in order
    std::size_t confirmed = 0;  // of those, the ones whose session was answered with the SMS
    std::size_t total = 0;      // segments the text was split into
    std::int64_t at = 0;        // unix seconds of the last record
};

// Command id -> progress, for commands begun and not yet reported.
using ProgressTable = std::map<std::string, SegmentProgress>;

// Journal records: {"c": id, "n": launched, "ok": confirmed, "of": total, "at": t} and
// {"c": id, "done": true}. A record without "ok" (written before confirmations were kept, when a
// launch counted as sent) reads as all its launches confirmed.
nlohmann::json progress_record(const std::string& command_id, const SegmentProgress& progress);
nlohmann::json done_record(const std::string& command_id);
// Applies one record; false (table unchanged) for one this code cannot read.
bool apply_progress_record(ProgressTable& table, const nlohmann::json& record);

// Where a send of `total` segments begins, given what was recorded for its command.
struct ResumePoint {
    std::size_t first = 0;       // index of the first segment to send; == total: none left
    bool resumed = false;        // some segments had been confirmed before
    bool split_changed = false;  // the record does not fit this text's split: start over
    bool relaunch = false;       // segment `first` was launched but never confirmed: again
};
ResumePoint resume_point(const std::optional<SegmentProgress>& recorded, std::size_t total);

// The entries to keep when the journal is rewritten: a command is normally forgotten once its
// report is committed, but a crash between the two leaves its entry behind; such leftovers go
// once older than `max_age_seconds`.
ProgressTable live_entries(const ProgressTable& table, std::int64_t now,
                           std::int64_t max_age_seconds);

}  // namespace sb::tropo_gateway
