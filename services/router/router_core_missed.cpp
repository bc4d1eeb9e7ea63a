// The core's missed-call text-back (missed_calls.h): once the caller's room is known, one SMS
// (MISSED_CALL_TEXT) for the calls they are owed one for, if the SMS policy lets it go.
#include "room_text.h"
#include "router_core.h"
#include "switchboard/topics.h"

namespace sb::router {

void Core::text_back_missed_calls(const std::string& customer, Outputs& out) {
    if (!missed_calls_.owes(customer)) return;
    const RoomInfo* room = directory_.room_of(customer);
    if (room == nullptr) return;  // the call's note asks for the room; its pump comes back here
    if (missed_calls_.take(customer, out.remember).empty()) return;
    // A caller who never texted is texted like the welcome: the pumping guard decides (a
    // forged caller id must not make the company text any number in the world).
    if (!sms_allowed(customer, SmsKind::automatic, room->id, "No missed-call SMS sent", out)) {
        return;
    }
    ++counters_.missed_call_texts;
    publish(out, topics::sms_to_send,
            commands_.make(event_type::send_sms, customer,
                           SendSms{customer, settings_.missed_call_text, room->id}));
}

}  // namespace sb::router
