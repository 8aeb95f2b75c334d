// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The one error for SQL given another number of values than it has parameters, worded the same
// on every backend:
//   retort: the SQL takes 1 parameter but 2 arguments were given, in: SELECT ?::text

#include <retort/error.hpp>

#include <string>
#include <string_view>
#include <utility>

namespace retort::driver::detail {

[[noreturn]] inline void throw_parameter_count(int takes, int given, std::string_view sql) {
    std::string message =
        "retort: the SQL takes " + std::to_string(takes) +
        (takes == 1 ? " parameter but " : " parameters but ") + std::to_string(given) +
        (given == 1 ? " argument was given, in: " : " arguments were given, in: ");
    message += sql;
    error_details details;
    details.sql = sql;
    // The message is complete before `details` moves: the order in which a call's arguments are
    // evaluated is unspecified (appending details.sql in the call itself once printed nothing).
    throw programming_error(message, std::move(details));
}

}  // namespace retort::driver::detail
