#include "switchboard/markdown.h"

#include <cmark.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <memory>
#include <new>
#include <vector>

namespace sb {
namespace {

struct NodeFree {
    void operator()(cmark_node* node) const { cmark_node_free(node); }
};
struct IterFree {
    void operator()(cmark_iter* iter) const { cmark_iter_free(iter); }
};

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view literal_of(cmark_node* node) {
    const char* literal = cmark_node_get_literal(node);
    return literal ? std::string_view(literal) : std::string_view();
}

// Where the content of a list's container starts (1-based column), so that an item's own
// indentation can be told from its container's.
int content_column(cmark_node* container) {
    if (cmark_node_get_type(container) == CMARK_NODE_DOCUMENT) return 1;
    if (cmark_node* first = cmark_node_first_child(container)) {
        return cmark_node_get_start_column(first);
    }
    return cmark_node_get_start_column(container) + 2;
}

// The last source line of a block. cmark ends some blocks followed by a blank line at
// "line:0" (column 0 of the blank line), which is the end of the line before it.
int last_line_of(cmark_node* block) {
    const int line = cmark_node_get_end_line(block);
    return cmark_node_get_end_column(block) == 0 ? line - 1 : line;
}

// ---- Bare URLs ------------------------------------------------------------------------------
// CommonMark reads a bare URL's "_a_", "*a*" or "~~a~~" as emphasis (cmark has no autolink
// extension), so "https://e.com/_a_" would reach the phone as "https://e.com/a": a link that
// goes nowhere. Before parsing, every bare http(s) URL outside code is made an autolink
// ("<url>"), which CommonMark keeps verbatim. Left alone: URLs in code spans and fenced or
// indented code, in link destinations and link text, already in <...>, in raw HTML
// attributes, on link reference definition lines, and any with a backslash (the agent escaped
// something, which an autolink would show).

bool starts_url(std::string_view text, size_t at) {
    for (std::string_view scheme : {"https://", "http://"}) {
        if (text.size() - at < scheme.size()) continue;
        bool same = true;
        for (size_t k = 0; k < scheme.size() && same; ++k) {
            same = std::tolower(static_cast<unsigned char>(text[at + k])) == scheme[k];
        }
        if (same) return true;
    }
    return false;
}

// A URL may start after these: the line's start, whitespace, an opening parenthesis that is
// not a link's "](", or emphasis markers around the URL.
bool may_precede_url(std::string_view line, size_t at) {
    if (at == 0) return true;
    const char before = line[at - 1];
    if (is_space(before) || before == '*' || before == '_' || before == '~') return true;
    return before == '(' && (at < 2 || line[at - 2] != ']');
}

// Where a bare URL starting at `at` ends: at whitespace or '<', '>', '"', '`', less trailing
// punctuation (and a ')' that closes nothing opened inside the URL).
size_t url_end(std::string_view line, size_t at) {
    size_t end = at;
    while (end < line.size() && !is_space(line[end]) && line[end] != '<' && line[end] != '>' &&
           line[end] != '"' && line[end] != '`') {
        ++end;
    }
    for (;;) {
        if (end == at) return end;
        const char last = line[end - 1];
        if (std::string_view(".,:;!?*_~'").find(last) != std::string_view::npos) {
            --end;
            continue;
        }
        if (last == ')') {
            const std::string_view url = line.substr(at, end - at);
            if (std::count(url.begin(), url.end(), '(') < std::count(url.begin(), url.end(), ')')) {
                --end;
                continue;
            }
        }
        return end;
    }
}

bool fence_line(std::string_view line) {
    size_t i = 0;
    while (i < line.size() && i < 3 && line[i] == ' ') ++i;
    return line.substr(i, 3) == "```" || line.substr(i, 3) == "~~~";
}

bool indented_code_line(std::string_view line, bool after_blank_or_code) {
    return after_blank_or_code && (line.rfind("    ", 0) == 0 || line.rfind('\t', 0) == 0);
}

bool reference_definition_line(std::string_view line) {
    size_t i = 0;
    while (i < line.size() && i < 3 && line[i] == ' ') ++i;
    if (i >= line.size() || line[i] != '[') return false;
    const size_t close = line.find("]:", i);
    return close != std::string_view::npos;
}

void protect_line(std::string_view line, std::string& out) {
    size_t i = 0;
    while (i < line.size()) {
        const char c = line[i];
        if (c == '`') {  // a code span: copied as it is, to its closing run of as many ticks
            size_t run = 0;
            while (i + run < line.size() && line[i + run] == '`') ++run;
            const size_t close = line.find(std::string(run, '`'), i + run);
            const size_t stop = close == std::string_view::npos ? i + run : close + run;
            out.append(line.substr(i, stop - i));
            i = stop;
            continue;
        }
        if (c == '<') {  // an autolink or raw HTML: copied to its end
            const size_t close = line.find('>', i);
            const size_t stop = close == std::string_view::npos ? i + 1 : close + 1;
            out.append(line.substr(i, stop - i));
            i = stop;
            continue;
        }
        if ((c == 'h' || c == 'H') && may_precede_url(line, i) && starts_url(line, i)) {
            const size_t end = url_end(line, i);
            const std::string_view url = line.substr(i, end - i);
            if (url.find('\\') == std::string_view::npos && url.size() > 8) {
                out += '<';
                out.append(url);
                out += '>';
            } else {
                out.append(url);
            }
            i = end;
            continue;
        }
        out += c;
        ++i;
    }
}

std::string protect_bare_urls(std::string_view markdown) {
    if (markdown.find("://") == std::string_view::npos) return std::string(markdown);
    std::string out;
    out.reserve(markdown.size() + 16);
    bool in_fence = false;
    bool after_blank_or_code = true;
    size_t begin = 0;
    while (begin <= markdown.size()) {
        size_t end = markdown.find('\n', begin);
        const bool last = end == std::string_view::npos;
        if (last) end = markdown.size();
        const std::string_view line = markdown.substr(begin, end - begin);
        const bool blank = std::all_of(line.begin(), line.end(), is_space);
        if (fence_line(line)) {
            in_fence = !in_fence;
            out.append(line);
        } else if (in_fence || indented_code_line(line, after_blank_or_code) ||
                   reference_definition_line(line)) {
            out.append(line);
        } else {
            protect_line(line, out);
        }
        after_blank_or_code = blank || in_fence || indented_code_line(line, after_blank_or_code);
        if (last) break;
        out += '\n';
        begin = end + 1;
    }
    return out;
}

// A quote or list item: what it puts at the start of each line it holds.
struct Frame {
    std::string first;     // on its first line: "> ", "- ", "3. ", after the item's indentation
    std::string rest;      // on the lines after: "> " or spaces as wide as `first`
    bool started = false;  // its first line is written
    bool shown = true;     // within kMaxLinePrefixBytes
};

// Walks cmark's tree once (cmark's iterator: no recursion, however deep the nesting) and writes
// the plain text. Leaf blocks (paragraphs, headings) are gathered in `leaf_` first, because a
// link's URL and the strike-through pairs are only known at its end.
class PlainWriter {
  public:
    explicit PlainWriter(std::string_view source)
        : escaped_tilde_lines_(lines_with_escaped_tilde(source)) {}

