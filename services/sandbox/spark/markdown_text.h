#pragma once
// The plain text Webex stores next to a markdown message. Kept apart on purpose: this
// hand-written approximation is to be replaced by libcmark from libs/common (issue 13 item 7).
#include <functional>
#include <string>

namespace sb::sandbox::spark {

// Turns Webex markdown into the plain text Webex stores next to it (mentions become names).
std::string markdown_to_text(const std::string& markdown,
                             const std::function<std::string(const std::string&)>& name_of);

}  // namespace sb::sandbox::spark
