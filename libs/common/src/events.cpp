#include "switchboard/events.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <stdexcept>

#include "switchboard/ids.h"
#include "switchboard/time_format.h"

namespace sb {
namespace {

// A field that breaks the contract; the message names the field so the log says what to fix.
struct ContractError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

constexpr size_t kMaxTextBytes = 64 * 1024;

const json& field(const json& in, const char* name) {
    if (!in.is_object()) throw ContractError("expected an object");
    const auto found = in.find(name);
    if (found == in.end() || found->is_null()) throw ContractError(std::string("missing ") + name);
    return *found;
}

std::string required_string(const json& in, const char* name) {
    const json& value = field(in, name);
    if (!value.is_string()) throw ContractError(std::string(name) + " must be a string");
    std::string text = value.get<std::string>();
    if (text.size() > kMaxTextBytes) throw ContractError(std::string(name) + " is too long");
    return text;
}

std::string optional_string(const json& in, const char* name) {
    if (!in.is_object()) throw ContractError("expected an object");
    const auto found = in.find(name);
    if (found == in.end() || found->is_null()) return {};
    if (!found->is_string()) throw ContractError(std::string(name) + " must be a string");
    std::string text = found->get<std::string>();
    if (text.size() > kMaxTextBytes) throw ContractError(std::string(name) + " is too long");
    return text;
}

std::vector<std::string> optional_strings(const json& in, const char* name) {
    const auto found = in.find(name);
    if (found == in.end() || found->is_null()) return {};
    if (!found->is_array()) throw ContractError(std::string(name) + " must be an array");
    std::vector<std::string> values;
    for (const json& item : *found) {
        if (!item.is_string()) throw ContractError(std::string(name) + " must hold strings");
        values.push_back(item.get<std::string>());
    }
    return values;
}

// get<int>() would wrap a number beyond int's range into some other value without a word:
// a number must fit before it is taken.
int optional_int(const json& in, const char* name,
                 std::int64_t minimum = std::numeric_limits<int>::min()) {
    const auto found = in.find(name);
    if (found == in.end() || found->is_null()) return 0;
    if (!found->is_number_integer()) throw ContractError(std::string(name) + " must be an integer");
    constexpr auto kIntMax = static_cast<std::uint64_t>(std::numeric_limits<int>::max());
    if (found->is_number_unsigned() && found->get<std::uint64_t>() > kIntMax) {
        throw ContractError(std::string(name) + " is out of range");
    }
    const auto value = found->get<std::int64_t>();  // exact: unsigned ones fit by now
    if (value > std::numeric_limits<int>::max()) {
        throw ContractError(std::string(name) + " is out of range");
    }
    if (value < minimum) {
        throw ContractError(std::string(name) + " must be at least " + std::to_string(minimum));
    }
    return static_cast<int>(value);
}

bool optional_bool(const json& in, const char* name) {
    const auto found = in.find(name);
    if (found == in.end() || found->is_null()) return false;
    if (!found->is_boolean()) throw ContractError(std::string(name) + " must be a boolean");
    return found->get<bool>();
}

template <class Item>
std::vector<Item> optional_items(const json& in, const char* name) {
    const auto found = in.find(name);
    if (found == in.end() || found->is_null()) return {};
    if (!found->is_array()) throw ContractError(std::string(name) + " must be an array");
    return found->get<std::vector<Item>>();
}

void put_if(json& out, const char* name, const std::string& value) {
    if (!value.empty()) out[name] = value;
}
void put_if(json& out, const char* name, const std::vector<std::string>& values) {
    if (!values.empty()) out[name] = values;
}

void require_e164(const std::string& number, const char* name) {
    if (!is_e164(number)) throw ContractError(std::string(name) + " must be an E.164 number");
}

void require_one_of(const std::string& value, std::initializer_list<const char*> allowed,
                    const char* name) {
    for (const char* candidate : allowed) {
        if (value == candidate) return;
    }
    throw ContractError(std::string(name) + " has an unknown value");
}

void require_not_empty(const std::string& value, const char* name) {
    if (value.empty()) throw ContractError(std::string(name) + " must not be empty");
}

// One checker per known type: decode the payload into its struct, then the rules JSON types
// cannot say.
using Checker = std::function<void(const json&)>;

template <class Payload>
Checker decodes() {
    return [](const json& payload) { (void)payload.get<Payload>(); };
}

const std::map<std::string, Checker, std::less<>>& checkers() {
    static const std::map<std::string, Checker, std::less<>> table = {
        {std::string(event_type::customer_message),
         [](const json& payload) {
             const auto message = payload.get<CustomerMessage>();
             if (message.channel != "voice" && message.text.empty() && message.markdown.empty() &&
                 message.files.empty()) {
                 throw ContractError("a message needs text, markdown or files");
             }
             if (message.channel == "voice" && !message.call) {
                 throw ContractError("a voice message needs call");
             }
         }},
        {std::string(event_type::agent_message), decodes<AgentMessage>()},
        {std::string(event_type::list_rooms), decodes<ListRooms>()},
        {std::string(event_type::rooms_page), decodes<RoomsPage>()},
        {std::string(event_type::create_room), decodes<CreateRoom>()},
        {std::string(event_type::room_created), decodes<RoomCreated>()},
        {std::string(event_type::post_message),
         [](const json& payload) {
             const auto post = payload.get<PostMessage>();
             if (post.text.empty() && post.markdown.empty()) {
                 throw ContractError("a post needs text or markdown");
             }
         }},
        {std::string(event_type::message_posted), decodes<MessagePosted>()},
        {std::string(event_type::add_member),
         [](const json& payload) {
             const auto add = payload.get<AddMember>();
             if (add.person_id.empty() && add.person_email.empty()) {
                 throw ContractError("add a member by person_id or person_email");
             }
         }},
        {std::string(event_type::member_added), decodes<MemberAdded>()},
        {std::string(event_type::list_room_members), decodes<ListRoomMembers>()},
        {std::string(event_type::room_members), decodes<RoomMembers>()},
        {std::string(event_type::list_team_members), decodes<ListTeamMembers>()},
        {std::string(event_type::team_members), decodes<TeamMembers>()},
        {std::string(event_type::send_sms), decodes<SendSms>()},
        {std::string(event_type::delivery_report), decodes<DeliveryReport>()},
        {std::string(event_type::call_decision), decodes<CallDecision>()},
        {std::string(event_type::command_failed), decodes<CommandFailed>()},
    };
    return table;
}

}  // namespace

bool is_e164(std::string_view number) {
    if (number.size() < 3 || number.size() > 16 || number[0] != '+' || number[1] == '0') {
        return false;
    }
    return std::all_of(number.begin() + 1, number.end(),
                       [](char c) { return c >= '0' && c <= '9'; });
}

const std::vector<std::string_view>& known_event_types() {
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> list;
        for (const auto& entry : checkers()) list.emplace_back(entry.first);
        return list;
    }();
    return names;
}

