// The Tropo sandbox's pure parts: the sessions it posts and how it reads the answers.
#include <doctest/doctest.h>

#include "tropo/answer_interpreter.h"
#include "tropo/app_link.h"
#include "tropo/session_json.h"
#include "tropo_session.h"

using namespace sb::sandbox::tropo;
using sb::tropo_gateway::parse_session;
using sb::tropo_gateway::SessionKind;

namespace {
const SessionIds kIds{"3b43948e921da539a358747c389567a8", "bd5bf2ac8e2ba6ae17e8e2c3b7b3b7d1",
                      "2013-05-17T15:44:08.724Z"};
}

TEST_CASE("sandbox: numbers written the way Tropo writes them") {
    CHECK(tropo_id("+12088675309", /*voice=*/false) == "12088675309");
    CHECK(tropo_id("+12088675309", /*voice=*/true) == "2088675309");
    CHECK(tropo_id("+447911123456", false) == "447911123456");
    CHECK(tropo_id("+447911123456", true) == "447911123456");
    CHECK(tropo_e164_id("+12088675309") == "12088675309");
}

TEST_CASE("sandbox: an inbound SMS session has Tropo's shape") {
    const json sms = inbound_sms_session({"+12088675309", "+12085550100", "hi"}, kIds)["session"];
    CHECK(sms["id"] == kIds.session_id);
    CHECK(sms["userType"] == "HUMAN");
    CHECK(sms["initialText"] == "hi");
    CHECK(sms["callId"] == kIds.call_id);
    CHECK(sms["from"]["id"] == "12088675309");
    CHECK(sms["from"]["e164Id"] == "12088675309");
    CHECK(sms["from"]["channel"] == "TEXT");
    CHECK(sms["from"]["network"] == "SMS");
    CHECK(sms["from"]["name"].is_null());
    CHECK(sms["to"]["id"] == "12085550100");
    CHECK(sms["headers"]["CSeq"] == "1 MESSAGE");
}

TEST_CASE("sandbox: an inbound call session has Tropo's shape") {
    InboundCall call{"+12088675309", "+12085550100", "PSTN", "Tommy"};
    const json voice = inbound_call_session(call, kIds)["session"];
    CHECK(voice["initialText"].is_null());
    CHECK(voice["from"]["id"] == "2088675309");
    CHECK(voice["from"]["e164Id"] == "12088675309");
    CHECK(voice["from"]["channel"] == "VOICE");
    CHECK(voice["from"]["network"] == "PSTN");
    CHECK(voice["from"]["name"] == "Tommy");
    CHECK(voice["headers"]["CSeq"] == "1 INVITE");
    call.from = "Restricted";
    const json blocked = inbound_call_session(call, kIds)["session"];
    CHECK(blocked["from"]["id"] == "Restricted");
    CHECK(blocked["from"]["e164Id"].is_null());
}

TEST_CASE("sandbox: a token-launched session: userType NONE, parameters, no to/from") {
    const json launch = token_launch_session({{"token", "k"}, {"action", "create"}, {"msg", "yo"}},
                                             kIds)["session"];
    CHECK(launch["userType"] == "NONE");
    CHECK(launch["initialText"].is_null());
    CHECK(launch["callId"].is_null());
    CHECK(launch["parameters"]["msg"] == "yo");
    CHECK_FALSE(launch.contains("to"));
    CHECK_FALSE(launch.contains("from"));
}

TEST_CASE("sandbox: the gateway reads what the sandbox posts") {
    auto parsed =
        parse_session(inbound_sms_session({"+447911123456", "+12085550100", "hi"}, kIds).dump());
    REQUIRE(parsed);
    CHECK(parsed.session->kind == SessionKind::sms);
    CHECK(parsed.session->from == "+447911123456");
    parsed = parse_session(
        inbound_call_session({"+12088675309", "+12085550100", "SIP", ""}, kIds).dump());
    REQUIRE(parsed);
    CHECK(parsed.session->kind == SessionKind::call);
    CHECK(parsed.session->from == "+12088675309");
    CHECK(parsed.session->call_id == kIds.call_id);
    parsed = parse_session(token_launch_session({{"msg", "yo"}}, kIds).dump());
    REQUIRE(parsed);
    CHECK(parsed.session->kind == SessionKind::token_launch);
}

