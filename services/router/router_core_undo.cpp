// The core's undo send (undo_window.h): an agent's reply waits out SMS_UNDO_SECONDS, deletable,
// and only then asks the SMS policy and goes out; so a reply deleted in time causes nothing at
// all, not even a note. Whatever the router decides about a reply at send time belongs in
// send_agent_reply, which runs once per reply, when it leaves.
#include "opt_out_text.h"
#include "router_core.h"
#include "switchboard/topics.h"

namespace sb::router {

void Core::send_or_park(const AgentMessage& message, const SendSms& sms, Outputs& out) {
    UndoWindow::Parked parked = undo_.park(sms, message.created, now_, wall_now_);
    if (parked.send_now) {
        send_agent_reply(sms, out);
        return;
    }
    out.remember.push_back(std::move(*parked.remember));
}

void Core::send_agent_reply(const SendSms& sms, Outputs& out) {
    // The customer may have texted STOP while the reply waited out its window: it is blocked
    // then as it would have been when posted, with the note in its thread.
    if (opt_outs_.opted_out(sms.to)) {
        ++counters_.replies_blocked;
        PostMessage note{sms.room_id, "", reply_blocked_note(sms.to)};
        note.parent_id = sms.agent_message_id;
        publish(out, topics::spark_commands, notes_.post(sms.to, note, commands_));
        return;
    }
    if (!sms_allowed(sms.to, SmsKind::agent_reply, sms.room_id, "Reply not sent by SMS", out)) {
        return;
    }
    publish(out, topics::sms_to_send, commands_.make(event_type::send_sms, sms.to, sms));
    ++counters_.messages_to_customers;
}

void Core::on_agent_message_deleted(const AgentMessageDeleted& deleted, Outputs& out) {
    if (auto forget = undo_.cancel(deleted.message_id)) {
        ++counters_.replies_undone;
        out.remember.push_back(std::move(*forget));
        return;
    }
    // Already sent, never a reply (a whisper, a customer's post), or unknown: nothing to undo.
    ++counters_.deletions_ignored;
}

void Core::release_due_replies(Outputs& out) {
    for (UndoWindow::Due& due : undo_.take_due(now_)) {
        send_agent_reply(due.sms, out);
        out.remember.push_back(std::move(due.forget));  // in the record that publishes it
    }
}

void Core::restore_waiting_replies(const Memory& memory, Outputs& out) {
    for (Remembered& unreadable : undo_.restore(memory, now_, wall_now_)) {
        ++counters_.malformed;
        out.remember.push_back(std::move(unreadable));
    }
}

}  // namespace sb::router