Envelope stamp(Envelope envelope) {
    if (envelope.id.empty()) envelope.id = new_id();
    if (envelope.time.empty()) envelope.time = iso8601_now();
    return envelope;
}

ParsedEnvelope validate_envelope(const json& document) {
    ParsedEnvelope result;
    try {
        Envelope envelope = document.get<Envelope>();
        const auto checker = checkers().find(envelope.type);
        if (checker == checkers().end()) {
            result.error = "unknown event type '" + envelope.type.substr(0, 64) + "'";
            return result;
        }
        checker->second(envelope.payload);
        result.envelope = std::move(envelope);
    } catch (const std::exception& error) {
        result.error = error.what();
    }
    return result;
}

ParsedEnvelope parse_envelope(std::string_view bytes) {
    if (bytes.size() > kMaxEventBytes) {
        return {std::nullopt, "event of " + std::to_string(bytes.size()) + " bytes exceeds " +
                                  std::to_string(kMaxEventBytes)};
    }
    json document = json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) return {std::nullopt, "event is not valid JSON"};
    return validate_envelope(document);
}

// ---- Envelope ------------------------------------------------------------------------------

void to_json(json& out, const Envelope& value) {
    out = json{{"id", value.id},
               {"type", value.type},
               {"time", value.time},
               {"source", value.source},
               {"schema_version", value.schema_version},
               {"key", value.key},
               {"payload", value.payload}};
    put_if(out, "correlation_id", value.correlation_id);
}

void from_json(const json& in, Envelope& value) {
    value.id = required_string(in, "id");
    value.type = required_string(in, "type");
    value.time = required_string(in, "time");
    value.source = required_string(in, "source");
    value.key = optional_string(in, "key");
    value.correlation_id = optional_string(in, "correlation_id");
    const json& version = field(in, "schema_version");
    if (!version.is_number_integer()) throw ContractError("schema_version must be an integer");
    // Compared as JSON numbers: get<int>() would read 4294967297 as 1.
    if (version != json(kSchemaVersion)) {
        throw ContractError("unsupported schema_version " + version.dump());
    }
    value.schema_version = kSchemaVersion;
    require_not_empty(value.id, "id");
    if (value.id.size() > 128) throw ContractError("id is too long");
    if (!parse_iso8601(value.time)) throw ContractError("time must be an ISO 8601 timestamp");
    value.payload = field(in, "payload");
    if (!value.payload.is_object()) throw ContractError("payload must be an object");
}

// ---- Payloads ------------------------------------------------------------------------------

