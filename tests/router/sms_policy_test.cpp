// The SMS pumping rule (sms_policy.h) and its settings, as tables: who may be texted without
// having texted us, how the hourly count rolls over and comes back after a restart.
#include "sms_policy.h"

#include <doctest/doctest.h>

#include "router_config.h"
#include "switchboard/phone.h"

using namespace sb;
using namespace sb::router;
using namespace std::chrono_literals;

namespace {

SmsRules us_only(std::uint32_t per_hour = 2) {
    return SmsRules{{"US"}, per_hour};
}

const char* name(SmsVerdict verdict) {
    switch (verdict) {
        case SmsVerdict::send:
            return "send";
        case SmsVerdict::refuse_country:
            return "refuse_country";
        case SmsVerdict::refuse_cap:
            return "refuse_cap";
    }
    return "?";
}

const WallTime kTen = WallTime{} + 493'000h;  // some whole hour

}  // namespace

TEST_CASE(
    "the rule: texted-in always, else an allowed country, and the router's own under the cap") {
    struct Row {
        const char* country;
        bool texted_in;
        SmsKind kind;
        std::uint32_t sent_this_hour;
        SmsVerdict expected;
    };
    const auto automatic = SmsKind::automatic;
    const auto reply = SmsKind::agent_reply;
    const Row rows[] = {
        // Texted in: from anywhere, over the cap, even with no country: answered.
        {"US", true, automatic, 0, SmsVerdict::send},
        {"FR", true, automatic, 0, SmsVerdict::send},
        {"FR", true, automatic, 99, SmsVerdict::send},
        {"", true, reply, 0, SmsVerdict::send},
        {"JM", true, reply, 99, SmsVerdict::send},
        // Never texted, allowed country: the router's own SMS are capped, replies are not.
        {"US", false, automatic, 0, SmsVerdict::send},
        {"US", false, automatic, 1, SmsVerdict::send},
        {"US", false, automatic, 2, SmsVerdict::refuse_cap},
        {"US", false, automatic, 50, SmsVerdict::refuse_cap},
        {"US", false, reply, 0, SmsVerdict::send},
        {"US", false, reply, 50, SmsVerdict::send},
        // Never texted, another country (or none can be told): nothing, whatever the count.
        {"FR", false, automatic, 0, SmsVerdict::refuse_country},
        {"FR", false, automatic, 50, SmsVerdict::refuse_country},
        {"CA", false, reply, 0, SmsVerdict::refuse_country},
        {"JM", false, reply, 50, SmsVerdict::refuse_country},
        {"", false, automatic, 0, SmsVerdict::refuse_country},
        {"", false, reply, 0, SmsVerdict::refuse_country},
    };
    for (const Row& row : rows) {
        CAPTURE(row.country);
        CAPTURE(row.texted_in);
        CAPTURE(row.kind == automatic);
        CAPTURE(row.sent_this_hour);
        CHECK(std::string(name(decide_sms(row.country, row.texted_in, row.kind, us_only(),
                                          row.sent_this_hour))) == name(row.expected));
    }
    // A cap of 0: nothing on the router's own to a number that never texted.
    CHECK(decide_sms("US", false, automatic, us_only(0), 0) == SmsVerdict::refuse_cap);
    CHECK(decide_sms("US", false, reply, us_only(0), 0) == SmsVerdict::send);
}

TEST_CASE("a number's country is its region, not only its calling code") {
    const std::pair<const char*, const char*> rows[] = {
        {"+12085550150", "US"},
        {"+18005550199", "US"},
        {"+16045550123", "CA"},
        {"+18765550123", "JM"},  // +1, yet Jamaica: the classic pumping destination
        {"+442079460000", "GB"},
        {"+447911123456", "GG"},
        {"+33612345678", "FR"},
        {"+882123456789", ""},  // a non-geographic network
        {"+999", ""},
        {"not a number", ""},
    };
    for (const auto& row : rows) {
        // Not a structured binding: C++17 lets no lambda (CAPTURE's) capture one.
        const auto& number = row.first;
        const auto& country = row.second;
        CAPTURE(number);
        CHECK(phone::country_of(number) == country);
    }
    CHECK(phone::is_country("US"));
    CHECK(phone::is_country("GG"));
    CHECK_FALSE(phone::is_country("UK"));
    CHECK_FALSE(phone::is_country("ZZ"));
    CHECK_FALSE(phone::is_country("us"));
    CHECK_FALSE(phone::is_country("USA"));
}

