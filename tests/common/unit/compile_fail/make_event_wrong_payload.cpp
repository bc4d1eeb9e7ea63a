// Must not compile: a wire name sent with another type's payload. tests/CMakeLists.txt runs the
// compiler on this file and passes only when it refuses the call as a deleted function, so a
// broken include path cannot pass for the refusal.
#include "switchboard/events.h"

sb::Envelope right() {
    return sb::make_event(sb::event_type::send_sms, "router", "+12088675309",
                          sb::SendSms{"+12088675309", "hi", ""});
}

sb::Envelope wrong() {
    return sb::make_event(sb::event_type::send_sms, "router", "+12088675309", sb::CreateRoom{});
}
