// Tropo session JSON -> inbound kind, numbers, and the verbs the gateway answers with.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "translate.h"
#include "tropo_session.h"
#include "tropo_verbs.h"

using namespace sb::tropo_gateway;
using json = nlohmann::json;

namespace {

// Shapes from public Tropo client libraries' test fixtures (PROVIDERS.md).
const char* kSmsSession = R"({"session":{"id":"3b43948e921da539a358747c389567a8",
  "accountId":"33932","timestamp":"2013-05-17T15:44:08.724Z","userType":"HUMAN",
  "initialText":"MYMESSAGE","callId":"bd5bf2ac8e2ba6ae17e8e2c3b7b3b7d1",
  "to":{"id":"12085550100","name":null,"channel":"TEXT","network":"SMS"},
  "from":{"id":"12088675309","name":null,"channel":"TEXT","network":"SMS"},
  "headers":{"Max-Forwards":"70","CSeq":"1 MESSAGE"}}})";

const char* kVoiceSession = R"({"session":{"id":"e7de7a4a9bd9f0c1ae6e6d4f5c6e5f4a",
  "accountId":"33932","timestamp":"2013-05-17T15:50:00.000Z","userType":"HUMAN",
  "initialText":null,"callId":"0f7b4d2a0c9e4bb0b1d0a3c2e1f0d9c8",
  "to":{"id":"2085550100","e164Id":"12085550100","name":"","channel":"VOICE","network":"SIP"},
  "from":{"id":"2088675309","e164Id":"12088675309","name":"Tommy","channel":"VOICE",
          "network":"SIP"},
  "headers":{"x-sbc-from":"<sip:2088675309@10.6.69.204>"}}})";

const char* kLaunchSession = R"({"session":{"id":"00ed5ddc8d53c9a787b8d1b789f22f0a",
  "accountId":"12345","timestamp":"2010-10-09T11:49:59.586Z","userType":"NONE",
  "initialText":null,"callId":null,
  "parameters":{"token":"the-key","action":"create","numberToDial":"4075551212",
                "msg":"yo","count":42}}})";

}  // namespace

TEST_CASE("session: an inbound SMS") {
    const SessionParse parsed = parse_session(kSmsSession);
    REQUIRE(parsed);
    CHECK(parsed.session->kind == SessionKind::sms);
    CHECK(parsed.session->session_id == "3b43948e921da539a358747c389567a8");
    CHECK(parsed.session->from == "+12088675309");
    CHECK(parsed.session->to == "+12085550100");
    CHECK(parsed.session->text == "MYMESSAGE");
    const auto message = sms_message(*parsed.session, "2030-01-01T00:00:00.000Z");
    CHECK(message.customer == "+12088675309");
    CHECK(message.channel == "sms");
    CHECK(message.text == "MYMESSAGE");
    CHECK(message.received_at == "2013-05-17T15:44:08.724Z");  // Tropo's own time
    CHECK_FALSE(message.call.has_value());
}

TEST_CASE("session: an inbound call") {
    const SessionParse parsed = parse_session(kVoiceSession);
    REQUIRE(parsed);
    CHECK(parsed.session->kind == SessionKind::call);
    CHECK(parsed.session->call_id == "0f7b4d2a0c9e4bb0b1d0a3c2e1f0d9c8");
    CHECK(parsed.session->from == "+12088675309");  // 10-digit voice id is North American
    const auto message = call_message(*parsed.session, "reply.gw", "2030-01-01T00:00:00.000Z");
    CHECK(message.channel == "voice");
    REQUIRE(message.call.has_value());
    CHECK(message.call->call_id == "0f7b4d2a0c9e4bb0b1d0a3c2e1f0d9c8");
    CHECK(message.call->reply_to == "reply.gw");
}

TEST_CASE("session: a token-launched session carries its parameters as strings") {
    const SessionParse parsed = parse_session(kLaunchSession);
    REQUIRE(parsed);
    CHECK(parsed.session->kind == SessionKind::token_launch);
    CHECK(parsed.session->parameters.at("numberToDial") == "4075551212");
    CHECK(parsed.session->parameters.at("msg") == "yo");
    CHECK(parsed.session->parameters.at("count") == "42");
    CHECK(parsed.session->call_id == parsed.session->session_id);  // callId null
}

