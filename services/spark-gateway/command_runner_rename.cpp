// RenameRoom: the router marks an opted-out customer's room in its title (PUT /rooms/{id}), so
// the state can be read back from Webex at a sync when the router's journal is lost. Running it
// twice gives the same title, so a command handed back after a crash simply runs again.
#include "command_runner.h"
#include "switchboard/text.h"
#include "webex_call.h"
#include "webex_translate.h"

namespace sb::spark_gateway {

Execution CommandRunner::rename_room(const Envelope& command) {
    const auto request = command.payload_as<RenameRoom>();
    if (request.room_id.empty() || request.title.empty()) {
        return failed(command, "room_id and title are required", 0);
    }
    const Answer answer =
        webex_put(api_, "/rooms/" + percent_encode(request.room_id), {{"title", request.title}});
    if (answer.cancelled) {
        Execution execution;
        execution.abandoned = true;
        execution.outcome = "abandoned";
        return execution;
    }
    if (!answer.ok()) return failed(command, "rename room: " + answer.error, answer.status);
    const RoomSummary room =
        answer.body.is_object() ? room_summary_from(answer.body) : RoomSummary{};
    const std::string title = room.title.empty() ? request.title : room.title;
    // Later AgentMessages carry the new title at once, not after the cache's TTL.
    cache_.set_room(request.room_id, {title, team_id_}, SteadyClock::now());
    Execution execution;
    execution.outcome = "ok";
    // As result() does (command_runner.cpp): stamped now, answering the command's id.
    execution.results.push_back(stamp(make_event(event_type::room_renamed, source_, command.key,
                                                 RoomRenamed{request.room_id, title}, command.id)));
    return execution;
}

}  // namespace sb::spark_gateway
