#include "sms_policy.h"

#include <algorithm>
#include <cstdint>

#include "room_text.h"
#include "switchboard/phone.h"

namespace sb::router {
namespace {

constexpr std::string_view kTextedIn = "texted_in";
constexpr std::string_view kHour = "hour";
constexpr std::string_view kSent = "sent";

std::string joined(const std::set<std::string>& countries) {
    std::string out;
    for (const std::string& country : countries) out += (out.empty() ? "" : ", ") + country;
    return out.empty() ? "none" : out;
}

}  // namespace

SmsVerdict decide_sms(std::string_view country, bool texted_in, SmsKind kind, const SmsRules& rules,
                      std::uint32_t sent_this_hour) {
    // Whoever wrote to us pays nothing to be answered: the number is theirs, and they want it.
    if (texted_in) return SmsVerdict::send;
    if (country.empty() || rules.allowed_countries.count(std::string(country)) == 0) {
        return SmsVerdict::refuse_country;
    }
    if (kind == SmsKind::automatic && sent_this_hour >= rules.per_hour) {
        return SmsVerdict::refuse_cap;
    }
    return SmsVerdict::send;
}

std::int64_t hour_of(WallTime now) {
    return std::chrono::duration_cast<std::chrono::hours>(now.time_since_epoch()).count();
}

SmsPolicy::SmsPolicy(SmsRules rules) : rules_(std::move(rules)) {}

void SmsPolicy::texted_in(const std::string& number) {
    if (texted_in_.insert(number).second) records_.push_back({{kTextedIn, number}});
}

bool SmsPolicy::has_texted_in(const std::string& number) const {
    return texted_in_.count(number) > 0;
}

std::uint32_t SmsPolicy::sent_this_hour(WallTime now) const {
    // A clock set back does not reopen an hour already counted: the later hour's count holds.
    return hour_of(now) <= hour_ ? sent_ : 0;
}

SmsVerdict SmsPolicy::check(const std::string& number, SmsKind kind, WallTime now) {
    const bool texted = has_texted_in(number);
    const std::uint32_t sent = sent_this_hour(now);
    const SmsVerdict verdict =
        decide_sms(texted ? std::string() : phone::country_of(number), texted, kind, rules_, sent);
    if (verdict == SmsVerdict::send && kind == SmsKind::automatic && !texted) {
        hour_ = std::max(hour_, hour_of(now));
        sent_ = sent + 1;
        records_.push_back({{kHour, hour_}, {kSent, sent_}});
    }
    return verdict;
}

std::vector<nlohmann::json> SmsPolicy::take_records() {
    std::vector<nlohmann::json> taken;
    taken.swap(records_);
    return taken;
}

void SmsPolicy::restore(const std::vector<nlohmann::json>& records) {
    for (const nlohmann::json& record : records) {
        // A record this version does not understand is skipped, not fatal: the worst it can
        // cost is one more SMS than the cap, or a refused reply that the customer's next SMS
        // makes good.
        if (!record.is_object()) continue;
        if (const auto number = record.find(kTextedIn);
            number != record.end() && number->is_string()) {
            texted_in_.insert(number->get<std::string>());
        }
        const auto hour = record.find(kHour);
        const auto sent = record.find(kSent);
        if (hour == record.end() || sent == record.end() || !hour->is_number_integer() ||
            !sent->is_number_integer() || sent->get<std::int64_t>() < 0) {
            continue;
        }
        const auto h = hour->get<std::int64_t>();
        const auto n = static_cast<std::uint32_t>(
            std::min<std::int64_t>(sent->get<std::int64_t>(), UINT32_MAX));
        if (h > hour_) {
            hour_ = h;
            sent_ = n;
        } else if (h == hour_) {
            sent_ = std::max(sent_, n);
        }
    }
}

std::vector<nlohmann::json> SmsPolicy::snapshot() const {
    std::vector<nlohmann::json> records;
    records.reserve(texted_in_.size() + 1);
    for (const std::string& number : texted_in_) records.push_back({{kTextedIn, number}});
    records.push_back({{kHour, hour_}, {kSent, sent_}});
    return records;
}

std::string sms_refused_note(SmsVerdict verdict, std::string_view headline, std::string_view number,
                             const SmsRules& rules) {
    const std::string who = escape_markdown(number);
    std::string note = "**" + std::string(headline) + "**: ";
    if (verdict == SmsVerdict::refuse_cap) {
        note += std::to_string(rules.per_hour) +
                " SMS have already gone this hour to numbers that never texted us, the most "
                "allowed (SMS\\_UNSOLICITED\\_PER\\_HOUR), so nothing more is sent to " +
                who + " on its own. Replies written here are still sent.";
        return note;
    }
    const std::string country = phone::country_of(number);
    note += who + " never texted us, and ";
    note +=
        country.empty() ? "no country can be told from the number" : "it is a number of " + country;
    note += "; SMS to numbers that never texted us go only to " + joined(rules.allowed_countries) +
            " (SMS\\_ALLOWED\\_COUNTRIES). Once they text us, replies reach them.";
    return note;
}

}  // namespace sb::router
