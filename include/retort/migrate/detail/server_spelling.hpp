// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The models' CHECK expressions, partial-index predicates, index expressions and computed
// columns' expressions as PostgreSQL prints them back, so that a live database compares with
// the models by meaning. PostgreSQL keeps these as parsed trees and prints them rewritten
// (`progress >= 0` comes back as `(progress >= (0)::double precision)`), so the models' own
// text never equals the live one.
//
// Each model table that has such an expression is made again, its columns only, as a temporary
// table of the same name (pg_temp comes first in the search path, so the expressions resolve
// against it), inside a transaction, or a savepoint when one is open, that is rolled back:
// nothing persists. Each expression is added in its own savepoint and read back with the
// functions introspection reads the live ones with. Where the server cannot make the table (no
// TEMP privilege, a read-only standby), the live rules of the same names lend their text: they
// compare by name alone. An expression it refuses on a table it made keeps the model's text.

#include <retort/dialect/ddl.hpp>
#include <retort/dialect/postgres.hpp>
#include <retort/error.hpp>
#include <retort/migrate/introspect_postgres.hpp>
#include <retort/migrate/sql_script.hpp>
#include <retort/schema/schema.hpp>
#include <retort/session/session.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace retort::migrate::detail::server_spelling {

inline bool has_expressions(const schema::index& ix) {
    return !ix.where.empty() || !ix.expressions.empty();
}

inline bool has_expressions(const schema::table& t) {
    return !t.checks.empty() ||
           std::any_of(t.columns.begin(), t.columns.end(),
                       [](const schema::column& c) { return !c.computed.empty(); }) ||
           std::any_of(t.indexes.begin(), t.indexes.end(),
                       [](const schema::index& ix) { return has_expressions(ix); });
}

/// Whether the diff compares `model` and `live` as one type (no type change is planned).
inline bool same_type_when_compared(const schema::column& model, const schema::column& live) {
    const auto normalized = [](const schema::column& c) {
        schema::table t;
        t.name = "t";
        t.columns = {c};
        return normalize_for_postgres(schema::database{{t}}).tables[0].columns[0];
    };
    const schema::column a = normalized(model), b = normalized(live);
    return a.type == b.type && a.max_length == b.max_length && a.native_type == b.native_type &&
           a.enum_values == b.enum_values;
}

/// The live table's column types as format_type() prints them (`character varying(20)`):
/// introspection keeps only what the diff compares, which calls varchar and text one type.
template <class Session>
std::map<std::string, std::string> live_type_spellings(Session& s, const std::string& table) {
    std::map<std::string, std::string> types;
    for (auto& [column, type] : s.template query<std::string, std::string>(
             "SELECT a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod) FROM "
             "pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN "
             "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
             "current_schema() AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped",
             table))
        types[column] = type;
    return types;
}

/// `t`'s columns alone: no key, identity, default or rule that could fail for a reason of its
/// own (a sequence, a referenced table). A column the live table has with a type the diff
/// calls the same takes the live type (`live_types`): the server prints an expression over
/// `varchar` with casts it leaves out over `text`, and the live rules were printed over it.
inline schema::table bare_columns(const schema::table& t, const schema::table* live,
                                  const std::map<std::string, std::string>& live_types) {
    schema::table bare;
    bare.name = t.name;
    bare.columns = t.columns;
    for (auto& c : bare.columns) {
        c.autoincrement = false;
        c.server_default = {};
        c.computed.clear();  // added one by one (spell_table)
        const schema::column* l = live ? live->find_column(c.name) : nullptr;
        if (!l && live && !c.renamed_from.empty()) l = live->find_column(c.renamed_from);
        if (l && same_type_when_compared(c, *l))
            if (auto it = live_types.find(l->name); it != live_types.end())
                c.native_type = it->second;
        c.renamed_from.clear();
    }
    return bare;
}

