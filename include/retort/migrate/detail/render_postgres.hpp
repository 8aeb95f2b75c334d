// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The PostgreSQL renderer of plan.hpp: ALTER TABLE for everything, in phases that keep
// foreign keys valid.

#include <retort/dialect/postgres.hpp>
#include <retort/migrate/detail/plan_common.hpp>
#include <retort/migrate/detail/value_fit.hpp>
#include <retort/migrate/diff.hpp>
#include <retort/schema/naming_convention.hpp>

#include <algorithm>
#include <optional>
#include <set>

namespace retort::migrate::detail {

struct postgres_renderer {
    using D = dialect::postgres;
    const schema::database& from;
    const schema::database& to;
    plan_options options;
    std::vector<std::string> after_commit{};  // CREATE INDEX CONCURRENTLY, run last

    // Foreign keys go first: a unique or key they use cannot be dropped before them. Rules are
    // renamed once the rules going away have freed their names, and before new rules (which
    // may take a renamed rule's old name) and new tables (index names are per schema).
    enum phase {
        rename_tables,
        drop_foreign_keys,
        drop_rules,
        rename_rules,
        create,
        columns,
        add_rules,
        add_foreign_keys,
        drop_tables
    };

    static phase phase_of(change k) {
        switch (k) {
        case change::rename_table: return rename_tables;
        case change::drop_foreign_key: return drop_foreign_keys;
        case change::drop_check:
        case change::drop_index:
        case change::drop_unique: return drop_rules;
        case change::rename_key:
        case change::rename_unique:
        case change::rename_index:
        case change::rename_foreign_key: return rename_rules;
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
        // A dropped table's foreign keys to a table that stays (they may use a unique, key or
        // column this plan drops) or that close a cycle between dropped tables go first, with
        // the other keys; the rest go with their tables, dependents first.
        std::set<std::string> cycle_keys;
        for (const auto& [t, fk] : drop_order.deferred_foreign_keys) cycle_keys.insert(fk->name);
        for (const auto& op : ops) {
            if (op.kind != change::drop_table) continue;
            for (const auto& fk : op.before->foreign_keys) {
                if (dropped.find_table(fk.referenced_table) && !cycle_keys.count(fk.name)) continue;
                operation extra;
                extra.kind = change::drop_foreign_key;
                extra.table = op.table;
                extra.name = fk.name;
                extra.before = op.before;
                reattached.push_back(std::move(extra));
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
        for (const auto* op : sorted) {
            if (op->kind == change::create_table) {
                const schema::table& t = *op->after;
                for (auto& sql : dialect::create_enum_types_sql<D>(t))
                    out.push_back(std::move(sql));
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
            render_one(*op, out);
        }
        out.insert(out.end(), late.begin(), late.end());
        // Concurrent index builds cannot run in a transaction: they go last, after the commit.
        out.insert(out.end(), after_commit.begin(), after_commit.end());
        return out;
    }

    /// The native enum type column `name` of `t` names, made where it is missing.
    static std::vector<std::string> enum_types_of(const schema::table& t, const std::string& name) {
        schema::table one;
        one.columns.push_back(*t.find_column(name));
        return dialect::create_enum_types_sql<D>(one);
    }

    /// A statement that fails with `message`: a step PostgreSQL cannot take in place, left in
    /// the plan for the revision's author to replace.
    static std::string manual_step(const std::string& message) {
        std::string body;
        for (char ch : message)  // a literal in a RAISE format inside a $-quoted body
            body += ch == '\'' ? "''" : ch == '%' ? "%%" : ch == '$' ? "?" : std::string(1, ch);
        return "DO $retort$ BEGIN RAISE EXCEPTION '" + body + "'; END $retort$";
    }

    /// Before a change that rows may not fit (a narrower integer or varchar, NOT NULL): counts
    /// them and refuses with the table, column and count. The server's own refusal (22003,
    /// 22001, 23502) gives no count, and for a type not the column either.
    static std::string fit_guard(const std::string& table, const std::string& column,
                                 const std::string& misfit_condition, const std::string& what,
                                 std::string_view sqlstate) {
        std::string named;  // a literal in a RAISE format
        for (char ch : table + "." + column + ": ")
            named += ch == '\'' ? "''" : ch == '%' ? "%%" : std::string(1, ch);
        for (char ch : what) named += ch == '\'' ? "''" : std::string(1, ch);
        // use_column: a column named n is the column, not the variable.
        const std::string body = "#variable_conflict use_column DECLARE n bigint; BEGIN "
                                 "SELECT count(*) INTO n FROM " +
                                 quote_identifier(table) + " WHERE " + misfit_condition +
                                 "; IF n > 0 THEN RAISE EXCEPTION 'retort: " + named +
                                 "', n USING ERRCODE = '" + std::string{sqlstate} +
                                 "', HINT = 'change or delete those rows first'; END IF; END";
        std::string tag = "$retort$";  // one the body does not hold (a name may)
        for (int i = 0; body.find(tag) != std::string::npos; ++i)
            tag = "$retort" + std::to_string(i) + "$";
        return "DO " + tag + " " + body + " " + tag;
    }

    /// The digits a `numeric(p, s)` allows before the point (p - s), and after it (s); nothing
    /// for another type or an unconstrained numeric.
    struct numeric_digits {
        int whole = 0, fraction = 0;
    };
    static std::optional<numeric_digits> digits_of_numeric(std::string_view type) {
        for (std::string_view name : {"numeric(", "decimal("}) {
            if (!type.starts_with(name) || !type.ends_with(")")) continue;
            const std::string_view args = type.substr(name.size(), type.size() - name.size() - 1);
            int p = 0, sc = 0, *at = &p;
            for (char ch : args) {
                if (ch == ',' && at == &p)
                    at = &sc;
                else if (ch >= '0' && ch <= '9' && *at < 10000)
                    *at = *at * 10 + (ch - '0');
                else if (ch != ' ')
                    return std::nullopt;
            }
            if (p == 0 || sc > p) return std::nullopt;
            return numeric_digits{p - sc, sc};
        }
        return std::nullopt;
    }

    /// The guard before `was` becomes `c` where some value may not fit: a narrower integer, a
    /// varchar shorter than the text or enum was, a numeric with fewer digits before the point
    /// (PostgreSQL rounds the digits after it). Other native types are the server's business.
    static void guard_narrowing(const std::string& table, const schema::column& was,
                                const schema::column& c, std::vector<std::string>& out) {
        const bool was_text = (was.type == logical_type::text && was.native_type.empty()) ||
                              was.type == logical_type::enumeration;  // a native enum too
        const bool plain = was.native_type.empty() && c.native_type.empty();
        std::optional<value_limit> limit;
        if (plain && is_integer(was.type) && is_integer(c.type) &&
            integer_width(c.type) < integer_width(was.type))
            limit = integer_limit(c.name, integer_width(c.type));
        if (c.type == logical_type::text && c.native_type.empty() && c.max_length && was_text &&
            (!was.max_length || was.max_length > c.max_length))
            limit = length_limit(c.name, c.max_length);
        if (limit) {
            out.push_back(fit_guard(table, c.name, limit->misfit_sql_typed(),
                                    "% row(s) " + limit->description(),
                                    limit->is_length() ? "22001" : "22003"));
            return;
        }
        const auto to = digits_of_numeric(c.native_type);
        if (!to) return;
        // The digits before the point `was` may hold: -1 any number, 0 not a number (its cast
        // is the server's business).
        const int was_whole = [&] {
            if (const auto from = digits_of_numeric(was.native_type)) return from->whole;
            if (was.native_type == "numeric" || was.native_type == "decimal") return -1;
            if (!was.native_type.empty()) return 0;
            switch (was.type) {
            case logical_type::int16: return 5;
            case logical_type::int32: return 10;
            case logical_type::int64: return 19;
            case logical_type::float32:
            case logical_type::float64: return -1;
            default: return 0;
            }
        }();
        if (was_whole >= 0 && was_whole <= to->whole) return;
        out.push_back(fit_guard(
            table, c.name,
            "abs(round(" + quote_identifier(c.name) + "::numeric, " + std::to_string(to->fraction) +
                ")) >= 1" + std::string(to->whole, '0'),
            "% row(s) with more than " + std::to_string(to->whole) + " digit(s) before the point",
            "22003"));
    }

    /// A native enum type's new labels, each in its place, in the unit's transaction (so a
    /// statement of the same unit cannot use them yet: PostgreSQL refuses). PostgreSQL cannot
    /// drop, rename or reorder a label in place: that is left as a statement that fails, naming
    /// the manual steps, for the revision's author to replace.
    static void change_enum_type(const schema::column& was, const schema::column& now,
                                 std::vector<std::string>& out) {
        const auto has = [](const std::vector<std::string>& labels, const std::string& l) {
            return std::find(labels.begin(), labels.end(), l) != labels.end();
        };
        std::vector<std::string> kept;  // the old labels, in the new order
        for (const auto& label : now.enum_values)
            if (has(was.enum_values, label)) kept.push_back(label);
        std::string problem;
        for (const auto& label : was.enum_values)
            if (problem.empty() && !has(now.enum_values, label))
                problem = "remove the value " + label + " from";
        std::vector<std::string> old_order;
        for (const auto& label : was.enum_values)
            if (has(now.enum_values, label)) old_order.push_back(label);
        if (problem.empty() && kept != old_order) problem = "reorder the values of";
        if (!problem.empty()) {
            std::string message = problem + " the enum type " + now.native_type +
                                  " by hand: PostgreSQL cannot drop or move an enum value "
                                  "(make a new type, ALTER the columns TYPE it USING "
                                  "col::text::it, drop the old one)";
            out.push_back(manual_step(message));
            return;
        }
        std::string previous;
        for (const auto& label : now.enum_values) {
            if (!has(was.enum_values, label)) {
                std::string sql = "ALTER TYPE " + now.native_type + " ADD VALUE IF NOT EXISTS " +
                                  dialect::quote_literal(label);
                if (!previous.empty())
                    sql += " AFTER " + dialect::quote_literal(previous);
                else if (!was.enum_values.empty())
                    sql += " BEFORE " + dialect::quote_literal(was.enum_values.front());
                out.push_back(std::move(sql));
            }
            previous = label;
        }
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
        case change::rename_key:
        case change::rename_unique:
        case change::rename_foreign_key:
            // The constraint's own name (a key's or unique's index follows): nothing is checked
            // again, and foreign keys that use the key are not disturbed.
            out.push_back(alter + "RENAME CONSTRAINT " + quote_identifier(op.old_name) + " TO " +
                          quote_identifier(op.name));
            break;
        case change::rename_index:
            out.push_back("ALTER INDEX " + quote_identifier(op.old_name) + " RENAME TO " +
                          quote_identifier(op.name));
            break;
        case change::rename_table: {
            // The table, then the rules named after it (a key or unique renames its index too).
            out.push_back(alter_table(op.name) + "RENAME TO " + quote_identifier(op.table));
            for (const auto& r : renamed_rules(*before, *after))
                out.push_back(r.kind == rule_rename::index
                                  ? "ALTER INDEX " + quote_identifier(r.from) + " RENAME TO " +
                                        quote_identifier(r.to)
                                  : alter + "RENAME CONSTRAINT " + quote_identifier(r.from) +
                                        " TO " + quote_identifier(r.to));
            break;
        }
        case change::rename_column:
            out.push_back(alter + "RENAME COLUMN " +
                          quote_identifier(after->find_column(op.name)->renamed_from) + " TO " +
                          quote_identifier(op.name));
            break;
        case change::add_column:
            for (auto& sql : enum_types_of(*after, op.name)) out.push_back(std::move(sql));
            out.push_back(alter + "ADD COLUMN " +
                          dialect::column_sql<D>(*after, *after->find_column(op.name)));
            break;
        case change::alter_column_type: {
            const schema::column& c = *after->find_column(op.name);
            const schema::column* was = before->find_column(op.name);
            if (!was && !c.renamed_from.empty()) was = before->find_column(c.renamed_from);
            // An enum is text plus a CHECK; the CHECK is swapped by its own operations.
            // (A native enum type, CREATE TYPE ... AS ENUM, becoming text is a change.)
            if (c.type == logical_type::enumeration && was &&
                was->type == logical_type::enumeration && was->native_type == c.native_type) {
                if (!c.native_type.empty()) change_enum_type(*was, c, out);
                break;
            }
            if (was && only_length_check_differs(*was, c)) break;  // VARCHAR(N) checks it here
            // A generated column the plan drops or stops computing is gone by now (diff.hpp).
            const auto still_generated = [&](const schema::column& other) {
                const schema::column* later = after->find_column(other.name);
                for (const auto& renamed : after->columns)
                    if (!later && renamed.renamed_from == other.name) later = &renamed;
                return later && !later->computed.empty();
            };
            if (was)
                for (const auto& other : before->columns)
                    if (const auto read = schema::detail::columns_named_in(*before, other.computed);
                        still_generated(other) &&
                        std::find(read.begin(), read.end(), was->name) != read.end()) {
                        out.push_back(manual_step(
                            "change the type of " + op.table + "." + c.name + " by hand: " +
                            "PostgreSQL changes no type of a column the generated column " +
                            other.name + " reads (drop " + other.name +
                            ", change the type, add it back GENERATED ALWAYS AS (...) STORED)"));
                        return;
                    }
            for (auto& sql : enum_types_of(*after, op.name)) out.push_back(std::move(sql));
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
            // Between timestamptz and timestamp a cast would use the session's TimeZone, which
            // is whatever the connection that runs the script has: say the zone instead. UTC,
            // the zone retort reads and writes instants in, so an instant becomes its UTC wall
            // time and a wall time is taken as UTC (x AT TIME ZONE 'UTC' converts both ways).
            const bool across_zones =
                was &&
                ((was->type == logical_type::timestamp &&
                  c.type == logical_type::local_timestamp) ||
                 (was->type == logical_type::local_timestamp && c.type == logical_type::timestamp));
            std::string using_clause;
            // A generated column takes no USING: the server computes it again.
            const bool generated = was && !was->computed.empty() && !c.computed.empty();
            if (across_zones && !generated)
                using_clause = " USING " + quote_identifier(c.name) + " AT TIME ZONE 'UTC'";
            else if (!text_to_text && !generated)
                // A native enum casts to text alone (and text to any type).
                using_clause =
                    " USING " + quote_identifier(c.name) +
                    (was && was->type == logical_type::enumeration && !was->native_type.empty()
                         ? "::text::"
                         : "::") +
                    type;
            if (was) guard_narrowing(op.table, *was, c, out);
            out.push_back(column + " TYPE " + type + using_clause);
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
        case change::alter_column_computed: {
            const schema::column& c = *after->find_column(op.name);
            const std::string column = alter + "ALTER COLUMN " + quote_identifier(c.name);
            if (c.computed.empty()) {
                out.push_back(column + " DROP EXPRESSION");  // the values stay
                break;
            }
            out.push_back(manual_step(
                "compute " + op.table + "." + c.name + " as " + c.computed +
                " by hand: PostgreSQL 15 cannot change how a column is generated in place (drop "
                "the column, add it back GENERATED ALWAYS AS (...) STORED, and make its indexes "
                "and constraints again; PostgreSQL 17 has ALTER COLUMN ... SET EXPRESSION)"));
            break;
        }
        case change::alter_column_nullability: {
            const schema::column& c = *after->find_column(op.name);
            if (!c.nullable)
                out.push_back(fit_guard(op.table, c.name, quote_identifier(c.name) + " IS NULL",
                                        "% row(s) NULL", "23502"));
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

}  // namespace retort::migrate::detail
