#pragma once
// Webex mentions in markdown: `<@personEmail:a@b|Name>`, `<@personId:…|Name>` and `<@all>`.
#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace sb::sandbox::spark {

// Groups: 1 = personEmail|personId, 2 = the email or id, 3 = the shown name (optional).
// `<@all>` matches with no groups.
const std::regex& mention_pattern();

struct Mentions {
    std::vector<std::string> people;  // person ids, first mention first, each once
    std::vector<std::string> groups;  // "all" for every <@all>
};

// What Webex records as mentionedPeople/mentionedGroups for `markdown`. `person_id_of` maps an
// email or id to a known person's id; mentions of nobody known are left out.
Mentions mentions_in(
    const std::string& markdown,
    const std::function<std::optional<std::string>(const std::string&)>& person_id_of);

}  // namespace sb::sandbox::spark
