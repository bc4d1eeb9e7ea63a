// The core's customer -> room half (router_core.h): a customer's messages join their post
// queue, a room is asked for when none is listed, posts go one at a time, a failed one is
// retried or re-posted in a new room, and the welcome SMS follows the room.
#include "attachment_posts.h"
#include "room_text.h"
#include "router_core.h"
#include "switchboard/topics.h"

namespace sb::router {
namespace {

// Webex's answers for a room that is no more: deleted (404, 410), or the proxy is no longer a
// member (403, e.g. it was removed or left).
bool room_gone(int status) {
    return status == 404 || status == 403 || status == 410;
}

}  // namespace

// ---- Customer -> room ------------------------------------------------------------------------

void Core::answer_call(const Inbound& inbound, const CustomerMessage& message, Outputs& out) {
    // Replies go only to a gateway's reply topic, never into a command stream.
    const std::string prefix = topics::replies_for("");
    if (message.call->reply_to.compare(0, prefix.size(), prefix) != 0 ||
        message.call->reply_to.size() == prefix.size()) {
        ++counters_.malformed;
        return;
    }
    Envelope decision = commands_.make(event_type::call_decision, message.customer,
                                       CallDecision{message.call->call_id, settings_.redirect_dn});
    decision.correlation_id = inbound.id;
    out.send_now.push_back({message.call->reply_to, std::move(decision)});
    ++counters_.calls_forwarded;
}

// The message stays held until MessagePosted says its last part is in the room: a post that
// fails, or a crash before its result, leaves it to be posted again rather than lost.
bool Core::on_customer_message(const Inbound& inbound, const CustomerMessage& message,
                               Outputs& out) {
    const std::string& customer = message.customer;
    if (message.call && message.call->outcome == "answered") {
        ++counters_.calls_answered;  // the contact center has them: nothing to tell the room
        return true;
    }
    if (message.call && message.call->outcome == "missed") {
        // Noted in the room like the call itself (room_text.h), and the caller is owed one SMS
        // inviting them to text instead (MISSED_CALL_TEXT), sent once their room is known.
        ++counters_.missed_calls;
        if (!settings_.missed_call_text.empty()) {
            missed_calls_.missed(customer, message.call->call_id);
        }
    }
    rooms_.serve(customer);
    if (message.channel != "voice") rooms_.texted(customer);
    if (message.channel == "sms") sms_policy_.texted_in(customer);    // answered, always
    if (message.channel == "sms") on_keyword(inbound, message, out);  // STOP, START, HELP
    posts_.push(customer, inbound.ref, inbound.id, message);  // nothing may overtake what waits
    if (directory_.room_of(customer) != nullptr) {
        pump(customer, out);
    } else {
        want_room(customer, out);  // one room per customer: the rest wait behind the first
    }
    return false;
}

// Messages wait for a room nobody has listed: ask for one, unless a CreateRoom is in flight or
// a failed one waits for its retry.
void Core::want_room(const std::string& customer, Outputs& out) {
    rooms_.want(customer);
    if (!rooms_.in_flight(customer) && !rooms_.retry_waiting(customer)) {
        publish(out, topics::spark_commands, rooms_.request(customer, commands_));
    }
}

void Core::pump(const std::string& customer, Outputs& out) {
    text_back_missed_calls(customer, out);
    PostQueue::Pumped pumped =
        posts_.pump(customer, directory_.room_of(customer), earlier_posts_, commands_);
    counters_.messages_to_rooms += pumped.shown;
    if (pumped.text_shown) assignments_.waiting(customer, now_);
    out.complete.insert(out.complete.end(), pumped.complete.begin(), pumped.complete.end());
    if (pumped.post) publish(out, topics::spark_commands, std::move(*pumped.post));
    fix_title(customer, out);  // an opted-out customer's room carries the mark
}

void Core::on_message_posted(const std::string& command_id, Outputs& out) {
    if (on_note_result(command_id, nullptr)) return;
    // Completes the message when that was its last part.
    if (const auto customer = posts_.posted(command_id)) pump(*customer, out);
}

void Core::welcome(const std::string& customer, const RoomInfo& room, Outputs& out) {
    if (!rooms_.owes_welcome(customer)) return;  // no welcome SMS for a call alone
    rooms_.welcomed(customer);
    if (!sms_allowed(customer, SmsKind::automatic, room.id, "No welcome SMS sent", out)) return;
    ++counters_.welcomes;
    publish(out, topics::sms_to_send,
            commands_.make(event_type::send_sms, customer,
                           SendSms{customer, welcome_sms(settings_.company_name), room.id}));
}

void Core::on_room_created(const RoomCreated& created, Outputs& out) {
    ++counters_.rooms_created;
    directory_.learn(created.room_id, created.title, settings_.team_id);  // made in the team
    const std::string& customer = created.customer;
    if (!rooms_.serves(customer)) return;  // a room for nobody we are serving: just learn it
    rooms_.created(customer);
    const RoomInfo* room = directory_.room_of(customer);
    if (room == nullptr) {
        rooms_.unplaced(customer, now_);  // the title does not name them: retry through a sync
        return;
    }
    rooms_.placed(customer);
    pump(customer, out);
    welcome(customer, *room, out);
    start_assignment(customer, *room, out);
}

// ---- Failures --------------------------------------------------------------------------------

void Core::on_command_failed(const std::string& command_id, const CommandFailed& failed,
                             Outputs& out) {
    ++counters_.command_failures;
    if (rename_failed(command_id) || on_note_result(command_id, &failed)) return;
    if (posts_.owns(command_id)) {
        if (const auto post = posts_.failed(command_id)) on_post_failed(*post, failed, out);
        return;
    }
    if (assignments_.add_failed(command_id, now_)) return;
    if (failed.command_type == event_type::create_room) {
        if (rooms_.failed(command_id, now_)) ++counters_.create_failures;
        return;
    }
    assignments_.lookup_failed(command_id, now_);
}

void Core::on_post_failed(const PostQueue::Failed& failed, const CommandFailed& why, Outputs& out) {
    ++counters_.post_failures;
    const std::string& customer = failed.customer;
    if (room_gone(why.status) && !failed.room_id.empty()) {
        // The room was deleted or the proxy removed: a new one, once; then everything that
        // waits is posted there, in order. The customer had a room, so no second welcome.
        ++counters_.rooms_gone;
        directory_.forget(failed.room_id);
        assignments_.forget_room(failed.room_id);
        rooms_.welcomed(customer);
        posts_.reset_retry(customer);
        if (directory_.room_of(customer) != nullptr) {
            pump(customer, out);  // another room of theirs is listed
        } else {
            want_room(customer, out);
        }
        return;
    }
    if (failed.file && refused_for_good(why.status) && posts_.give_up_file(customer, why.reason)) {
        // Webex will never take that file (a 4xx): it is shown as a link instead, at once, so
        // the customer's line does not stall behind it.
        ++counters_.files_refused;
        pump(customer, out);
        return;
    }
    // Busy or broken for now (429 or 5xx after spark-gateway's own retries, the network): the
    // message stays first in line and is posted again later; nothing behind it overtakes it.
    posts_.retry_later(customer, now_);
}

}  // namespace sb::router
