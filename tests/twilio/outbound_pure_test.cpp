// The outbound half's decisions, without sockets: Twilio's answers and error codes, long texts,
// the retry waits, the status ledger's order.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "long_sms.h"
#include "send_backoff.h"
#include "sms_sender.h"
#include "status_ledger.h"
#include "twilio_errors.h"

using namespace sb::twilio_gateway;
using namespace std::chrono_literals;

TEST_CASE("a Messages.json answer is sent, tried again, refused, or an opt-out") {
    struct Row {
        int status;
        int code;
        SendVerdict verdict;
        std::string carrier_code;
        std::string reason_has;
    };
    const Row rows[] = {
        {201, 0, SendVerdict::sent, "", ""},
        {200, 0, SendVerdict::sent, "", ""},
        {0, 0, SendVerdict::retry, "network", "could not be reached"},
        {429, 20429, SendVerdict::retry, "20429", "429"},
        {429, 0, SendVerdict::retry, "HTTP 429", "429"},
        {500, 0, SendVerdict::retry, "HTTP 500", ""},
        {503, 20503, SendVerdict::retry, "20503", ""},
        {400, 21611, SendVerdict::retry, "21611", ""},
        {400, 21610, SendVerdict::opted_out, "21610", "replied STOP"},
        {400, 21211, SendVerdict::failed, "21211", "not a valid phone number"},
        {400, 21614, SendVerdict::failed, "21614", "not a mobile phone (a landline?)"},
        {400, 21612, SendVerdict::failed, "21612", "cannot be reached by SMS from our number"},
        {400, 21408, SendVerdict::failed, "21408", "not enabled in our Twilio account"},
        {400, 21606, SendVerdict::failed, "21606", "TWILIO_FROM_NUMBER"},
        {400, 21617, SendVerdict::failed, "21617", "1600"},
        {401, 20003, SendVerdict::failed, "20003", "credentials"},
        {400, 21999, SendVerdict::failed, "21999", "(error 21999): the message"},
        {404, 0, SendVerdict::failed, "HTTP 404", "HTTP 404"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.status);
        CAPTURE(row.code);
        const SendOutcome outcome = classify_send_answer(row.status, row.code, "the message");
        CHECK(outcome.verdict == row.verdict);
        CHECK(outcome.carrier_code == row.carrier_code);
        CHECK(outcome.reason.find(row.reason_has) != std::string::npos);
        if (row.verdict == SendVerdict::failed || row.verdict == SendVerdict::opted_out) {
            CHECK(!outcome.reason.empty());
        }
    }
}

TEST_CASE("a status callback's ErrorCode gets a plain reason") {
    struct Row {
        std::string code;
        std::string reason_has;
    };
    const Row rows[] = {
        {"30003", "the phone is switched off or unreachable"},
        {"30004", "blocked"},
        {"30005", "the number does not exist"},
        {"30006", "a landline or a carrier that cannot take SMS"},
        {"30007", "filtered by the carrier (spam filter)"},
        {"30008", "unknown reason"},
        {"30034", "our number is not registered for US business texting (A2P 10DLC)"},
        {"30036", "expired"},
        {"30999", "Twilio error 30999"},
        {"", "no reason given"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.code);
        CHECK(callback_error_reason(row.code).find(row.reason_has) != std::string::npos);
    }
}

TEST_CASE("Twilio's length counts UTF-16 units") {
    CHECK(twilio_length("") == 0);
    CHECK(twilio_length("abc") == 3);
    CHECK(twilio_length("caf\xC3\xA9") == 4);               // é: one unit
    CHECK(twilio_length("\xE2\x80\x9C") == 1);              // “: one unit
    CHECK(twilio_length("\xF0\x9F\x98\x80") == 2);          // 😀: a surrogate pair
    CHECK(twilio_length(std::string("\xFF\xC3", 2)) == 2);  // stray bytes: one each
}

namespace {

std::string words(size_t count, const std::string& word) {
    std::string out;
    for (size_t i = 0; i < count; ++i) out += (i ? " " : "") + word;
    return out;
}

}  // namespace

TEST_CASE("a text up to 1600 characters is one message, as it is") {
    const std::string exactly = std::string(1600, 'a');
    CHECK(split_long_sms(exactly) == std::vector<std::string>{exactly});
    const std::string with_spaces = "  hello there  \n";
    CHECK(split_long_sms(with_spaces) == std::vector<std::string>{with_spaces});
    std::string emoji;
    for (int i = 0; i < 800; ++i) emoji += "\xF0\x9F\x98\x80";  // 1600 units
    CHECK(split_long_sms(emoji).size() == 1);
    CHECK(split_long_sms("").empty());
    CHECK(split_long_sms(" \n\t").empty());
}

TEST_CASE("a longer text splits at whitespace into as few messages as fit") {
    struct Row {
        std::string text;
        size_t limit;
        std::vector<std::string> parts;
    };
    const Row rows[] = {
        {"aaa bbb ccc", 7, {"aaa bbb", "ccc"}},
        {"aaa bbb ccc", 8, {"aaa bbb", "ccc"}},  // the space at the cut is dropped
        {"aaa bbb ccc", 6, {"aaa", "bbb", "ccc"}},
        {"aaa\n\nbbb ccc", 9, {"aaa\n\nbbb", "ccc"}},
        {"aaaaaaaaaa bb", 4, {"aaaa", "aaaa", "aa", "bb"}},  // one word longer than the limit
        {"see https://example.com/x?y=1 now", 27, {"see", "https://example.com/x?y=1", "now"}},
        {"ab   cd", 3, {"ab", "cd"}},
        // Never inside a character: é is two bytes, 😀 four (two units).
        {"\xC3\xA9\xC3\xA9\xC3\xA9", 2, {"\xC3\xA9\xC3\xA9", "\xC3\xA9"}},
        {"a\xF0\x9F\x98\x80\xF0\x9F\x98\x80", 3, {"a\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"}},
    };
    for (const Row& row : rows) {
        CAPTURE(row.text);
        CAPTURE(row.limit);
        CHECK(split_long_sms(row.text, row.limit) == row.parts);
    }
}

