#pragma once
// Small text helpers every page and validator relies on. Pure, so they are tested on their own.
#include <cstddef>
#include <string>
#include <string_view>

namespace sb::web {

// Makes any value safe to place in HTML text or a quoted attribute: & < > " ' become entities.
std::string html_escape(std::string_view text);

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

// Code points in well-formed UTF-8: what a person calls "characters" for a length cap.
std::size_t code_point_count(std::string_view text);

// True when `text` holds a C0/C1 control character or DEL; tab, CR and LF are allowed only when
// `allow_line_breaks`.
bool has_control_characters(std::string_view text, bool allow_line_breaks);

// Without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view text);

// CR LF and lone CR become LF: browsers send CR LF from a textarea.
std::string normalize_newlines(std::string_view text);

}  // namespace sb::web
