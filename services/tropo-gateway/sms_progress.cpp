#include "sms_progress.h"

namespace sb::tropo_gateway {

using json = nlohmann::json;

json progress_record(const std::string& command_id, const SegmentProgress& progress) {
    return json{{"c", command_id},
                {"n", progress.launched},
                {"ok", progress.confirmed},
                {"of", progress.total},
                {"at", progress.at}};
}

json done_record(const std::string& command_id) {
    return json{{"c", command_id}, {"done", true}};
}

namespace {

std::optional<std::string> text_member(const json& object, const char* name) {
    if (!object.contains(name) || !object.at(name).is_string()) return std::nullopt;
    return object.at(name).get_ref<const std::string&>();
}

std::optional<std::size_t> count_member(const json& object, const char* name) {
    const auto found = object.find(name);
    // A parsed journal holds counts as unsigned; a record built in memory may hold them signed.
    if (found == object.end() || !found->is_number_integer()) return std::nullopt;
    if (found->is_number_unsigned()) return found->get<std::size_t>();
    const auto value = found->get<std::int64_t>();
    if (value < 0) return std::nullopt;
    return static_cast<std::size_t>(value);
}

std::optional<std::int64_t> time_member(const json& object, const char* name) {
    const auto found = object.find(name);
    if (found == object.end() || !found->is_number_integer()) return std::nullopt;
    return found->get<std::int64_t>();
}

std::optional<bool> flag_member(const json& object, const char* name) {
    const auto found = object.find(name);
    if (found == object.end() || !found->is_boolean()) return std::nullopt;
    return found->get<bool>();
}

}  // namespace

bool apply_progress_record(ProgressTable& table, const json& record) {
    if (!record.is_object()) return false;
    const std::optional<std::string> id = text_member(record, "c");
    if (!id || id->empty()) return false;
    if (record.contains("done")) {
        if (flag_member(record, "done") != std::optional<bool>(true)) return false;
        table.erase(*id);
        return true;
    }
    const auto launched = count_member(record, "n");
    const auto total = count_member(record, "of");
    const auto at = time_member(record, "at");
    if (!launched || !total || !at || *launched > *total) return false;
    std::optional<std::size_t> confirmed = *launched;  // an older record: launches were sends
    if (record.contains("ok")) confirmed = count_member(record, "ok");
    if (!confirmed || *confirmed > *launched) return false;
    SegmentProgress& entry = table[*id];
    // Records of one command are written in order; lower counts can only be a stale copy.
    if (*launched >= entry.launched && *confirmed >= entry.confirmed) {
        entry = SegmentProgress{*launched, *confirmed, *total, *at};
    }
    return true;
}

ResumePoint resume_point(const std::optional<SegmentProgress>& recorded, std::size_t total) {
    if (!recorded || recorded->launched == 0) return {};
    if (recorded->total != total || recorded->launched > total ||
        recorded->confirmed > recorded->launched) {
        // Split differently than when it was begun (a new version of the splitting): the
        // recorded count names other parts, so the whole text goes again rather than a garble.
        return ResumePoint{0, false, true, false};
    }
    // A launch not confirmed may never have reached the phone (its session came while the
    // gateway was down, or never): it goes again.
    return ResumePoint{recorded->confirmed, recorded->confirmed > 0, false,
                       recorded->launched > recorded->confirmed};
}

ProgressTable live_entries(const ProgressTable& table, std::int64_t now,
                           std::int64_t max_age_seconds) {
    ProgressTable live;
    for (const auto& [id, progress] : table) {
        if (now - progress.at <= max_age_seconds) live.emplace(id, progress);
    }
    return live;
}

}  // namespace sb::tropo_gateway