/// Runs `sql`, one statement, in a savepoint; false, with nothing left of it, when the server
/// refuses it. A lost connection or a deadline is no refusal: it propagates. Text that holds
/// more than one statement (an expression with `; COMMIT; ...` in it) is an error: the
/// splitter refuses the plain cases before anything runs, and the statement goes through the
/// extended protocol, where the server refuses any second statement the splitter missed (a
/// nested comment, a dollar quote it does not know).
template <class Session>
bool try_in_savepoint(Session& s, const std::string& sql, const char* savepoint) {
    const auto refuse = [&] {
        return programming_error("retort: a model's expression holds more than one SQL "
                                 "statement: " +
                                 sql);
    };
    if (split_statements(sql).size() != 1) throw refuse();
    s.execute_script(std::string{"SAVEPOINT "} + savepoint);
    try {
        s.connection().execute_one(sql);
    } catch (const connection_error&) {
        throw;
    } catch (const timeout_error&) {
        throw;
    } catch (const error& e) {
        s.execute_script(std::string{"ROLLBACK TO SAVEPOINT "} + savepoint +
                         "; RELEASE SAVEPOINT " + savepoint);
        // SQLSTATE 42601 "cannot insert multiple commands into a prepared statement"
        if (std::string_view{e.what()}.find("multiple commands") != std::string_view::npos)
            throw refuse();
        return false;
    }
    s.execute_script(std::string{"RELEASE SAVEPOINT "} + savepoint);
    return true;
}

/// An index's predicate and elements, as introspection reads them; `kinds` holds 'e' for an
/// expression, 'c' for a column, per element.
struct index_text {
    std::string where;
    std::vector<std::string> columns;
    std::string kinds;
};

/// name -> text, of the temporary table `table`'s computed columns, checks and indexes.
template <class Session>
std::tuple<std::map<std::string, std::string>, std::map<std::string, std::string>,
           std::map<std::string, index_text>>
read_back(Session& s, const std::string& table) {
    std::map<std::string, std::string> computed, checks;
    std::map<std::string, index_text> indexes;
    const std::string relation = "pg_catalog.to_regclass('pg_temp.' || pg_catalog.quote_ident(?))";
    for (auto& [name, expression] : s.template query<std::string, std::string>(
             "SELECT a.attname::text, pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM "
             "pg_catalog.pg_attribute a JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid "
             "AND d.adnum = a.attnum WHERE a.attgenerated <> '' AND a.attrelid = " +
                 relation,
             table))
        computed[name] = std::move(expression);
    for (auto& [name, definition] : s.template query<std::string, std::string>(
             "SELECT conname::text, pg_catalog.pg_get_constraintdef(oid) FROM "
             "pg_catalog.pg_constraint WHERE contype = 'c' AND conrelid = " +
                 relation,
             table))
        checks[name] = postgres_introspect::check_expression(definition);
    for (auto& [name, where, columns, kinds] :
         s.template query<std::string, std::string, std::vector<std::string>, std::string>(
             "SELECT c.relname::text, coalesce(pg_catalog.pg_get_expr(i.indpred, i.indrelid), "
             "''), ARRAY(SELECT coalesce(a.attname::text, pg_catalog.pg_get_indexdef("
             "i.indexrelid, u.ord::int, true)) FROM unnest(i.indkey::int2[]) WITH ORDINALITY "
             "u(num, ord) LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND "
             "a.attnum = u.num WHERE u.ord <= i.indnkeyatts ORDER BY u.ord), "
             "coalesce((SELECT string_agg(CASE WHEN u.num = 0 THEN 'e' ELSE 'c' END, '' ORDER "
             "BY u.ord) FROM unnest(i.indkey::int2[]) WITH ORDINALITY u(num, ord) WHERE u.ord "
             "<= i.indnkeyatts), '') FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON "
             "c.oid = i.indexrelid WHERE i.indrelid = " +
                 relation,
             table))
        indexes[name] = {std::move(where), std::move(columns), std::move(kinds)};
    return {std::move(computed), std::move(checks), std::move(indexes)};
}

