// A multi-segment SMS interrupted by kill -9: the restarted gateway continues from the first
// segment not yet launched, so the phone gets each segment exactly once, in order.
#include <doctest/doctest.h>

#include "switchboard/events.h"
#include "tropo_world.h"

using namespace sb;
using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

// Five SMS of 158 characters (the last shorter), each one recognisable: a block and the next
// block's first word do not fit one SMS together, so each block is one SMS.
std::string five_segment_text() {
    std::string text;
    for (char part = '1'; part <= '5'; ++part) {
        std::string block = "Part " + std::string(1, part) + " of the answer: ";
        block.resize(part == '5' ? 60 : 158, static_cast<char>('a' + (part - '1')));
        text += (text.empty() ? "" : " ") + block;
    }
    return text;
}

}  // namespace

TEST_CASE("a long SMS cut by kill -9 mid-send resumes after the restart: each segment once") {
    TropoWorld world;
    const std::string to = "+12088675309";
    const std::string text = five_segment_text();
    // Slow enough that the kill lands while a launch is held by Tropo.
    REQUIRE(world.sandbox_post("/sandbox/tropo/latency", {{"session_api_ms", 600}})->status == 200);
    const Envelope command = world.router->send_sms(to, text);

    // Two segments are on the phone and the third launch has reached Tropo (so the gateway has
    // recorded the second as launched before it began the third).
    const bool mid_send = wait_until(
        [&] {
            return world.inbox_texts(to).size() == 2 && world.stat("session_api", "calls") == 3;
        },
        30s);
    REQUIRE_MESSAGE(mid_send, world.gateway_log());
    world.gateway->kill9();
    REQUIRE(world.gateway->wait_exit(5s));
    CHECK_FALSE(world.router->report_for(command.id).has_value());

    // Tropo launches that third session, but the application it asks for the text is gone:
    // nothing reaches the phone. Only then does the gateway come back.
    REQUIRE(wait_until([&] { return world.stat("app_errors") >= 1; }, 15s));
    CHECK(world.inbox_texts(to).size() == 2);
    world.gateway = world.start_gateway();

    REQUIRE_MESSAGE(
        wait_until([&] { return world.router->report_for(command.id).has_value(); }, 30s),
        world.gateway_log());
    const auto report = world.router->report_for(command.id)->payload_as<DeliveryReport>();
    CHECK(report.status == "sent");
    CHECK(report.segments == 5);
    // Everything Tropo launched has been carried out (delivered or failed) before counting.
    REQUIRE(wait_until(
        [&] {
            return world.stat("queued") == 0 &&
                   world.stat("sessions_posted") == world.stat("session_api", "launched");
        },
        15s));
    const auto parts = world.inbox_texts(to);
    CHECK(parts.size() == 5);
    std::string joined;
    for (const std::string& part : parts) joined += (joined.empty() ? "" : " ") + part;
    CHECK(joined == text);
    for (std::size_t i = 0; i < parts.size(); ++i) {
        CAPTURE(i);
        CHECK(parts[i].rfind("Part " + std::to_string(i + 1) + " ", 0) == 0);
    }
    CHECK(world.stat("session_api", "launched") == 6);  // 5 segments, the third twice
    CHECK(world.gateway_log().find("continuing at segment 3 of 5") != std::string::npos);
}
