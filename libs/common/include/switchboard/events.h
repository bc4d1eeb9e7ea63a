#pragma once
// The event contracts of proto/*.schema.json as plain structs. A change here is a change there:
// tests/schema checks that what these types write conforms to the schemas. Beside each struct,
// its Fields<> says once how it travels (event_fields.h); event_type ties each wire name to its
// payload struct, so a name sent with the wrong payload does not compile.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "switchboard/event_codec.h"
#include "switchboard/event_fields.h"

namespace sb {

using json = nlohmann::json;

inline constexpr int kSchemaVersion = 1;
// Largest event accepted from the bus or written to it. A page of 1,000 rooms fits easily.
inline constexpr size_t kMaxEventBytes = 1024 * 1024;

// ---- Events that facts travel in ---------------------------------------------------------

// "incoming": the call is ringing and a gateway waits for a CallDecision on `reply_to`;
// "answered" / "missed": how the forwarded call ended (`detail`: the carrier's word for it,
// such as "no-answer", "busy" or "failed"), told once the carrier reports it.
inline constexpr std::string_view kCallOutcomes[] = {"incoming", "answered", "missed"};
struct CallInfo {
    std::string call_id;   // the provider's session/call id
    std::string reply_to;  // topic where the waiting gateway expects a CallDecision
    std::string outcome = "incoming";
    std::string detail;
};
template <>
struct Fields<CallInfo> : FieldRules {
    static constexpr auto list =
        std::make_tuple(required(&CallInfo::call_id, "call_id"),
                        optional(&CallInfo::reply_to, "reply_to").written_always(),
                        optional(&CallInfo::outcome, "outcome", one_of<kCallOutcomes>),
                        optional(&CallInfo::detail, "detail"));
};

// A file a gateway holds for the room (a customer's MMS picture), at a URL Webex can fetch:
// it is posted in the room as a Webex file, not as a link.
struct Attachment {
    std::string url;
    std::string content_type;
    std::string name;
};
template <>
struct Fields<Attachment> : FieldRules {
    static constexpr auto list = std::make_tuple(
        required(&Attachment::url, "url", not_empty),
        optional(&Attachment::content_type, "content_type"), optional(&Attachment::name, "name"));
};

// Something a customer sent: an SMS, the web form, the JSON API, or a voice call.
inline constexpr std::string_view kChannels[] = {"sms", "web", "api", "voice"};
struct CustomerMessage {
    std::string customer;  // E.164, "+12088675309"
    std::string channel;   // "sms" | "web" | "api" | "voice"
    std::string text;
    std::string markdown;
    std::vector<std::string> files;       // URLs, shown as links
    std::string email;                    // web form only
    std::string name;                     // web form, optional
    std::string received_at;              // ISO 8601 UTC
    std::optional<CallInfo> call;         // voice only
    std::vector<Attachment> attachments;  // posted as Webex files
    // The carrier answers STOP/START/HELP itself (Twilio's default opt-out handling): the
    // router then sends no confirmation of its own.
    bool carrier_answers_keywords = false;
};
template <>
struct Fields<CustomerMessage> : FieldRules {
    static constexpr auto list = std::make_tuple(
        required(&CustomerMessage::customer, "customer", e164),
        required(&CustomerMessage::channel, "channel", one_of<kChannels>),
        required(&CustomerMessage::received_at, "received_at"),
        optional(&CustomerMessage::text, "text"), optional(&CustomerMessage::markdown, "markdown"),
        optional(&CustomerMessage::files, "files"),
        optional(&CustomerMessage::attachments, "attachments"),
        optional(&CustomerMessage::email, "email"), optional(&CustomerMessage::name, "name"),
        optional(&CustomerMessage::call, "call"),
        optional(&CustomerMessage::carrier_answers_keywords, "carrier_answers_keywords"));
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
    // attachments: the agent's files as spark-gateway serves them to the customer (public,
    // expiring URLs under its PUBLIC_BASE_URL, never a Webex URL); file_refusals: one
    // plain-language line per file not passed on (infected, unscannable, too large), for a note.
    std::vector<Attachment> attachments;
    std::vector<std::string> file_refusals;
};
template <>
struct Fields<AgentMessage> : FieldRules {
    static constexpr auto list = std::make_tuple(
        required(&AgentMessage::message_id, "message_id"),
        required(&AgentMessage::room_id, "room_id"),
        required(&AgentMessage::room_title, "room_title"),
        required(&AgentMessage::author_id, "author_id"),
        required(&AgentMessage::created, "created"),
        optional(&AgentMessage::room_type, "room_type"),
        optional(&AgentMessage::room_team_id, "room_team_id"),
        optional(&AgentMessage::author_email, "author_email"),
        optional(&AgentMessage::author_name, "author_name"), optional(&AgentMessage::text, "text"),
        optional(&AgentMessage::markdown, "markdown"), optional(&AgentMessage::files, "files"),
        optional(&AgentMessage::mentioned_people, "mentioned_people"),
        optional(&AgentMessage::mentioned_groups, "mentioned_groups"),
        optional(&AgentMessage::from_bridge, "from_bridge"),
        optional(&AgentMessage::attachments, "attachments"),
        optional(&AgentMessage::file_refusals, "file_refusals"));
};

// An agent deleted a message in its room (Webex `messages`/`deleted`): if it is a reply still
// in its undo window (SMS_UNDO_SECONDS), the router sends nothing. Topic agent.message, with the
// key AgentMessage has, so it follows the message it deletes in the same stream.
struct AgentMessageDeleted {
    std::string message_id;
    std::string room_id;
};
template <>
struct Fields<AgentMessageDeleted> : FieldRules {
    static constexpr auto list =
        std::make_tuple(required(&AgentMessageDeleted::message_id, "message_id", not_empty),
                        required(&AgentMessageDeleted::room_id, "room_id"));
};

// ---- Commands from the router to spark-gateway, and their results ------------------------

struct ListRooms {  // every page of the team's rooms
    std::string sync_id;
};
template <>
struct Fields<ListRooms> : FieldRules {
    static constexpr auto list = std::make_tuple(required(&ListRooms::sync_id, "sync_id"));
};
struct RoomSummary {
    std::string id;
    std::string title;
    std::string last_activity;
    std::string created;  // the team's general room is its oldest room
};
template <>
struct Fields<RoomSummary> : FieldRules {
    static constexpr auto list =
        std::make_tuple(required(&RoomSummary::id, "id"), required(&RoomSummary::title, "title"),
                        optional(&RoomSummary::last_activity, "last_activity"),
                        optional(&RoomSummary::created, "created"));
};
struct RoomsPage {  // one result per page, in order; `last` closes the sync
    std::string sync_id;
    int page = 0;
    bool last = false;
    std::vector<RoomSummary> rooms;
};
template <>
struct Fields<RoomsPage> : FieldRules {
    static constexpr auto list = std::make_tuple(
        required(&RoomsPage::sync_id, "sync_id"),
        optional(&RoomsPage::page, "page", non_negative).written_always(),
        required(&RoomsPage::last, "last"), optional(&RoomsPage::rooms, "rooms").written_always());
};
struct CreateRoom {
    std::string customer;  // E.164 the room is for
    std::string title;
};
template <>
struct Fields<CreateRoom> : FieldRules {
    static constexpr auto list = std::make_tuple(required(&CreateRoom::customer, "customer", e164),
                                                 required(&CreateRoom::title, "title", not_empty));
};
struct RoomCreated {
    std::string customer;
    std::string room_id;
    std::string title;
};
template <>
struct Fields<RoomCreated> : FieldRules {
    static constexpr auto list = std::make_tuple(required(&RoomCreated::customer, "customer"),
                                                 required(&RoomCreated::room_id, "room_id"),
                                                 required(&RoomCreated::title, "title"));
};
// The router marks a customer's opt-out in their room's title (PUT /rooms/{id}), so the state
// can be rebuilt from Webex when its journal is lost; RoomRenamed is the result.
struct RenameRoom {
    std::string room_id;
    std::string title;
};
template <>
struct Fields<RenameRoom> : FieldRules {
    static constexpr auto list = std::make_tuple(required(&RenameRoom::room_id, "room_id"),
                                                 required(&RenameRoom::title, "title", not_empty));
};
struct RoomRenamed {
    std::string room_id;
    std::string title;
};
template <>
struct Fields<RoomRenamed> : FieldRules {
    static constexpr auto list = std::make_tuple(required(&RoomRenamed::room_id, "room_id"),
                                                 required(&RoomRenamed::title, "title"));
};
struct PostMessage {
    std::string room_id;
    std::string text;
    std::string markdown;
    std::vector<std::string> files;  // public URLs Webex fetches (Webex takes one per message)
    std::string parent_id;           // post in the thread of this message
};
template <>
struct Fields<PostMessage> : FieldRules {
    static constexpr auto list = std::make_tuple(
        required(&PostMessage::room_id, "room_id"), optional(&PostMessage::text, "text"),
        optional(&PostMessage::markdown, "markdown"), optional(&PostMessage::files, "files"),
        optional(&PostMessage::parent_id, "parent_id"));
};
struct MessagePosted {
    std::string room_id;
    std::string message_id;
};
template <>
struct Fields<MessagePosted> : FieldRules {
    static constexpr auto list =
        std::make_tuple(required(&MessagePosted::room_id, "room_id"),
                        required(&MessagePosted::message_id, "message_id"));
};
struct AddMember {
    std::string room_id;
    std::string person_id;
    std::string person_email;
};
template <>
struct Fields<AddMember> : FieldRules {
    static constexpr auto list = std::make_tuple(
        required(&AddMember::room_id, "room_id"), optional(&AddMember::person_id, "person_id"),
        optional(&AddMember::person_email, "person_email"));
};
struct MemberAdded {
    std::string room_id;
    std::string person_id;
    std::string person_email;
};
template <>
struct Fields<MemberAdded> : FieldRules {
    static constexpr auto list = std::make_tuple(
        required(&MemberAdded::room_id, "room_id"), optional(&MemberAdded::person_id, "person_id"),
        optional(&MemberAdded::person_email, "person_email"));
};
struct ListRoomMembers {
    std::string room_id;
};
template <>
struct Fields<ListRoomMembers> : FieldRules {
    static constexpr auto list = std::make_tuple(required(&ListRoomMembers::room_id, "room_id"));
};
struct ListTeamMembers {};
template <>
struct Fields<ListTeamMembers> : FieldRules {
    static constexpr auto list = std::make_tuple();
};
struct Member {
    std::string person_id;
    std::string email;
    std::string display_name;
    std::string status;         // Webex presence; empty when unknown
    std::string last_activity;  // ISO 8601; empty when unknown
};
template <>
struct Fields<Member> : FieldRules {
    static constexpr auto list = std::make_tuple(
        required(&Member::person_id, "person_id"), optional(&Member::email, "email"),
        optional(&Member::display_name, "display_name"), optional(&Member::status, "status"),
        optional(&Member::last_activity, "last_activity"));
};
struct RoomMembers {
    std::string room_id;
    std::vector<Member> members;
};
template <>
struct Fields<RoomMembers> : FieldRules {
    static constexpr auto list =
        std::make_tuple(required(&RoomMembers::room_id, "room_id"),
                        optional(&RoomMembers::members, "members").written_always());
};
struct TeamMembers {
    std::vector<Member> members;
};
template <>
struct Fields<TeamMembers> : FieldRules {
    static constexpr auto list =
        std::make_tuple(optional(&TeamMembers::members, "members").written_always());
};

// ---- Commands from the router to the carrier gateway, and their reports -------------------
// Carrier-neutral: whichever carrier gateway a deployment runs (tropo-gateway, twilio-gateway)
// consumes SendSms on topics::sms_to_send and publishes DeliveryReport on topics::sms_reports.

struct SendSms {
    std::string to;  // E.164
    std::string text;
    std::string room_id;           // where to report a failure; may be empty
    std::string agent_message_id;  // the agent's Webex message this SMS carries; may be empty
    // Files for the customer at public URLs: pictures go as MMS where the carrier can, the rest
    // as links in the text. With attachments the text may be empty (a picture alone).
    std::vector<Attachment> attachments;
};
template <>
struct Fields<SendSms> : FieldRules {
    static constexpr auto list =
        std::make_tuple(required(&SendSms::to, "to", e164), required(&SendSms::text, "text"),
                        optional(&SendSms::room_id, "room_id"),
                        optional(&SendSms::agent_message_id, "agent_message_id"),
                        optional(&SendSms::attachments, "attachments"));
};
// sent: the carrier took it; delivered: the phone has it; undelivered: the carrier took it but
// could not deliver it; failed: the carrier refused it (nothing was sent); opted_out: refused
// because the customer asked to receive no SMS (replied STOP).
inline constexpr std::string_view kDeliveryStatuses[] = {"sent", "delivered", "undelivered",
                                                         "failed", "opted_out"};
struct DeliveryReport {
    std::string to;
    std::string status;
    int segments = 0;
    std::string reason;  // plain language, for the agents: what happened, what to do
    std::string room_id;
    std::string agent_message_id;    // from the SendSms, when it carried one
    std::string carrier;             // "twilio" | "tropo"
    std::string carrier_code;        // the carrier's own error code, for the log ("30003")
    std::string carrier_message_id;  // the carrier's id of the message ("SM…")
};
template <>
struct Fields<DeliveryReport> : FieldRules {
    static constexpr auto list = std::make_tuple(
        required(&DeliveryReport::to, "to"),
        required(&DeliveryReport::status, "status", one_of<kDeliveryStatuses>),
        optional(&DeliveryReport::segments, "segments", non_negative).written_always(),
        optional(&DeliveryReport::reason, "reason"), optional(&DeliveryReport::room_id, "room_id"),
        optional(&DeliveryReport::agent_message_id, "agent_message_id"),
        optional(&DeliveryReport::carrier, "carrier"),
        optional(&DeliveryReport::carrier_code, "carrier_code"),
        optional(&DeliveryReport::carrier_message_id, "carrier_message_id"));
};

// ---- Immediate replies --------------------------------------------------------------------

struct CallDecision {
    std::string call_id;
    std::string forward_to;  // E.164
};
template <>
struct Fields<CallDecision> : FieldRules {
    static constexpr auto list =
        std::make_tuple(required(&CallDecision::call_id, "call_id"),
                        required(&CallDecision::forward_to, "forward_to", e164));
};

// Any command may end this way instead of with its typed result.
struct CommandFailed {
    std::string command_type;
    std::string reason;
    int status = 0;  // provider HTTP status, 0 when none
};
template <>
struct Fields<CommandFailed> : FieldRules {
    static constexpr auto list = std::make_tuple(
        required(&CommandFailed::command_type, "command_type"),
        required(&CommandFailed::reason, "reason"), optional(&CommandFailed::status, "status"));
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

// A wire name that knows its payload struct. It reads as the std::string_view it names, so it
// compares with, and passes for, a plain type string.
template <class Payload>
struct EventName {
    std::string_view value;

