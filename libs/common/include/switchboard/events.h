#pragma once
// The event contracts of proto/*.schema.json as plain structs. A change here is a change there:
// tests/schema checks that what these types write conforms to the schemas.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb {

using json = nlohmann::json;

inline constexpr int kSchemaVersion = 1;
// Largest event accepted from the bus or written to it. A page of 1,000 rooms fits easily.
inline constexpr size_t kMaxEventBytes = 1024 * 1024;

// ---- Events that facts travel in ---------------------------------------------------------

struct CallInfo {
    std::string call_id;   // the provider's session/call id
    std::string reply_to;  // topic where the waiting gateway expects a CallDecision
};

// Something a customer sent: an SMS, the web form, the JSON API, or a voice call.
struct CustomerMessage {
    std::string customer;  // E.164, "+12088675309"
    std::string channel;   // "sms" | "web" | "api" | "voice"
    std::string text;
    std::string markdown;
    std::vector<std::string> files;  // URLs
    std::string email;               // web form only
    std::string name;                // web form, optional
    std::string received_at;         // ISO 8601 UTC
    std::optional<CallInfo> call;    // voice only
};

// Something posted in a Spark room (by an agent, or by the bridge itself).
struct AgentMessage {
    std::string message_id;
    std::string room_id;
    std::string room_title;
    std::string room_type;     // "group" | "direct"
    std::string room_team_id;  // the room's Webex teamId; empty for a space in no team
    std::string author_id;
    std::string author_email;
    std::string author_name;
    std::string text;
    std::string markdown;
    std::vector<std::string> files;
    std::vector<std::string> mentioned_people;
    std::vector<std::string> mentioned_groups;
    std::string created;
    bool from_bridge = false;  // posted by the customer-proxy account (the bridge) itself
};

// ---- Commands from the router to spark-gateway, and their results ------------------------

struct ListRooms {  // every page of the team's rooms
    std::string sync_id;
};
struct RoomSummary {
    std::string id;
    std::string title;
    std::string last_activity;
    std::string created;  // the team's general room is its oldest room
};
struct RoomsPage {  // one result per page, in order; `last` closes the sync
    std::string sync_id;
    int page = 0;
    bool last = false;
    std::vector<RoomSummary> rooms;
};
struct CreateRoom {
    std::string customer;  // E.164 the room is for
    std::string title;
};
struct RoomCreated {
    std::string customer;
    std::string room_id;
    std::string title;
};
struct PostMessage {
    std::string room_id;
    std::string text;
    std::string markdown;
};
struct MessagePosted {
    std::string room_id;
    std::string message_id;
};
struct AddMember {
    std::string room_id;
    std::string person_id;
    std::string person_email;
};
struct MemberAdded {
    std::string room_id;
    std::string person_id;
    std::string person_email;
};
struct ListRoomMembers {
    std::string room_id;
};
struct ListTeamMembers {};
struct Member {
    std::string person_id;
    std::string email;
    std::string display_name;
    std::string status;         // Webex presence; empty when unknown
    std::string last_activity;  // ISO 8601; empty when unknown
};
struct RoomMembers {
    std::string room_id;
    std::vector<Member> members;
};
struct TeamMembers {
    std::vector<Member> members;
};

// ---- Commands from the router to tropo-gateway, and their results ------------------------

struct SendSms {
    std::string to;  // E.164
    std::string text;
    std::string room_id;  // where to report a failure; may be empty
};
struct DeliveryReport {
    std::string to;
    std::string status;  // "sent" | "failed"
    int segments = 0;
    std::string reason;
    std::string room_id;
};

// ---- Immediate replies --------------------------------------------------------------------

struct CallDecision {
    std::string call_id;
    std::string forward_to;  // E.164
};

// Any command may end this way instead of with its typed result.
struct CommandFailed {
    std::string command_type;
    std::string reason;
    int status = 0;  // provider HTTP status, 0 when none
};

// ---- The envelope ---------------------------------------------------------------------------