TEST_CASE("session: lenient about what Tropo may leave out or vary") {
    // No e164Id, a JSON number as id, no headers, no timestamp: still an SMS.
    auto parsed =
        parse_session(R"({"session":{"id":"a1","initialText":"hi","from":{"id":12088675309}}})");
    REQUIRE(parsed);
    CHECK(parsed.session->kind == SessionKind::sms);
    CHECK(parsed.session->from == "+12088675309");
    // Only e164Id usable.
    parsed = parse_session(R"({"session":{"id":"a2","initialText":"hi",
        "from":{"id":"sms-user","e164Id":"447911123456","channel":"TEXT"}}})");
    REQUIRE(parsed);
    CHECK(parsed.session->from == "+447911123456");
    // A call from a blocked number is still a call, with no customer number.
    parsed = parse_session(R"({"session":{"id":"a3","initialText":null,"callId":null,
        "from":{"id":"Restricted","e164Id":null,"channel":"VOICE","network":"PSTN"}}})");
    REQUIRE(parsed);
    CHECK(parsed.session->kind == SessionKind::call);
    CHECK_FALSE(parsed.session->from.has_value());
    CHECK(parsed.session->call_id == "a3");
    // Unknown extra fields are ignored; channel in lower case still counts.
    parsed = parse_session(R"({"session":{"id":"a4","extra":[1,2],"from":{"id":"+12088675309",
        "channel":"voice"}},"other":true})");
    REQUIRE(parsed);
    CHECK(parsed.session->kind == SessionKind::call);
}

TEST_CASE("session: malformed and wrong-shaped sessions are refused with a reason") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", "malformed"},
        {"not json", "malformed"},
        {"{\"session\":", "malformed"},
        {"[]", "wrong_shape"},
        {"\"session\"", "wrong_shape"},
        {"{}", "wrong_shape"},
        {R"({"session":null})", "wrong_shape"},
        {R"({"session":"x"})", "wrong_shape"},
        {R"({"session":[]})", "wrong_shape"},
        {R"({"session":{}})", "wrong_shape"},
        {R"({"session":{"id":5,"initialText":"hi"}})", "wrong_shape"},
        {R"({"session":{"id":"","initialText":"hi"}})", "wrong_shape"},
        {R"({"session":{"id":")" + std::string(200, 'x') + R"(","initialText":"hi"}})",
         "wrong_shape"},
        {R"({"session":{"id":"a","initialText":5,"from":{"id":"12088675309"}}})", "wrong_shape"},
        {R"({"session":{"id":"a","initialText":"hi","from":"12088675309"}})", "wrong_shape"},
        {R"({"session":{"id":"a","initialText":"hi","to":[1]}})", "wrong_shape"},
        {R"({"session":{"id":"a","callId":{},"initialText":"hi"}})", "wrong_shape"},
        {R"({"session":{"id":"a","parameters":[1,2]}})", "wrong_shape"},
        {R"({"session":{"id":"a","parameters":"token=x"}})", "wrong_shape"},
        {R"({"session":{"id":"a","initialText":"hi"}})", "bad_number"},
        {R"({"session":{"id":"a","initialText":"hi","from":{"id":"Restricted"}}})", "bad_number"},
        {R"({"session":{"id":"a","initialText":"hi","from":{"id":"12345"}}})", "bad_number"},
        {R"({"session":{"id":"a","initialText":"","from":{"id":"12088675309"}}})", "empty_text"},
        {R"({"session":{"id":"a","initialText":null,"from":{"id":"12088675309",
            "channel":"TEXT"}}})",
         "empty_text"},
        {R"({"session":{"id":"a"}})", "unknown_kind"},
        {R"({"session":{"id":"a","from":{"id":"12088675309"}}})", "unknown_kind"},
    };
    for (const auto& row : cases) {
        // Not a structured binding: C++17 lets no lambda (CAPTURE's) capture one.
        const auto& body = row.first;
        const auto& code = row.second;
        CAPTURE(body);
        const SessionParse parsed = parse_session(body);
        CHECK_FALSE(parsed);
        CHECK(parsed.code == code);
        CHECK_FALSE(parsed.reason.empty());
    }
}

TEST_CASE("session: Tropo ids to E.164") {
    const std::vector<std::pair<std::string, std::optional<std::string>>> cases = {
        {"2088675309", "+12088675309"},   // voice: 10 digits
        {"12088675309", "+12088675309"},  // SMS: 11 digits with the 1
        {"+12088675309", "+12088675309"},
        {"+1 (208) 867-5309", "+12088675309"},
        {"tel:+12088675309", "+12088675309"},
        {"sip:+12088675309@sip.tropo.com", "+12088675309"},
        {"sip:12088675309@10.6.69.204;user=phone", "+12088675309"},
        {"447911123456", "+447911123456"},  // an e164Id without '+'
        {"+44 7911 123456", "+447911123456"},
        {"Restricted", std::nullopt},
        {"Unknown", std::nullopt},
        {"", std::nullopt},
        {"12345", std::nullopt},
        {"sip:alice@example.com", std::nullopt},
    };
    for (const auto& row : cases) {
        // Not a structured binding: C++17 lets no lambda (CAPTURE's) capture one.
        const auto& id = row.first;
        const auto& expected = row.second;
        CAPTURE(id);
        CHECK(number_from_tropo_id(id) == expected);
    }
}

