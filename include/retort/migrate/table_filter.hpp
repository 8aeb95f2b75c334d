// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Which tables a comparison covers. A table the filter leaves out (`--ignore-table T`) is taken
// out of both sides, the live database and the models (or the newest revision's snapshot): it
// is neither compared, nor created, nor altered, nor dropped, whether the models declare it or
// not. validate, fix, initialize, check and revision --autogenerate all apply the same filter.
// Names are glob patterns (`celery_*`, `tmp_??`); `--only-table` keeps only the tables that
// match one, and `--models-only` (the schema manager's) only the tables the models name: the
// way to validate the part of a shared database that is this service's.

#include <retort/schema/schema.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retort::migrate {

/// Whether `name` matches `pattern`: `*` stands for any run of characters, `?` for one; every
/// other character for itself (case-sensitive, as quoted names are). A plain name matches
/// only itself.
constexpr bool glob_match(std::string_view pattern, std::string_view name) noexcept {
    std::size_t p = 0, n = 0;
    std::size_t star = std::string_view::npos, resume = 0;  // the last '*' and where it stands
    while (n < name.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
            ++p;
            ++n;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = n;
        } else if (star != std::string_view::npos) {  // let the last '*' take one more
            p = star + 1;
            n = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

struct table_filter {
    std::vector<std::string> ignored;   // patterns: the tables left out
    std::vector<std::string> only;      // patterns; when any, the tables not matching are left out
    bool models_only = false;           // leave out the tables that `modelled` does not hold
    std::vector<std::string> modelled;  // the models' tables and their old names (with_renames_of)

    table_filter() = default;
    /// Leaves out the tables `ignored_tables` match.
    table_filter(std::vector<std::string> ignored_tables) : ignored(std::move(ignored_tables)) {}

    /// False for a table the filter leaves out.
    bool covers(std::string_view table) const {
        const auto matches = [&](const std::vector<std::string>& patterns) {
            return std::any_of(patterns.begin(), patterns.end(),
                               [&](const std::string& p) { return glob_match(p, table); });
        };
        if (matches(ignored)) return false;
        if (!only.empty() && !matches(only)) return false;
        return !models_only || std::find(modelled.begin(), modelled.end(), table) != modelled.end();
    }

    /// `db` without the tables the filter leaves out.
    schema::database apply(schema::database db) const {
        std::erase_if(db.tables, [&](const schema::table& t) { return !covers(t.name); });
        return db;
    }

    /// This filter for `models`: it also leaves out the old name of each left-out model table
    /// declared table_renamed_from<"old"> (a rename is one table under two names, ignored as
    /// one), and knows the models' tables for models_only (a renamed one under both names).
    table_filter with_renames_of(const schema::database& models) const {
        table_filter out = *this;
        out.modelled.clear();
        for (const auto& t : models.tables) {
            out.modelled.push_back(t.name);
            if (!t.renamed_from.empty()) out.modelled.push_back(t.renamed_from);
        }
        for (const auto& t : models.tables)
            if (!out.covers(t.name) && !t.renamed_from.empty() && out.covers(t.renamed_from))
                out.ignored.push_back(t.renamed_from);
        return out;
    }
};

/// `models`, except that each table `filter` leaves out is as `base` has it (or absent): what a
/// revision planned from `base` aims at, so that it neither touches those tables nor records
/// the models' version of them in its snapshot.
inline schema::database keep_left_out_as_in(const schema::database& base, schema::database models,
                                            const table_filter& filter) {
    const table_filter f = filter.with_renames_of(models);
    schema::database target = f.apply(std::move(models));
    for (const auto& t : base.tables)
        if (!f.covers(t.name)) target.tables.push_back(t);
    return target;
}

}  // namespace retort::migrate