void to_json(json& out, const CallInfo& value) {
    out = json{{"call_id", value.call_id}, {"reply_to", value.reply_to}};
}
void from_json(const json& in, CallInfo& value) {
    value.call_id = required_string(in, "call_id");
    value.reply_to = optional_string(in, "reply_to");
}

void to_json(json& out, const CustomerMessage& value) {
    out = json{{"customer", value.customer},
               {"channel", value.channel},
               {"received_at", value.received_at}};
    put_if(out, "text", value.text);
    put_if(out, "markdown", value.markdown);
    put_if(out, "files", value.files);
    put_if(out, "email", value.email);
    put_if(out, "name", value.name);
    if (value.call) out["call"] = *value.call;
}
void from_json(const json& in, CustomerMessage& value) {
    value.customer = required_string(in, "customer");
    require_e164(value.customer, "customer");
    value.channel = required_string(in, "channel");
    require_one_of(value.channel, {"sms", "web", "api", "voice"}, "channel");
    value.received_at = required_string(in, "received_at");
    value.text = optional_string(in, "text");
    value.markdown = optional_string(in, "markdown");
    value.files = optional_strings(in, "files");
    value.email = optional_string(in, "email");
    value.name = optional_string(in, "name");
    value.call.reset();
    if (in.contains("call") && !in.at("call").is_null()) value.call = in.at("call").get<CallInfo>();
}

void to_json(json& out, const AgentMessage& value) {
    out = json{{"message_id", value.message_id},
               {"room_id", value.room_id},
               {"room_title", value.room_title},
               {"author_id", value.author_id},
               {"created", value.created}};
    put_if(out, "room_type", value.room_type);
    put_if(out, "room_team_id", value.room_team_id);
    put_if(out, "author_email", value.author_email);
    put_if(out, "author_name", value.author_name);
    put_if(out, "text", value.text);
    put_if(out, "markdown", value.markdown);
    put_if(out, "files", value.files);
    put_if(out, "mentioned_people", value.mentioned_people);
    put_if(out, "mentioned_groups", value.mentioned_groups);
    if (value.from_bridge) out["from_bridge"] = true;
}
void from_json(const json& in, AgentMessage& value) {
    value.message_id = required_string(in, "message_id");
    value.room_id = required_string(in, "room_id");
    value.room_title = required_string(in, "room_title");
    value.author_id = required_string(in, "author_id");
    value.created = required_string(in, "created");
    value.room_type = optional_string(in, "room_type");
    value.room_team_id = optional_string(in, "room_team_id");
    value.author_email = optional_string(in, "author_email");
    value.author_name = optional_string(in, "author_name");
    value.text = optional_string(in, "text");
    value.markdown = optional_string(in, "markdown");
    value.files = optional_strings(in, "files");
    value.mentioned_people = optional_strings(in, "mentioned_people");
    value.mentioned_groups = optional_strings(in, "mentioned_groups");
    value.from_bridge = optional_bool(in, "from_bridge");
}

void to_json(json& out, const ListRooms& value) {
    out = json{{"sync_id", value.sync_id}};
}
void from_json(const json& in, ListRooms& value) {
    value.sync_id = required_string(in, "sync_id");
}

void to_json(json& out, const RoomSummary& value) {
    out = json{{"id", value.id}, {"title", value.title}};
    put_if(out, "last_activity", value.last_activity);
    put_if(out, "created", value.created);
}
void from_json(const json& in, RoomSummary& value) {
    value.id = required_string(in, "id");
    value.title = required_string(in, "title");
    value.last_activity = optional_string(in, "last_activity");
    value.created = optional_string(in, "created");
}

void to_json(json& out, const RoomsPage& value) {
    out = json{{"sync_id", value.sync_id},
               {"page", value.page},
               {"last", value.last},
               {"rooms", value.rooms}};
}
void from_json(const json& in, RoomsPage& value) {
    value.sync_id = required_string(in, "sync_id");
    value.page = optional_int(in, "page", 0);
    const json& last = field(in, "last");
    if (!last.is_boolean()) throw ContractError("last must be a boolean");
    value.last = last.get<bool>();
    value.rooms = optional_items<RoomSummary>(in, "rooms");
}

void to_json(json& out, const CreateRoom& value) {
    out = json{{"customer", value.customer}, {"title", value.title}};
}
void from_json(const json& in, CreateRoom& value) {
    value.customer = required_string(in, "customer");
    require_e164(value.customer, "customer");
    value.title = required_string(in, "title");
    require_not_empty(value.title, "title");
}

void to_json(json& out, const RoomCreated& value) {
    out = json{{"customer", value.customer}, {"room_id", value.room_id}, {"title", value.title}};
}
void from_json(const json& in, RoomCreated& value) {
    value.customer = required_string(in, "customer");
    value.room_id = required_string(in, "room_id");
    value.title = required_string(in, "title");
}

