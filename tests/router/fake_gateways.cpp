#include "fake_gateways.h"

#include "switchboard/topics.h"

namespace sb::testing {
namespace {

constexpr size_t kRoomsPerPage = 2;

}  // namespace

FakeGateways::FakeGateways(const Stack& stack)
    : node_(stack.recorder(
          kInstance, {std::string(topics::spark_commands), std::string(topics::sms_to_send)})) {
    node_->on_event([this](const delivery::Inbound& inbound, delivery::Transaction& transaction) {
        handle(inbound, transaction);
    });
    node_->on_reply([this](const Envelope& reply) {
        if (reply.type != event_type::call_decision) return;
        std::lock_guard lock(mutex_);
        decisions_.push_back(reply.payload_as<CallDecision>());
    });
}

void FakeGateways::add_room(const std::string& id, const std::string& title,
                            const std::string& created) {
    std::lock_guard lock(mutex_);
    RoomSummary room;
    room.id = id;
    room.title = title;
    room.created = created;
    rooms_.push_back(room);
}

void FakeGateways::pause() {
    std::lock_guard lock(mutex_);
    paused_ = true;
}

void FakeGateways::release() {
    std::lock_guard lock(mutex_);
    paused_ = false;
    while (!backlog_.empty()) {
        delivery::Transaction transaction;
        execute(backlog_.front().event, transaction);
        transaction.complete(backlog_.front().ref);
        node_->node().commit(std::move(transaction));
        backlog_.pop_front();
    }
}

void FakeGateways::customer_says(const CustomerMessage& message) {
    node_->publish(
        topics::customer_messages,
        make_event(event_type::customer_message, "tropo-gateway", message.customer, message));
}

void FakeGateways::agent_says(const AgentMessage& message) {
    node_->publish(topics::agent_messages, make_event(event_type::agent_message, "spark-gateway",
                                                      message.room_id, message));
}

std::vector<Envelope> FakeGateways::commands(std::string_view type) const {
    std::vector<Envelope> found;
    for (const Envelope& command : node_->events()) {
        if (type.empty() || command.type == type) found.push_back(command);
    }
    return found;
}

std::vector<CallDecision> FakeGateways::decisions() const {
    std::lock_guard lock(mutex_);
    return decisions_;
}

std::string FakeGateways::room_id_for(const std::string& title) const {
    std::lock_guard lock(mutex_);
    for (const RoomSummary& room : rooms_) {
        if (room.title == title) return room.id;
    }
    return {};
}

void FakeGateways::handle(const delivery::Inbound& inbound, delivery::Transaction& transaction) {
    std::lock_guard lock(mutex_);
    // Commands run in the order they came, like spark-gateway: a paused provider delays them
    // all, and a ListRooms never overtakes an earlier CreateRoom.
    if (paused_ || !backlog_.empty()) {
        backlog_.push_back(inbound);
        transaction.hold();
        return;
    }
    execute(inbound.event, transaction);
}

void FakeGateways::execute(const Envelope& command, delivery::Transaction& transaction) {
    const auto answer = [&](std::string_view topic, std::string_view type, const json& payload) {
        Envelope result = make_event(type, "fake-gateways", command.key, payload, command.id);
        result.payload = payload;
        transaction.publish(topic, std::move(result));
    };
    if (command.type == event_type::list_rooms) {
        const auto request = command.payload_as<ListRooms>();
        size_t page = 0;
        for (size_t at = 0; at == 0 || at < rooms_.size(); at += kRoomsPerPage, ++page) {
            RoomsPage out;
            out.sync_id = request.sync_id;
            out.page = static_cast<int>(page);
            out.last = at + kRoomsPerPage >= rooms_.size();
            for (size_t i = at; i < rooms_.size() && i < at + kRoomsPerPage; ++i) {
                out.rooms.push_back(rooms_[i]);
            }
            answer(topics::spark_results, event_type::rooms_page, out);
        }
    } else if (command.type == event_type::create_room) {
        const auto request = command.payload_as<CreateRoom>();
        RoomSummary room;
        room.id = "created-" + std::to_string(++next_id_);
        room.title = request.title;
        room.created = "2026-05-01T00:00:00.000Z";
        rooms_.push_back(room);
        answer(topics::spark_results, event_type::room_created,
               RoomCreated{request.customer, room.id, room.title});
    } else if (command.type == event_type::post_message) {
        const auto request = command.payload_as<PostMessage>();
        answer(topics::spark_results, event_type::message_posted,
               MessagePosted{request.room_id, "posted-" + std::to_string(++next_id_)});
    } else if (command.type == event_type::send_sms) {
        const auto request = command.payload_as<SendSms>();
        const bool unreachable = request.to == "+12085550999";
        answer(topics::sms_reports, event_type::delivery_report,
               DeliveryReport{request.to, unreachable ? "failed" : "sent", unreachable ? 0 : 1,
                              unreachable ? "carrier rejected the number" : "", request.room_id});
    } else if (command.type == event_type::list_room_members) {
        answer(topics::spark_results, event_type::room_members,
               RoomMembers{command.payload_as<ListRoomMembers>().room_id, {}});
    } else if (command.type == event_type::list_team_members) {
        answer(topics::spark_results, event_type::team_members, TeamMembers{});
    } else if (command.type == event_type::add_member) {
        const auto request = command.payload_as<AddMember>();
        answer(topics::spark_results, event_type::member_added,
               MemberAdded{request.room_id, request.person_id, request.person_email});
    }
}

}  // namespace sb::testing
