// The core's room -> customer half (router_core.h): an agent's message becomes an SMS (or why
// not), a waiting customer gets an agent, and an SMS that could not be delivered is told in the
// room.
#include "room_text.h"
#include "router_core.h"
#include "switchboard/topics.h"

namespace sb::router {

// ---- Room -> customer ------------------------------------------------------------------------

void Core::on_agent_message(const AgentMessage& message, Outputs& out) {
    AgentReplies::Admitted admitted = agent_replies_.admit(message, directory_);
    if (admitted.outcome == AgentReplies::Outcome::foreign_room) {
        ++counters_.foreign_rooms;
        return;
    }
    if (admitted.outcome == AgentReplies::Outcome::duplicate) {
        ++counters_.duplicates;
        return;
    }
    for (Remembered& change : admitted.remember) out.remember.push_back(std::move(change));
    if (admitted.outcome == AgentReplies::Outcome::ignored) {
        ++counters_.ignored;  // a direct room
        return;
    }
    // The title it carries is the room's current one: renames and unknown rooms are learned.
    if (has_title(message)) {
        directory_.learn(message.room_id, message.room_title, message.room_team_id);
    }
    const RoomInfo* room = directory_.room(message.room_id);
    if (room != nullptr && !room->customer.empty()) room_learned(room->customer, out);

    AgentReplies::Reply reply = agent_replies_.reply(message, room);
    note_file_refusals(message, reply.file_refusals, out);
    switch (reply.outcome) {
        case AgentReplies::Outcome::echo:
            ++counters_.echoes_dropped;
            return;
        case AgentReplies::Outcome::whisper:
            ++counters_.whispers;
            return;
        case AgentReplies::Outcome::reply:
            break;
        default:
            ++counters_.ignored;  // the team's own rooms, rooms nobody can place, no text
            return;
    }
    const std::string customer = room->customer;
    if (reply_blocked(customer, *room, message, out)) {
        rooms_.serve(customer);
        assignments_.answered(customer);
        return;
    }
    send_or_park(
        message,
        SendSms{customer, reply.text, room->id, message.message_id, std::move(reply.attachments)},
        out);
    rooms_.serve(customer);
    assignments_.answered(customer);
}

// Each file of the agent's message that spark-gateway could not pass on (infected, unscannable,
// too large) is told in the message's thread, so the agent sees it where they posted it.
void Core::note_file_refusals(const AgentMessage& message, const std::vector<std::string>& refusals,
                              Outputs& out) {
    const RoomInfo* room = directory_.room(message.room_id);
    if (room == nullptr || room->customer.empty()) return;
    for (const std::string& refusal : refusals) {
        PostMessage post{room->id, "", file_refused_note(refusal)};
        post.parent_id = message.message_id;
        publish(out, topics::spark_commands,
                commands_.make(event_type::post_message, room->customer, post));
    }
}

// ---- Agent assignment ------------------------------------------------------------------------

void Core::start_assignment(const std::string& customer, const RoomInfo& room, Outputs& out) {
    if (!settings_.assign_agents) return;
    std::vector<Envelope> lookups = assignments_.start(customer, room, now_, commands_);
    if (lookups.empty()) return;
    ++counters_.presence_lookups;
    for (Envelope& lookup : lookups) publish(out, topics::spark_commands, std::move(lookup));
}

void Core::on_lookup_answer(Assignments::Answer answer, const Assignments::Lookup& lookup,
                            Outputs& out) {
    if (answer == Assignments::Answer::ignored) {
        ++counters_.ignored;  // a look-up of an earlier life, or one given up on
    } else if (answer == Assignments::Answer::complete) {
        decide_assignment(lookup, out);
    }
}

void Core::decide_assignment(const Assignments::Lookup& lookup, Outputs& out) {
    const AgentChoice choice =
        choose_agent(*lookup.room_members, *lookup.team_members, agent_replies_.bridge(),
                     settings_.assign_most_idle, [this] { return commands_.draw(); });
    if (choice.kind == AgentChoice::Kind::covered) return;  // an active agent is already there
    if (choice.kind == AgentChoice::Kind::add) {
        Envelope add =
            commands_.make(event_type::add_member, lookup.customer,
                           AddMember{lookup.room_id, choice.member.person_id, choice.member.email});
        assignments_.add_requested(add.id, lookup.customer);
        publish(out, topics::spark_commands, std::move(add));
        return;
    }
    ++counters_.customers_waiting;
    if (sms_allowed(lookup.customer, SmsKind::automatic, lookup.room_id,
                    "No \"agents are busy\" SMS sent", out)) {
        publish(out, topics::sms_to_send,
                commands_.make(event_type::send_sms, lookup.customer,
                               SendSms{lookup.customer, agents_busy_sms(settings_.company_name),
                                       lookup.room_id}));
    }
    const RoomInfo* room = directory_.room(lookup.room_id);
    const RoomInfo* general = directory_.general_room();
    if (general != nullptr && general->id != lookup.room_id) {
        const std::string title = room != nullptr ? room->title : lookup.customer;
        publish(out, topics::spark_commands,
                commands_.make(event_type::post_message, general->id,
                               PostMessage{general->id, "", customer_waiting_note(title)}));
    }
}

void Core::on_delivery_report(const DeliveryReport& report, Outputs& out) {
    const DeliveryNote note = delivery_note_for(report);
    if (note == DeliveryNote::none) return;
    ++counters_.delivery_failures;
    if (note == DeliveryNote::opted_out) ++counters_.opted_out_reports;
    const RoomInfo* room = directory_.room(report.room_id);
    if (room == nullptr) room = directory_.room_of(report.to);
    if (room == nullptr) {
        ++counters_.ignored;
        return;
    }
    if (note == DeliveryNote::opted_out) carrier_opted_out(report, *room, out);
    PostMessage post{room->id, "", delivery_note_text(note, report)};
    post.parent_id = report.agent_message_id;  // in the thread of the agent's reply
    // Retried like any post until Webex has it (thread_notes.h).
    publish(out, topics::spark_commands,
            notes_.post(room->customer.empty() ? room->id : room->customer, post, commands_));
}

}  // namespace sb::router