/// What spell_table() did: whether it could make the table, and the rules it spelled.
struct spelled {
    bool table_made = false;
    std::vector<std::string> computed, checks, indexes;
};

/// `t`'s expressions as the server prints them, each one it refuses left as it was.
template <class Session>
spelled spell_table(Session& s, schema::table& t, const schema::table* live) {
    spelled done;
    const schema::table bare = bare_columns(
        t, live, live ? live_type_spellings(s, live->name) : std::map<std::string, std::string>{});
    // A native enum type the models add is made too (rolled back with the rest).
    for (const auto& sql : dialect::create_enum_types_sql<dialect::postgres>(bare))
        try_in_savepoint(s, sql, "retort_spelling_type");
    std::string create = dialect::create_table_sql<dialect::postgres>(bare);
    create.replace(0, std::string_view{"CREATE TABLE"}.size(), "CREATE TEMPORARY TABLE");
    // A temporary table of this name already there (a pooled connection's) makes CREATE fail:
    // then nothing is spelled. Every later statement names pg_temp, never the real table,
    // whatever search_path says.
    if (!try_in_savepoint(s, create, "retort_spelling_table")) return done;
    done.table_made = true;
    const std::string temp = "pg_temp." + schema::quote_identifier(t.name);
    // A computed column replaces its bare twin (no expression may name another computed one).
    for (const auto& c : t.columns)
        if (!c.computed.empty()) {
            schema::column spelled_column = *bare.find_column(c.name);
            spelled_column.computed = c.computed;
            try_in_savepoint(s,
                             "ALTER TABLE " + temp + " DROP COLUMN " +
                                 schema::quote_identifier(c.name) + ", ADD COLUMN " +
                                 dialect::column_sql<dialect::postgres>(bare, spelled_column),
                             "retort_spelling_rule");
        }
    for (const auto& ck : t.checks)
        try_in_savepoint(s,
                         "ALTER TABLE " + temp + " ADD CONSTRAINT " +
                             schema::quote_identifier(ck.name) + " CHECK (" + ck.expression + ")",
                         "retort_spelling_rule");
    const std::string on_table = " ON " + schema::quote_identifier(t.name);
    for (const auto& ix : t.indexes)
        if (has_expressions(ix)) {
            std::string sql = dialect::create_index_sql<dialect::postgres>(bare, ix);
            sql.replace(sql.find(on_table), on_table.size(), " ON " + temp);
            try_in_savepoint(s, sql, "retort_spelling_rule");
        }
    auto [computed, checks, indexes] = read_back(s, t.name);
    for (auto& c : t.columns)
        if (auto it = computed.find(c.name); it != computed.end() && !c.computed.empty()) {
            c.computed = it->second;
            done.computed.push_back(c.name);
        }
    for (auto& ck : t.checks)
        if (auto it = checks.find(ck.name); it != checks.end()) {
            ck.expression = it->second;
            done.checks.push_back(ck.name);
        }
    for (auto& ix : t.indexes)
        if (auto it = indexes.find(ix.name); it != indexes.end() && has_expressions(ix) &&
                                             it->second.columns.size() == ix.columns.size()) {
            if (!ix.where.empty()) ix.where = it->second.where;
            for (std::size_t k = 0; k < ix.columns.size(); ++k)
                if (ix.is_expression(k)) {
                    ix.columns[k] = it->second.columns[k];
                    // An expression the server reduced to a column (`email::text` over text)
                    // is stored, and introspected, as that column.
                    if (k < it->second.kinds.size() && it->second.kinds[k] == 'c')
                        ix.expressions[k] = false;
                }
            if (std::find(ix.expressions.begin(), ix.expressions.end(), true) ==
                ix.expressions.end())
                ix.expressions.clear();
            done.indexes.push_back(ix.name);
        }
    return done;
}