struct Envelope {
    std::string id;
    std::string type;
    std::string time;
    std::string source;
    int schema_version = kSchemaVersion;
    std::string key;             // ordering key: customer number or room id
    std::string correlation_id;  // the command a result answers; empty otherwise
    json payload = json::object();

    template <class Payload>
    Payload payload_as() const {
        return payload.get<Payload>();
    }
};

// Builds an envelope with a fresh id and the current time.
template <class Payload>
Envelope make_event(std::string_view type, std::string_view source, std::string key,
                    const Payload& payload, std::string correlation_id = {}) {
    Envelope envelope;
    envelope.type = std::string(type);
    envelope.source = std::string(source);
    envelope.key = std::move(key);
    envelope.correlation_id = std::move(correlation_id);
    envelope.payload = payload;
    return envelope;
}
Envelope stamp(Envelope envelope);  // fills id and time when missing

// Type names as they appear on the wire, defined once.
namespace event_type {
inline constexpr std::string_view customer_message = "CustomerMessage";
inline constexpr std::string_view agent_message = "AgentMessage";
inline constexpr std::string_view list_rooms = "ListRooms";
inline constexpr std::string_view rooms_page = "RoomsPage";
inline constexpr std::string_view create_room = "CreateRoom";
inline constexpr std::string_view room_created = "RoomCreated";
inline constexpr std::string_view post_message = "PostMessage";
inline constexpr std::string_view message_posted = "MessagePosted";
inline constexpr std::string_view add_member = "AddMember";
inline constexpr std::string_view member_added = "MemberAdded";
inline constexpr std::string_view list_room_members = "ListRoomMembers";
inline constexpr std::string_view room_members = "RoomMembers";
inline constexpr std::string_view list_team_members = "ListTeamMembers";
inline constexpr std::string_view team_members = "TeamMembers";
inline constexpr std::string_view send_sms = "SendSms";
inline constexpr std::string_view delivery_report = "DeliveryReport";
inline constexpr std::string_view call_decision = "CallDecision";
inline constexpr std::string_view command_failed = "CommandFailed";
}  // namespace event_type

// All known type names, for validation and for the schema test.
const std::vector<std::string_view>& known_event_types();

// Result of checking untrusted bytes: either an envelope whose payload matches its type, or a
// reason a person can act on.
struct ParsedEnvelope {
    std::optional<Envelope> envelope;
    std::string error;
    explicit operator bool() const { return envelope.has_value(); }
};
ParsedEnvelope parse_envelope(std::string_view bytes);
ParsedEnvelope validate_envelope(const json& document);

// E.164: '+', a country code that does not start with 0, at most 15 digits.
bool is_e164(std::string_view number);

void to_json(json& out, const Envelope& value);
void from_json(const json& in, Envelope& value);

#define SB_DECLARE_JSON(Type)                   \
    void to_json(json& out, const Type& value); \
    void from_json(const json& in, Type& value);
SB_DECLARE_JSON(CallInfo)
SB_DECLARE_JSON(CustomerMessage)
SB_DECLARE_JSON(AgentMessage)
SB_DECLARE_JSON(ListRooms)
SB_DECLARE_JSON(RoomSummary)
SB_DECLARE_JSON(RoomsPage)
SB_DECLARE_JSON(CreateRoom)
SB_DECLARE_JSON(RoomCreated)
SB_DECLARE_JSON(PostMessage)
SB_DECLARE_JSON(MessagePosted)
SB_DECLARE_JSON(AddMember)
SB_DECLARE_JSON(MemberAdded)
SB_DECLARE_JSON(ListRoomMembers)
SB_DECLARE_JSON(ListTeamMembers)
SB_DECLARE_JSON(Member)
SB_DECLARE_JSON(RoomMembers)
SB_DECLARE_JSON(TeamMembers)
SB_DECLARE_JSON(SendSms)
SB_DECLARE_JSON(DeliveryReport)
SB_DECLARE_JSON(CallDecision)
SB_DECLARE_JSON(CommandFailed)
#undef SB_DECLARE_JSON

}  // namespace sb
