// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Rows whose values a column's model type cannot hold, which SQLite keeps (an int32 column
// holding 3000000000, a max_length<10> one holding longer text): validate() reports them, and
// a SQLite rebuild that narrows a column refuses them.

#include <cstdint>
#include <string>

namespace retort::migrate {

/// The rows of one table whose values in one column do not fit what the models declare.
struct misfit {
    std::string table, column;
    std::string limit;  // what the values are: "not an integer from -32768 to 32767"
    std::int64_t rows = 0;

    /// "books.pages: 1 row(s) not an integer from -2147483648 to 2147483647"
    std::string text() const {
        return table + "." + column + ": " + std::to_string(rows) + " row(s) " + limit;
    }
    friend bool operator==(const misfit&, const misfit&) = default;
};

}  // namespace retort::migrate
