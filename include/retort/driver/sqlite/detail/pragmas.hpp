// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// PRAGMA arguments cannot be bound as parameters, so the options' values are checked against
// SQLite's own lists before they are spliced into the PRAGMA text.

#include <retort/error.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace retort::driver::sqlite::detail {

inline bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

template <std::size_t N>
void check_pragma_value(std::string_view option, std::string_view value,
                        const std::array<std::string_view, N>& allowed) {
    for (const auto candidate : allowed)
        if (equals_ignoring_case(value, candidate)) return;
    std::string message = "retort: invalid SQLite ";
    message += option;
    message += " \"";
    message += value;
    message += "\"; expected one of";
    for (const auto candidate : allowed) {
        message += ' ';
        message += candidate;
    }
    throw configuration_error(message);
}

inline void check_journal_mode(std::string_view value) {
    static constexpr std::array<std::string_view, 6> modes{"DELETE", "TRUNCATE", "PERSIST",
                                                           "MEMORY", "WAL",      "OFF"};
    check_pragma_value("journal_mode", value, modes);
}

inline void check_synchronous(std::string_view value) {
    static constexpr std::array<std::string_view, 4> levels{"OFF", "NORMAL", "FULL", "EXTRA"};
    check_pragma_value("synchronous", value, levels);
}

}  // namespace retort::driver::sqlite::detail