void to_json(json& out, const PostMessage& value) {
    out = json{{"room_id", value.room_id}};
    put_if(out, "text", value.text);
    put_if(out, "markdown", value.markdown);
}
void from_json(const json& in, PostMessage& value) {
    value.room_id = required_string(in, "room_id");
    value.text = optional_string(in, "text");
    value.markdown = optional_string(in, "markdown");
}

void to_json(json& out, const MessagePosted& value) {
    out = json{{"room_id", value.room_id}, {"message_id", value.message_id}};
}
void from_json(const json& in, MessagePosted& value) {
    value.room_id = required_string(in, "room_id");
    value.message_id = required_string(in, "message_id");
}

void to_json(json& out, const AddMember& value) {
    out = json{{"room_id", value.room_id}};
    put_if(out, "person_id", value.person_id);
    put_if(out, "person_email", value.person_email);
}
void from_json(const json& in, AddMember& value) {
    value.room_id = required_string(in, "room_id");
    value.person_id = optional_string(in, "person_id");
    value.person_email = optional_string(in, "person_email");
}

void to_json(json& out, const MemberAdded& value) {
    out = json{{"room_id", value.room_id}};
    put_if(out, "person_id", value.person_id);
    put_if(out, "person_email", value.person_email);
}
void from_json(const json& in, MemberAdded& value) {
    value.room_id = required_string(in, "room_id");
    value.person_id = optional_string(in, "person_id");
    value.person_email = optional_string(in, "person_email");
}

void to_json(json& out, const ListRoomMembers& value) {
    out = json{{"room_id", value.room_id}};
}
void from_json(const json& in, ListRoomMembers& value) {
    value.room_id = required_string(in, "room_id");
}

void to_json(json& out, const ListTeamMembers&) {
    out = json::object();
}
void from_json(const json& in, ListTeamMembers&) {
    if (!in.is_object()) throw ContractError("expected an object");
}

void to_json(json& out, const Member& value) {
    out = json{{"person_id", value.person_id}};
    put_if(out, "email", value.email);
    put_if(out, "display_name", value.display_name);
    put_if(out, "status", value.status);
    put_if(out, "last_activity", value.last_activity);
}
void from_json(const json& in, Member& value) {
    value.person_id = required_string(in, "person_id");
    value.email = optional_string(in, "email");
    value.display_name = optional_string(in, "display_name");
    value.status = optional_string(in, "status");
    value.last_activity = optional_string(in, "last_activity");
}

void to_json(json& out, const RoomMembers& value) {
    out = json{{"room_id", value.room_id}, {"members", value.members}};
}
void from_json(const json& in, RoomMembers& value) {
    value.room_id = required_string(in, "room_id");
    value.members = optional_items<Member>(in, "members");
}

void to_json(json& out, const TeamMembers& value) {
    out = json{{"members", value.members}};
}
void from_json(const json& in, TeamMembers& value) {
    value.members = optional_items<Member>(in, "members");
}

void to_json(json& out, const SendSms& value) {
    out = json{{"to", value.to}, {"text", value.text}};
    put_if(out, "room_id", value.room_id);
}
void from_json(const json& in, SendSms& value) {
    value.to = required_string(in, "to");
    require_e164(value.to, "to");
    value.text = required_string(in, "text");
    require_not_empty(value.text, "text");
    value.room_id = optional_string(in, "room_id");
}

void to_json(json& out, const DeliveryReport& value) {
    out = json{{"to", value.to}, {"status", value.status}, {"segments", value.segments}};
    put_if(out, "reason", value.reason);
    put_if(out, "room_id", value.room_id);
}
void from_json(const json& in, DeliveryReport& value) {
    value.to = required_string(in, "to");
    value.status = required_string(in, "status");
    require_one_of(value.status, {"sent", "failed"}, "status");
    value.segments = optional_int(in, "segments", 0);
    value.reason = optional_string(in, "reason");
    value.room_id = optional_string(in, "room_id");
}

void to_json(json& out, const CallDecision& value) {
    out = json{{"call_id", value.call_id}, {"forward_to", value.forward_to}};
}
void from_json(const json& in, CallDecision& value) {
    value.call_id = required_string(in, "call_id");
    value.forward_to = required_string(in, "forward_to");
    require_e164(value.forward_to, "forward_to");
}

void to_json(json& out, const CommandFailed& value) {
    out = json{{"command_type", value.command_type}, {"reason", value.reason}};
    if (value.status != 0) out["status"] = value.status;
}
void from_json(const json& in, CommandFailed& value) {
    value.command_type = required_string(in, "command_type");
    value.reason = required_string(in, "reason");
    value.status = optional_int(in, "status");
}

}  // namespace sb