TEST_CASE("4000 characters of words go in 3 messages, each within 1600, none cut") {
    const std::string text = words(800, "word");  // 800 * 5 - 1 = 3999 characters
    const auto parts = split_long_sms(text);
    REQUIRE(parts.size() == 3);
    std::string joined;
    for (const auto& part : parts) {
        CHECK(twilio_length(part) <= 1600);
        CHECK(part.front() == 'w');
        CHECK(part.back() == 'd');
        joined += (joined.empty() ? "" : " ") + part;
    }
    CHECK(joined == text);
}

TEST_CASE("retry waits double up to the cap and honour Retry-After") {
    const SendBackoff backoff{500ms, 8000ms, 60000ms};
    struct Row {
        int retry;
        std::string retry_after;
        std::chrono::milliseconds wait;
    };
    const Row rows[] = {
        {1, "", 500ms},      {2, "", 1000ms},  {3, "", 2000ms}, {5, "", 8000ms},
        {50, "", 8000ms},    {1, "3", 3000ms}, {1, "0", 500ms}, {1, "9999", 60000ms},
        {2, "soon", 1000ms}, {1, "-1", 500ms},
    };
    for (const Row& row : rows) {
        CAPTURE(row.retry);
        CAPTURE(row.retry_after);
        CHECK(retry_delay(row.retry, row.retry_after, backoff) == row.wait);
    }
}

TEST_CASE("the Messages.json form and its StatusCallback") {
    SenderSettings settings{"ACx", "+15005550006", "", "https://gw.example.com"};
    const std::string callback =
        status_callback_url(settings.public_base_url, "Y2lz/room 1", "msg&1");
    CHECK(callback ==
          "https://gw.example.com/api/twilio/sms/status/?room=Y2lz%2Froom%201&reply=msg%261");
    const sb::FormParams form = message_form(settings, "+14155550100", "hi", callback);
    CHECK(form == sb::FormParams{{"To", "+14155550100"},
                                 {"From", "+15005550006"},
                                 {"Body", "hi"},
                                 {"StatusCallback", callback},
                                 {"SmartEncoded", "true"}});
    settings.messaging_service_sid = "MG0123";
    const sb::FormParams pooled = message_form(settings, "+14155550100", "hi", callback);
    CHECK(pooled[1] == std::pair<std::string, std::string>{"MessagingServiceSid", "MG0123"});
    CHECK(messages_target("ACx") == "/2010-04-01/Accounts/ACx/Messages.json");
}

TEST_CASE("a status ranks above another or not, and terminal ones rank equal") {
    CHECK(status_rank("accepted") < status_rank("queued"));
    CHECK(status_rank("queued") < status_rank("sending"));
    CHECK(status_rank("sending") < status_rank("sent"));
    CHECK(status_rank("sent") < status_rank("delivered"));
    CHECK(status_rank("delivered") == status_rank("undelivered"));
    CHECK(status_rank("undelivered") == status_rank("failed"));
    CHECK(status_rank("delivered") < status_rank("read"));
    CHECK(status_rank("bogus") < 0);
    CHECK(report_status_for("delivered") == "delivered");
    CHECK(report_status_for("undelivered") == "undelivered");
    CHECK(report_status_for("failed") == "failed");
    CHECK_FALSE(report_status_for("sent"));
    CHECK_FALSE(report_status_for("queued"));
    CHECK_FALSE(report_status_for("read"));
}

TEST_CASE("the ledger takes each status once and never goes backwards") {
    using V = StatusLedger::Verdict;
    struct Step {
        std::string sid, status;
        V verdict;
    };
    const std::vector<Step> steps = {
        {"SM1", "sent", V::advance},        {"SM1", "sent", V::duplicate},
        {"SM1", "delivered", V::advance},   {"SM1", "delivered", V::duplicate},
        {"SM1", "sent", V::backwards},      {"SM1", "undelivered", V::backwards},
        {"SM1", "read", V::advance},        {"SM1", "delivered", V::backwards},
        {"SM2", "undelivered", V::advance}, {"SM2", "sending", V::backwards},
        {"SM2", "delivered", V::backwards}, {"SM3", "whatever", V::unknown_status},
        {"SM3", "queued", V::advance},
    };
    StatusLedger ledger(100);
    for (const Step& step : steps) {
        CAPTURE(step.sid);
        CAPTURE(step.status);
        const V verdict = ledger.judge(step.sid, step.status);
        CHECK(verdict == step.verdict);
        if (verdict == V::advance) ledger.record(step.sid, step.status);
    }
    CHECK(ledger.status_of("SM1") == "read");
    CHECK(ledger.status_of("SM2") == "undelivered");
}

TEST_CASE("the ledger is bounded and lets the oldest go first") {
    StatusLedger ledger(2);
    CHECK_FALSE(ledger.record("SM1", "delivered"));
    CHECK_FALSE(ledger.record("SM2", "delivered"));
    CHECK_FALSE(ledger.record("SM1", "read"));  // known: no room taken
    CHECK(ledger.record("SM3", "delivered") == std::optional<std::string>("SM1"));
    CHECK(ledger.size() == 2);
    CHECK_FALSE(ledger.status_of("SM1"));
    CHECK(ledger.judge("SM1", "delivered") == StatusLedger::Verdict::advance);
}
