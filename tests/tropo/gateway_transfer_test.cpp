// How a forwarded call ended, through the real sandbox and tropo-gateway: the sandbox's phone
// says how the contact center takes the transfer ({"answer": …}), Tropo fires the answer's
// `incomplete` or `continue` handler with its result, and the gateway publishes the outcome.
#include <doctest/doctest.h>

#include "switchboard/events.h"
#include "tropo_world.h"

using namespace sb;
using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

// The CustomerMessages about calls that ended (not the incoming call itself).
std::vector<CustomerMessage> endings(TropoWorld& world) {
    std::vector<CustomerMessage> found;
    for (const Envelope& event : world.router->customer_messages()) {
        const auto message = event.payload_as<CustomerMessage>();
        if (message.call && message.call->outcome != "incoming") found.push_back(message);
    }
    return found;
}

std::string call_session(const std::string& id, const std::string& from) {
    return json{{"session",
                 {{"id", id},
                  {"userType", "HUMAN"},
                  {"initialText", nullptr},
                  {"callId", id + "-call"},
                  {"from", {{"id", from}, {"channel", "VOICE"}, {"network", "SIP"}}}}}}
        .dump();
}

// The `next` of the answer's handler for `event` (a query-only reference to the webhook).
std::string handler_next(const json& answer, const std::string& event) {
    for (const json& verb : answer["tropo"]) {
        if (verb.contains("on") && verb["on"]["event"] == event) return verb["on"]["next"];
    }
    FAIL("no handler for " << event << " in " << answer.dump());
    return {};
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("each way the contact center takes a transfer reaches the bus as the call's outcome") {
    struct Row {
        const char* answer;
        const char* outcome;
        const char* detail;
        const char* phone_outcome;
    };
    const Row rows[] = {
        {"completed", "answered", "completed", "transferred"},
        {"no-answer", "missed", "no-answer", "unanswered"},
        {"busy", "missed", "busy", "unanswered"},
        {"failed", "missed", "failed", "unanswered"},
    };
    TropoWorld world;
    world.router->decide_calls("+18005550199");
    int n = 0;
    for (const Row& row : rows) {
        CAPTURE(row.answer);
        const std::string caller = "+1208555010" + std::to_string(++n);
        const auto placed = world.sandbox_post("/sandbox/tropo/phones/" + caller + "/call",
                                               json{{"answer", row.answer}});
        REQUIRE(placed);
        REQUIRE(placed->status == 202);
        const std::string call_id = json::parse(placed->body).at("call_id");
        REQUIRE(wait_until(
            [&] {
                const json calls = world.phone(caller)["calls"];
                return calls.size() == 1 && calls[0].contains("result_status") &&
                       calls[0]["result_status"] != 0;
            },
            10s));
        const json call = world.phone(caller)["calls"][0];
        CHECK(call["outcome"] == row.phone_outcome);
        CHECK(call["dial_status"] == row.answer);
        CHECK(call["target"] == "+18005550199");
        CHECK(call["result_status"] == 200);
        CHECK(call["result_event"] ==
              (std::string(row.answer) == "completed" ? "continue" : "incomplete"));
        REQUIRE(wait_until(
            [&] {
                for (const CustomerMessage& m : endings(world)) {
                    if (m.customer == caller) return true;
                }
                return false;
            },
            10s));
        for (const CustomerMessage& message : endings(world)) {
            if (message.customer != caller) continue;
            CHECK(message.channel == "voice");
            CHECK(message.call->call_id == call_id);  // the id the router saw the call by
            CHECK(message.call->outcome == row.outcome);
            CHECK(message.call->detail == row.detail);
            CHECK(message.call->reply_to.empty());
        }
    }
    CHECK(endings(world).size() == 4);
}

TEST_CASE("a transfer result posted twice is published once, malformed or forged ones get a 4xx") {
    TropoWorld world;
    const auto answered =
        world.webhook_post(call_session("ca11000000000000000000000000c001", "2088675309"));
    REQUIRE(answered);
    REQUIRE(answered->status == 200);
    const json answer = json::parse(answered->body);
    CHECK(answer["tropo"][0]["transfer"]["name"] == "forward");
    const std::string next = handler_next(answer, "incomplete");
    REQUIRE(next.rfind('?', 0) == 0);
    const std::string query = next.substr(1);
    const std::string result =
        R"({"result":{"sessionId":"ca11000000000000000000000000c001","callId":"x",)"
        R"("state":"DISCONNECTED","complete":true,"error":null,)"
        R"("actions":{"name":"forward","attempts":1,"disposition":"BUSY"}}})";

    const struct {
        const char* name;
        std::string body;
        std::string query;
        int status;
        const char* says;
    } bad[] = {
        {"not JSON", "{nope", query, 400, "result"},
        {"a session, not a result", R"({"session":{}})", query, 400, "result"},
        {"actions of the wrong type", R"({"result":{"actions":"BUSY"}})", query, 400, "actions"},
        {"someone else's number", result, replaced(query, "%2B12088675309", "%2B12085551234"), 403,
         "sig"},
        {"no signature", result, query.substr(0, query.find("&sig=")), 403, "sig"},
    };
    for (const auto& row : bad) {
        CAPTURE(row.name);
        const auto refused = world.webhook_post(row.body, row.query);
        REQUIRE(refused);
        CHECK(refused->status >= 400);
        CHECK(refused->status < 500);
        if (row.status == 403) CHECK(refused->status == 403);
        const json error = json::parse(refused->body, nullptr, false);
        REQUIRE(error.is_object());
        REQUIRE(error.contains("error"));
        CHECK(error["error"].get<std::string>().find(row.says) != std::string::npos);
    }

    for (int i = 0; i < 2; ++i) {  // Tropo retrying a post it got no answer to
        const auto taken = world.webhook_post(result, query);
        REQUIRE(taken);
        CHECK(taken->status == 200);
        CHECK(json::parse(taken->body) == json::parse(R"({"tropo":[{"hangup":null}]})"));
    }
    REQUIRE(wait_until([&] { return endings(world).size() == 1; }, 10s));
    const CustomerMessage missed = endings(world)[0];
    CHECK(missed.customer == "+12088675309");
    CHECK(missed.call->call_id == "ca11000000000000000000000000c001-call");
    CHECK(missed.call->outcome == "missed");
    CHECK(missed.call->detail == "busy");
    // Nothing more arrives: the retry and every refusal published nothing.
    CHECK_FALSE(wait_until([&] { return endings(world).size() > 1; }, 1s));
}

TEST_CASE("sandbox phones: a call's answer must be one of the contact center's outcomes") {
    TropoWorld world;
    for (const json& body : {json{{"answer", "maybe"}}, json{{"answer", 3}}}) {
        const auto refused = world.sandbox_post("/sandbox/tropo/phones/+12088675309/call", body);
        REQUIRE(refused);
        CHECK(refused->status == 400);
        CHECK(refused->body.find("answer") != std::string::npos);
    }
    CHECK(world.phone("+12088675309")["calls"].empty());
}
