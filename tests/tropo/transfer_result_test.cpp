// How a forwarded Tropo call ended: the transfer's event handlers in the call's answer, and the
// result Tropo posts to them read into answered / missed (transfer_result.h).
#include "transfer_result.h"

#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "switchboard/form_urlencoded.h"
#include "tropo_verbs.h"

using namespace sb::tropo_gateway;
using json = nlohmann::json;

namespace {

const std::string kKey = "the-key";
const std::string kCaller = "+12088675309";
const std::string kCall = "edad88ff110a8b5ef6a1466aa332ace8";

// The query of a reference, split into its parameters (percent-decoded).
std::map<std::string, std::string> params_of(const std::string& reference) {
    std::map<std::string, std::string> params;
    REQUIRE(reference.rfind('?', 0) == 0);
    const auto decoded = sb::form::decode_pairs(reference.substr(1), 20);
    REQUIRE(decoded.pairs);
    for (const auto& [name, value] : *decoded.pairs) params[name] = value;
    return params;
}

ResultParams signed_params(const std::string& event) {
    auto params = params_of(result_reference(event, kCall, kCaller, kKey, ""));
    return {params["transfer_event"], params["call"], params["from"], params["sig"]};
}

// A result in the shape Tropo posts (the WebAPI's result object).
std::string result_with(const std::string& actions) {
    return R"({"result":{"sessionId":"af02debeca9c4f6f6f98d41a82591428","callId":")" + kCall +
           R"(","state":"ANSWERED","sessionDuration":31,"sequence":2,"complete":true,)" +
           R"("error":null,"actions":)" + actions + "}}";
}

}  // namespace

TEST_CASE("transfer: the call's answer names the transfer and handles incomplete and continue") {
    TransferEvents events{result_reference("incomplete", kCall, kCaller, kKey, "tok en"),
                          result_reference("continue", kCall, kCaller, kKey, "tok en")};
    const json answer = json::parse(transfer_answer("+18005550100", kCaller, events));
    const json expected = json::parse(R"({"tropo":[
        {"transfer":{"to":"tel:+18005550100","from":"+12088675309","name":"forward"}},
        {"on":{"event":"incomplete","next":")" +
                                      events.incomplete_next + R"("}},
        {"on":{"event":"continue","next":")" +
                                      events.continue_next + R"("}}]})");
    CHECK(answer == expected);
    const auto incomplete = params_of(events.incomplete_next);
    CHECK(incomplete.at("transfer_event") == "incomplete");
    CHECK(incomplete.at("call") == kCall);
    CHECK(incomplete.at("from") == kCaller);
    CHECK(incomplete.at("token") == "tok en");  // the webhook's token, when one is set
    CHECK(incomplete.at("sig").size() == 64);
    CHECK(params_of(result_reference("continue", kCall, kCaller, kKey, "")).count("token") == 0);
}

TEST_CASE("transfer: Tropo's dispositions read as answered or missed, with a detail") {
    struct Row {
        const char* event;
        const char* disposition;
        const char* outcome;
        const char* detail;
    };
    const Row rows[] = {
        {"continue", "SUCCESS", "answered", "completed"},
        {"incomplete", "TIMEOUT", "missed", "no-answer"},
        {"incomplete", "BUSY", "missed", "busy"},
        {"incomplete", "REJECTED", "missed", "rejected"},
        {"incomplete", "FAILED", "missed", "failed"},
        {"incomplete", "timeout", "missed", "no-answer"},  // any case
        {"incomplete", "EXTERNAL_EVENT", "missed", "external_event"},
        {"incomplete", "", "missed", "incomplete"},  // no disposition: the event says
        {"continue", "", "answered", "continue"},
        // The disposition wins over the event: an unanswered transfer is missed whatever fired.
        {"continue", "TIMEOUT", "missed", "no-answer"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.event);
        CAPTURE(row.disposition);
        const auto [outcome, detail] = outcome_of(row.event, row.disposition);
        CHECK(outcome == row.outcome);
        CHECK(detail == row.detail);
    }
}

