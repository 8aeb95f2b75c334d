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

#include <retort/dialect/ddl.hpp>
#include <retort/dialect/postgres.hpp>
#include <retort/dialect/sqlite.hpp>
#include <retort/migrate/diff.hpp>
#include <retort/migrate/normalize.hpp>
#include <retort/schema/order.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace retort::migrate {

struct plan_options {
    /// PostgreSQL: build new indexes on existing tables with CREATE INDEX CONCURRENTLY, which
    /// does not block writes; the runner runs these after the revision's transaction commits.
    bool concurrent_indexes = false;
};

/// The prefix of the new table while SQLite rebuilds one; the runner recognises it.
inline constexpr std::string_view rebuild_prefix = "_retort_new_";

/// Both schemas stripped of renaming hints, `from` given the hints that undo `to`'s renames:
/// what planning the way back (a downgrade) needs.
inline std::pair<schema::database, schema::database> reversed(const schema::database& from,
                                                              const schema::database& to) {
    schema::database back_from = to, back_to = from;
    for (auto& t : back_from.tables)
        for (auto& c : t.columns) c.renamed_from.clear();
    for (auto& t : back_to.tables) {
        for (auto& c : t.columns) c.renamed_from.clear();
        const schema::table* newer = to.find_table(t.name);
        if (!newer) continue;
        for (const auto& c : newer->columns)
            if (!c.renamed_from.empty() && !t.find_column(c.name))
                for (auto& old : t.columns)
                    if (old.name == c.renamed_from) old.renamed_from = c.name;
    }
    return {std::move(back_from), std::move(back_to)};
}

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

// ---- PostgreSQL ----------------------------------------------------------------------------

struct postgres_renderer {
    using D = dialect::postgres;
    const schema::database& from;
    const schema::database& to;
    plan_options options;
    std::vector<std::string> after_commit{};  // CREATE INDEX CONCURRENTLY, run last

    // Foreign keys go first: a unique or key they use cannot be dropped before them.
    enum phase {
        drop_foreign_keys,
        drop_rules,
        create,
        columns,
        add_rules,
        add_foreign_keys,
        drop_tables
    };

    static phase phase_of(change k) {
        switch (k) {
        case change::drop_foreign_key: return drop_foreign_keys;
        case change::drop_check:
        case change::drop_index:
        case change::drop_unique: return drop_rules;
        case change::create_table: return create;
        case change::add_unique:
        case change::add_index:
        case change::add_check: return add_rules;
        case change::add_foreign_key: return add_foreign_keys;
        case change::drop_table: return drop_tables;
        default: return columns;
        }
    }

