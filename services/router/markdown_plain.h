#pragma once
// Agents write Spark markdown; customers read SMS. This turns the one into readable plain text.
#include <string>
#include <string_view>

namespace sb::router {

// Bold, italic, strike-through and code lose their markers; links become "text (url)" (or just
// the url when both are the same); headings lose their '#'; bullets become "- "; fenced code
// keeps its lines verbatim; backslash escapes and the common HTML entities are resolved.
std::string markdown_to_plain(std::string_view markdown);

}  // namespace sb::router
