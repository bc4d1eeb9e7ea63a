#include "answer_interpreter.h"

#include <nlohmann/json.hpp>
#include <optional>

namespace sb::sandbox::tropo {
namespace {

using json = nlohmann::json;

// `to` may be a string or an array of strings: only the first one is used (Tropo sends an SMS
// to the first number only; one `message` per recipient).
std::optional<std::string> first_target(const json& args) {
    if (!args.is_object() || !args.contains("to")) return std::nullopt;
    const json* to = &args["to"];
    if (to->is_array()) {
        if (to->empty()) return std::nullopt;
        to = &(*to)[0];
    }
    if (to->is_object() && to->contains("id")) to = &(*to)["id"];  // {"to":{"id":...}}
    if (!to->is_string()) return std::nullopt;
    return to->get<std::string>();
}

// say: {"value":..} or [{"value":..}, ...]; a bare string is taken as its value.
std::vector<std::string> say_values(const json& say) {
    std::vector<std::string> values;
    const auto add = [&](const json& item) {
        if (item.is_string())
            values.push_back(item.get<std::string>());
        else if (item.is_object() && item.contains("value") && item["value"].is_string()) {
            values.push_back(item["value"].get<std::string>());
        }
    };
    if (say.is_array()) {
        for (const json& item : say) add(item);
    } else {
        add(say);
    }
    return values;
}

std::string upper_field(const json& args, const char* name) {
    if (!args.is_object() || !args.contains(name) || !args[name].is_string()) return {};
    std::string value = args[name].get<std::string>();
    for (char& c : value) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return value;
}

bool is_sms(const json& args) {
    return upper_field(args, "network") == "SMS" || upper_field(args, "channel") == "TEXT";
}

}  // namespace

std::string strip_tel(const std::string& target) {
    return target.rfind("tel:", 0) == 0 ? target.substr(4) : target;
}

Interpretation interpret_answer(std::string_view body, SessionMode mode,
                                const std::string& caller) {
    Interpretation result;
    const json answer = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!answer.is_object() || !answer.contains("tropo") || !answer["tropo"].is_array()) {
        result.error = "the answer is not a Tropo document {\"tropo\":[...]}";
        return result;
    }
    std::optional<std::string> sms_target;
    if (mode == SessionMode::text) sms_target = caller;
    // Tropo registers a document's event handlers wherever they stand (they usually follow
    // the verb they are about).
    for (const json& step : answer["tropo"]) {
        if (!step.is_object() || step.size() != 1 || step.begin().key() != "on") continue;
        const json& on = step.begin().value();
        for (const json& handler : on.is_array() ? on : json::array({on})) {
            if (handler.is_object() && handler.contains("event") && handler["event"].is_string() &&
                handler.contains("next") && handler["next"].is_string()) {
                result.handlers.push_back(
                    {handler["event"].get<std::string>(), handler["next"].get<std::string>()});
            }
        }
    }

    for (const json& step : answer["tropo"]) {
        if (!step.is_object() || step.size() != 1) {
            result.ignored.push_back("(not a verb)");
            continue;
        }
        const std::string verb = step.begin().key();
        const json& args = step.begin().value();
        if (verb == "message") {
            const auto to = first_target(args);
            if (to && is_sms(args) && args.contains("say")) {
                for (const std::string& text : say_values(args["say"])) {
                    result.effects.push_back({Effect::Kind::sms, *to, text});
                }
            } else {
                result.ignored.push_back("message (no SMS target or text)");
            }
        } else if (verb == "call") {
            const auto to = first_target(args);
            if (to && is_sms(args))
                sms_target = to;
            else
                result.ignored.push_back("call (voice)");
        } else if (verb == "say") {
            for (const std::string& text : say_values(args)) {
                if (sms_target)
                    result.effects.push_back({Effect::Kind::sms, *sms_target, text});
                else if (mode == SessionMode::voice) {
                    result.effects.push_back({Effect::Kind::speech, {}, text});
                }
            }
        } else if (verb == "transfer" || verb == "redirect") {
            const auto to = first_target(args);
            if (!to) {
                result.ignored.push_back(verb + " (no target)");
                continue;
            }
            const auto kind = verb == "transfer" ? Effect::Kind::transfer : Effect::Kind::redirect;
            std::string name;
            if (args.contains("name") && args["name"].is_string()) name = args["name"];
            result.effects.push_back({kind, strip_tel(*to), {}, name});
            return result;  // the call leaves the application
        } else if (verb == "on") {
            continue;  // read above
        } else if (verb == "reject") {
            result.effects.push_back({Effect::Kind::reject, {}, {}});
            return result;
        } else if (verb == "hangup") {
            result.effects.push_back({Effect::Kind::hangup, {}, {}});
            return result;
        } else {
            result.ignored.push_back(verb);
        }
    }
    return result;
}

}  // namespace sb::sandbox::tropo
