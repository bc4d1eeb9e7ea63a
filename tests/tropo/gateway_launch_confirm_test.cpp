// An SMS segment counts as sent only once Tropo's launched session came back to the gateway and
// was answered with the `message` verb — the answer that actually sends it. A launch whose
// session never arrives (the gateway was down, or Tropo lost it) is launched again; in steady
// state it still costs one Session API call per segment.
#include <doctest/doctest.h>

#include <filesystem>

#include "switchboard/events.h"
#include "tropo_world.h"

using namespace sb;
using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

DeliveryReport wait_report(TropoWorld& world, const Envelope& command) {
    REQUIRE_MESSAGE(
        wait_until([&] { return world.router->report_for(command.id).has_value(); }, 30s),
        world.gateway_log());
    return world.router->report_for(command.id)->payload_as<DeliveryReport>();
}

// Every session Tropo launched has been carried out (posted to the application, or dropped by
// the fault) — only then is counting a phone's inbox final.
void wait_tropo_idle(TropoWorld& world) {
    REQUIRE(wait_until(
        [&] {
            return world.stat("queued") == 0 &&
                   world.stat("sessions_posted") + world.stat("session_api", "dropped") ==
                       world.stat("session_api", "launched");
        },
        15s));
}

std::uintmax_t journal_bytes(TropoWorld& world) {
    std::error_code error;
    const auto size =
        std::filesystem::file_size(world.data_dir() + "/tropo-gateway.sms-progress.journal", error);
    return error ? 0 : size;
}

// Tropo holds each launched session `hold_ms` before posting it to the application; the gateway
// is killed once the Session API said yes and the gateway took note of it on disk, while the
// session that would send the SMS is still held by Tropo.
Envelope kill_after_launch(TropoWorld& world, const std::string& to, const std::string& text,
                           int hold_ms) {
    REQUIRE(
        world.sandbox_post("/sandbox/tropo/latency", {{"launched_session_ms", hold_ms}})->status ==
        200);
    Envelope command = world.router->send_sms(to, text);  // not const: returned by a move
    REQUIRE_MESSAGE(
        wait_until(
            [&] { return world.stat("session_api", "launched") == 1 && journal_bytes(world) > 0; },
            10s),
        world.gateway_log());
    world.gateway->kill9();
    REQUIRE(world.gateway->wait_exit(5s));
    return command;
}

}  // namespace

TEST_CASE("killed after a launch succeeded, before its session came back: sent once on restart") {
    TropoWorld world;
    const std::string to = "+12088675309";
    const Envelope command = kill_after_launch(world, to, "your order has shipped", 1500);

    // Tropo posts the session to the gateway that is gone, retries, gives up: nobody is texted.
    REQUIRE(wait_until([&] { return world.stat("app_errors") >= 1; }, 15s));
    CHECK(world.inbox_texts(to).empty());
    world.gateway = world.start_gateway();

    const DeliveryReport report = wait_report(world, command);
    CHECK(report.status == "sent");
    wait_tropo_idle(world);
    CHECK(world.inbox_texts(to) == std::vector<std::string>{"your order has shipped"});
    CHECK(world.stat("session_api", "launched") == 2);  // the first was lost with the gateway
    CHECK(world.gateway_log().find("launched but never confirmed") != std::string::npos);
}

TEST_CASE("a launched session that never comes back is launched again: the phone gets it once") {
    WorldOptions options;
    options.gateway_env = {{"TROPO_LAUNCH_CONFIRM_MS", "1000"}};
    TropoWorld world(options);
    const std::string to = "+12088675309";
    REQUIRE(world.sandbox_post("/sandbox/tropo/faults", {{"drop_launched", 1}})->status == 200);
    const Envelope command = world.router->send_sms(to, "second time lucky");

    const DeliveryReport report = wait_report(world, command);
    CHECK(report.status == "sent");
    CHECK(report.segments == 1);
    wait_tropo_idle(world);
    CHECK(world.inbox_texts(to) == std::vector<std::string>{"second time lucky"});
    CHECK(world.stat("session_api", "launched") == 2);
    CHECK(world.stat("session_api", "dropped") == 1);
    CHECK(world.gateway_log().find("launching it again") != std::string::npos);
}

