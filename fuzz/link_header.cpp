// What a provider's answer tells the API client in its headers: the Link header whose
// rel="next" URL the client follows (next_link), and the base URLs it is configured with
// (BaseUrl::parse).
#include "fuzz_check.h"
#include "switchboard/api_client.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(sb::fuzz::as_text(data, size));
    const std::string next = sb::next_link(text);
    // The URL is what stood between '<' and '>' in the header.
    if (!next.empty()) {
        FUZZ_CHECK(text.find("<" + next + ">") != std::string::npos);
        FUZZ_CHECK(next.find('>') == std::string::npos);
    }
    const auto base = sb::BaseUrl::parse(text);
    if (base) {
        FUZZ_CHECK(base->origin.rfind("http://", 0) == 0 || base->origin.rfind("https://", 0) == 0);
        FUZZ_CHECK(text.rfind(base->origin, 0) == 0);
        FUZZ_CHECK(base->prefix.empty() || base->prefix.front() == '/');
        FUZZ_CHECK(base->prefix.empty() || base->prefix.back() != '/');
    }
    return 0;
}