TEST_CASE("verbs: the answers the gateway gives Tropo") {
    CHECK(json::parse(hangup_answer()) == json::parse(R"({"tropo":[{"hangup":null}]})"));
    CHECK(json::parse(transfer_answer("+18005551234", std::nullopt)) ==
          json::parse(R"({"tropo":[{"transfer":{"to":"tel:+18005551234"}}]})"));
    CHECK(
        json::parse(transfer_answer("+18005551234", std::string("+12088675309"))) ==
        json::parse(R"({"tropo":[{"transfer":{"to":"tel:+18005551234","from":"+12088675309"}}]})"));
    CHECK(json::parse(message_answer("+14075551212", "yo \u20AC")) ==
          json::parse(R"({"tropo":[{"message":{"say":{"value":"yo \u20AC"},
              "to":"+14075551212","network":"SMS","channel":"TEXT"}}]})"));
    CHECK(json::parse(launch_request("k", "+14075551212", "hi", "c1-1")) ==
          json::parse(R"({"token":"k","action":"create","numberToDial":"+14075551212",
              "msg":"hi","sendId":"c1-1"})"));
}

TEST_CASE("verbs: reading the Session API's answer") {
    auto outcome = read_launch_answer(200, R"({"success":true,"token":"k","id":"abc"})", "");
    CHECK(outcome.launched);
    CHECK(outcome.session_id == "abc");
    outcome = read_launch_answer(200, R"({"success":false,"reason":"nope"})", "");
    CHECK_FALSE(outcome.launched);
    CHECK(outcome.reason.find("nope") != std::string::npos);
    outcome = read_launch_answer(403, R"({"success":false,"reason":"Invalid token"})", "");
    CHECK_FALSE(outcome.launched);
    CHECK(outcome.reason.find("403") != std::string::npos);
    CHECK(outcome.reason.find("Invalid token") != std::string::npos);
    outcome = read_launch_answer(0, "", "Connection");
    CHECK_FALSE(outcome.launched);
    CHECK(outcome.reason.find("unreachable") != std::string::npos);
    CHECK_FALSE(read_launch_answer(200, "<html>", "").launched);
    CHECK_FALSE(read_launch_answer(200, "{}", "").launched);
}

TEST_CASE("translate: a call goes to the router's decision, else the fallback") {
    const auto session = *parse_session(kVoiceSession).session;
    auto route = route_call(session, std::string("+18005550199"), "+18005550100");
    CHECK(route.decided);
    CHECK(route.forward_to == "+18005550199");
    CHECK(json::parse(route.answer)["tropo"][0]["transfer"]["to"] == "tel:+18005550199");
    route = route_call(session, std::nullopt, "+18005550100");
    CHECK_FALSE(route.decided);
    CHECK(json::parse(route.answer)["tropo"][0]["transfer"]["to"] == "tel:+18005550100");
    route = route_call(session, std::string("not a number"), "+18005550100");
    CHECK_FALSE(route.decided);
    CHECK(route.forward_to == "+18005550100");
}

TEST_CASE("translate: a token-launched session sends its SMS only with our token") {
    auto session = *parse_session(kLaunchSession).session;
    auto answer = answer_token_launch(session, "the-key");
    CHECK(answer.status == 200);
    CHECK(answer.to == "+14075551212");
    CHECK(json::parse(answer.answer) == json::parse(message_answer("+14075551212", "yo")));

    CHECK(answer_token_launch(session, "another-key").status == 403);
    CHECK(answer_token_launch(session, "the-ke").status == 403);
    session.parameters.erase("token");
    CHECK(answer_token_launch(session, "the-key").status == 403);
    CHECK(answer_token_launch(session, "").status == 403);

    session = *parse_session(kLaunchSession).session;
    session.parameters["numberToDial"] = "call me";
    CHECK(answer_token_launch(session, "the-key").status == 400);
    session = *parse_session(kLaunchSession).session;
    session.parameters.erase("msg");
    CHECK(answer_token_launch(session, "the-key").status == 400);
}

TEST_CASE("translate: secrets compare") {
    CHECK(same_secret("abc", "abc"));
    CHECK_FALSE(same_secret("abd", "abc"));
    CHECK_FALSE(same_secret("ab", "abc"));
    CHECK_FALSE(same_secret("", ""));
}