TEST_CASE("the policy counts only the router's own SMS to never-texted numbers, per hour") {
    SmsPolicy policy(us_only(2));
    policy.texted_in("+33612345678");
    CHECK(policy.check("+33612345678", SmsKind::automatic, kTen) == SmsVerdict::send);
    CHECK(policy.check("+12085550150", SmsKind::agent_reply, kTen) == SmsVerdict::send);
    CHECK(policy.check("+33699999999", SmsKind::automatic, kTen) == SmsVerdict::refuse_country);
    CHECK(policy.sent_this_hour(kTen) == 0);  // none of those counted

    CHECK(policy.check("+12085550150", SmsKind::automatic, kTen) == SmsVerdict::send);
    CHECK(policy.check("+12085550151", SmsKind::automatic, kTen + 59min) == SmsVerdict::send);
    CHECK(policy.sent_this_hour(kTen + 59min) == 2);
    CHECK(policy.check("+12085550152", SmsKind::automatic, kTen + 59min) == SmsVerdict::refuse_cap);
    CHECK(policy.sent_this_hour(kTen + 59min) == 2);  // a refusal is not a send
    // Replies and texted-in customers are not held back by the cap.
    CHECK(policy.check("+12085550152", SmsKind::agent_reply, kTen + 59min) == SmsVerdict::send);
    CHECK(policy.check("+33612345678", SmsKind::automatic, kTen + 59min) == SmsVerdict::send);

    SUBCASE("the next hour starts from zero") {
        CHECK(policy.sent_this_hour(kTen + 60min) == 0);
        CHECK(policy.check("+12085550152", SmsKind::automatic, kTen + 60min) == SmsVerdict::send);
        CHECK(policy.sent_this_hour(kTen + 60min) == 1);
    }
    SUBCASE("a clock set back does not reopen the hour") {
        CHECK(policy.check("+12085550152", SmsKind::automatic, kTen - 2h) ==
              SmsVerdict::refuse_cap);
    }
}

TEST_CASE("restart: the facts kept bring back who texted in and the hour's count") {
    SmsPolicy first(us_only(2));
    first.texted_in("+33612345678");
    first.texted_in("+33612345678");  // once is enough
    CHECK(first.check("+12085550150", SmsKind::automatic, kTen) == SmsVerdict::send);
    const auto changes = first.take_changes();
    REQUIRE(changes.size() == 2);
    CHECK(first.take_changes().empty());  // taken once
    CHECK(changes[0] == Remembered{"sms.texted.+33612345678", nlohmann::json(nullptr)});
    CHECK(changes[1] ==
          Remembered{"sms.hour", nlohmann::json{{"hour", hour_of(kTen)}, {"sent", 1}}});
    // What the journal hands back (Node::memory()): each key once, with its value.
    Memory records;
    for (const Remembered& change : changes) records.emplace_back(change.key, *change.value);

    struct Row {
        const char* name;
        Memory records;
        WallTime now;
        SmsVerdict foreigner;  // a reply to the French customer who texted in
        std::uint32_t sent;
    };
    const Row rows[] = {
        {"the records", records, kTen + 30min, SmsVerdict::send, 1},
        {"the records, next hour", records, kTen + 61min, SmsVerdict::send, 0},
        {"the records in another order",
         {records[1], records[0]},
         kTen + 30min,
         SmsVerdict::send,
         1},
        {"nothing (a new life that forgot)", {}, kTen + 30min, SmsVerdict::refuse_country, 0},
        {"junk around the records",
         {{"sms.hour", nlohmann::json("junk")},
          {"sms.hour", nlohmann::json::object({{"hour", "x"}, {"sent", 5}})},
          {"sms.hour", nlohmann::json::object({{"hour", hour_of(kTen)}, {"sent", -1}})},
          {"sms.texted.", nullptr},
          {"seen.m1", nlohmann::json::object({{"hour", hour_of(kTen)}, {"sent", 2}})},
          records[0],
          records[1],
          {"sms.hour", nlohmann::json::object({{"hour", 1}, {"sent", 99}})}},  // an older hour
         kTen + 30min,
         SmsVerdict::send,
         1},
    };
    for (const Row& row : rows) {
        CAPTURE(row.name);
        SmsPolicy again(us_only(2));
        again.restore(row.records);
        CHECK(again.sent_this_hour(row.now) == row.sent);
        CHECK(name(again.check("+33612345678", SmsKind::agent_reply, row.now)) ==
              std::string(name(row.foreigner)));
    }
    // The count restored is the one the cap applies to.
    SmsPolicy again(us_only(2));
    again.restore(records);
    CHECK(again.check("+12085550151", SmsKind::automatic, kTen + 1min) == SmsVerdict::send);
    CHECK(again.check("+12085550152", SmsKind::automatic, kTen + 2min) == SmsVerdict::refuse_cap);
}