    std::vector<std::string> render(const std::vector<operation>& ops) {
        // The tables created and dropped here, each set in foreign-key order among itself
        // (existing tables are there already); the keys that close a cycle are deferred.
        schema::database created, dropped;
        for (const auto& op : ops) {
            if (op.kind == change::create_table) created.tables.push_back(*op.after);
            if (op.kind == change::drop_table) dropped.tables.push_back(*op.before);
        }
        const schema::creation_order create_order = schema::order_by_dependencies(created);
        const schema::creation_order drop_order = schema::order_by_dependencies(dropped);
        std::map<std::string, std::size_t, std::less<>> create_rank, drop_rank;
        for (std::size_t i = 0; i < create_order.tables.size(); ++i)
            create_rank[create_order.tables[i]->name] = i;
        for (std::size_t i = 0; i < drop_order.tables.size(); ++i)
            drop_rank[drop_order.tables[i]->name] = drop_order.tables.size() - i;  // reversed
        // Keys that close a cycle among new tables, and keys to existing tables (whose
        // referenced column or unique may be added by this very plan), come after the columns.
        std::set<std::string> deferred;
        for (const auto& [t, fk] : create_order.deferred_foreign_keys) deferred.insert(fk->name);
        for (const auto& t : created.tables)
            for (const auto& fk : t.foreign_keys)
                if (!created.find_table(fk.referenced_table)) deferred.insert(fk.name);

        // A key that changes cannot be dropped while foreign keys use it: those that stay are
        // dropped first and added again last.
        std::vector<operation> reattached;
        for (const auto& op : ops) {
            if (op.kind != change::alter_primary_key || !op.before) continue;
            for (const auto& t : to.tables) {
                const schema::table* old = from.find_table(t.name);
                if (!old) continue;
                for (const auto& fk : t.foreign_keys) {
                    const auto* was = find_named(old->foreign_keys, fk.name);
                    if (!was || !(*was == fk) || fk.referenced_table != op.table ||
                        fk.referenced_columns != op.before->key.columns)
                        continue;
                    for (change k : {change::drop_foreign_key, change::add_foreign_key}) {
                        operation extra;
                        extra.kind = k;
                        extra.table = t.name;
                        extra.name = fk.name;
                        extra.before = *old;
                        extra.after = t;
                        reattached.push_back(std::move(extra));
                    }
                }
            }
        }
        std::vector<const operation*> sorted;
        for (const auto& op : ops) sorted.push_back(&op);
        for (const auto& op : reattached) sorted.push_back(&op);
        auto rank = [&](const operation* op) -> std::size_t {
            if (op->kind == change::create_table) return create_rank.at(op->table);
            if (op->kind == change::drop_table) return drop_rank.at(op->table);
            return 0;  // otherwise the diff's order (by table name) stands
        };
        std::stable_sort(sorted.begin(), sorted.end(), [&](const operation* a, const operation* b) {
            if (phase_of(a->kind) != phase_of(b->kind))
                return phase_of(a->kind) < phase_of(b->kind);
            return rank(a) < rank(b);
        });
        std::vector<std::string> out, late;
        bool cycles_opened = false;
        for (const auto* op : sorted) {
            if (op->kind == change::create_table) {
                const schema::table& t = *op->after;
                out.push_back(dialect::create_table_sql<D>(
                    t, false, std::vector<std::string>(deferred.begin(), deferred.end())));
                for (const auto& ix : t.indexes) out.push_back(dialect::create_index_sql<D>(t, ix));
                for (const auto& fk : t.foreign_keys)
                    if (deferred.count(fk.name))
                        late.push_back(dialect::add_foreign_key_sql<D>(t, fk));
                continue;
            }
            if (phase_of(op->kind) >= add_foreign_keys && !late.empty()) {
                out.insert(out.end(), late.begin(), late.end());
                late.clear();
            }
            // Tables that reference each other: their cycle is opened before the first drop.
            if (op->kind == change::drop_table && !cycles_opened) {
                for (const auto& [t, fk] : drop_order.deferred_foreign_keys)
                    out.push_back(alter_table(t->name) + "DROP CONSTRAINT " +
                                  quote_identifier(fk->name));
                cycles_opened = true;
            }
            render_one(*op, out);
        }
        out.insert(out.end(), late.begin(), late.end());
        // Concurrent index builds cannot run in a transaction: they go last, after the commit.
        out.insert(out.end(), after_commit.begin(), after_commit.end());
        return out;
    }

