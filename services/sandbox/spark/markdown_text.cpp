#include "markdown_text.h"

#include <regex>

#include "mentions.h"
#include "switchboard/markdown.h"

namespace sb::sandbox::spark {

std::string markdown_to_text(const std::string& markdown,
                             const std::function<std::string(const std::string&)>& name_of) {
    std::string out;
    auto begin = std::sregex_iterator(markdown.begin(), markdown.end(), mention_pattern());
    size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
        const auto& match = *it;
        out += markdown.substr(last, static_cast<size_t>(match.position(0)) - last);
        if (match[0].str() == "<@all>") {
            out += "all";
        } else if (match[3].matched && !match[3].str().empty()) {
            out += match[3].str();
        } else {
            out += name_of(match[2].str());
        }
        last = static_cast<size_t>(match.position(0) + match.length(0));
    }
    out += markdown.substr(last);
    // Emphasis and code marks are presentation, not text: CommonMark's reading, as the router's.
    return markdown_to_plain(out);
}

}  // namespace sb::sandbox::spark
