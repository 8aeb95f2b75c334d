// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The planner: the SQL that turns one schema value into another, for one dialect. Both sides
// are dialect-neutral schemas (models, or a revision's snapshot of them); the diff says what
// changes and the dialect's renderer says how:
//  - PostgreSQL runs ALTER TABLE for everything, in phases that keep foreign keys valid: drop
//    foreign keys and other rules, create tables in dependency order, change columns, add
//    rules, add foreign keys, drop tables (dependents first).
//  - SQLite uses ALTER TABLE where its rules allow it (ADD COLUMN, RENAME COLUMN, DROP COLUMN,
//    indexes), and otherwise rebuilds the table as its documentation describes: create the new
//    table, copy every row, drop the old one, rename the new one, recreate its indexes. The
//    runner turns foreign keys off before the transaction and checks them before commit.
// The output depends on the input alone: the same schemas give byte-identical statements.

#include <retort/migrate/detail/plan_common.hpp>
#include <retort/migrate/detail/render_postgres.hpp>
#include <retort/migrate/detail/render_sqlite.hpp>
#include <retort/migrate/diff.hpp>
#include <retort/migrate/normalize.hpp>

#include <string>
#include <utility>
#include <vector>

namespace retort::migrate {

/// Both schemas stripped of renaming hints, `from` given the hints that undo `to`'s renames:
/// what planning the way back (a downgrade) needs.
inline std::pair<schema::database, schema::database> reversed(const schema::database& from,
                                                              const schema::database& to) {
    schema::database back_from = to, back_to = from;
    for (auto& t : back_from.tables) {
        t.renamed_from.clear();
        for (auto& c : t.columns) c.renamed_from.clear();
    }
    for (auto& t : back_to.tables) {
        t.renamed_from.clear();
        for (auto& c : t.columns) c.renamed_from.clear();
        const schema::table* newer = to.find_table(t.name);
        if (!newer)  // renamed on the way forward: renamed back
            for (const auto& n : to.tables)
                if (n.renamed_from == t.name && !from.find_table(n.name)) {
                    newer = &n;
                    t.renamed_from = n.name;
                }
        if (!newer) continue;
        for (const auto& c : newer->columns)
            if (!c.renamed_from.empty() && !t.find_column(c.name))
                for (auto& old : t.columns)
                    if (old.name == c.renamed_from) old.renamed_from = c.name;
    }
    return {std::move(back_from), std::move(back_to)};
}

/// The operations from `from` to `to`, both dialect-neutral, in the diff's order.
inline std::vector<operation> plan(const schema::database& from, const schema::database& to) {
    return diff(canonical(from), canonical(to));
}

/// The statements of some of the operations from `from` to `to` on Dialect: those `keep`
/// accepts (a predicate on `operation`), the rest left as they are.
template <class Dialect, class Keep>
std::vector<std::string> render_kept(const schema::database& from, const schema::database& to,
                                     const plan_options& options, Keep keep) {
    const schema::database a = canonical(from), b = canonical(to);
    std::vector<operation> ops = diff(a, b);
    std::erase_if(ops, [&](const operation& op) { return !keep(op); });
    if constexpr (Dialect::name == dialect::sqlite::name)
        return detail::sqlite_renderer{a, b, options.checks_from_live}.render(ops);
    else
        return detail::postgres_renderer{a, b, options}.render(ops);
}

/// The statements (without their ';') that turn `from` into `to` on Dialect.
template <class Dialect>
std::vector<std::string> render(const schema::database& from, const schema::database& to,
                                const plan_options& options = {}) {
    return render_kept<Dialect>(from, to, options, [](const operation&) { return true; });
}

}  // namespace retort::migrate