    void render_one(const operation& op, std::vector<std::string>& out) {
        const std::string alter = alter_table(op.table);
        const schema::table* before = op.before ? &*op.before : nullptr;
        const schema::table* after = op.after ? &*op.after : nullptr;
        switch (op.kind) {
        case change::drop_foreign_key:
        case change::drop_check:
        case change::drop_unique:
            out.push_back(alter + "DROP CONSTRAINT " + quote_identifier(op.name));
            break;
        case change::drop_index: out.push_back("DROP INDEX " + quote_identifier(op.name)); break;
        case change::rename_column:
            out.push_back(alter + "RENAME COLUMN " +
                          quote_identifier(after->find_column(op.name)->renamed_from) + " TO " +
                          quote_identifier(op.name));
            break;
        case change::add_column:
            out.push_back(alter + "ADD COLUMN " +
                          dialect::column_sql<D>(*after, *after->find_column(op.name)));
            break;
        case change::alter_column_type: {
            const schema::column& c = *after->find_column(op.name);
            const schema::column* was = before->find_column(op.name);
            if (!was && !c.renamed_from.empty()) was = before->find_column(c.renamed_from);
            // An enum is text plus a CHECK; the CHECK is swapped by its own operations.
            if (c.type == logical_type::enumeration && was &&
                was->type == logical_type::enumeration)
                break;
            const std::string column = alter + "ALTER COLUMN " + quote_identifier(c.name);
            // The old default may not cast to the new type: off during the change, then back.
            const bool had_default =
                was && was->server_default.type != schema::default_value::kind::none;
            if (had_default) out.push_back(column + " DROP DEFAULT");
            const std::string type = D::type_name(c);
            // Between text types no USING: an explicit cast would cut a value that is too
            // long for a narrower varchar; the implicit one refuses it.
            const bool text_to_text =
                was && was->type == logical_type::text && c.type == logical_type::text;
            out.push_back(column + " TYPE " + type +
                          (text_to_text ? std::string{}
                                        : " USING " + quote_identifier(c.name) + "::" + type));
            if (had_default && c.server_default.type != schema::default_value::kind::none)
                out.push_back(column + " SET DEFAULT " + dialect::default_sql<D>(c.server_default));
            break;
        }
        case change::alter_column_identity: {
            const schema::column& c = *after->find_column(op.name);
            const std::string column = alter + "ALTER COLUMN " + quote_identifier(c.name);
            if (!c.autoincrement) {
                out.push_back(column + " DROP IDENTITY IF EXISTS");
                break;
            }
            out.push_back(column + " ADD GENERATED BY DEFAULT AS IDENTITY");
            // Generated keys start after the largest key already there.
            out.push_back("SELECT setval(pg_get_serial_sequence(" +
                          dialect::quote_literal(quote_identifier(op.table)) + ", " +
                          dialect::quote_literal(c.name) + "), COALESCE(MAX(" +
                          quote_identifier(c.name) + "), 0) + 1, false) FROM " +
                          quote_identifier(op.table));
            break;
        }
        case change::alter_column_nullability: {
            const schema::column& c = *after->find_column(op.name);
            out.push_back(alter + "ALTER COLUMN " + quote_identifier(c.name) +
                          (c.nullable ? " DROP NOT NULL" : " SET NOT NULL"));
            break;
        }
        case change::alter_column_default: {
            const schema::column& c = *after->find_column(op.name);
            out.push_back(alter + "ALTER COLUMN " + quote_identifier(c.name) +
                          (c.server_default.type == schema::default_value::kind::none
                               ? " DROP DEFAULT"
                               : " SET DEFAULT " + dialect::default_sql<D>(c.server_default)));
            break;
        }
        case change::drop_column:
            out.push_back(alter + "DROP COLUMN " + quote_identifier(op.name));
            break;
        case change::alter_primary_key:
            if (!before->key.columns.empty())
                out.push_back(alter + "DROP CONSTRAINT " + quote_identifier(before->key.name));
            if (!after->key.columns.empty())
                out.push_back(alter + "ADD CONSTRAINT " + quote_identifier(after->key.name) +
                              " PRIMARY KEY (" + quoted_list(after->key.columns) + ")");
            break;
        case change::add_unique: {
            const auto& u = *find_named(after->uniques, op.name);
            out.push_back(alter + "ADD CONSTRAINT " + quote_identifier(u.name) + " UNIQUE (" +
                          quoted_list(u.columns) + ")");
            break;
        }
        case change::add_index: {
            // Only an existing table has rows (and writers) to spare from a blocking build; IF
            // NOT EXISTS lets a build that failed after the commit be run again.
            const bool concurrent = options.concurrent_indexes && before;
            std::string sql = dialect::create_index_sql<D>(
                *after, *find_named(after->indexes, op.name), concurrent);
            if (concurrent) {
                sql.insert(sql.find(" INDEX ") + 7, "CONCURRENTLY ");
                after_commit.push_back(std::move(sql));
            } else {
                out.push_back(std::move(sql));
            }
            break;
        }
        case change::add_foreign_key:
            out.push_back(
                dialect::add_foreign_key_sql<D>(*after, *find_named(after->foreign_keys, op.name)));
            break;
        case change::add_check: {
            const auto& c = *find_named(after->checks, op.name);
            out.push_back(alter + "ADD CONSTRAINT " + quote_identifier(c.name) + " CHECK (" +
                          c.expression + ")");
            break;
        }
        case change::drop_table: out.push_back("DROP TABLE " + quote_identifier(op.table)); break;
        case change::create_table: break;  // rendered by the caller, with its deferred keys
        }
    }
};