    constexpr operator std::string_view() const { return value; }
    friend constexpr bool operator==(EventName name, std::string_view other) {
        return name.value == other;
    }
    friend constexpr bool operator==(std::string_view other, EventName name) {
        return name.value == other;
    }
    friend constexpr bool operator!=(EventName name, std::string_view other) {
        return name.value != other;
    }
    friend constexpr bool operator!=(std::string_view other, EventName name) {
        return name.value != other;
    }
};

// Type names as they appear on the wire, each tied to its payload once.
namespace event_type {
inline constexpr EventName<CustomerMessage> customer_message{"CustomerMessage"};
inline constexpr EventName<AgentMessage> agent_message{"AgentMessage"};
inline constexpr EventName<ListRooms> list_rooms{"ListRooms"};
inline constexpr EventName<RoomsPage> rooms_page{"RoomsPage"};
inline constexpr EventName<CreateRoom> create_room{"CreateRoom"};
inline constexpr EventName<RoomCreated> room_created{"RoomCreated"};
inline constexpr EventName<PostMessage> post_message{"PostMessage"};
inline constexpr EventName<MessagePosted> message_posted{"MessagePosted"};
inline constexpr EventName<AddMember> add_member{"AddMember"};
inline constexpr EventName<MemberAdded> member_added{"MemberAdded"};
inline constexpr EventName<ListRoomMembers> list_room_members{"ListRoomMembers"};
inline constexpr EventName<RoomMembers> room_members{"RoomMembers"};
inline constexpr EventName<ListTeamMembers> list_team_members{"ListTeamMembers"};
inline constexpr EventName<TeamMembers> team_members{"TeamMembers"};
inline constexpr EventName<SendSms> send_sms{"SendSms"};
inline constexpr EventName<DeliveryReport> delivery_report{"DeliveryReport"};
inline constexpr EventName<CallDecision> call_decision{"CallDecision"};
inline constexpr EventName<CommandFailed> command_failed{"CommandFailed"};
inline constexpr EventName<RenameRoom> rename_room{"RenameRoom"};
inline constexpr EventName<RoomRenamed> room_renamed{"RoomRenamed"};
inline constexpr EventName<AgentMessageDeleted> agent_message_deleted{"AgentMessageDeleted"};

// Every known event, for the decoder's table and for code that visits them all.
inline constexpr auto all = std::make_tuple(
    customer_message, agent_message, list_rooms, rooms_page, create_room, room_created,
    post_message, message_posted, add_member, member_added, list_room_members, room_members,
    list_team_members, team_members, send_sms, delivery_report, call_decision, command_failed,
    rename_room, room_renamed, agent_message_deleted);
}  // namespace event_type

// Builds an envelope with a fresh id and the current time, under a name chosen at run time or
// with raw JSON: for relays, and for tests that send what the types would never write. Nothing
// checks this payload against its name until validate_envelope.
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
// The same under a known name: the payload must be the struct the name is for, so
// make_event(event_type::send_sms, …, CreateRoom{}) does not compile. Raw JSON still may.
template <class Payload>
Envelope make_event(EventName<Payload> type, std::string_view source, std::string key,
                    const Payload& payload, std::string correlation_id = {}) {
    return make_event(std::string_view(type), source, std::move(key), payload,
                      std::move(correlation_id));
}
template <class Named>
Envelope make_event(EventName<Named> type, std::string_view source, std::string key,
                    const json& payload, std::string correlation_id = {}) {
    return make_event(std::string_view(type), source, std::move(key), payload,
                      std::move(correlation_id));
}
template <class Named, class Payload>
Envelope make_event(EventName<Named> type, std::string_view source, std::string key,
                    const Payload& payload, std::string correlation_id = {}) = delete;
Envelope stamp(Envelope envelope);  // fills id and time when missing

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

// Payload structs are written and read through their Fields<> (event_codec.h).

}  // namespace sb