TEST_CASE("transfer: a result posted to the incomplete handler is a missed call") {
    const auto parse = parse_transfer_result(
        signed_params("incomplete"),
        result_with(R"({"name":"forward","attempts":1,"disposition":"TIMEOUT","timestamp":)"
                    R"("2013-05-17T15:44:38.724Z","duration":30,"connectedDuration":0})"),
        kKey);
    REQUIRE(parse);
    CHECK(parse.outcome->outcome == "missed");
    CHECK(parse.outcome->detail == "no-answer");
    CHECK(parse.outcome->call_id == kCall);
    CHECK(parse.outcome->from == kCaller);
    const sb::CustomerMessage message = transfer_message(*parse.outcome, "2026-01-01T00:00:00Z");
    CHECK(message.customer == kCaller);
    CHECK(message.channel == "voice");
    REQUIRE(message.call);
    CHECK(message.call->outcome == "missed");
    CHECK(message.call->detail == "no-answer");
    CHECK(message.call->call_id == kCall);
    CHECK(message.call->reply_to.empty());  // nobody waits for a decision

    // Several actions: the transfer's is the one named "forward".
    const auto among =
        parse_transfer_result(signed_params("continue"),
                              result_with(R"([{"name":"greeting","disposition":"SUCCESS"},)"
                                          R"({"name":"forward","disposition":"BUSY"}])"),
                              kKey);
    REQUIRE(among);
    CHECK(among.outcome->outcome == "missed");
    CHECK(among.outcome->detail == "busy");

    const auto answered =
        parse_transfer_result(signed_params("continue"),
                              result_with(R"({"name":"forward","disposition":"SUCCESS"})"), kKey);
    REQUIRE(answered);
    CHECK(answered.outcome->outcome == "answered");
}

TEST_CASE("transfer: a malformed or forged result gets a clear 4xx and no outcome") {
    struct Row {
        const char* name;
        ResultParams params;
        std::string body;
        int status;
        const char* reason_has;
    };
    const std::string good = result_with(R"({"name":"forward","disposition":"TIMEOUT"})");
    ResultParams forged = signed_params("incomplete");
    forged.from = "+12085551234";  // someone else's number under the caller's signature
    ResultParams bad_sig = signed_params("incomplete");
    bad_sig.sig = std::string(64, '0');
    ResultParams bad_event = signed_params("incomplete");
    bad_event.event = "hangup";
    ResultParams no_call = signed_params("incomplete");
    no_call.call_id.clear();
    ResultParams not_e164 = signed_params("incomplete");
    not_e164.from = "12088675309";
    const std::vector<Row> rows = {
        {"not JSON", signed_params("incomplete"), "{oops", 400, "{\"result\""},
        {"a session, not a result", signed_params("incomplete"), R"({"session":{}})", 400,
         "{\"result\""},
        {"result not an object", signed_params("incomplete"), R"({"result":[1]})", 400,
         "{\"result\""},
        {"actions a number", signed_params("incomplete"), result_with("7"), 400, "actions must be"},
        {"disposition a number", signed_params("incomplete"),
         result_with(R"({"name":"forward","disposition":3})"), 400, "disposition must be"},
        {"an action that is no object", signed_params("incomplete"), result_with("[1]"), 400,
         "not an action"},
        {"callId a number", signed_params("incomplete"),
         R"({"result":{"callId":5,"actions":{"disposition":"TIMEOUT"}}})", 400, "callId must be"},
        {"forged caller", forged, good, 403, "not signed"},
        {"wrong signature", bad_sig, good, 403, "not signed"},
        {"unknown event", bad_event, good, 400, "incomplete or continue"},
        {"no call", no_call, good, 400, "call must"},
        {"caller not E.164", not_e164, good, 400, "E.164"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.name);
        const TransferParse parse = parse_transfer_result(row.params, row.body, kKey);
        CHECK_FALSE(parse);
        CHECK(parse.status == row.status);
        CHECK(parse.reason.find(row.reason_has) != std::string::npos);
        CHECK_FALSE(parse.code.empty());
    }
    // A gateway without a key signs nothing it would accept.
    CHECK_FALSE(parse_transfer_result(signed_params("incomplete"), good, ""));
}