    std::string finish() { return std::move(out_); }

    void enter(cmark_node* node) {
        switch (cmark_node_get_type(node)) {
            case CMARK_NODE_BLOCK_QUOTE:
                push_frame("> ", "> ");
                break;
            case CMARK_NODE_LIST:
                numbers_.push_back(cmark_node_get_list_start(node));
                break;
            case CMARK_NODE_ITEM:
                enter_item(node);
                break;
            case CMARK_NODE_PARAGRAPH:
            case CMARK_NODE_HEADING:
                begin_block(cmark_node_get_start_line(node));
                leaf_.clear();
                tildes_.clear();
                link_starts_.clear();
                break;
            case CMARK_NODE_CODE_BLOCK:
            case CMARK_NODE_HTML_BLOCK: {
                begin_block(cmark_node_get_start_line(node));
                std::string_view literal = literal_of(node);
                if (!literal.empty() && literal.back() == '\n') literal.remove_suffix(1);
                write_lines(literal);
                end_block(last_line_of(node));
                break;
            }
            case CMARK_NODE_THEMATIC_BREAK:
                begin_block(cmark_node_get_start_line(node));
                write_lines("---");
                end_block(last_line_of(node));
                break;
            case CMARK_NODE_TEXT:
                append_text(literal_of(node), !escapes_tilde(cmark_node_get_start_line(node)));
                break;
            case CMARK_NODE_CODE:
            case CMARK_NODE_HTML_INLINE:
                leaf_ += literal_of(node);
                break;
            case CMARK_NODE_SOFTBREAK:
            case CMARK_NODE_LINEBREAK:
                leaf_ += '\n';
                break;
            case CMARK_NODE_LINK:
            case CMARK_NODE_IMAGE:
                link_starts_.push_back(leaf_.size());
                break;
            default:  // document, emphasis, strong: nothing of their own
                break;
        }
    }

