// The core's opt-out hooks (router_core.h, opt_out.h): a keyword SMS sets the customer's state
// and, where the carrier does not, is answered by SMS; an agent's reply to an opted-out customer
// is not texted but noted in its thread; a carrier's refusal (Twilio 21610) opts them out too;
// and the room titles carry the state, so a router whose journal is lost reads it back at its
// first sync.
#include "opt_out_text.h"
#include "router_core.h"
#include "switchboard/time_format.h"
#include "switchboard/topics.h"

namespace sb::router {

void Core::on_keyword(const Inbound& inbound, const CustomerMessage& message, Outputs& out) {
    const Keyword keyword = classify_keyword(message.text);
    if (keyword == Keyword::none) return;
    const std::string& customer = message.customer;
    const KeywordEffects effects = keyword_effects(keyword, carrier_answered(message));
    if (effects.opted_out) {
        // At once, in this step's transaction: from now on nothing is texted to them. The note
        // in the room is the message's own last post (post_queue.cpp, keyword_note).
        opt_outs_.set(customer, *effects.opted_out, OptOutSource::keyword, message.received_at);
        ++(*effects.opted_out ? counters_.opt_outs : counters_.opt_ins);
    } else {
        ++counters_.help_requests;
    }
    // The one answer, whatever the state (a STOP's confirmation is the SMS allowed after it);
    // a message handed back after a restart was answered already.
    if (!effects.answer || opt_outs_.answered(customer, inbound.id)) return;
    opt_outs_.mark_answered(customer, inbound.id);
    const RoomInfo* room = directory_.room_of(customer);
    publish(out, topics::sms_to_send,
            commands_.make(
                event_type::send_sms, customer,
                SendSms{customer,
                        keyword_answer(keyword, settings_.company_name, settings_.redirect_dn),
                        room != nullptr ? room->id : std::string()}));
    ++counters_.keyword_answers;
}

bool Core::reply_blocked(const std::string& customer, const RoomInfo& room,
                         const AgentMessage& message, Outputs& out) {
    // The title the message carries is Webex's: a mark there counts when the journal has no
    // record (it was lost), as at a sync.
    if (opt_outs_.adopt_title(customer, room.title, iso8601(wall_now_))) {
        ++counters_.opt_outs_from_titles;
    }
    if (!opt_outs_.opted_out(customer)) return false;
    ++counters_.replies_blocked;
    PostMessage note{room.id, "", reply_blocked_note(customer)};
    note.parent_id = message.message_id;  // in the thread of the reply it is about
    publish(out, topics::spark_commands, notes_.post(customer, note, commands_));
    return true;
}

void Core::carrier_opted_out(const DeliveryReport& report, const RoomInfo& room, Outputs& out) {
    const std::string& customer = is_e164(report.to) ? report.to : room.customer;
    if (customer.empty()) return;
    if (opt_outs_.set(customer, true, OptOutSource::carrier, iso8601(wall_now_))) {
        ++counters_.opt_outs;
    }
    fix_title(customer, out);
}

void Core::adopt_title_marks(const RoomsPage& page) {
    const std::string at = iso8601(wall_now_);
    for (const RoomSummary& summary : page.rooms) {
        const RoomInfo* room = directory_.room(summary.id);
        if (room == nullptr || room->customer.empty()) continue;
        const RoomInfo* theirs = directory_.room_of(room->customer);
        if (theirs == nullptr || theirs->id != room->id) continue;  // the customer's own room only
        if (opt_outs_.adopt_title(room->customer, room->title, at)) {
            ++counters_.opt_outs_from_titles;
        }
    }
}

void Core::fix_title(const std::string& customer, Outputs& out) {
    const RoomInfo* room = directory_.room_of(customer);
    if (room == nullptr || rename_failed_.count(room->id) > 0) return;
    for (const auto& [id, room_id] : renames_) {
        if (room_id == room->id) return;  // one rename at a time per room
    }
    const auto wanted = opt_outs_.title_wanted(customer, room->title);
    if (!wanted) return;
    Envelope rename =
        commands_.make(event_type::rename_room, customer, RenameRoom{room->id, *wanted});
    renames_[rename.id] = room->id;
    publish(out, topics::spark_commands, std::move(rename));
}

void Core::on_room_renamed(const std::string& command_id, const RoomRenamed& renamed) {
    // Also a rename of an earlier life's: the title is Webex's now either way.
    renames_.erase(command_id);
    directory_.learn(renamed.room_id, renamed.title, settings_.team_id);
    ++counters_.rooms_renamed;
}

bool Core::rename_failed(const std::string& command_id) {
    const auto found = renames_.find(command_id);
    if (found == renames_.end()) return false;
    rename_failed_.insert(found->second);  // tried again after the next sync
    renames_.erase(found);
    return true;
}

bool Core::on_note_result(const std::string& command_id, const CommandFailed* failed) {
    if (!notes_.owns(command_id)) return false;
    if (failed == nullptr) {
        notes_.posted(command_id);
    } else {
        notes_.failed(command_id, failed->status, now_);
    }
    return true;
}

void Core::retry_notes(Outputs& out) {
    for (Envelope& note : notes_.due(now_, commands_)) {
        publish(out, topics::spark_commands, std::move(note));
    }
}

}  // namespace sb::router
