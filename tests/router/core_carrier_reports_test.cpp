// What the router makes of the carrier-neutral reports (DeliveryReport's statuses) and of how a
// forwarded call ended: a note in the room where the agents need one, nothing otherwise.
#include "core_harness.h"

using namespace sb;
using namespace sb::router;
using namespace sb::router::testing;

namespace {

DeliveryReport report_of(std::string status, std::string reason = "",
                         std::string agent_message_id = "") {
    DeliveryReport report{"+12088675309", std::move(status), 1, std::move(reason), "r1"};
    report.agent_message_id = std::move(agent_message_id);
    report.carrier = "twilio";
    return report;
}

CustomerMessage call_ended(std::string outcome, std::string detail) {
    CustomerMessage message = call("+12088675309", "CA1");
    message.call->reply_to.clear();
    message.call->outcome = std::move(outcome);
    message.call->detail = std::move(detail);
    return message;
}

}  // namespace

TEST_CASE("each delivery status: a note for what did not reach the phone, nothing otherwise") {
    struct Row {
        const char* status;
        const char* expected;  // in the note; nullptr: no note at all
    };
    const Row rows[] = {
        {"sent", nullptr},
        {"delivered", nullptr},
        {"failed", "could not be sent: the number is not a valid phone number"},
        {"undelivered", "was not delivered: the phone is switched off or unreachable"},
        {"opted_out", "has opted out of SMS"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.status);
        Harness h;
        h.start_with({room("r1", "Tommy Tutone 2088675309")});
        const std::string reason = std::string(row.status) == "failed"
                                       ? "the number is not a valid phone number"
                                       : "the phone is switched off or unreachable";
        h.send(event_type::delivery_report, report_of(row.status, reason, "agent-msg-7"));
        const auto posts = h.payloads<PostMessage>(event_type::post_message);
        if (row.expected == nullptr) {
            CHECK(posts.empty());
            continue;
        }
        REQUIRE(posts.size() == 1);
        CHECK(posts[0].room_id == "r1");
        CHECK(posts[0].markdown.find(row.expected) != std::string::npos);
        CHECK(posts[0].parent_id == "agent-msg-7");  // in the thread of the agent's reply
    }
}

TEST_CASE("an opted-out refusal is counted apart, and a note without a reply id is unthreaded") {
    Harness h;
    h.start_with({room("r1", "2088675309")});
    h.send(event_type::delivery_report, report_of("opted_out"));
    const auto posts = h.payloads<PostMessage>(event_type::post_message);
    REQUIRE(posts.size() == 1);
    CHECK(posts[0].parent_id.empty());
    CHECK(posts[0].markdown.find("START") != std::string::npos);
    CHECK(h.core->counters().opted_out_reports == 1);
    CHECK(h.core->counters().delivery_failures == 1);
}

TEST_CASE("an agent's reply carries the agent's message id to the carrier") {
    Harness h;
    h.start_with({room("r1", "2088675309")});
    AgentMessage reply = agent_says("r1", "2088675309", "see you soon", "webex-msg-1");
    h.send(event_type::agent_message, reply);
    const auto sends = h.payloads<SendSms>(event_type::send_sms);
    REQUIRE(sends.size() == 1);
    CHECK(sends[0].agent_message_id == "webex-msg-1");
    CHECK(h.commands(event_type::send_sms)[0].topic == topics::sms_to_send);
}

TEST_CASE("a missed call is noted in the room with the carrier's word, and is not answered") {
    Harness h;
    h.start_with({room("r1", "2088675309")});
    h.send(event_type::customer_message, call_ended("missed", "no-answer"));
    CHECK(h.last.send_now.empty());  // no CallDecision for a call that has ended
    const auto posts = h.payloads<PostMessage>(event_type::post_message);
    REQUIRE(posts.size() == 1);
    CHECK(posts[0].markdown.find("**Missed call**") != std::string::npos);
    CHECK(posts[0].markdown.find("nobody at \\+18005550199 answered (no\\-answer)") !=
          std::string::npos);
    CHECK(h.core->counters().missed_calls == 1);
    CHECK(h.commands(event_type::send_sms).empty());
}

TEST_CASE("an answered call changes nothing in the room and completes at once") {
    Harness h;
    h.start_with({room("r1", "2088675309")});
    h.send(event_type::customer_message, call_ended("answered", "completed"));
    CHECK_FALSE(h.last.hold);
    CHECK(h.last.send_now.empty());
    CHECK(h.commands(event_type::post_message).empty());
    CHECK(h.core->counters().calls_answered == 1);
}
