#include "mentions.h"

#include <algorithm>

namespace sb::sandbox::spark {

const std::regex& mention_pattern() {
    static const std::regex pattern(R"(<@(personEmail|personId):([^>|]+)(?:\|([^>]*))?>|<@all>)");
    return pattern;
}

Mentions mentions_in(
    const std::string& markdown,
    const std::function<std::optional<std::string>(const std::string&)>& person_id_of) {
    Mentions found;
    for (auto it = std::sregex_iterator(markdown.begin(), markdown.end(), mention_pattern());
         it != std::sregex_iterator(); ++it) {
        const auto& match = *it;
        if (match[0].str() == "<@all>") {
            found.groups.push_back("all");
            continue;
        }
        const auto person = person_id_of(match[2].str());
        if (person &&
            std::find(found.people.begin(), found.people.end(), *person) == found.people.end()) {
            found.people.push_back(*person);
        }
    }
    return found;
}

}  // namespace sb::sandbox::spark
