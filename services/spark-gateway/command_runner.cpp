#include "command_runner.h"

#include <spdlog/spdlog.h>

#include "switchboard/text.h"
#include "webex_call.h"
#include "webex_translate.h"

namespace sb::spark_gateway {

CommandRunner::CommandRunner(ApiClient& api, WebexCache& cache, std::string team_id,
                             int rooms_page_size, std::string source,
                             WallClock::time_point run_started)
    : api_(api),
      cache_(cache),
      team_id_(std::move(team_id)),
      rooms_page_size_(rooms_page_size),
      source_(std::move(source)),
      run_started_(run_started) {}

template <class Payload>
Envelope CommandRunner::result(const Envelope& command, EventName<Payload> type,
                               const Payload& payload) const {
    // Stamped now so the id is fixed before anything is committed.
    return stamp(make_event(type, source_, command.key, payload, command.id));
}

Execution CommandRunner::failed(const Envelope& command, const std::string& reason,
                                int status) const {
    Execution execution;
    execution.outcome = reason;
    execution.results.push_back(result(command, event_type::command_failed,
                                       CommandFailed{command.type, reason.substr(0, 500), status}));
    return execution;
}

Execution CommandRunner::execute(const Envelope& command) {
    try {
        if (command.type == event_type::list_rooms) return list_rooms(command);
        if (command.type == event_type::create_room) return create_room(command);
        if (command.type == event_type::post_message) return post_message(command);
        if (command.type == event_type::add_member) return add_member(command);
        if (command.type == event_type::list_room_members) return list_room_members(command);
        if (command.type == event_type::list_team_members) return list_team_members(command);
        if (command.type == event_type::rename_room) return rename_room(command);
    } catch (const std::exception& error) {
        return failed(command, std::string("malformed command: ") + error.what(), 0);
    }
    return failed(command, "spark-gateway does not execute " + command.type.substr(0, 64), 0);
}

namespace {

// A command stamped up to this long after this run began may still be one the crashed run
// accepted: the router's clock may run ahead of ours (a restart takes longer than this, too).
constexpr std::chrono::seconds kRunStartAllowance{5};
// Webex's clock (a post's `created`) may differ from the router's (the command's stamp) by this.
constexpr std::chrono::seconds kClockAllowance{60};
// How far back a look for an earlier run's post or room goes: the effect of a command cut off
// by a crash is among the newest, unless this many more came after it before the restart.
constexpr int kRecentMessages = 100;
constexpr int kRecentRooms = 100;

Execution abandon() {
    Execution execution;
    execution.abandoned = true;
    execution.outcome = "abandoned";
    return execution;
}

}  // namespace

Execution CommandRunner::list_rooms(const Envelope& command) {
    const auto request = command.payload_as<ListRooms>();
    Execution execution;
    std::string target =
        "/rooms?teamId=" + percent_encode(team_id_) + "&max=" + std::to_string(rooms_page_size_);
    const auto now = SteadyClock::now();
    for (int page = 0; !target.empty(); ++page) {
        const Answer answer = webex_get(api_, target);
        if (answer.cancelled) return abandon();
        if (!answer.ok() || !answer.body.is_object() || !answer.body.contains("items") ||
            !answer.body["items"].is_array()) {
            // Nothing partial: the router sees either every page or the failure.
            return failed(command,
                          "list rooms page " + std::to_string(page) + ": " +
                              (answer.error.empty() ? "no items" : answer.error),
                          answer.status);
        }
        RoomsPage rooms_page;
        rooms_page.sync_id = request.sync_id;
        rooms_page.page = page;
        for (const auto& room : answer.body["items"]) {
            RoomSummary summary = room_summary_from(room);
            if (summary.id.empty()) continue;
            cache_.set_room(summary.id, {summary.title, text_field(room, "teamId")}, now);
            rooms_page.rooms.push_back(std::move(summary));
        }
        target = answer.next;
        rooms_page.last = target.empty();
        execution.results.push_back(result(command, event_type::rooms_page, rooms_page));
    }
    execution.outcome = "ok";
    return execution;
}

Execution CommandRunner::create_room(const Envelope& command) {
    const auto request = command.payload_as<CreateRoom>();
    if (request.title.empty()) return failed(command, "title is empty", 0);
    bool abandoned = false;
    if (const auto room = created_before(command, request, abandoned)) {
        cache_.set_room(room->id, {request.title, team_id_}, SteadyClock::now());
        Execution execution;
        execution.outcome = "ok";
        execution.found_done = true;
        execution.results.push_back(result(command, event_type::room_created,
                                           RoomCreated{request.customer, room->id, request.title}));
        return execution;
    }
    if (abandoned) return abandon();
    const Answer answer =
        webex_post(api_, "/rooms", {{"title", request.title}, {"teamId", team_id_}});
    if (answer.cancelled) return abandon();
    if (!answer.ok() || !answer.body.is_object()) {
        return failed(command, "create room: " + answer.error, answer.status);
    }
    const RoomSummary room = room_summary_from(answer.body);
    cache_.set_room(room.id, {room.title, text_field(answer.body, "teamId")}, SteadyClock::now());
    Execution execution;
    execution.outcome = "ok";
    execution.results.push_back(result(command, event_type::room_created,
                                       RoomCreated{request.customer, room.id, room.title}));
    return execution;
}

Execution CommandRunner::post_message(const Envelope& command) {
    const auto request = command.payload_as<PostMessage>();
    if (request.room_id.empty()) return failed(command, "room_id is empty", 0);
    if (request.text.size() > kMaxMessageBytes || request.markdown.size() > kMaxMessageBytes) {
        return failed(command, "text or markdown exceeds Webex's 7439 bytes", 400);
    }
    const std::string marker = post_marker(command.id);
    const auto posted = [&](const std::string& message_id) {
        Execution execution;
        execution.outcome = "ok";
        execution.results.push_back(result(command, event_type::message_posted,
                                           MessagePosted{request.room_id, message_id}));
        return execution;
    };
    bool abandoned = false;
    if (const auto earlier = posted_before(command, request, marker, abandoned)) {
        Execution execution = posted(earlier->id);
        execution.found_done = true;
        return execution;
    }
    if (abandoned) return abandon();
    Answer answer = webex_post(api_, "/messages", post_body(request, marker));
    if (retry_without_parent(request, answer.status)) {
        // Webex answers 400 for a parentId it will not thread under (not a message of the room,
        // or itself a reply): the note is worth more than its place in the thread.
        spdlog::warn("post {}: Webex refused parentId {} ({}): posting it outside the thread",
                     command.id.substr(0, 16), request.parent_id.substr(0, 24), answer.error);
        PostMessage unthreaded = request;
        unthreaded.parent_id.clear();
        answer = webex_post(api_, "/messages", post_body(unthreaded, marker));
    }
    if (answer.cancelled) return abandon();
    if (!answer.ok()) return failed(command, "post message: " + answer.error, answer.status);
    return posted(text_field(answer.body, "id"));
}

std::optional<AlreadyDone> CommandRunner::posted_before(const Envelope& command,
                                                        const PostMessage& request,
                                                        const std::string& marker,
                                                        bool& abandoned) {
    if (!may_have_run_before(command, run_started_, kRunStartAllowance)) return std::nullopt;
    const auto self = cache_.identity();
    if (!self) return std::nullopt;
    const Answer recent = webex_get(api_, "/messages?roomId=" + percent_encode(request.room_id) +
                                              "&max=" + std::to_string(kRecentMessages));
    if (recent.cancelled) {
        abandoned = true;
        return std::nullopt;
    }
    if (!recent.ok() || !recent.body.is_object()) {
        // The post itself will meet the same trouble (and say so); if it goes through, this is
        // the one case where an earlier run's post may be repeated.
        spdlog::warn("cannot tell whether {} was posted before the restart: {}",
                     command.id.substr(0, 16), recent.error);
        return std::nullopt;
    }
    auto found =
        find_own_post(request, marker, command, self->id, recent.body["items"], kClockAllowance);
    if (found) {
        spdlog::info("command {} was posted before the restart as {}: not posting it again",
                     command.id.substr(0, 16), found->id.substr(0, 16));
    }
    return found;
}

std::optional<AlreadyDone> CommandRunner::created_before(const Envelope& command,
                                                         const CreateRoom& request,
                                                         bool& abandoned) {
    if (!may_have_run_before(command, run_started_, kRunStartAllowance)) return std::nullopt;
    const auto self = cache_.identity();
    const Answer recent =
        webex_get(api_, "/rooms?teamId=" + percent_encode(team_id_) +
                            "&sortBy=created&max=" + std::to_string(kRecentRooms));
    if (recent.cancelled) {
        abandoned = true;
        return std::nullopt;
    }
    if (!recent.ok() || !recent.body.is_object()) {
        spdlog::warn("cannot tell whether room {} was created before the restart: {}",
                     request.title, recent.error);
        return std::nullopt;
    }
    auto found = find_created_room(request, self ? self->id : "", recent.body["items"]);
    if (found) {
        spdlog::info("room {} exists already ({}): not creating it again", request.title,
                     found->id.substr(0, 16));
    }
    return found;
}

Execution CommandRunner::add_member(const Envelope& command) {
    const auto request = command.payload_as<AddMember>();
    nlohmann::json body = {{"roomId", request.room_id}};
    if (!request.person_id.empty())
        body["personId"] = request.person_id;
    else
        body["personEmail"] = request.person_email;
    const Answer answer = webex_post(api_, "/memberships", body);
    if (answer.cancelled) return abandon();
    // 409: already a member, which is what was asked for.
    if (!answer.ok() && answer.status != 409) {
        return failed(command, "add member: " + answer.error, answer.status);
    }
    MemberAdded added{request.room_id, request.person_id, request.person_email};
    if (answer.ok() && answer.body.is_object()) {
        if (!text_field(answer.body, "personId").empty()) {
            added.person_id = text_field(answer.body, "personId");
        }
        if (!text_field(answer.body, "personEmail").empty()) {
            added.person_email = text_field(answer.body, "personEmail");
        }
    }
    Execution execution;
    execution.outcome = "ok";
    execution.results.push_back(result(command, event_type::member_added, added));
    return execution;
}

std::vector<Member> CommandRunner::with_presence(const std::vector<nlohmann::json>& memberships,
                                                 bool& abandoned) {
    std::vector<Member> members;
    const auto self = cache_.identity();
    for (const auto& membership : memberships) {
        const std::string person_id = text_field(membership, "personId");
        if (person_id.empty()) continue;
        // The bridge is in every room it created but is nobody's agent: the router must never
        // count it as one being there, nor add it anywhere.
        if (self && self->id == person_id) continue;
        // Presence changes by the minute: never cached.
        const Answer person = webex_get(api_, "/people/" + percent_encode(person_id));
        if (person.cancelled) {
            abandoned = true;
            return {};
        }
        members.push_back(member_from(membership, person.ok() ? &person.body : nullptr));
    }
    return members;
}

Execution CommandRunner::list_room_members(const Envelope& command) {
    const auto request = command.payload_as<ListRoomMembers>();
    if (request.room_id.empty()) return failed(command, "room_id is empty", 0);
    const Listing listing = webex_list_all(
        api_, "/memberships?roomId=" + percent_encode(request.room_id) + "&max=1000");
    if (listing.failure) {
        if (listing.failure->cancelled) return abandon();
        return failed(command, "list memberships: " + listing.failure->error,
                      listing.failure->status);
    }
    bool abandoned = false;
    RoomMembers members{request.room_id, with_presence(listing.items, abandoned)};
    if (abandoned) return abandon();
    Execution execution;
    execution.outcome = "ok";
    execution.results.push_back(result(command, event_type::room_members, members));
    return execution;
}

Execution CommandRunner::list_team_members(const Envelope& command) {
    const Listing listing =
        webex_list_all(api_, "/team/memberships?teamId=" + percent_encode(team_id_) + "&max=1000");
    if (listing.failure) {
        if (listing.failure->cancelled) return abandon();
        return failed(command, "list team memberships: " + listing.failure->error,
                      listing.failure->status);
    }
    bool abandoned = false;
    TeamMembers members{with_presence(listing.items, abandoned)};
    if (abandoned) return abandon();
    Execution execution;
    execution.outcome = "ok";
    execution.results.push_back(result(command, event_type::team_members, members));
    return execution;
}

}  // namespace sb::spark_gateway
