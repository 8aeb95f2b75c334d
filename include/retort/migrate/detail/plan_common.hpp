// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// What both renderers of plan.hpp share: the options, the rebuild prefix, and small helpers.

#include <retort/dialect/ddl.hpp>
#include <retort/schema/order.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace retort::migrate {

struct plan_options {
    /// PostgreSQL: build new indexes on existing tables with CREATE INDEX CONCURRENTLY, which
    /// does not block writes; the runner runs these after the revision's transaction commits.
    bool concurrent_indexes = false;
    /// SQLite: `from` is the live schema (a fix), so every CHECK it has is in it. Otherwise
    /// (a revision, planned from a snapshot) a plain max_length column may have the length
    /// CHECK an older retort wrote, which only a rebuild drops or renames.
    bool checks_from_live = false;
};

/// The prefix of the new table while SQLite rebuilds one; the runner recognises it.
inline constexpr std::string_view rebuild_prefix = "_retort_new_";

namespace detail {

using dialect::quote_identifier;
using dialect::quoted_list;

inline std::string alter_table(std::string_view table) {
    return "ALTER TABLE " + quote_identifier(table) + " ";
}

inline bool mentions(std::string_view text, std::string_view name) {
    return !text.empty() && (text.find(name) != std::string_view::npos);
}

inline bool contains(const std::vector<std::string>& names, std::string_view n) {
    return std::find(names.begin(), names.end(), n) != names.end();
}

/// Tables in the order they may be created (or, reversed, dropped).
inline std::map<std::string, std::size_t, std::less<>> dependency_rank(const schema::database& db) {
    std::map<std::string, std::size_t, std::less<>> rank;
    const auto order = schema::order_by_dependencies(db);
    for (std::size_t i = 0; i < order.tables.size(); ++i) rank[order.tables[i]->name] = i;
    return rank;
}

}  // namespace detail
}  // namespace retort::migrate
