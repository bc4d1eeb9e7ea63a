// Every event that comes off the bus: parse_envelope on the raw bytes (the envelope, then the
// payload through its type's from_json and rules), and every type's from_json on the document
// and on its payload, whatever the type says. What is accepted must read back the same after
// it is written again: a value that changes on the way through the journal is a lost fact.
#include "switchboard/events.h"

#include "fuzz_check.h"

namespace {

using sb::json;

// from_json may refuse with an exception (std::exception, for the caller to report); what it
// accepts, to_json writes, and that reads back to the same JSON.
template <class Type>
void round_trip(const json& document) {
    Type value;
    try {
        value = document.get<Type>();
    } catch (const std::exception&) {
        return;
    }
    const json written = value;
    Type again;
    try {
        again = written.get<Type>();
    } catch (const std::exception& error) {
        std::fprintf(stderr, "fuzz: a written value does not read back: %s\n", error.what());
        FUZZ_CHECK(false);
    }
    FUZZ_CHECK(json(again) == written);
}

void every_type(const json& document) {
    round_trip<sb::Envelope>(document);
    round_trip<sb::CallInfo>(document);
    round_trip<sb::CustomerMessage>(document);
    round_trip<sb::AgentMessage>(document);
    round_trip<sb::ListRooms>(document);
    round_trip<sb::RoomSummary>(document);
    round_trip<sb::RoomsPage>(document);
    round_trip<sb::CreateRoom>(document);
    round_trip<sb::RoomCreated>(document);
    round_trip<sb::PostMessage>(document);
    round_trip<sb::MessagePosted>(document);
    round_trip<sb::AddMember>(document);
    round_trip<sb::MemberAdded>(document);
    round_trip<sb::ListRoomMembers>(document);
    round_trip<sb::ListTeamMembers>(document);
    round_trip<sb::Member>(document);
    round_trip<sb::RoomMembers>(document);
    round_trip<sb::TeamMembers>(document);
    round_trip<sb::SendSms>(document);
    round_trip<sb::DeliveryReport>(document);
    round_trip<sb::CallDecision>(document);
    round_trip<sb::CommandFailed>(document);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes = sb::fuzz::as_text(data, size);
    const sb::ParsedEnvelope parsed = sb::parse_envelope(bytes);
    FUZZ_CHECK(parsed.envelope.has_value() == parsed.error.empty());
    if (parsed) {
        const sb::Envelope& envelope = *parsed.envelope;
        const auto& known = sb::known_event_types();
        FUZZ_CHECK(std::find(known.begin(), known.end(), envelope.type) != known.end());
        FUZZ_CHECK(envelope.payload.is_object());
        const sb::ParsedEnvelope again = sb::parse_envelope(json(envelope).dump());
        if (!again) std::fprintf(stderr, "fuzz: re-read refused: %s\n", again.error.c_str());
        FUZZ_CHECK(again.envelope.has_value());
        FUZZ_CHECK(again.envelope->type == envelope.type && again.envelope->id == envelope.id &&
                   again.envelope->payload == envelope.payload);
    }

    const json document = json::parse(bytes.begin(), bytes.end(), nullptr, false);
    if (document.is_discarded()) return 0;
    FUZZ_CHECK(sb::validate_envelope(document).envelope.has_value() == parsed.envelope.has_value());
    every_type(document);
    if (document.is_object()) {
        const auto payload = document.find("payload");
        if (payload != document.end()) every_type(*payload);
    }
    return 0;
}
