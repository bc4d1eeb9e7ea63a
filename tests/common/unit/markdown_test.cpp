// Agents' Webex markdown -> the plain text of an SMS (switchboard/markdown.h, read by cmark).
#include "switchboard/markdown.h"

#include <doctest/doctest.h>

#include <string>

using sb::markdown_to_plain;

namespace {
struct Row {
    std::string markdown;
    std::string plain;
};

void check_rows(const Row* begin, const Row* end) {
    for (const Row* row = begin; row != end; ++row) {
        CAPTURE(row->markdown);
        CHECK(markdown_to_plain(row->markdown) == row->plain);
    }
}
}  // namespace

// Every row the router's hand-written parser was held to (tests/router/text_test.cpp before).
TEST_CASE("markdown is rendered to readable plain text") {
    const Row rows[] = {
        {"plain words", "plain words"},
        {"**bold** and __bold__", "bold and bold"},
        {"*italic* and _italic_", "italic and italic"},
        {"***both***", "both"},
        {"~~struck~~ out", "struck out"},
        {"use `rm -rf` carefully", "use rm -rf carefully"},
        {"``a ` tick``", "a ` tick"},
        {"[the guide](https://example.com/g)", "the guide (https://example.com/g)"},
        {"[https://example.com](https://example.com)", "https://example.com"},
        {"![logo](https://example.com/l.png)", "logo (https://example.com/l.png)"},
        {"<https://example.com/x>", "https://example.com/x"},
        {"[**bold** link](https://e.com \"title\")", "bold link (https://e.com)"},
        {"# Heading\ntext", "Heading\ntext"},
        {"### Third ###", "Third"},
        {"* one\n* two\n+ three", "- one\n- two\n- three"},
        {"1. first\n2. second", "1. first\n2. second"},
        {"  - nested", "  - nested"},
        {"> quoted *text*", "> quoted text"},
        {"```\n**not bold** in code\n```", "**not bold** in code"},
        {"\\*not italic\\* \\_x\\_ \\# \\\\", "*not italic* _x_ # \\"},
        {"snake_case_name stays", "snake_case_name stays"},
        {"2 * 3 * 4", "2 * 3 * 4"},
        {"an * alone", "an * alone"},
        {"**unclosed bold", "**unclosed bold"},
        {"[not a link] (x)", "[not a link] (x)"},
        {"Tom &amp; Jerry &lt;3", "Tom & Jerry <3"},
        {"a\n\n\n\nb", "a\n\nb"},
        {"---\nafter rule", "---\nafter rule"},
        {"line one  \r\nline two", "line one\nline two"},
        {"Grüße **aus** Köln 🙂", "Grüße aus Köln 🙂"},
        {"", ""},
    };
    check_rows(std::begin(rows), std::end(rows));
}

TEST_CASE("blocks keep the agent's layout: nesting, quotes, numbering, blank lines") {
    const Row rows[] = {
        {"- a\n  - b\n    - c", "- a\n  - b\n    - c"},
        {"1. a\n   - b", "1. a\n   - b"},
        {"- a\n\n- b", "- a\n\n- b"},
        {"- a\n  more of a", "- a\n  more of a"},
        {"- \n- b", "-\n- b"},
        // Webex numbers a list from its first number on, whatever the agent typed after it.
        {"1. a\n1. b\n1. c", "1. a\n2. b\n3. c"},
        {"3) x\n4) y", "3) x\n4) y"},
        {"> a\n>\n> b", "> a\n>\n> b"},
        {"> a\nlazy line", "> a\n> lazy line"},
        {"> - item\n>   - nested", "> - item\n>   - nested"},
        {"> > inner", "> > inner"},
        {"a\n\n> q\n\nb", "a\n\n> q\n\nb"},
        {"***\n\n    code\n\n<div>\n\n1. x\n\nafter", "---\n\ncode\n\n<div>\n\n1. x\n\nafter"},
        {"line\\\nbreak", "line\nbreak"},
        {"Title\n=====\ntext", "Title\ntext"},
        {"```js\nlet a = 1;\n\n\n\nlet b;\n```", "let a = 1;\n\nlet b;"},
        {"    indented code", "indented code"},
        {"~~~\n~~not struck~~\n~~~", "~~not struck~~"},
        {"\n\n  \ntext\n\n\n", "text"},
    };
    check_rows(std::begin(rows), std::end(rows));
}

