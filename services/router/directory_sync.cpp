#include "directory_sync.h"

namespace sb::router {
namespace {

constexpr std::string_view kDirectoryKey = "directory";

}  // namespace

std::optional<Envelope> DirectorySync::start(Commands& commands) {
    if (sync_) return std::nullopt;
    std::string sync_id = commands.new_id();
    std::string command_id = commands.new_id();
    sync_ = Sync{std::move(sync_id), std::move(command_id)};
    directory_.begin_sync();
    Envelope list = commands.make(event_type::list_rooms, std::string(kDirectoryKey),
                                  ListRooms{sync_->sync_id});
    list.id = sync_->command_id;
    return list;
}

DirectorySync::Page DirectorySync::on_page(const RoomsPage& page, Time now) {
    if (!sync_ || page.sync_id != sync_->sync_id) return Page::ignored;
    // spark-gateway lists the team's rooms (GET /rooms?teamId=): each is one of the team's.
    for (const RoomSummary& room : page.rooms) {
        directory_.learn(room.id, room.title, team_id_, room.created);
    }
    if (!page.last) return Page::more;
    directory_.end_sync();
    sync_.reset();
    backoff_.reset();
    next_at_ = now + resync_every_;
    ready_ = true;
    return Page::finished;
}

bool DirectorySync::on_failed(const std::string& command_id, Time now) {
    if (!sync_ || (!command_id.empty() && command_id != sync_->command_id)) return false;
    sync_.reset();
    backoff_.failed(now, retry_);
    next_at_ = backoff_.at;
    return true;
}

}  // namespace sb::router
