#pragma once
// What every target shares: the input as a string, and a check whose failure is a crash that
// libFuzzer reports and keeps (a broken promise of the parser, not only a memory error).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace sb::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

[[noreturn]] inline void broken(const char* what, const char* file, int line) {
    std::fprintf(stderr, "fuzz: broken promise at %s:%d: %s\n", file, line, what);
    std::abort();
}

}  // namespace sb::fuzz

#define FUZZ_CHECK(condition) \
    ((condition) ? static_cast<void>(0) : ::sb::fuzz::broken(#condition, __FILE__, __LINE__))
