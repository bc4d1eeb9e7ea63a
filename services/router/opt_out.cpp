#include "opt_out.h"

#include <algorithm>

#include "switchboard/text.h"

namespace sb::router {
namespace {

constexpr size_t kAnsweredKept = 8;  // a customer's keyword SMS held at once: a handful at most

std::string_view source_name(OptOutSource source) {
    switch (source) {
        case OptOutSource::keyword:
            return "keyword";
        case OptOutSource::carrier:
            return "carrier";
        case OptOutSource::title:
            return "title";
    }
    return "keyword";
}

std::string string_in(const nlohmann::json& object, const char* name) {
    if (!object.contains(name) || !object.at(name).is_string()) return {};
    return object.at(name).get<std::string>();
}

}  // namespace

KeywordEffects keyword_effects(Keyword keyword, bool carrier_answers_keywords) {
    const bool answer = !carrier_answers_keywords;
    switch (keyword) {
        case Keyword::opt_out:
            return {true, answer};
        case Keyword::opt_in:
            return {false, answer};
        case Keyword::help:
            return {std::nullopt, answer};
        case Keyword::none:
            break;
    }
    return {};
}

bool carrier_answered(const CustomerMessage& message) {
    return message.carrier_answers_keywords && bare_keyword(message.text);
}

bool title_marked(std::string_view title) {
    title = trim(title);
    return title.size() >= kOptedOutMark.size() &&
           iequals(title.substr(0, kOptedOutMark.size()), kOptedOutMark);
}

std::string unmarked_title(std::string_view title) {
    std::string_view rest = trim(title);
    while (title_marked(rest)) rest = trim(rest.substr(kOptedOutMark.size()));
    return std::string(rest);
}

std::string marked_title(std::string_view title) {
    return std::string(kOptedOutMark) + unmarked_title(title);
}

bool OptOuts::opted_out(const std::string& number) const {
    const auto found = records_.find(number);
    return found != records_.end() && found->second.opted_out;
}

bool OptOuts::set(const std::string& number, bool opted_out, OptOutSource source,
                  const std::string& at) {
    Record& record = records_[number];
    const bool was_known = !record.source.empty();
    const bool change = !was_known || record.opted_out != opted_out;
    if (!change) return false;
    record.opted_out = opted_out;
    record.source = std::string(source_name(source));
    record.at = at;
    changed(number);
    return was_known || opted_out;  // a first record "opted in" changes nothing anyone sees
}

bool OptOuts::adopt_title(const std::string& number, std::string_view title,
                          const std::string& at) {
    if (known(number) || !title_marked(title)) return false;
    return set(number, true, OptOutSource::title, at);
}

std::optional<std::string> OptOuts::title_wanted(const std::string& number,
                                                 std::string_view title) const {
    const auto found = records_.find(number);
    if (found == records_.end() || title.empty()) return std::nullopt;
    if (found->second.opted_out == title_marked(title)) return std::nullopt;
    return found->second.opted_out ? marked_title(title) : unmarked_title(title);
}

bool OptOuts::answered(const std::string& number, const std::string& event_id) const {
    const auto found = records_.find(number);
    if (found == records_.end()) return false;
    const auto& ids = found->second.answered;
    return std::find(ids.begin(), ids.end(), event_id) != ids.end();
}

void OptOuts::mark_answered(const std::string& number, const std::string& event_id) {
    Record& record = records_[number];
    if (record.source.empty()) record.source = std::string(source_name(OptOutSource::keyword));
    record.answered.push_back(event_id);
    if (record.answered.size() > kAnsweredKept) record.answered.erase(record.answered.begin());
    changed(number);
}

size_t OptOuts::opted_out_count() const {
    return static_cast<size_t>(
        std::count_if(records_.begin(), records_.end(),
                      [](const auto& entry) { return entry.second.opted_out; }));
}

std::vector<std::string> OptOuts::numbers() const {
    std::vector<std::string> numbers;
    for (const auto& [number, record] : records_) numbers.push_back(number);
    return numbers;
}

void OptOuts::changed(const std::string& number) {
    if (std::find(changed_.begin(), changed_.end(), number) == changed_.end()) {
        changed_.push_back(number);
    }
}

std::vector<Remembered> OptOuts::take_changes() {
    std::vector<Remembered> changes;
    for (const std::string& number : changed_) {
        const Record& record = records_.at(number);
        changes.push_back(
            {std::string(kOptOutPrefix) + number, nlohmann::json{{"opted_out", record.opted_out},
                                                                 {"source", record.source},
                                                                 {"at", record.at},
                                                                 {"answered", record.answered}}});
    }
    changed_.clear();
    return changes;
}

void OptOuts::restore(const Memory& memory) {
    for (const auto& [key, value] : memory) {
        if (!has_prefix(key, kOptOutPrefix) || key.size() == kOptOutPrefix.size()) continue;
        if (!value.is_object()) continue;
        if (!value.contains("opted_out") || !value.at("opted_out").is_boolean()) continue;
        Record record;
        record.opted_out = value.at("opted_out").get<bool>();
        record.source = string_in(value, "source");
        if (record.source.empty()) record.source = std::string(source_name(OptOutSource::keyword));
        record.at = string_in(value, "at");
        if (value.contains("answered") && value.at("answered").is_array()) {
            for (const auto& id : value.at("answered")) {
                if (id.is_string()) record.answered.push_back(id.get<std::string>());
            }
        }
        records_[key.substr(kOptOutPrefix.size())] = std::move(record);
    }
}

}  // namespace sb::router