    void exit(cmark_node* node) {
        switch (cmark_node_get_type(node)) {
            case CMARK_NODE_BLOCK_QUOTE:
            case CMARK_NODE_ITEM:
                // An empty quote or item still shows its marker.
                if (!frames_.back().started) {
                    const int line = cmark_node_get_start_line(node);
                    begin_block(line);
                    write_lines("");
                    end_block(line);
                }
                frames_.pop_back();
                break;
            case CMARK_NODE_LIST:
                numbers_.pop_back();
                break;
            case CMARK_NODE_PARAGRAPH:
            case CMARK_NODE_HEADING:
                strike_through();
                write_lines(leaf_);
                end_block(last_line_of(node));
                break;
            case CMARK_NODE_LINK:
            case CMARK_NODE_IMAGE:
                exit_link(node);
                break;
            default:
                break;
        }
    }

  private:
    void push_frame(std::string first, std::string rest) {
        Frame frame{std::move(first), std::move(rest)};
        frame.shown = (frames_.empty() || frames_.back().shown) &&
                      shown_width_ + frame.first.size() <= kMaxLinePrefixBytes;
        if (frame.shown) shown_width_ += frame.first.size();
        frames_.push_back(std::move(frame));
    }

    void enter_item(cmark_node* item) {
        cmark_node* list = cmark_node_parent(item);
        std::string marker = "- ";
        if (cmark_node_get_list_type(list) == CMARK_ORDERED_LIST) {
            const char delimiter = cmark_node_get_list_delim(list) == CMARK_PAREN_DELIM ? ')' : '.';
            marker = std::to_string(numbers_.back()++) + delimiter + ' ';
        }
        // The spaces the agent typed before the marker, beyond where its container's content
        // starts (CommonMark allows 0-3), so "  - nested" keeps its look.
        const int typed =
            cmark_node_get_start_column(item) - content_column(cmark_node_parent(list));
        const std::string indent(static_cast<size_t>(std::clamp(typed, 0, 3)), ' ');
        push_frame(indent + marker, std::string(indent.size() + marker.size(), ' '));
    }

    // Blocks follow each other on the next line, or after one blank line where the agent left
    // at least one between them.
    void begin_block(int line) {
        if (written_any_ && line > last_end_line_ + 1) {
            std::string prefix;
            for (const Frame& frame : frames_) {
                if (frame.shown && frame.started) prefix += frame.rest;
            }
            write_line(std::move(prefix));
        }
    }
    void end_block(int line) {
        written_any_ = true;
        last_end_line_ = std::max(last_end_line_, line);
    }

    void write_lines(std::string_view text) {
        size_t start = 0;
        while (true) {
            const size_t end = std::min(text.find('\n', start), text.size());
            std::string line;
            for (Frame& frame : frames_) {
                if (frame.shown) line += frame.started ? frame.rest : frame.first;
                frame.started = true;
            }
            line += text.substr(start, end - start);
            write_line(std::move(line));
            if (end == text.size()) break;
            start = end + 1;
        }
    }

    // No trailing spaces, no more than one blank line in a row, none at either end.
    void write_line(std::string line) {
        while (!line.empty() && is_space(line.back())) line.pop_back();
        if (line.empty()) {
            blank_pending_ = !out_.empty();
            return;
        }
        if (!out_.empty()) out_ += blank_pending_ ? "\n\n" : "\n";
        blank_pending_ = false;
        out_ += line;
    }

    // cmark merges a backslash-escaped character into the text around it, so "\\~~" cannot be
    // told from "~~" in its tree; a source line with an escaped tilde has no strike-through.
    static std::vector<bool> lines_with_escaped_tilde(std::string_view source) {
        std::vector<bool> lines(2, false);  // [0] unused: cmark counts lines from 1
        bool escaped = false;
        for (size_t i = 0; i < source.size(); ++i) {
            const char c = source[i];
            if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < source.size() && source[i + 1] == '\n') ++i;
                lines.push_back(false);
                escaped = false;
                continue;
            }
            if (escaped && c == '~') lines.back() = true;
            escaped = !escaped && c == '\\';
        }
        return lines;
    }
    bool escapes_tilde(int line) const {
        return line < 1 || static_cast<size_t>(line) >= escaped_tilde_lines_.size() ||
               escaped_tilde_lines_[static_cast<size_t>(line)];
    }