/// Whether `expression` names a column whose enumeration values the models change: the CHECK
/// listing them must change with them, so the live text is no stand-in for it.
inline bool names_changed_enum(const schema::table& t, const schema::table& live,
                               std::string_view expression) {
    for (const auto& name : schema::detail::columns_named_in(t, expression)) {
        const schema::column* c = t.find_column(name);
        const schema::column* l = live.find_column(name);
        if (c && c->type == logical_type::enumeration && (!l || l->enum_values != c->enum_values))
            return true;
    }
    return false;
}

/// Where the server could not make the table at all (no TEMP privilege, a read-only standby,
/// a temporary table of that name on the connection), each rule takes the text of the live
/// rule of the same name: it compares by name. A rule the server refused on a table it made
/// keeps the model's text: the expression itself is wrong for this database (a function it
/// lacks, a mutable function in an index), so it shows as a difference, and a repair fails
/// with the server's reason rather than passing unseen.
inline void lend_live_text(schema::table& t, const schema::table* live, const spelled& done) {
    if (!live || done.table_made) return;
    const auto in = [](const std::vector<std::string>& names, const std::string& n) {
        return std::find(names.begin(), names.end(), n) != names.end();
    };
    for (auto& c : t.columns)
        if (const schema::column* l = live->find_column(c.name))
            if (!c.computed.empty() && !l->computed.empty() && !in(done.computed, c.name))
                c.computed = l->computed;
    for (auto& ck : t.checks)
        for (const auto& l : live->checks)
            if (l.name == ck.name && !in(done.checks, ck.name) &&
                !names_changed_enum(t, *live, ck.expression))
                ck.expression = l.expression;
    for (auto& ix : t.indexes)
        for (const auto& l : live->indexes) {
            if (l.name != ix.name || in(done.indexes, ix.name)) continue;
            if (!ix.where.empty() && !l.where.empty()) ix.where = l.where;
            if (l.columns.size() == ix.columns.size())
                for (std::size_t k = 0; k < ix.columns.size(); ++k)
                    if (ix.is_expression(k) && l.is_expression(k)) ix.columns[k] = l.columns[k];
        }
}

/// `models` with every CHECK expression and partial-index predicate as PostgreSQL prints it
/// back; those it cannot spell take the text of `live`'s rule of the same name.
inline schema::database spell_models(basic_session<retort::postgres>& s, schema::database models,
                                     const schema::database& live) {
    if (std::none_of(models.tables.begin(), models.tables.end(),
                     [](const schema::table& t) { return has_expressions(t); }))
        return models;
    // What add() queued is written first: its own BEGIN must not land in the rolled-back
    // transaction below.
    s.flush();
    const bool nested = s.connection().in_transaction();
    const char* undo = nested ? "ROLLBACK TO SAVEPOINT retort_spelling; RELEASE SAVEPOINT "
                                "retort_spelling"
                              : "ROLLBACK";
    s.execute_script(nested ? "SAVEPOINT retort_spelling" : "BEGIN");
    try {
        for (auto& t : models.tables) {
            if (!has_expressions(t)) continue;
            // Each table starts from nothing: what spelled the last one is gone.
            s.execute_script("SAVEPOINT retort_spelling_of_table");
            const schema::table* l = live.find_table(t.name);
            if (!l && !t.renamed_from.empty()) l = live.find_table(t.renamed_from);
            const spelled done = spell_table(s, t, l);
            s.execute_script("ROLLBACK TO SAVEPOINT retort_spelling_of_table; RELEASE SAVEPOINT "
                             "retort_spelling_of_table");
            lend_live_text(t, l, done);
        }
    } catch (...) {
        try {
            s.execute_script(undo);
        } catch (...) {  // the first failure is the one to report
        }
        throw;
    }
    s.execute_script(undo);
    return models;
}

}  // namespace retort::migrate::detail::server_spelling
