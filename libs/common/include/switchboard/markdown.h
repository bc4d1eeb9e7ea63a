#pragma once

// Agents write Webex markdown; customers read SMS. Webex's composer writes CommonMark, so the
// markdown is read by cmark (CommonMark's reference parser, Debian's libcmark) and its tree is
// written out as readable plain text. One parser for every part of Switchboard that needs one.

#include <cstddef>
#include <string>
#include <string_view>

namespace sb {

// The plain text of `markdown`, laid out as the agent saw it in Webex:
// - emphasis and strong lose their markers, and so does ~~strike-through~~ (Webex shows it,
//   CommonMark has none; runs of exactly two tildes around text);
// - a link or image becomes "text (url)", or just the url when the text is the url or empty;
//   "mailto:" is left off; a bare http(s) URL outside code is kept exactly as written (its
//   "_a_", "*a*" or "~~a~~" are no emphasis: it is made an autolink before parsing);
// - headings lose their '#', thematic breaks become "---", quotes keep "> " on every line;
// - list items become "- " or "N. " (numbered as Webex numbers them), indented as typed;
// - code (spans and blocks) keeps its text verbatim; raw HTML stays as the literal text typed,
//   never interpreted; entities and backslash escapes are resolved (&nbsp; becomes a space);
// - blocks are one line apart, or a blank line apart where the agent left one (never more);
//   no blank line at either end, no trailing spaces.
// Linear in the input (cmark's pathological-input guarantees). The text grows by at most
// kMaxLinePrefixBytes per line (quote and list markers on lazy continuation lines) plus
// cmark's cap on reference-link expansion (the larger of the input size and 100 kB).
std::string markdown_to_plain(std::string_view markdown);

// The deepest quote and list nesting shown: markers beyond this many bytes at a line's start
// are left off, so that a thousand nested quotes cannot multiply every line of the text.
inline constexpr std::size_t kMaxLinePrefixBytes = 16;

}  // namespace sb
