#pragma once
// What Tropo does with an application's answer ({"tropo":[verbs]}), reduced to the effects the
// sandbox can show: SMS delivered to phones and what became of a call.
#include <string>
#include <string_view>
#include <vector>

namespace sb::sandbox::tropo {

enum class SessionMode {
    text,    // an inbound SMS: `say` replies to the sender by SMS
    voice,   // an inbound call: transfer / reject / hangup / redirect decide the outcome
    launch,  // a token-launched session: `message`, or `call` (network SMS) then `say`, send SMS
};

struct Effect {
    enum class Kind { sms, transfer, reject, hangup, redirect, speech };
    Kind kind = Kind::sms;
    std::string to;    // sms: the phone (as written by the app); transfer/redirect: the target
    std::string text;  // sms, speech
    std::string name;  // transfer: the name the application gave it (its result's action name)
};

// A document event's handler: {"on":{"event":"incomplete","next":"…"}}.
struct Handler {
    std::string event;
    std::string next;
};

struct Interpretation {
    std::vector<Effect> effects;
    std::vector<Handler> handlers;     // every `on` with a `next`, wherever it stands
    std::vector<std::string> ignored;  // verbs the sandbox does not act on ("ask", "record"...)
    std::string error;                 // the answer is no Tropo document
};

// `caller` is who a text session replies to.
Interpretation interpret_answer(std::string_view body, SessionMode mode, const std::string& caller);

// "tel:+18005551234" -> "+18005551234"; other targets unchanged.
std::string strip_tel(const std::string& target);

}  // namespace sb::sandbox::tropo
