#pragma once
// The plain text Webex stores next to a markdown message: mentions become names, then the
// markdown is read by cmark (switchboard/markdown.h), the parser the router uses.
#include <functional>
#include <string>

namespace sb::sandbox::spark {

// Turns Webex markdown into the plain text Webex stores next to it (mentions become names).
std::string markdown_to_text(const std::string& markdown,
                             const std::function<std::string(const std::string&)>& name_of);

}  // namespace sb::sandbox::spark
