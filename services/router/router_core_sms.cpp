// The core's one hook into the SMS policy (sms_policy.h): every SMS the router decides on by
// itself or on an agent's behalf asks here first, and a refused one leaves a note in the room,
// so the agents know the customer got nothing and why.
#include "room_text.h"
#include "router_core.h"
#include "switchboard/topics.h"

namespace sb::router {

bool Core::sms_allowed(const std::string& number, SmsKind kind, const std::string& room_id,
                       std::string_view headline, Outputs& out) {
    // Nothing the router sends by itself reaches a customer who opted out (the room already
    // says so); agents' replies are stopped before this, with a note in their thread.
    if (opt_outs_.opted_out(number)) {
        ++counters_.sms_withheld_opted_out;
        return false;
    }
    const SmsVerdict verdict = sms_policy_.check(number, kind, wall_now_);
    if (verdict == SmsVerdict::send) return true;
    if (verdict == SmsVerdict::refuse_cap) {
        ++counters_.sms_refused_cap;
    } else {
        ++counters_.sms_refused_country;
    }
    // Like the router's other notes, not retried: the refusal is counted in the metrics too.
    const std::string note = sms_refused_note(verdict, headline, number, sms_policy_.rules());
    publish(out, topics::spark_commands,
            commands_.make(event_type::post_message, number, PostMessage{room_id, "", note}));
    return false;
}

}  // namespace sb::router
