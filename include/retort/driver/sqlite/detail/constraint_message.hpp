// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// SQLite says which constraint failed only in its message text, in a few fixed shapes:
//   UNIQUE constraint failed: users.email           (several columns: "t.a, t.b")
//   UNIQUE constraint failed: index 'ix_name'       (an index on expressions)
//   NOT NULL constraint failed: users.name
//   CHECK constraint failed: ck_users_age           (or the expression, when unnamed)
//   FOREIGN KEY constraint failed                   (nothing more)

#include <retort/error.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace retort::driver::sqlite::detail {

// Fills table and column from "t.a" or "t.a, t.b" (columns kept as "a, b").
inline void read_columns(std::string_view list, error_details& details) {
    while (!list.empty()) {
        const auto comma = list.find(", ");
        const auto item = list.substr(0, comma);
        const auto dot = item.find('.');
        if (dot == std::string_view::npos) return;
        if (details.table.empty()) details.table = item.substr(0, dot);
        if (!details.column.empty()) details.column += ", ";
        details.column += item.substr(dot + 1);
        if (comma == std::string_view::npos) return;
        list.remove_prefix(comma + 2);
    }
}

/// The columns of details.column ("a, b"), one by one.
inline std::vector<std::string> listed_columns(std::string_view columns) {
    std::vector<std::string> out;
    while (!columns.empty()) {
        const auto comma = columns.find(", ");
        out.emplace_back(columns.substr(0, comma));
        if (comma == std::string_view::npos) break;
        columns.remove_prefix(comma + 2);
    }
    return out;
}

/// Fills details.table / column / constraint from a constraint failure's message.
inline void read_constraint_message(std::string_view message, error_details& details) {
    static constexpr std::string_view failed = " constraint failed: ";
    const auto at = message.find(failed);
    if (at == std::string_view::npos) return;
    const auto kind = message.substr(0, at);
    const auto subject = message.substr(at + failed.size());
    if (kind == "CHECK") {
        details.constraint = subject;
    } else if (subject.starts_with("index '") && subject.ends_with('\'')) {
        details.constraint = subject.substr(7, subject.size() - 8);
    } else {
        read_columns(subject, details);
    }
}

}  // namespace retort::driver::sqlite::detail