TEST_CASE("sandbox: carrying out an application's answer") {
    using Kind = Effect::Kind;
    // message: only the first of several recipients gets the SMS.
    auto done = interpret_answer(
        R"({"tropo":[{"message":{"say":{"value":"yo"},"to":["+14075551212","+14075551213"],
            "network":"SMS"}}]})",
        SessionMode::launch, "");
    REQUIRE(done.effects.size() == 1);
    CHECK(done.effects[0].kind == Kind::sms);
    CHECK(done.effects[0].to == "+14075551212");
    CHECK(done.effects[0].text == "yo");
    // say as an array: one SMS each.
    done = interpret_answer(
        R"({"tropo":[{"message":{"say":[{"value":"a"},{"value":"b"}],"to":"4075551212",
            "channel":"TEXT"}}]})",
        SessionMode::launch, "");
    REQUIRE(done.effects.size() == 2);
    CHECK(done.effects[1].text == "b");
    // The lab's way: call with network SMS, then say.
    done = interpret_answer(
        R"({"tropo":[{"call":{"to":"+14075551212","network":"SMS"}},{"say":{"value":"hi"}}]})",
        SessionMode::launch, "");
    REQUIRE(done.effects.size() == 1);
    CHECK(done.effects[0].to == "+14075551212");
    CHECK(done.effects[0].text == "hi");
    // A say with no SMS target in a launched session texts nobody.
    done = interpret_answer(R"({"tropo":[{"say":{"value":"hi"}}]})", SessionMode::launch, "");
    CHECK(done.effects.empty());
    // In a text session, say replies to the sender.
    done = interpret_answer(R"({"tropo":[{"say":{"value":"thanks"}},{"hangup":null}]})",
                            SessionMode::text, "+12088675309");
    REQUIRE(done.effects.size() == 2);
    CHECK(done.effects[0].kind == Kind::sms);
    CHECK(done.effects[0].to == "+12088675309");
    CHECK(done.effects[1].kind == Kind::hangup);
    // A message verb for a voice network sends no SMS.
    done = interpret_answer(R"({"tropo":[{"message":{"say":{"value":"x"},"to":"+14075551212",
        "network":"PSTN"}}]})",
                            SessionMode::launch, "");
    CHECK(done.effects.empty());
    CHECK(done.ignored.size() == 1);
}

TEST_CASE("sandbox: a call's answer may name the transfer and handle how it ends") {
    const auto done = interpret_answer(
        R"({"tropo":[{"transfer":{"to":"tel:+18005551234","name":"forward"}},
        {"on":{"event":"incomplete","next":"?transfer_event=incomplete"}},
        {"on":[{"event":"continue","next":"/done"},{"event":"hangup"}]}]})",
        SessionMode::voice, "+12088675309");
    REQUIRE(done.effects.size() == 1);
    CHECK(done.effects[0].kind == Effect::Kind::transfer);
    CHECK(done.effects[0].name == "forward");
    REQUIRE(done.handlers.size() == 2);  // an `on` without `next` posts nothing
    CHECK(done.handlers[0].event == "incomplete");
    CHECK(done.handlers[0].next == "?transfer_event=incomplete");
    CHECK(done.handlers[1].event == "continue");
    CHECK(done.handlers[1].next == "/done");
    CHECK(done.ignored.empty());
}

TEST_CASE("sandbox: a handler's next is resolved against the application URL") {
    const AppLink link("http://127.0.0.1:8081/api/tropo-webhook/?token=t");
    CHECK(*link.resolve("") == "/api/tropo-webhook/?token=t");
    CHECK(*link.resolve("?a=1&token=t") == "/api/tropo-webhook/?a=1&token=t");
    CHECK(*link.resolve("/other") == "/other");
    CHECK(*link.resolve("result.json") == "/api/tropo-webhook/result.json");
    CHECK(*link.resolve("http://127.0.0.1:8081/x?y") == "/x?y");
    CHECK_FALSE(link.resolve("http://127.0.0.1:80810/x"));
    CHECK_FALSE(link.resolve("http://elsewhere.example/x"));
    CHECK_FALSE(link.resolve("ftp://127.0.0.1:8081/x"));
}

TEST_CASE("sandbox: what becomes of a call") {
    using Kind = Effect::Kind;
    auto done = interpret_answer(R"({"tropo":[{"transfer":{"to":"tel:+18005551234"}}]})",
                                 SessionMode::voice, "+12088675309");
    REQUIRE(done.effects.size() == 1);
    CHECK(done.effects[0].kind == Kind::transfer);
    CHECK(done.effects[0].to == "+18005551234");
    done = interpret_answer(R"({"tropo":[{"say":{"value":"one moment"}},{"reject":null},
        {"transfer":{"to":"tel:+18005551234"}}]})",
                            SessionMode::voice, "+12088675309");
    REQUIRE(done.effects.size() == 2);  // nothing after reject happens
    CHECK(done.effects[0].kind == Kind::speech);
    CHECK(done.effects[1].kind == Kind::reject);
    done = interpret_answer(R"({"tropo":[{"hangup":null},{"say":{"value":"x"}}]})",
                            SessionMode::voice, "");
    REQUIRE(done.effects.size() == 1);
    CHECK(done.effects[0].kind == Kind::hangup);
    done = interpret_answer(R"({"tropo":[{"redirect":{"to":"sip:9991427589@sip.tropo.com"}}]})",
                            SessionMode::voice, "");
    REQUIRE(done.effects.size() == 1);
    CHECK(done.effects[0].kind == Kind::redirect);
    for (const char* garbage : {"", "nope", "{}", R"({"tropo":{}})", "[1]"}) {
        CAPTURE(garbage);
        CHECK_FALSE(interpret_answer(garbage, SessionMode::voice, "").error.empty());
    }
}
