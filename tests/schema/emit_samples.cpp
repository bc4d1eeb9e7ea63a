// Writes one JSON line per sample event, as the C++ types serialize them, for validate.py.
// `--types` lists the known event types instead.
#include <iostream>
#include <string>

#include "switchboard/events.h"
#include "switchboard/topics.h"

namespace {

using namespace sb;

template <class Payload>
void emit(EventName<Payload> type, const Payload& payload, std::string key = "+12088675309",
          std::string correlation = {}) {
    std::cout << json(stamp(make_event(type, "emit_samples", std::move(key), payload,
                                       std::move(correlation))))
                     .dump()
              << '\n';
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::string(argv[1]) == "--types") {
        for (const auto type : known_event_types()) std::cout << type << '\n';
        return 0;
    }
    const std::string now = "2026-11-24T08:45:44.123Z";

    CustomerMessage sms{"+12088675309", "sms", "Is my order ready?", "", {}, "", "", now, {}};
    emit(event_type::customer_message, sms);
    CustomerMessage web{"+447911123456",   "web", "Call me", "", {"https://x/y.png"},
                        "ana@example.com", "Ana", now,       {}};
    emit(event_type::customer_message, web, "+447911123456");
    CustomerMessage voice{"+12088675309",
                          "voice",
                          "",
                          "",
                          {},
                          "",
                          "",
                          now,
                          CallInfo{"c0ffee", topics::replies_for("tropo-gateway")}};
    emit(event_type::customer_message, voice);
    CustomerMessage api{"+12088675309", "api", "", "**hi**", {}, "", "", now, {}};
    emit(event_type::customer_message, api);
    CustomerMessage stop = sms;
    stop.text = "STOP";
    stop.carrier_answers_keywords = true;  // Twilio's default opt-out handling
    emit(event_type::customer_message, stop);

    AgentMessage minimal;
    minimal.message_id = "m1";
    minimal.room_id = "r1";
    minimal.room_title = "2088675309";
    minimal.author_id = "p1";
    minimal.created = now;
    emit(event_type::agent_message, minimal, "r1");
    AgentMessage full = minimal;
    full.room_type = "group";
    full.room_team_id = "Y2lzY29zcGFyazovL3VzL1RFQU0vc2FuZGJveC10ZWFt";
    full.room_title = "Tommy Tutone 2088675309";
    full.author_email = "ana@example.com";
    full.author_name = "Ana";
    full.text = "On its way";
    full.markdown = "**On its way**";
    full.files = {"https://x/y.png"};
    full.mentioned_people = {"p2"};
    full.mentioned_groups = {"all"};
    full.from_bridge = true;
    full.attachments = {{"https://sb.example.com/api/files/k3J9", "image/png", "y.png"}};
    full.file_refusals = {"report.pdf was not sent: Webex found malware in it."};
    emit(event_type::agent_message, full, "r1");

    emit(event_type::list_rooms, ListRooms{"sync-1"}, "directory");
    emit(event_type::rooms_page, RoomsPage{"sync-1", 0, false, {{"r1", "2088675309", now, now}}},
         "directory", "cmd-1");
    emit(event_type::rooms_page, RoomsPage{"sync-1", 1, true, {}}, "directory", "cmd-1");
    emit(event_type::create_room, CreateRoom{"+12088675309", "2088675309"});
    emit(event_type::room_created, RoomCreated{"+12088675309", "r1", "2088675309"}, "+12088675309",
         "cmd-2");
    emit(event_type::post_message, PostMessage{"r1", "SMS from +1 208-867-5309", ""});
    emit(event_type::post_message, PostMessage{"r1", "", "**Call** noted"});
    emit(event_type::message_posted, MessagePosted{"r1", "m2"}, "+12088675309", "cmd-3");
    emit(event_type::add_member, AddMember{"r1", "p1", ""});
    emit(event_type::add_member, AddMember{"r1", "", "ana@example.com"});
    emit(event_type::member_added, MemberAdded{"r1", "p1", "ana@example.com"});
    emit(event_type::list_room_members, ListRoomMembers{"r1"});
    emit(event_type::room_members,
         RoomMembers{"r1",
                     {{"p1", "ana@example.com", "Ana", "active", now}, {"p2", "", "", "", ""}}});
    emit(event_type::list_team_members, ListTeamMembers{}, "team");
    emit(event_type::team_members, TeamMembers{{{"p1", "ana@example.com", "Ana", "inactive", now}}},
         "team");
    emit(event_type::send_sms, SendSms{"+12088675309", "Thanks, we'll text you", "r1"});
    emit(event_type::send_sms, SendSms{"+447911123456", "Hi", ""}, "+447911123456");
    emit(event_type::send_sms,
         SendSms{"+12088675309",
                 "",
                 "r1",
                 "m1",
                 {{"https://sb.example.com/api/files/k3J9", "image/png", "y.png"}}});
    emit(event_type::delivery_report, DeliveryReport{"+12088675309", "sent", 1, "", "r1"});
    emit(event_type::delivery_report,
         DeliveryReport{"+12088675309", "failed", 0, "Tropo answered 503", "r1"});
    emit(event_type::call_decision, CallDecision{"c0ffee", "+18005551234"}, "c0ffee");
    emit(event_type::command_failed, CommandFailed{"PostMessage", "room not found", 404});
    emit(event_type::command_failed, CommandFailed{"CreateRoom", "network unreachable", 0});
    emit(event_type::rename_room, RenameRoom{"r1", "[opted out] 2088675309"});
    emit(event_type::room_renamed, RoomRenamed{"r1", "[opted out] 2088675309"}, "+12088675309",
         "cmd-4");
    emit(event_type::agent_message_deleted, AgentMessageDeleted{"m1", "r1"}, "r1");
    return 0;
}
