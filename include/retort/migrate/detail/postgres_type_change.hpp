// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// What PostgreSQL's ALTER COLUMN ... TYPE does to a table's rows, decided as the server
// decides it (ATColumnChangeRequiresRewrite): the catalog alone changes for a cast that is a
// relabelling (pg_cast's castmethod 'b') into a type without a modifier, and for the same type
// with a modifier every value already fits (the types' length-coercion support functions:
// varchar_support, numeric_support, timestamp_support, varbit_support); every other change
// rewrites the table. tests/integration/postgres_type_change.cpp checks both the list and the
// rule against a live server (pg_cast, and whether the table's file changed).

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace retort::migrate::detail {

/// The binary-coercible casts of PostgreSQL 15 between column types (the reg* and internal
/// types left out), and those the citext extension declares.
inline constexpr std::pair<std::string_view, std::string_view> binary_coercible_casts[] = {
    {"bit", "bit varying"},
    {"bit varying", "bit"},
    {"character varying", "character"},
    {"character varying", "text"},
    {"cidr", "inet"},
    {"text", "character"},
    {"text", "character varying"},
    {"xml", "character"},
    {"xml", "character varying"},
    {"xml", "text"},
    {"character varying", "citext"},
    {"citext", "character"},
    {"citext", "character varying"},
    {"citext", "text"},
    {"text", "citext"},
};

/// A format_type() spelling split into its type and its modifier: "numeric(12,2)" is
/// {"numeric", "12,2"}, "timestamp(3) with time zone" {"timestamp with time zone", "3"}.
inline std::pair<std::string, std::string> split_type_modifier(std::string_view spelling) {
    const std::size_t open = spelling.find('(');
    const std::size_t close = spelling.find(')', open == std::string_view::npos ? 0 : open);
    if (open == std::string_view::npos || close == std::string_view::npos)
        return {std::string{spelling}, {}};
    std::string base{spelling.substr(0, open)};
    base += spelling.substr(close + 1);
    std::string modifier;
    for (char c : spelling.substr(open + 1, close - open - 1))
        if (c != ' ') modifier += c;
    return {std::move(base), std::move(modifier)};
}

inline bool parse_count(std::string_view text, long& out) {
    if (text.empty() || text.size() > 9) return false;
    out = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    return true;
}

/// The same type, its modifier changed so that every value it holds fits unchanged.
inline bool modifier_widens(std::string_view base, std::string_view from, std::string_view to) {
    if (base.ends_with("[]")) return from == to;  // an array's elements are coerced one by one
    if (to.empty()) return base != "character" && base != "bit";  // char(1) and bit(1): no
    if (from.empty()) return false;  // a new limit is checked against every row
    long f = 0, t = 0;
    if (base == "character varying" || base == "bit varying" || base.starts_with("timestamp") ||
        base.starts_with("time ") || base == "interval")
        return parse_count(from, f) && parse_count(to, t) && t >= f;
    if (base == "numeric") {  // precision grows, scale stays
        const auto fc = from.find(','), tc = to.find(',');
        const std::string_view fs = fc == std::string_view::npos ? "0" : from.substr(fc + 1);
        const std::string_view ts = tc == std::string_view::npos ? "0" : to.substr(tc + 1);
        long fscale = 0, tscale = 0;
        return parse_count(from.substr(0, fc), f) && parse_count(to.substr(0, tc), t) &&
               parse_count(fs, fscale) && parse_count(ts, tscale) && t >= f && tscale == fscale;
    }
    return false;
}

/// Whether changing a column from type `from` to type `to` (format_type spellings) leaves the
/// table's rows where they are.
inline bool postgres_keeps_rows(std::string_view from, std::string_view to) {
    const auto [from_base, from_modifier] = split_type_modifier(from);
    const auto [to_base, to_modifier] = split_type_modifier(to);
    if (from_base == to_base) return modifier_widens(from_base, from_modifier, to_modifier);
    if (!to_modifier.empty() || to_base == "character" || to_base == "bit") return false;
    for (const auto& [source, target] : binary_coercible_casts)
        if (source == from_base && target == to_base) return true;
    return false;
}

/// Among the changes postgres_keeps_rows accepts, those after which every value also means
/// what it meant: not into or out of citext, whose comparisons ignore case (a unique index may
/// then refuse rows; a foreign key from or to the column is checked again with the new
/// equality, and may fail).
inline bool postgres_keeps_meaning(std::string_view from, std::string_view to) {
    return postgres_keeps_rows(from, to) && split_type_modifier(from).first != "citext" &&
           split_type_modifier(to).first != "citext";
}

}  // namespace retort::migrate::detail
