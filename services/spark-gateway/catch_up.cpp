#include "catch_up.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <system_error>

#include "message_enricher.h"
#include "switchboard/text.h"
#include "switchboard/time_format.h"
#include "webex_call.h"

namespace sb::spark_gateway {

SeenMark::SeenMark(std::filesystem::path file) : file_(std::move(file)) {}

std::optional<WallClock::time_point> SeenMark::load() const {
    std::ifstream in(file_);
    std::string text;
    if (!(in >> text)) return std::nullopt;
    return parse_iso8601(text);
}

std::optional<WallClock::time_point> SeenMark::newest() const {
    {
        std::lock_guard lock(mutex_);
        if (newest_) return newest_;
    }
    return load();
}

void SeenMark::observe(WallClock::time_point created) {
    std::lock_guard lock(mutex_);
    if (newest_ && created <= *newest_) return;
    newest_ = created;
    dirty_ = true;
}

void SeenMark::save_if_changed() {
    std::string text;
    {
        std::lock_guard lock(mutex_);
        if (!dirty_ || !newest_) return;
        text = iso8601(*newest_);
        dirty_ = false;
    }
    const auto temporary = std::filesystem::path(file_.string() + ".tmp");
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << text << '\n';
        if (!out.flush()) {
            spdlog::warn("cannot write {}", temporary.string());
            return;
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, file_, error);
    if (error) spdlog::warn("cannot replace {}: {}", file_.string(), error.message());
}

namespace {

std::optional<WallClock::time_point> time_field(const nlohmann::json& item, const char* name) {
    return parse_iso8601(text_field(item, name));
}

}  // namespace

MissedMessages missed_messages(ApiClient& api, const std::string& team_id, const Identity& self,
                               const std::string& proxy_email, WallClock::time_point since,
                               WallClock::time_point now, const CatchUpLimits& limits) {
    MissedMessages missed;
    const WallClock::time_point oldest = std::max(since, now - limits.max_age);
    if (since < oldest) {
        missed.complete = false;
        spdlog::warn("catch-up: down since {}; messages older than {} are not sent as SMS",
                     iso8601(since), iso8601(oldest));
    }
    const Listing rooms = webex_list_all(
        api, "/rooms?teamId=" + percent_encode(team_id) + "&sortBy=lastactivity&max=1000");
    if (rooms.failure) {
        missed.complete = false;
        spdlog::warn("catch-up: cannot list rooms: {}", rooms.failure->error);
        return missed;
    }
    for (const nlohmann::json& room : rooms.items) {
        const auto last_activity = time_field(room, "lastActivity");
        if (!last_activity || *last_activity <= oldest) continue;
        if (missed.rooms_checked == limits.max_rooms) {
            missed.complete = false;
            spdlog::warn("catch-up: more than {} rooms active while down; the rest are skipped",
                         limits.max_rooms);
            break;
        }
        ++missed.rooms_checked;
        const std::string room_id = text_field(room, "id");
        const Answer page = webex_get(api, "/messages?roomId=" + percent_encode(room_id) +
                                               "&max=" + std::to_string(limits.messages_per_room));
        if (!page.ok() || !page.body.is_object() || !page.body["items"].is_array()) {
            missed.complete = false;
            spdlog::warn("catch-up: cannot list messages of room {}: {}", room_id, page.error);
            continue;
        }
        std::vector<WebhookNotice> in_room;
        int newer = 0;
        for (const nlohmann::json& message : page.body["items"]) {  // newest first
            const auto created = time_field(message, "created");
            if (!created || *created <= oldest) break;
            ++newer;
            WebhookNotice notice{
                text_field(message, "id"),          room_id,
                text_field(message, "roomType"),    text_field(message, "personId"),
                text_field(message, "personEmail"), text_field(message, "created")};
            if (notice.message_id.empty()) continue;
            if (posted_by_bridge(notice, self, proxy_email).value_or(false)) continue;
            in_room.push_back(std::move(notice));
        }
        if (newer == limits.messages_per_room) {
            missed.complete = false;
            spdlog::warn(
                "catch-up: room {} had more than {} messages while down; the older "
                "ones are skipped",
                room_id, limits.messages_per_room);
        }
        missed.notices.insert(missed.notices.end(), in_room.rbegin(), in_room.rend());
    }
    return missed;
}

}  // namespace sb::spark_gateway
