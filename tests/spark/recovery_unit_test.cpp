// spark-gateway's recovery decisions, without sockets: is a command cut off by a crash already
// done in Webex (command_recovery.h), and how often is the webhook checked.
#include <doctest/doctest.h>

#include <string>

#include "command_recovery.h"
#include "gateway_config.h"
#include "switchboard/time_format.h"
#include "webex_translate.h"

using namespace sb::spark_gateway;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const std::string kSelf = "Y2lzY29zcGFyazovL3VzL1BFT1BMRS9wcm94eQ";
const std::string kAlice = "Y2lzY29zcGFyazovL3VzL1BFT1BMRS9hbGljZQ";
const std::string kRoom = "Y2lzY29zcGFyazovL3VzL1JPT00vMQ";
constexpr auto kAllowance = 60s;

sb::Envelope command(const std::string& id, const std::string& time) {
    sb::Envelope envelope;
    envelope.id = id;
    envelope.type = "PostMessage";
    envelope.time = time;
    return envelope;
}

json message(const std::string& id, const std::string& person, const std::string& markdown,
             const std::string& created, const std::string& room = kRoom) {
    return {{"id", id},         {"roomId", room},       {"personId", person},
            {"text", markdown}, {"markdown", markdown}, {"created", created}};
}

}  // namespace

TEST_CASE("post marker: invisible, fixed per event id, different between ids") {
    const std::string a = post_marker("event-a");
    CHECK(a == post_marker("event-a"));  // the same after a restart
    CHECK(a != post_marker("event-b"));
    CHECK(a.size() == 75);
    CHECK(a.find_first_of("abcdefghijklmnopqrstuvwxyz0123456789 \t\n") == std::string::npos);
    CHECK(has_post_marker("hello" + a));
    CHECK_FALSE(has_post_marker("hello"));
    CHECK_FALSE(has_post_marker("hello" + a.substr(0, 40)));  // cut short: not a marker
    CHECK(without_post_markers("**SMS** · hi" + a) == "**SMS** · hi");
    CHECK(without_post_markers("a" + a + "b" + post_marker("x")) == "ab");
}

TEST_CASE("post body: the marker ends the text and the markdown, unless it would not fit") {
    const std::string marker = post_marker("event-a");
    const json markdown_only = post_body({kRoom, "", "**hi**"}, marker);
    CHECK(markdown_only["roomId"] == kRoom);
    CHECK(markdown_only["markdown"] == "**hi**" + marker);
    CHECK_FALSE(markdown_only.contains("text"));
    const json both = post_body({kRoom, "hi", "**hi**"}, marker);
    CHECK(both["text"] == "hi" + marker);
    CHECK(both["markdown"] == "**hi**" + marker);
    const std::string full(kMaxMessageBytes - 10, 'x');
    CHECK(post_body({kRoom, full, ""}, marker)["text"] == full);  // within Webex's limit
}

TEST_CASE("post body: a file travels as files: [url], a thread as parentId, only when set") {
    const std::string marker = post_marker("event-a");
    const json plain = post_body({kRoom, "", "**hi**"}, marker);
    CHECK_FALSE(plain.contains("files"));
    CHECK_FALSE(plain.contains("parentId"));
    const json file = post_body({kRoom, "", "**MMS**", {"https://gw.example/media/t1"}}, marker);
    CHECK(file["files"] == json::array({"https://gw.example/media/t1"}));
    // Webex takes one file per message: a second would be refused, so only the first goes.
    const json two =
        post_body({kRoom, "", "x", {"https://a.example/1", "https://a.example/2"}}, marker);
    CHECK(two["files"] == json::array({"https://a.example/1"}));
    sb::PostMessage note{kRoom, "", "**SMS not sent**"};
    note.parent_id = "parent-message";
    CHECK(post_body(note, marker)["parentId"] == "parent-message");
}

TEST_CASE("retry_without_parent: only a 400 for a post in a thread") {
    sb::PostMessage threaded{kRoom, "", "note"};
    threaded.parent_id = "parent";
    CHECK(retry_without_parent(threaded, 400));
    CHECK_FALSE(retry_without_parent(threaded, 404));  // the room is gone: the router's business
    CHECK_FALSE(retry_without_parent(threaded, 429));
    CHECK_FALSE(retry_without_parent(threaded, 500));
    CHECK_FALSE(retry_without_parent(sb::PostMessage{kRoom, "", "note"}, 400));
}

TEST_CASE("may_have_run_before: commands stamped before this run (plus the allowance)") {
    const auto started = *sb::parse_iso8601("2026-12-01T09:00:00Z");
    struct Row {
        std::string time;
        bool expected;
    };
    for (const Row& row : {Row{"2026-12-01T08:59:00Z", true},   // before the crash
                           Row{"2026-12-01T09:00:04Z", true},   // a router clock ahead
                           Row{"2026-12-01T09:00:06Z", false},  // surely this run's own
                           Row{"not a time", true}}) {          // cannot tell: look
        CAPTURE(row.time);
        CHECK(may_have_run_before(command("c", row.time), started, 5s) == row.expected);
    }
}

