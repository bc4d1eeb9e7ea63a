// What an agent writes in Webex (markdown, up to 7,439 bytes) turned into the plain text of an
// SMS by sb::markdown_to_plain (cmark's tree, walked by switchboard/markdown.h). Any bytes: no
// crash, no runaway time (libFuzzer's -timeout) and the promises of its layout and size.
#include "switchboard/markdown.h"

#include <algorithm>

#include "fuzz_check.h"
#include "switchboard/text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view markdown = sb::fuzz::as_text(data, size);
    const std::string plain = sb::markdown_to_plain(markdown);
    // No more than one blank line in a row, none at either end, no line ending in a space.
    FUZZ_CHECK(plain.find("\n\n\n") == std::string::npos);
    FUZZ_CHECK(plain.empty() || (plain.front() != '\n' && plain.back() != '\n'));
    FUZZ_CHECK(plain.find(" \n") == std::string::npos);
    FUZZ_CHECK(plain.empty() || plain.back() != ' ');
    // Linear in the input: a character becomes at most 3 bytes (NUL becomes U+FFFD, a partly
    // used tab up to 3 spaces), each line gains at most its quote and list markers, and cmark
    // expands reference links to at most the larger of the input's size and 100 kB.
    const std::size_t lines =
        1 + static_cast<std::size_t>(std::count(markdown.begin(), markdown.end(), '\n') +
                                     std::count(markdown.begin(), markdown.end(), '\r'));
    FUZZ_CHECK(plain.size() <= 4 * size + (sb::kMaxLinePrefixBytes + 1) * lines +
                                   std::max<std::size_t>(size, 100000));
    // Whole characters in, whole characters out.
    FUZZ_CHECK(!sb::is_valid_utf8(markdown) || sb::is_valid_utf8(plain));
    FUZZ_CHECK(sb::markdown_to_plain(markdown) == plain);
    return 0;
}
