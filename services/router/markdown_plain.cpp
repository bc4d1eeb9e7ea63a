#include "markdown_plain.h"

#include <cctype>
#include <vector>

namespace sb::router {
namespace {

bool is_punct(char c) {
    return std::ispunct(static_cast<unsigned char>(c)) != 0;
}
bool is_word(char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) != 0 || u >= 0x80;  // UTF-8 letters count as word characters
}
bool is_space(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

std::string decode_entities(std::string_view text) {
    static const std::pair<std::string_view, char> kEntities[] = {
        {"&amp;", '&'},  {"&lt;", '<'},    {"&gt;", '>'},  {"&quot;", '"'},
        {"&#39;", '\''}, {"&apos;", '\''}, {"&nbsp;", ' '}};
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        bool replaced = false;
        if (text[i] == '&') {
            for (const auto& [entity, c] : kEntities) {
                if (text.substr(i, entity.size()) == entity) {
                    out += c;
                    i += entity.size();
                    replaced = true;
                    break;
                }
            }
        }
        if (!replaced) out += text[i++];
    }
    return out;
}

// Position of the closing `delimiter` for an opener at `from`, or npos. Emphasis must hug its
// content: "* not emphasis *" stays as it is.
size_t find_closing(std::string_view text, size_t from, std::string_view delimiter) {
    if (from >= text.size() || is_space(text[from])) return std::string_view::npos;
    for (size_t i = from; i + delimiter.size() <= text.size(); ++i) {
        if (text[i] == '\\') {
            ++i;
            continue;
        }
        if (text.substr(i, delimiter.size()) != delimiter || i == from) continue;
        if (is_space(text[i - 1])) continue;
        // "***both***": the double closer is the end of the run, leaving "*both*" inside.
        size_t run = 0;
        while (i + run < text.size() && text[i + run] == delimiter[0]) ++run;
        if (delimiter.size() == 2 && run > 2) return i + run - 2;
        // A single '*' or '_' must not be half of a double one.
        if (delimiter.size() == 1 && i + 1 < text.size() && text[i + 1] == delimiter[0]) {
            ++i;
            continue;
        }
        // '_' closes only at a word boundary (snake_case_names are no emphasis).
        if (delimiter[0] == '_' && i + delimiter.size() < text.size() &&
            is_word(text[i + delimiter.size()])) {
            continue;
        }
        return i;
    }
    return std::string_view::npos;
}

std::string inline_to_plain(std::string_view text);

// "[label](url)" or "![alt](url)" at `at` (pointing at '['): the rendered text and the length
// consumed, or an empty length when it is no link.
size_t render_link(std::string_view text, size_t at, std::string& out) {
    int depth = 0;
    size_t close = std::string_view::npos;
    for (size_t i = at; i < text.size(); ++i) {
        if (text[i] == '\\') {
            ++i;
        } else if (text[i] == '[') {
            ++depth;
        } else if (text[i] == ']' && --depth == 0) {
            close = i;
            break;
        }
    }
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != '(') {
        return 0;
    }
    const size_t url_end = text.find(')', close + 2);
    if (url_end == std::string_view::npos) return 0;
    std::string_view url = trim(text.substr(close + 2, url_end - close - 2));
    // A title after the url ("url "title"") is not part of it.
    if (const size_t space = url.find(' '); space != std::string_view::npos) {
        url = url.substr(0, space);
    }
    if (!url.empty() && url.front() == '<' && url.back() == '>') {
        url = url.substr(1, url.size() - 2);
    }
    const std::string label = inline_to_plain(text.substr(at + 1, close - at - 1));
    if (label.empty() || label == url) {
        out += url;
    } else if (url.empty()) {
        out += label;
    } else {
        out += label + " (" + std::string(url) + ")";
    }
    return url_end + 1 - at;
}

