// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The SQLite renderer of plan.hpp: native ALTER TABLE where SQLite's rules allow it, else the
// table rebuild SQLite's documentation describes.

#include <retort/dialect/sqlite.hpp>
#include <retort/migrate/detail/plan_common.hpp>
#include <retort/migrate/diff.hpp>

namespace retort::migrate::detail {

struct sqlite_renderer {
    using D = dialect::sqlite;
    const schema::database& from;
    const schema::database& to;
    bool checks_from_live = false;  // plan_options::checks_from_live

    /// SQLite's ADD COLUMN rules: not a key or UNIQUE, a constant default (no CURRENT_TIMESTAMP
    /// or expression), NOT NULL only with a default or computed; and no CHECK that only a rebuild
    /// can add (checked_max_length's; a plain max_length<N> writes none on SQLite).
    static bool can_add(const schema::table& t, const schema::column& c) {
        using kind = schema::default_value::kind;
        if (contains(t.key.columns, c.name) || c.autoincrement || c.length_checked) return false;
        if (c.server_default.type == kind::expression) return false;
        // A computed column is VIRTUAL, which SQLite adds (checking NOT NULL on every row).
        if (!c.nullable && c.server_default.type == kind::none && c.computed.empty()) return false;
        return true;
    }

    /// A revision plans from a snapshot: a plain max_length column may have the length CHECK
    /// an older retort wrote, which DROP COLUMN fails on and RENAME COLUMN leaves misnamed.
    bool may_have_older_length_check(const schema::column& c) const {
        return c.max_length && !checks_from_live;
    }

    /// SQLite's DROP COLUMN rules: the column is in no key, UNIQUE, index, foreign key or CHECK
    /// (a checked length is one).
    bool can_drop(const schema::table& t, const schema::column& c) const {
        if (contains(t.key.columns, c.name) || c.length_checked) return false;
        if (may_have_older_length_check(c)) return false;
        for (const auto& u : t.uniques)
            if (contains(u.columns, c.name)) return false;
        for (const auto& i : t.indexes) {
            if (contains(i.columns, c.name) || mentions(i.where, c.name)) return false;
            for (std::size_t k = 0; k < i.columns.size(); ++k)
                if (i.is_expression(k) && mentions(i.columns[k], c.name)) return false;
        }
        for (const auto& f : t.foreign_keys)
            if (contains(f.columns, c.name)) return false;
        for (const auto& k : t.checks)
            if (mentions(k.expression, c.name)) return false;
        for (const auto& other : t.columns)
            if (mentions(other.computed, c.name)) return false;
        return c.type != logical_type::enumeration;
    }

    bool native(const operation& op) const {
        const schema::table& before = *op.before;
        const schema::table& after = *op.after;
        switch (op.kind) {
        case change::add_index:
        case change::drop_index:
        // SQLite cannot rename an index: it is made again under its new name, the same
        // definition (a cheap build next to a rebuild, and a later DROP INDEX finds it).
        case change::rename_index: return true;
        // A key's, unique's or foreign key's name lives in the table's DDL alone, which only a
        // rebuild rewrites: the rename is one (and rides along with one that other changes of
        // the table need). SQLite never names a constraint in a statement, so an additive fix
        // (which leaves rebuilds to --destructive) leaves it as a name-only difference.
        case change::rename_key:
        case change::rename_unique:
        case change::rename_foreign_key: return false;
        case change::rename_table:
            // Indexes can be made again under their new names; a key's, unique's, foreign
            // key's or check's name is in the table's DDL: only a rebuild changes it.
            for (const auto& r : renamed_rules(before, after))
                if (r.kind != rule_rename::index) return false;
            return true;
        case change::add_column: return can_add(after, *after.find_column(op.name));
        case change::drop_column: return can_drop(before, *before.find_column(op.name));
        case change::rename_column: {
            // A CHECK named after its column (a checked length, an enum's) would keep the old
            // name. A plain max_length<N> has none on SQLite: renamed in place.
            const auto* c = after.find_column(op.name);
            if (may_have_older_length_check(*c)) return false;
            return !c->length_checked && c->type != logical_type::enumeration;
        }
        default: return false;
        }
    }

    std::vector<std::string> render(const std::vector<operation>& ops) {
        std::vector<std::string> out;
        // Renamed tables first (SQLite rewrites the references to them in other tables).
        for (const auto& op : ops)
            if (op.kind == change::rename_table)
                out.push_back(alter_table(op.name) + "RENAME TO " + quote_identifier(op.table));
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
                                                [&](const operation* op) { return native(*op); });
            if (all_native) {
                for (const auto* op : table_ops) render_native(*op, out);
            } else {
                schema::table before = *table_ops.front()->before;
                before.name = table;  // a renamed table has its new name by now
                rebuild(std::move(before), *table_ops.front()->after, out);
            }
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
        case change::rename_index:
            out.push_back("DROP INDEX " + quote_identifier(op.old_name));
            out.push_back(dialect::create_index_sql<D>(after, *find_named(after.indexes, op.name)));
            break;
        case change::rename_table:  // the table was renamed first; its indexes follow
            for (const auto& r : renamed_rules(*op.before, after)) {
                out.push_back("DROP INDEX " + quote_identifier(r.from));
                out.push_back(
                    dialect::create_index_sql<D>(after, *find_named(after.indexes, r.to)));
            }
            break;
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
            // A new column: its default (or NULL) fills it; a computed one computes itself.
            if (!source || !c.computed.empty()) continue;
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

}  // namespace retort::migrate::detail