// ---- SQLite --------------------------------------------------------------------------------

struct sqlite_renderer {
    using D = dialect::sqlite;
    const schema::database& from;
    const schema::database& to;

    /// SQLite's ADD COLUMN rules: not a key or UNIQUE, a constant default (no CURRENT_TIMESTAMP
    /// or expression), NOT NULL only with a default; and no CHECK that only a rebuild can add.
    static bool can_add(const schema::table& t, const schema::column& c) {
        using kind = schema::default_value::kind;
        if (contains(t.key.columns, c.name) || c.autoincrement || c.max_length) return false;
        if (c.server_default.type == kind::expression) return false;
        if (!c.nullable && c.server_default.type == kind::none) return false;
        return true;
    }

    /// SQLite's DROP COLUMN rules: the column is in no key, UNIQUE, index, foreign key or CHECK
    /// (a length limit is a CHECK on SQLite).
    static bool can_drop(const schema::table& t, const schema::column& c) {
        if (contains(t.key.columns, c.name) || c.max_length) return false;
        for (const auto& u : t.uniques)
            if (contains(u.columns, c.name)) return false;
        for (const auto& i : t.indexes)
            if (contains(i.columns, c.name) || mentions(i.where, c.name)) return false;
        for (const auto& f : t.foreign_keys)
            if (contains(f.columns, c.name)) return false;
        for (const auto& k : t.checks)
            if (mentions(k.expression, c.name)) return false;
        return c.type != logical_type::enumeration;
    }

    static bool native(const operation& op) {
        const schema::table& before = *op.before;
        const schema::table& after = *op.after;
        switch (op.kind) {
        case change::add_index:
        case change::drop_index: return true;
        case change::add_column: return can_add(after, *after.find_column(op.name));
        case change::drop_column: return can_drop(before, *before.find_column(op.name));
        case change::rename_column: {
            // A length CHECK is named after its column: the rename would leave the old name.
            const auto* c = after.find_column(op.name);
            return !c->max_length && c->type != logical_type::enumeration;
        }
        default: return false;
        }
    }

    std::vector<std::string> render(const std::vector<operation>& ops) {
        std::vector<std::string> out;
        // Tables to create, in dependency order (SQLite accepts forward references).
        const auto create_rank = dependency_rank(to);
        std::vector<const schema::table*> created;
        for (const auto& op : ops)
            if (op.kind == change::create_table) created.push_back(&*op.after);
        std::sort(created.begin(), created.end(), [&](const auto* a, const auto* b) {
            return create_rank.at(a->name) < create_rank.at(b->name);
        });
        for (const auto* t : created) {
            out.push_back(dialect::create_table_sql<D>(*t));
            for (const auto& ix : t->indexes) out.push_back(dialect::create_index_sql<D>(*t, ix));
        }
        // Changed tables, by name: native statements when every change allows them.
        std::map<std::string, std::vector<const operation*>> changed;
        for (const auto& op : ops)
            if (op.kind != change::create_table && op.kind != change::drop_table)
                changed[op.table].push_back(&op);
        for (const auto& [table, table_ops] : changed) {
            const bool all_native = std::all_of(table_ops.begin(), table_ops.end(),
                                                [](const operation* op) { return native(*op); });
            if (all_native)
                for (const auto* op : table_ops) render_native(*op, out);
            else
                rebuild(*table_ops.front()->before, *table_ops.front()->after, out);
        }
        // Dropped tables, dependents first.
        const auto drop_rank = dependency_rank(from);
        std::vector<std::string> dropped;
        for (const auto& op : ops)
            if (op.kind == change::drop_table) dropped.push_back(op.table);
        std::sort(dropped.begin(), dropped.end(),
                  [&](const auto& a, const auto& b) { return drop_rank.at(a) > drop_rank.at(b); });
        for (const auto& t : dropped) out.push_back("DROP TABLE " + quote_identifier(t));
        return out;
    }

