// POST /api/tropo/: the session JSON Tropo (or anyone who found the URL) sends, read leniently
// by parse_session; the endpoint ids inside it, read by number_from_tropo_id; and the Session
// API's answer to a launch, read by read_launch_answer.
#include "tropo_session.h"

#include "fuzz_check.h"
#include "switchboard/events.h"
#include "tropo_verbs.h"

using namespace sb::tropo_gateway;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body = sb::fuzz::as_text(data, size);
    const SessionParse parsed = parse_session(body);
    if (!parsed) {
        FUZZ_CHECK(!parsed.code.empty() && !parsed.reason.empty());
    } else {
        const InboundSession& session = *parsed.session;
        FUZZ_CHECK(!session.session_id.empty() && session.session_id.size() <= 128);
        FUZZ_CHECK(!session.call_id.empty() && session.call_id.size() <= 128);
        if (session.from) FUZZ_CHECK(sb::is_e164(*session.from));
        if (session.to) FUZZ_CHECK(sb::is_e164(*session.to));
        switch (session.kind) {
            case SessionKind::sms:
                FUZZ_CHECK(!session.text.empty() && session.from.has_value());
                break;
            case SessionKind::token_launch:
                FUZZ_CHECK(session.parameters.size() <= 64);
                break;
            case SessionKind::call:
                break;
        }
        FUZZ_CHECK(std::string_view(kind_name(session.kind)) != "unknown");
    }

    // The same bytes as an endpoint id ("15555551213", "tel:+1...", "sip:...@host").
    const auto number = number_from_tropo_id(body.substr(0, 64));
    if (number) FUZZ_CHECK(sb::is_e164(*number));

    // The same bytes as the Session API's answer ({"success":true,"id":..} or a refusal).
    const std::string answer(body);
    const LaunchOutcome launched = read_launch_answer(200, answer, "");
    FUZZ_CHECK(launched.launched == launched.reason.empty());
    const LaunchOutcome refused = read_launch_answer(503, answer, "");
    FUZZ_CHECK(!refused.launched && !refused.reason.empty());
    return 0;
}