TEST_CASE("find_own_post: the recovered command's post is found by its marker, nothing else") {
    const std::string marker = post_marker("cmd-2");
    const sb::PostMessage request{kRoom, "", "**SMS** · ok"};
    const auto recovered = command("cmd-2", "2026-12-01T09:00:00.000Z");
    const std::string same = "**SMS** · ok";
    struct Row {
        const char* what;
        json recent;
        std::optional<std::string> expected;
    };
    const Row rows[] = {
        {"nothing in the room: run it", json::array(), std::nullopt},
        {"its marked post is there: done",
         json::array({message("m3", kAlice, "thanks", "2026-12-01T09:00:02Z"),
                      message("m2", kSelf, same + marker, "2026-12-01T09:00:01Z")}),
         "m2"},
        {"the same text posted for an earlier command (its own marker) is not this one",
         json::array({message("m1", kSelf, same + post_marker("cmd-1"), "2026-12-01T09:00:01Z")}),
         std::nullopt},
        {"an agent quoting the post (marker and all) is not the proxy's post",
         json::array({message("m4", kAlice, same + marker, "2026-12-01T09:00:03Z")}), std::nullopt},
        {"the marker in another room's listing does not count",
         json::array({message("m5", kSelf, same + marker, "2026-12-01T09:00:01Z", "other")}),
         std::nullopt},
        {"without any marker (Webex dropped it): same content after the command: done",
         json::array({message("m6", kSelf, same, "2026-12-01T09:00:01Z")}), "m6"},
        {"without any marker, within the clock allowance before the stamp: done",
         json::array({message("m7", kSelf, same, "2026-12-01T08:59:30Z")}), "m7"},
        {"without any marker but long before the command: an older post, run it",
         json::array({message("m8", kSelf, same, "2026-12-01T08:50:00Z")}), std::nullopt},
        {"without any marker, other content: run it",
         json::array({message("m9", kSelf, "**SMS** · other", "2026-12-01T09:00:01Z")}),
         std::nullopt},
        {"a marked match wins over an unmarked look-alike",
         json::array({message("m10", kSelf, same, "2026-12-01T09:00:05Z"),
                      message("m11", kSelf, same + marker, "2026-12-01T09:00:01Z")}),
         "m11"},
        {"garbage items are skipped",
         json::array({json("x"), json::object(), message("", kSelf, same + marker, "")}),
         std::nullopt},
    };
    for (const Row& row : rows) {
        CAPTURE(row.what);
        const auto found = find_own_post(request, marker, recovered, kSelf, row.recent, kAllowance);
        CHECK(found.has_value() == row.expected.has_value());
        if (found && row.expected) CHECK(found->id == *row.expected);
    }
    CHECK_FALSE(find_own_post(request, marker, recovered, kSelf, json::object(), kAllowance));
    CHECK_FALSE(find_own_post(request, marker, recovered, "", rows[1].recent, kAllowance));
}

TEST_CASE("find_own_post: a text-only post is compared by its text") {
    const std::string marker = post_marker("cmd-t");
    const sb::PostMessage request{kRoom, "We got your SMS", ""};
    const auto recovered = command("cmd-t", "2026-12-01T09:00:00Z");
    json plain = {{"id", "p1"},
                  {"roomId", kRoom},
                  {"personId", kSelf},
                  {"text", "We got your SMS"},
                  {"created", "2026-12-01T09:00:01Z"}};
    CHECK(find_own_post(request, marker, recovered, kSelf, json::array({plain}), kAllowance)->id ==
          "p1");
    plain["text"] = "We got your SMS" + marker;
    CHECK(find_own_post(request, marker, recovered, kSelf, json::array({plain}), kAllowance)->id ==
          "p1");
    plain["text"] = "Something else";
    CHECK_FALSE(find_own_post(request, marker, recovered, kSelf, json::array({plain}), kAllowance));
}

TEST_CASE("find_created_room: a team room with the title, the proxy's first") {
    const sb::CreateRoom request{"+12085550177", "2085550177"};
    const auto room = [](const std::string& id, const std::string& title,
                         const std::string& creator) {
        return json{{"id", id}, {"title", title}, {"creatorId", creator}};
    };
    struct Row {
        const char* what;
        json rooms;
        std::optional<std::string> expected;
    };
    const Row rows[] = {
        {"no room yet: create it", json::array({room("r1", "2085550111", kSelf)}), std::nullopt},
        {"the proxy's room with the title: done", json::array({room("r2", "2085550177", kSelf)}),
         "r2"},
        {"an agent made it meanwhile: use it, never a second room",
         json::array({room("r3", "2085550177", kAlice)}), "r3"},
        {"both: the proxy's",
         json::array({room("r4", "2085550177", kAlice), room("r5", "2085550177", kSelf)}), "r5"},
        {"a title that only contains it is another room",
         json::array({room("r6", "Tommy 2085550177x", kSelf)}), std::nullopt},
        {"not a list", json::object(), std::nullopt},
    };
    for (const Row& row : rows) {
        CAPTURE(row.what);
        const auto found = find_created_room(request, kSelf, row.rooms);
        CHECK(found.has_value() == row.expected.has_value());
        if (found && row.expected) CHECK(found->id == *row.expected);
    }
}

TEST_CASE(
    "the webhook is checked at least once a minute by default, and the interval is a setting") {
    const sb::Environment::Values required = {
        {"SPARK_TOKEN", "t"}, {"SPARK_AGENT_TEAM_ID", "team"}, {"SPARK_WEBHOOK_SECRET", "s"}};
    const GatewayConfig defaults = read_gateway_config(sb::Environment(required));
    CHECK(defaults.webhook_check_seconds > 0);
    CHECK(defaults.webhook_check_seconds <= 60);
    sb::Environment::Values fast = required;
    fast["SPARK_WEBHOOK_CHECK_SECONDS"] = "2";
    CHECK(read_gateway_config(sb::Environment(fast)).webhook_check_seconds == 2);
    sb::Environment::Values bad = required;
    bad["SPARK_WEBHOOK_CHECK_SECONDS"] = "0";
    CHECK_THROWS_AS(read_gateway_config(sb::Environment(bad)), sb::ConfigError);
}