std::string inline_to_plain(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (c == '\\' && i + 1 < text.size() && is_punct(text[i + 1])) {
            out += text[i + 1];
            i += 2;
            continue;
        }
        if (c == '`') {
            size_t run = 0;
            while (i + run < text.size() && text[i + run] == '`') ++run;
            const std::string fence(run, '`');
            const size_t close = text.find(fence, i + run);
            if (close != std::string_view::npos) {
                out += trim(text.substr(i + run, close - i - run));
                i = close + run;
            } else {
                out += fence;
                i += run;
            }
            continue;
        }
        if (c == '!' && i + 1 < text.size() && text[i + 1] == '[') {
            if (const size_t used = render_link(text, i + 1, out)) {
                i += 1 + used;
                continue;
            }
        }
        if (c == '[') {
            if (const size_t used = render_link(text, i, out)) {
                i += used;
                continue;
            }
        }
        if (c == '<') {
            const size_t close = text.find('>', i);
            if (close != std::string_view::npos) {
                const std::string_view inner = text.substr(i + 1, close - i - 1);
                if (inner.rfind("http://", 0) == 0 || inner.rfind("https://", 0) == 0) {
                    out += inner;
                    i = close + 1;
                    continue;
                }
                if (inner.rfind("mailto:", 0) == 0) {
                    out += inner.substr(7);
                    i = close + 1;
                    continue;
                }
            }
        }
        if (c == '*' || c == '_' || c == '~') {
            const bool doubled = i + 1 < text.size() && text[i + 1] == c;
            if (c == '~' && !doubled) {
                out += c;
                ++i;
                continue;
            }
            // '_' opens only at a word boundary.
            if (c == '_' && i > 0 && is_word(text[i - 1])) {
                out += c;
                ++i;
                continue;
            }
            const std::string delimiter(doubled ? 2 : 1, c);
            const size_t close = find_closing(text, i + delimiter.size(), delimiter);
            if (close != std::string_view::npos) {
                out += inline_to_plain(
                    text.substr(i + delimiter.size(), close - i - delimiter.size()));
                i = close + delimiter.size();
                continue;
            }
            out += delimiter;
            i += delimiter.size();
            continue;
        }
        out += c;
        ++i;
    }
    return out;
}

bool is_rule(std::string_view line) {
    line = trim(line);
    if (line.size() < 3) return false;
    const char c = line.front();
    if (c != '-' && c != '*' && c != '_') return false;
    size_t marks = 0;
    for (const char x : line) {
        if (x == c) {
            ++marks;
        } else if (x != ' ') {
            return false;
        }
    }
    return marks >= 3;
}

std::string block_line(std::string_view line) {
    size_t indent = 0;
    while (indent < line.size() && line[indent] == ' ') ++indent;
    std::string_view rest = line.substr(indent);
    const std::string pad(indent, ' ');
    if (is_rule(rest)) return pad + "---";
    if (!rest.empty() && rest.front() == '#') {
        size_t level = 0;
        while (level < rest.size() && rest[level] == '#') ++level;
        if (level <= 6 && (level == rest.size() || rest[level] == ' ')) {
            std::string_view heading = trim(rest.substr(level));
            while (!heading.empty() && heading.back() == '#') heading.remove_suffix(1);
            return pad + inline_to_plain(trim(heading));
        }
    }
    if (rest.size() >= 2 && (rest[0] == '-' || rest[0] == '*' || rest[0] == '+') &&
        rest[1] == ' ') {
        return pad + "- " + inline_to_plain(trim(rest.substr(2)));
    }
    if (!rest.empty() && rest.front() == '>') {
        rest.remove_prefix(1);
        if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
        return pad + "> " + inline_to_plain(rest);
    }
    return pad + inline_to_plain(rest);
}

}  // namespace

std::string markdown_to_plain(std::string_view markdown) {
    std::vector<std::string> lines;
    bool fenced = false;
    size_t start = 0;
    while (start <= markdown.size()) {
        size_t end = markdown.find('\n', start);
        if (end == std::string_view::npos) end = markdown.size();
        std::string_view line = markdown.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const std::string_view stripped = trim(line);
        if (stripped.rfind("```", 0) == 0 || stripped.rfind("~~~", 0) == 0) {
            fenced = !fenced;  // the fence lines themselves are markup
        } else if (fenced) {
            lines.emplace_back(line);
        } else {
            std::string plain = block_line(line);
            while (!plain.empty() && is_space(plain.back())) plain.pop_back();
            lines.push_back(std::move(plain));
        }
        start = end + 1;
    }
    // No more than one blank line in a row, none at either end.
    std::string out;
    bool blank_pending = false;
    for (const std::string& line : lines) {
        if (trim(line).empty()) {
            blank_pending = !out.empty();
            continue;
        }
        if (!out.empty()) out += blank_pending ? "\n\n" : "\n";
        blank_pending = false;
        out += line;
    }
    return decode_entities(out);
}

}  // namespace sb::router
