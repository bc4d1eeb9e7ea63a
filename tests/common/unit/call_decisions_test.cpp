// CallDecisions: what either carrier gateway's waiting call learns from the bus's replies.
#include "switchboard/call_decisions.h"

#include <doctest/doctest.h>

#include <thread>

using namespace sb;
using namespace std::chrono_literals;

namespace {

Envelope decision_for(const std::string& call_id, const std::string& forward_to) {
    return make_event(event_type::call_decision, "router", call_id,
                      CallDecision{call_id, forward_to});
}

}  // namespace

TEST_CASE("call decisions: a reply's decision reaches the waiting call, the first one wins") {
    CallDecisions decisions;
    decisions.expect("CA1");
    std::thread router([&] {
        decisions.deliver_reply(decision_for("CA1", "+18005550100"));
        decisions.deliver_reply(decision_for("CA1", "+18005550199"));
    });
    CHECK(decisions.wait("CA1", 10s) == std::optional<std::string>("+18005550100"));
    router.join();
}

TEST_CASE("call decisions: other replies, malformed ones and late ones are dropped") {
    CallDecisions decisions;
    decisions.expect("CA2");
    decisions.deliver_reply(
        make_event(event_type::post_message, "x", "k", PostMessage{"r1", "hi"}));
    Envelope malformed = decision_for("CA2", "+18005550100");
    malformed.payload = nlohmann::json{{"call_id", 42}};
    decisions.deliver_reply(malformed);  // logged, never thrown
    CHECK_FALSE(decisions.wait("CA2", 50ms).has_value());
    decisions.deliver_reply(decision_for("CA2", "+18005550100"));  // nobody waits any more
    decisions.deliver_reply(decision_for("CA-unknown", "+18005550100"));
    CHECK_FALSE(decisions.wait("CA-unknown", 1ms).has_value());
}