    static void render_native(const operation& op, std::vector<std::string>& out) {
        const schema::table& after = *op.after;
        const std::string alter = alter_table(op.table);
        switch (op.kind) {
        case change::add_index:
            out.push_back(dialect::create_index_sql<D>(after, *find_named(after.indexes, op.name)));
            break;
        case change::drop_index: out.push_back("DROP INDEX " + quote_identifier(op.name)); break;
        case change::add_column:
            out.push_back(alter + "ADD COLUMN " +
                          dialect::column_sql<D>(after, *after.find_column(op.name)));
            break;
        case change::drop_column:
            out.push_back(alter + "DROP COLUMN " + quote_identifier(op.name));
            break;
        case change::rename_column:
            out.push_back(alter + "RENAME COLUMN " +
                          quote_identifier(after.find_column(op.name)->renamed_from) + " TO " +
                          quote_identifier(op.name));
            break;
        default: break;
        }
    }

    /// The rebuild of SQLite's "Making Other Kinds Of Table Schema Changes", steps 4 to 8: the
    /// runner does the rest (foreign keys off before BEGIN, triggers, foreign_key_check).
    static void rebuild(schema::table before, const schema::table& after,
                        std::vector<std::string>& out) {
        // Renames first, natively: SQLite rewrites the triggers, views and indexes that name
        // the column, which a copy under the new name would leave pointing at the old one.
        for (const auto& c : after.columns) {
            if (c.renamed_from.empty() || before.find_column(c.name)) continue;
            for (auto& old : before.columns) {
                if (old.name != c.renamed_from) continue;
                out.push_back(alter_table(before.name) + "RENAME COLUMN " +
                              quote_identifier(old.name) + " TO " + quote_identifier(c.name));
                old.name = c.name;
            }
        }
        // Rendered under its own name, so constraint names follow the table, then renamed.
        const std::string fresh = std::string{rebuild_prefix} + after.name;
        std::string create = dialect::create_table_sql<D>(after);
        const std::string head = "CREATE TABLE " + quote_identifier(after.name);
        create.replace(0, head.size(), "CREATE TABLE " + quote_identifier(fresh));
        out.push_back(std::move(create));
        std::vector<std::string> targets, sources;
        for (const auto& c : after.columns) {
            const schema::column* source = before.find_column(c.name);
            if (!source) continue;  // a new column: its default (or NULL) fills it
            targets.push_back(c.name);
            sources.push_back(source->name);
        }
        if (!targets.empty())
            out.push_back("INSERT INTO " + quote_identifier(fresh) + " (" + quoted_list(targets) +
                          ") SELECT " + quoted_list(sources) + " FROM " +
                          quote_identifier(before.name));
        // AUTOINCREMENT never reuses an id: carry the high-water mark over.
        const bool keeps_sequence = std::any_of(before.columns.begin(), before.columns.end(),
                                                [](const auto& c) { return c.autoincrement; }) &&
                                    std::any_of(after.columns.begin(), after.columns.end(),
                                                [](const auto& c) { return c.autoincrement; });
        if (keeps_sequence)
            out.push_back("UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE "
                          "name = " +
                          dialect::quote_literal(before.name) +
                          ") WHERE name = " + dialect::quote_literal(fresh));
        out.push_back("DROP TABLE " + quote_identifier(before.name));
        out.push_back(alter_table(fresh) + "RENAME TO " + quote_identifier(after.name));
        for (const auto& ix : after.indexes) out.push_back(dialect::create_index_sql<D>(after, ix));
    }
};

}  // namespace detail

/// The operations from `from` to `to`, both dialect-neutral, in the diff's order.
inline std::vector<operation> plan(const schema::database& from, const schema::database& to) {
    return diff(canonical(from), canonical(to));
}

/// The statements (without their ';') that turn `from` into `to` on Dialect.
template <class Dialect>
std::vector<std::string> render(const schema::database& from, const schema::database& to,
                                const plan_options& options = {}) {
    const schema::database a = canonical(from), b = canonical(to);
    const std::vector<operation> ops = diff(a, b);
    if constexpr (Dialect::name == dialect::sqlite::name)
        return detail::sqlite_renderer{a, b}.render(ops);
    else
        return detail::postgres_renderer{a, b, options}.render(ops);
}

}  // namespace retort::migrate
