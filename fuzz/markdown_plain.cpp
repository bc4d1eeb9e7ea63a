// What an agent writes in Spark (markdown, up to Webex's 7,439 bytes) turned into the plain text
// of an SMS by markdown_to_plain. Any bytes: no crash, no runaway time (libFuzzer's -timeout),
// and the promises of its layout.
#include "markdown_plain.h"

#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view markdown = sb::fuzz::as_text(data, size);
    const std::string plain = sb::router::markdown_to_plain(markdown);
    // No more than one blank line in a row, none at the start.
    FUZZ_CHECK(plain.find("\n\n\n") == std::string::npos);
    FUZZ_CHECK(plain.empty() || plain.front() != '\n');
    // Markup only ever shrinks or keeps the text; a link's " ()" is paid for by its "[]()".
    FUZZ_CHECK(plain.size() <= 2 * markdown.size() + 8);
    FUZZ_CHECK(sb::router::markdown_to_plain(markdown) == plain);
    return 0;
}
