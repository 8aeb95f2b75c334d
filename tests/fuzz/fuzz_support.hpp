// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// What every fuzz target shares: the libFuzzer entry point's declaration and a check that
// aborts, so that a broken invariant is a crash to libFuzzer and a failure to the replay test.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace retort_fuzz {

[[noreturn]] inline void check_failed(const char* condition, const char* file, int line) {
    std::fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n", file, line, condition);
    std::abort();
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// Occurrences of `needle` in `haystack`, overlapping ones included.
inline std::size_t count_of(std::string_view haystack, std::string_view needle) {
    std::size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string_view::npos;
         at = haystack.find(needle, at + 1))
        ++n;
    return n;
}

inline std::size_t count_of(std::string_view haystack, char c) {
    std::size_t n = 0;
    for (char h : haystack) n += h == c;
    return n;
}

}  // namespace retort_fuzz

// Not `assert`: it stays on in every build type, NDEBUG or not.
#define RETORT_FUZZ_CHECK(condition)                                                               \
    ((condition) ? void() : ::retort_fuzz::check_failed(#condition, __FILE__, __LINE__))
