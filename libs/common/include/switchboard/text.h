#pragma once

// Small text helpers every service needs, written once and tested on their own. ASCII-only where
// the name says so: header names, settings and keywords are ASCII, and locale-dependent case rules
// would make the same input mean different things on different machines.

#include <cstddef>
#include <string>
#include <string_view>

namespace sb {

// Makes any value safe to place in HTML text or a quoted attribute: & < > " ' become entities.
// An existing entity is escaped again, never trusted.
std::string html_escape(std::string_view text);

// RFC 3986 percent-encoding: everything but the unreserved characters (ALPHA DIGIT - . _ ~) as
// %XX with upper-case hex, as a URL path segment or a query value needs.
std::string percent_encode(std::string_view text);

// Each byte as two lower-case hex digits.
std::string hex_lower(std::string_view bytes);

// ASCII lower-casing; bytes outside A-Z are kept as they are.
std::string to_lower(std::string_view text);

// Equal ignoring ASCII case.
bool iequals(std::string_view a, std::string_view b);

// Without leading and trailing ASCII whitespace (space, tab, CR, LF, FF, VT).
std::string_view trim(std::string_view text);

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

// Code points in well-formed UTF-8: what a person calls "characters" for a length cap.
std::size_t code_point_count(std::string_view text);

// True when `text` holds a C0/C1 control character or DEL; tab, CR and LF are allowed only when
// `allow_line_breaks`.
bool has_control_characters(std::string_view text, bool allow_line_breaks);

// CR LF and lone CR become LF: browsers send CR LF from a textarea.
std::string normalize_newlines(std::string_view text);

}  // namespace sb