TEST_CASE("the room's note says what was not sent and why, in plain words") {
    const std::string country = sms_refused_note(SmsVerdict::refuse_country, "No welcome SMS sent",
                                                 "+33612345678", SmsRules{{"CA", "US"}, 60});
    CHECK(country.find("No welcome SMS sent") == 2);
    CHECK(country.find("+33612345678 never texted us") != std::string::npos);
    CHECK(country.find("FR") != std::string::npos);
    CHECK(country.find("CA, US") != std::string::npos);
    CHECK(country.find("SMS\\_ALLOWED\\_COUNTRIES") != std::string::npos);
    const std::string unknown = sms_refused_note(
        SmsVerdict::refuse_country, "Reply not sent by SMS", "+882123456789", us_only());
    CHECK(unknown.find("no country can be told") != std::string::npos);
    const std::string cap = sms_refused_note(SmsVerdict::refuse_cap, "No welcome SMS sent",
                                             "+12085550150", us_only(60));
    CHECK(cap.find("60 SMS") != std::string::npos);
    CHECK(cap.find("SMS\\_UNSOLICITED\\_PER\\_HOUR") != std::string::npos);
}

TEST_CASE("settings: SMS_ALLOWED_COUNTRIES defaults to the contact center's country") {
    const auto read = [](Environment::Values values) {
        values.emplace("CUSTOMER_SERVICE_REDIRECT_DN", "+1 (800) 555-0199");
        values.emplace("SPARK_AGENT_TEAM_ID", "team");
        return read_settings(Environment(std::move(values)));
    };
    const Settings defaults = read({});
    CHECK(defaults.sms.allowed_countries == std::set<std::string>{"US"});
    CHECK(defaults.sms.per_hour == 60);
    CHECK(read({{"CUSTOMER_SERVICE_REDIRECT_DN", "+44 20 7946 0000"}}).sms.allowed_countries ==
          std::set<std::string>{"GB"});
    CHECK(read({{"SMS_ALLOWED_COUNTRIES", ""}}).sms.allowed_countries ==
          std::set<std::string>{"US"});
    CHECK(read({{"SMS_ALLOWED_COUNTRIES", " us, ca ,GG"}}).sms.allowed_countries ==
          std::set<std::string>{"CA", "GG", "US"});
    CHECK(read({{"SMS_UNSOLICITED_PER_HOUR", "0"}}).sms.per_hour == 0);

    const std::pair<const char*, const char*> bad[] = {
        {"SMS_ALLOWED_COUNTRIES", "UK"},      {"SMS_ALLOWED_COUNTRIES", "USA"},
        {"SMS_ALLOWED_COUNTRIES", "US,,CA"},  {"SMS_ALLOWED_COUNTRIES", "US;CA"},
        {"SMS_ALLOWED_COUNTRIES", "ZZ"},      {"SMS_UNSOLICITED_PER_HOUR", "-1"},
        {"SMS_UNSOLICITED_PER_HOUR", "many"},
    };
    for (const auto& row : bad) {
        // Not a structured binding: C++17 lets no lambda (CAPTURE's) capture one.
        const auto& variable = row.first;
        const auto& value = row.second;
        CAPTURE(value);
        try {
            read({{variable, value}});
            FAIL("accepted");
        } catch (const ConfigError& error) {
            CHECK(std::string(error.what()).find(variable) != std::string::npos);
        }
    }
    // A contact center with no country (international freephone): the list must be given.
    try {
        read({{"CUSTOMER_SERVICE_REDIRECT_DN", "+800 1234 5678"}});
        FAIL("accepted");
    } catch (const ConfigError& error) {
        CHECK(std::string(error.what()).find("SMS_ALLOWED_COUNTRIES") != std::string::npos);
    }
}