    // Text as cmark decoded it. A no-break space (from &nbsp;) becomes a plain one: it would
    // make the whole SMS UCS-2, at 70 characters a part instead of 160. Runs of exactly two
    // tildes are noted as possible strike-through markers.
    void append_text(std::string_view text, bool may_strike) {
        for (size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') {
                leaf_ += ' ';
                ++i;
                continue;
            }
            if (text[i] == '~') {
                size_t run = 1;
                while (i + run < text.size() && text[i + run] == '~') ++run;
                if (run == 2 && may_strike) tildes_.push_back(leaf_.size());
                leaf_.append(run, '~');
                i += run - 1;
                continue;
            }
            leaf_ += text[i];
        }
    }

    void exit_link(cmark_node* node) {
        const size_t start = link_starts_.back();
        link_starts_.pop_back();
        std::string_view url = cmark_node_get_url(node) ? cmark_node_get_url(node) : "";
        const std::string_view label = std::string_view(leaf_).substr(start);
        const bool label_is_url = label == url;
        if (url.substr(0, 7) == "mailto:") url.remove_prefix(7);
        if (url.empty()) return;
        if (label.empty() || label_is_url || label == url) {
            // The URL is shown as it is: no tilde in it is strike-through.
            while (!tildes_.empty() && tildes_.back() >= start) tildes_.pop_back();
            leaf_.resize(start);
            leaf_ += url;
            return;
        }
        leaf_ += " (";
        leaf_ += url;
        leaf_ += ')';
    }

    // "~~text~~": an opening run is followed by a non-space, a closing one follows a non-space;
    // each closer takes the nearest open opener (GFM's rule for its strike-through extension).
    void strike_through() {
        if (tildes_.empty()) return;
        std::vector<size_t> open;
        std::vector<size_t> paired;
        for (const size_t at : tildes_) {
            const bool can_close = at > 0 && !is_space(leaf_[at - 1]);
            const bool can_open = at + 2 < leaf_.size() && !is_space(leaf_[at + 2]);
            if (can_close && !open.empty()) {
                paired.push_back(open.back());
                paired.push_back(at);
                open.pop_back();
            } else if (can_open) {
                open.push_back(at);
            }
        }
        if (paired.empty()) return;
        std::sort(paired.begin(), paired.end());
        std::string kept;
        kept.reserve(leaf_.size());
        size_t from = 0;
        for (const size_t at : paired) {
            kept.append(leaf_, from, at - from);
            from = at + 2;
        }
        kept.append(leaf_, from, std::string::npos);
        leaf_ = std::move(kept);
    }

    const std::vector<bool> escaped_tilde_lines_;  // by cmark's line number
    std::string out_;
    bool blank_pending_ = false;
    bool written_any_ = false;
    int last_end_line_ = 0;
    std::vector<Frame> frames_;
    size_t shown_width_ = 0;
    std::vector<std::int64_t> numbers_;  // the next number of each open list
    std::string leaf_;
    std::vector<size_t> tildes_;       // offsets in leaf_ of "~~" runs from text
    std::vector<size_t> link_starts_;  // offsets in leaf_ where open links' labels begin
};

}  // namespace

std::string markdown_to_plain(std::string_view markdown_as_written) {
    const std::string markdown = protect_bare_urls(markdown_as_written);
    const std::unique_ptr<cmark_node, NodeFree> document(
        cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT));
    if (!document) throw std::bad_alloc();
    const std::unique_ptr<cmark_iter, IterFree> iter(cmark_iter_new(document.get()));
    if (!iter) throw std::bad_alloc();
    PlainWriter writer(markdown);
    for (cmark_event_type event; (event = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE;) {
        cmark_node* node = cmark_iter_get_node(iter.get());
        if (event == CMARK_EVENT_ENTER) {
            writer.enter(node);
        } else if (event == CMARK_EVENT_EXIT) {
            writer.exit(node);
        }
    }
    return writer.finish();
}

}  // namespace sb
