// Time per call of markdown_to_plain (cmark) on typical agent replies and on inputs built to make
// a markdown parser quadratic, at Webex's 7,439-byte limit and at 50 kB. Figures only. The
// router's hand-written parser it replaced was timed beside it in one run (bench/README.md).
// Usage: build/bench/markdown_bench [seconds-per-input (0.3)]
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "switchboard/clocks.h"
#include "switchboard/markdown.h"

namespace {

struct Input {
    std::string name;
    std::string markdown;
};

std::string repeat(const std::string& piece, size_t bytes) {
    std::string out;
    while (out.size() + piece.size() <= bytes) out += piece;
    return out;
}

std::vector<Input> inputs() {
    std::vector<Input> out = {
        {"short reply",
         "Hi Ana, your order **#4521** ships *today*. Track it "
         "[here](https://example.com/t/4521)."},
        {"steps + link",
         "Here is what to do:\n\n1. Open **Settings**\n2. Tap `Reset`\n"
         "3. Call us at <tel:+18005550199> or see "
         "[the guide](https://example.com/guide \"Guide\")\n\n"
         "> Note: this _erases_ your saved cards.\n\nThanks!"},
        {"code + list",
         "Try this:\n```\ncurl -s https://example.com/status\n```\n- it prints "
         "`ok`\n- if not, ~~restart~~ reply **STOP**\n  - we call you back"},
    };
    out.push_back({"long reply (7 kB)", repeat(out[1].markdown + "\n\n", 7439)});
    for (const size_t bytes : {size_t{7439}, size_t{50000}}) {
        const std::string size = bytes == 7439 ? " (7,439 B)" : " (50 kB)";
        out.push_back({"'[' x n" + size, std::string(bytes, '[')});
        out.push_back({"'a' + '*' x n" + size, "a" + std::string(bytes - 1, '*')});
        out.push_back({"'[a](' x n" + size, repeat("[a](", bytes)});
        out.push_back({"'**a' x n" + size, repeat("**a", bytes)});
        out.push_back({"'x_' x n" + size, repeat("x_", bytes)});
        out.push_back({"'`' runs" + size, repeat("`a``b", bytes)});
    }
    return out;
}

// Mean microseconds per call: calls repeated until `budget` seconds have passed (at least one).
double micros_per_call(const std::string& markdown, double budget) {
    const auto started = sb::SteadyClock::now();
    size_t calls = 0;
    size_t bytes = 0;  // keeps the calls from being optimized away
    double elapsed = 0;
    do {
        bytes += sb::markdown_to_plain(markdown).size();
        ++calls;
        elapsed = std::chrono::duration<double>(sb::SteadyClock::now() - started).count();
    } while (elapsed < budget);
    if (bytes == static_cast<size_t>(-1)) std::puts("");
    return elapsed * 1e6 / static_cast<double>(calls);
}

}  // namespace

int main(int argc, char** argv) {
    double budget = 0.3;
    if (argc > 1) {
        // strtod, not atof: a mistyped budget is reported instead of silently timing nothing.
        char* end = nullptr;
        budget = std::strtod(argv[1], &end);
        if (end == argv[1] || *end != '\0' || !(budget >= 0)) {  // NaN too
            std::fprintf(stderr,
                         "markdown_bench: seconds-per-input must be a number >= 0, not '%s'\n",
                         argv[1]);
            return 2;
        }
    }
    std::printf("%-26s %8s %12s %9s\n", "input", "bytes", "us/call", "ns/byte");
    for (const Input& input : inputs()) {
        const double us = micros_per_call(input.markdown, budget);
        std::printf("%-26s %8zu %12.1f %9.1f\n", input.name.c_str(), input.markdown.size(), us,
                    us * 1000 / static_cast<double>(input.markdown.size()));
    }
    return 0;
}