TEST_CASE("links, entities, raw HTML and strike-through read as CommonMark reads them") {
    const Row rows[] = {
        {"<mailto:help@example.com>", "help@example.com"},
        {"<help@example.com>", "help@example.com"},
        {"[mail us](mailto:help@example.com)", "mail us (help@example.com)"},
        {"[](https://e.com/empty)", "https://e.com/empty"},
        {"[no url]()", "no url"},
        {"[the menu][m]\n\n[m]: https://e.com/menu", "the menu (https://e.com/menu)"},
        {"[![logo](https://e.com/l.png)](https://e.com)",
         "logo (https://e.com/l.png) (https://e.com)"},
        // Code is verbatim: an entity in it is what the agent wants the customer to read.
        {"`&amp;` &amp; &copy; &#x1F642;", "&amp; & © 🙂"},
        {"a&nbsp;b", "a b"},
        // Raw HTML is never interpreted: the customer reads the characters the agent typed.
        {"<b>bold</b> & <script>x</script>", "<b>bold</b> & <script>x</script>"},
        {"<div>\n*kept*\n</div>", "<div>\n*kept*\n</div>"},
        {"<@personEmail:mike@example.com> call back", "<@personEmail:mike@example.com> call back"},
        {"~~a *b* c~~ ~~ not ~~ ~one~", "a b c ~~ not ~~ ~one~"},
        {"a ~~~~four~~~~", "a ~~~~four~~~~"},
        {"\\~~x~~ ~~y~~\nnext ~~z~~", "~~x~~ ~~y~~\nnext z"},
        {"<https://e.com/~~x~~>", "https://e.com/~~x~~"},
    };
    check_rows(std::begin(rows), std::end(rows));
}

// A customer's SMS must carry every URL an agent wrote exactly: CommonMark alone would read a
// bare URL's "_a_", "*a*" or "~~a~~" as emphasis and send a link that goes nowhere.
TEST_CASE("bare URLs reach the SMS exactly as written, wherever they stand") {
    const Row rows[] = {
        {"see https://e.com/_a_/b now", "see https://e.com/_a_/b now"},
        {"https://e.com/*star*/x", "https://e.com/*star*/x"},
        {"**Order** https://e.com/~~x~~ ok", "Order https://e.com/~~x~~ ok"},
        {"track: https://e.com/t?id=1_2_3&x=*y*.", "track: https://e.com/t?id=1_2_3&x=*y*."},
        {"(see https://e.com/a_b_c_)", "(see https://e.com/a_b_c_)"},
        {"*https://e.com/x*", "https://e.com/x"},
        {"HTTPS://E.COM/_A_", "HTTPS://E.COM/_A_"},
        {"wiki https://en.wikipedia.org/wiki/Foo_(bar)_baz",
         "wiki https://en.wikipedia.org/wiki/Foo_(bar)_baz"},
        {"- item https://e.com/_i_\n- two", "- item https://e.com/_i_\n- two"},
        {"> quoted https://e.com/_q_", "> quoted https://e.com/_q_"},
        // Where the agent wrote a link, code or an escape, CommonMark's reading stands.
        {"[the _guide_](https://e.com/_g_)", "the guide (https://e.com/_g_)"},
        {"[https://e.com/_x_](https://e.com/_x_)", "https://e.com/x (https://e.com/_x_)"},
        {"`https://e.com/_c_` and https://e.com/_d_", "https://e.com/_c_ and https://e.com/_d_"},
        {"```\nhttps://e.com/_f_\n```", "https://e.com/_f_"},
        {"https://e.com/a\\_b", "https://e.com/a_b"},
        {"<a href=\"https://e.com/_h_\">x</a>", "<a href=\"https://e.com/_h_\">x</a>"},
        {"[m]\n\n[m]: https://e.com/_r_", "m (https://e.com/_r_)"},
        {"no scheme e.com/_a_", "no scheme e.com/a"},
        {"https:// alone", "https:// alone"},
    };
    check_rows(std::begin(rows), std::end(rows));
}

TEST_CASE("a CommonMark reading the old line-by-line parser did not have") {
    // "text" over "---" is a heading in CommonMark and in Webex: the customer reads the text.
    CHECK(markdown_to_plain("Price list\n---") == "Price list");
    // A paragraph's leading spaces are no content.
    CHECK(markdown_to_plain("  hello") == "hello");
}

TEST_CASE("nesting deeper than the line-prefix budget is shown flat, not multiplied") {
    const std::string quotes(5000, '>');
    std::string expected;
    while (expected.size() + 2 <= sb::kMaxLinePrefixBytes) expected += "> ";
    CHECK(markdown_to_plain(quotes + "a\nb") == expected + "a\n" + expected + "b");
    std::string bullets;
    for (int i = 0; i < 2000; ++i) bullets += "- ";
    std::string markers;
    while (markers.size() + 2 <= sb::kMaxLinePrefixBytes) markers += "- ";
    CHECK(markdown_to_plain(bullets + "x\nlazy") ==
          markers + "x\n" + std::string(markers.size(), ' ') + "lazy");
}

TEST_CASE("inputs that made the old parser quadratic come back unchanged or plain") {
    CHECK(markdown_to_plain(std::string(50000, '[')) == std::string(50000, '['));
    CHECK(markdown_to_plain("a" + std::string(50000, '*')) == "a" + std::string(50000, '*'));
    std::string links;
    for (int i = 0; i < 10000; ++i) links += "[a](";
    CHECK(markdown_to_plain(links) == links);
}
