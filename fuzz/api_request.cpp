// POST /api/customer_room_message_post/: the JSON an API client sends, validated by
// parse_api_message into a CustomerMessage the router trusts.
#include "api_request.h"

#include "fuzz_check.h"
#include "switchboard/text.h"

using namespace sb;
using namespace sb::web;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body = sb::fuzz::as_text(data, size);
    const ApiValidation validation = parse_api_message(body, "2026-11-24T08:45:44.123Z");
    if (!validation.message) {
        FUZZ_CHECK(!validation.error.empty() && !validation.reason.empty());
        return 0;
    }
    const sb::CustomerMessage& message = *validation.message;
    FUZZ_CHECK(sb::is_e164(message.customer));
    FUZZ_CHECK(message.channel == "api");
    FUZZ_CHECK(!message.text.empty() || !message.markdown.empty() || !message.files.empty());
    FUZZ_CHECK(message.text.size() <= kMaxApiTextBytes);
    FUZZ_CHECK(message.markdown.size() <= kMaxApiTextBytes);
    FUZZ_CHECK(message.files.size() <= kMaxApiFiles);
    FUZZ_CHECK(!has_control_characters(message.text, true));
    // What ingress-web accepts, it publishes: the event must pass the bus's own check.
    const sb::Envelope event = sb::stamp(
        sb::make_event(sb::event_type::customer_message, "ingress-web", message.customer, message));
    const sb::ParsedEnvelope checked = sb::parse_envelope(sb::json(event).dump());
    if (!checked)
        std::fprintf(stderr, "fuzz: published event refused: %s\n", checked.error.c_str());
    FUZZ_CHECK(checked.envelope.has_value());
    return 0;
}
