// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace retort {

/// A string usable as a template argument: `retort::named<"user_id">`.
template <std::size_t N>
struct fixed_string {
    char data[N]{};

    constexpr fixed_string(const char (&text)[N]) { std::copy_n(text, N, data); }

    constexpr std::string_view view() const { return {data, N - 1}; }
    constexpr std::size_t size() const { return N - 1; }
    constexpr operator std::string_view() const { return view(); }
};

}  // namespace retort
