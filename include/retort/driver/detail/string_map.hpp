// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// A map keyed by SQL text that a std::string_view finds without building a std::string: the
// statement caches look up every statement they run.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace retort::driver::detail {

struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
        return std::hash<std::string_view>{}(text);
    }
};

template <class Value>
using string_map = std::unordered_map<std::string, Value, string_hash, std::equal_to<>>;

}  // namespace retort::driver::detail
