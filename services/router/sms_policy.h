#pragma once
// Who the router may text on its own (SMS pumping, Twilio's name for it): a bot that types many
// numbers into the contact form or the JSON API must not make the company pay for SMS to
// premium-rate or foreign numbers. An SMS to a number that never texted the company goes only
// to an allowed country, and the ones the router sends by itself (the welcome, "agents are
// busy") are capped per wall-clock hour. A customer who texted in, from anywhere, is answered.
//
// Pure: the decision is a function, and the little state it needs (who texted in, the count of
// the current hour) is a value that changes only through the calls below, each change also
// given as a fact to remember (remembered.h: sms.texted.<E164>, sms.hour), kept by the shell
// with the SMS it allows and handed back after a restart.
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "remembered.h"
#include "switchboard/clocks.h"

namespace sb::router {

using WallTime = WallClock::time_point;

enum class SmsKind {
    automatic,    // the router's own: the welcome, "agents are busy"; counted and capped
    agent_reply,  // a person wrote it: the country rule only (no bot makes agents type)
};

enum class SmsVerdict { send, refuse_country, refuse_cap };

struct SmsRules {
    std::set<std::string> allowed_countries;  // ISO 3166 alpha-2 ("US", "CA")
    std::uint32_t per_hour = 60;              // automatic SMS to never-texted numbers
};

// The rule itself. `country` is the number's ("" when none can be told: never allowed);
// `sent_this_hour` counts the automatic SMS to never-texted numbers in the current hour.
SmsVerdict decide_sms(std::string_view country, bool texted_in, SmsKind kind, const SmsRules& rules,
                      std::uint32_t sent_this_hour);

// Hours are whole UTC hours: the count starts again at hh:00 (a burst may straddle two).
std::int64_t hour_of(WallTime now);

class SmsPolicy {
  public:
    explicit SmsPolicy(SmsRules rules);

    // An SMS came from this number: from now on it is always answered.
    void texted_in(const std::string& number);
    bool has_texted_in(const std::string& number) const;

    // Decides about one SMS to `number` (E.164) now; an automatic one that may go is counted.
    SmsVerdict check(const std::string& number, SmsKind kind, WallTime now);
    std::uint32_t sent_this_hour(WallTime now) const;
    const SmsRules& rules() const { return rules_; }

    // The changes since the last call, as facts to remember (sms.texted.<E164> -> null, and
    // sms.hour -> {"hour": h, "sent": n}); restore() takes back what was kept, skipping the
    // keys that are not the policy's.
    std::vector<Remembered> take_changes();
    void restore(const Memory& memory);

  private:
    SmsRules rules_;
    std::unordered_set<std::string> texted_in_;
    std::int64_t hour_ = 0;
    std::uint32_t sent_ = 0;
    std::vector<Remembered> changes_;
};

// What the router posts in the room instead of the SMS, in plain words, after `headline`
// ("No welcome SMS sent", "Reply not sent by SMS"): markdown, the number escaped.
std::string sms_refused_note(SmsVerdict verdict, std::string_view headline, std::string_view number,
                             const SmsRules& rules);

}  // namespace sb::router
