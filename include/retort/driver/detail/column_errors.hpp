// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The errors both drivers' rows raise, worded the same way on both backends.

#include <retort/error.hpp>
#include <retort/schema/types.hpp>

#include <string>
#include <string_view>

namespace retort::driver::detail {

/// "retort: column 7 does not exist: the row has 3 columns"
[[noreturn]] inline void throw_no_such_column(int column, int size) {
    throw programming_error("retort: column " + std::to_string(column) +
                            " does not exist: the row has " + std::to_string(size) + " columns");
}

/// "retort: cannot read column "email" as int64: it holds TEXT"
[[noreturn]] inline void throw_unreadable_column(std::string_view name, logical_type wanted,
                                                 std::string_view why) {
    std::string message = "retort: cannot read column \"";
    message += name;
    message += "\" as ";
    message += to_string(wanted);
    message += ": ";
    message += why;
    throw programming_error(message);
}

}  // namespace retort::driver::detail