TEST_CASE("launches that never come back fail the command after a few, with a plain reason") {
    WorldOptions options;
    options.gateway_env = {{"TROPO_LAUNCH_CONFIRM_MS", "300"}};
    TropoWorld world(options);
    const std::string to = "+12088675309";
    REQUIRE(world.sandbox_post("/sandbox/tropo/faults", {{"drop_launched", 100}})->status == 200);
    const Envelope command = world.router->send_sms(to, "into the void");

    const DeliveryReport report = wait_report(world, command);
    CHECK(report.status == "failed");
    CHECK_MESSAGE(report.reason.find("never came back") != std::string::npos, report.reason);
    CHECK(world.stat("session_api", "launched") == 3);
    CHECK(world.stat("session_api", "dropped") == 3);
    CHECK(world.inbox_texts(to).empty());
}

TEST_CASE("in steady state each segment costs one Session API call, and arrives once, in order") {
    TropoWorld world;
    std::string long_text;
    for (int i = 0; long_text.size() < 400; ++i) long_text += "word" + std::to_string(i) + " ";
    const std::vector<std::pair<std::string, std::string>> sends = {
        {"+12088675309", "short one"},
        {"+12085551234", long_text},  // 3 segments
        {"+12088675309", "short two"},
        {"+12085551234", "short three"},
    };
    std::vector<Envelope> commands;
    commands.reserve(sends.size());
    for (const auto& [to, text] : sends) commands.push_back(world.router->send_sms(to, text));
    int segments = 0;
    for (const Envelope& command : commands) {
        const DeliveryReport report = wait_report(world, command);
        CHECK(report.status == "sent");
        segments += report.segments;
    }
    CHECK(segments == 6);
    wait_tropo_idle(world);
    CHECK(world.stat("session_api", "calls") == 6);
    CHECK(world.stat("session_api", "launched") == 6);
    CHECK(world.stat("sms_delivered") == 6);
    CHECK(world.inbox_texts("+12088675309") == std::vector<std::string>{"short one", "short two"});
    const auto second = world.inbox_texts("+12085551234");
    REQUIRE(second.size() == 4);
    CHECK(second[0] + " " + second[1] + " " + second[2] + " " == long_text);
    CHECK(second[3] == "short three");
    CHECK(world.gateway_log().find("again") == std::string::npos);
}

TEST_CASE("a session that comes back late, after its segment was launched again, sends nothing") {
    WorldOptions options;
    options.gateway_env = {{"TROPO_LAUNCH_CONFIRM_MS", "1000"}};
    TropoWorld world(options);
    const std::string to = "+12088675309";
    // The first session arrives at 1.5 s, after the gateway stopped waiting for it (1 s) and
    // launched the segment again, before it would launch a third time (2 s).
    REQUIRE(world.sandbox_post("/sandbox/tropo/latency", {{"launched_session_ms", 1500}})->status ==
            200);
    const Envelope command = world.router->send_sms(to, "late but once");

    const DeliveryReport report = wait_report(world, command);
    CHECK(report.status == "sent");
    wait_tropo_idle(world);
    CHECK(world.stat("session_api", "launched") == 2);
    CHECK(world.stat("sessions_posted") == 2);
    CHECK(world.stat("app_errors") == 0);
    CHECK(world.inbox_texts(to) == std::vector<std::string>{"late but once"});
    CHECK(world.gateway_log().find("already sent: hung up") != std::string::npos);
}

TEST_CASE("a session launched before a kill that reaches the restarted gateway sends it once") {
    TropoWorld world;
    const std::string to = "+12088675309";
    // Held long enough for the gateway to be killed and back before Tropo posts it.
    const Envelope command = kill_after_launch(world, to, "from before the restart", 2500);
    world.gateway = world.start_gateway();  // relaunches the segment: two sessions for it now

    const DeliveryReport report = wait_report(world, command);
    CHECK(report.status == "sent");
    wait_tropo_idle(world);
    CHECK(world.stat("session_api", "launched") == 2);
    // Whichever of the two sessions came first sent it; the other sent nothing.
    CHECK(world.inbox_texts(to) == std::vector<std::string>{"from before the restart"});
    CHECK(world.stat("app_errors") == 0);  // the first session did reach the restarted gateway
    CHECK(world.gateway_log().find("already sent: hung up") != std::string::npos);
}
