// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The models' CHECK expressions and partial-index predicates as PostgreSQL prints them back,
// so that a live database compares with the models by meaning. PostgreSQL keeps these as parsed
// trees and prints them rewritten (`progress >= 0` comes back as
// `(progress >= (0)::double precision)`), so the models' own text never equals the live one.
//
// Each model table that has such an expression is made again, its columns only, as a temporary
// table of the same name (pg_temp comes first in the search path, so the expressions resolve
// against it), inside a transaction, or a savepoint when one is open, that is rolled back:
// nothing persists. Each expression is added in its own savepoint and read back with the
// functions introspection reads the live ones with. Where the server refuses one (a type or
// function the database does not have yet, no TEMP privilege, a read-only standby), the live
// rule of the same name lends its text: that rule compares by name alone.

#include <retort/dialect/ddl.hpp>
#include <retort/dialect/postgres.hpp>
#include <retort/error.hpp>
#include <retort/migrate/introspect_postgres.hpp>
#include <retort/schema/schema.hpp>
#include <retort/session/session.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace retort::migrate::detail::server_spelling {

inline bool has_expressions(const schema::table& t) {
    if (!t.checks.empty()) return true;
    for (const auto& ix : t.indexes)
        if (!ix.where.empty()) return true;
    return false;
}

/// `t`'s columns alone: no key, identity, default or rule that could fail for a reason of its
/// own (a sequence, a referenced table).
inline schema::table bare_columns(const schema::table& t) {
    schema::table bare;
    bare.name = t.name;
    bare.columns = t.columns;
    for (auto& c : bare.columns) {
        c.autoincrement = false;
        c.server_default = {};
    }
    return bare;
}

/// Runs `sql` in a savepoint; false, with nothing left of it, when the server refuses it. A
/// lost connection or a deadline is no refusal: it propagates.
template <class Session>
bool try_in_savepoint(Session& s, const std::string& sql, const char* savepoint) {
    s.execute_script(std::string{"SAVEPOINT "} + savepoint);
    try {
        s.execute_script(sql);
    } catch (const connection_error&) {
        throw;
    } catch (const timeout_error&) {
        throw;
    } catch (const error&) {
        s.execute_script(std::string{"ROLLBACK TO SAVEPOINT "} + savepoint +
                         "; RELEASE SAVEPOINT " + savepoint);
        return false;
    }
    s.execute_script(std::string{"RELEASE SAVEPOINT "} + savepoint);
    return true;
}

/// name -> text, of the temporary table `table`'s checks and partial-index predicates.
template <class Session>
std::tuple<std::map<std::string, std::string>, std::map<std::string, std::string>>
read_back(Session& s, const std::string& table) {
    std::map<std::string, std::string> checks, predicates;
    const std::string relation = "pg_catalog.to_regclass('pg_temp.' || pg_catalog.quote_ident(?))";
    for (auto& [name, definition] : s.template query<std::string, std::string>(
             "SELECT conname::text, pg_catalog.pg_get_constraintdef(oid) FROM "
             "pg_catalog.pg_constraint WHERE contype = 'c' AND conrelid = " +
                 relation,
             table))
        checks[name] = postgres_introspect::check_expression(definition);
    for (auto& [name, where] : s.template query<std::string, std::string>(
             "SELECT c.relname::text, coalesce(pg_catalog.pg_get_expr(i.indpred, i.indrelid), "
             "'') FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = "
             "i.indexrelid WHERE i.indrelid = " +
                 relation,
             table))
        predicates[name] = where;
    return {std::move(checks), std::move(predicates)};
}

/// The names of the rules spell_table() spelled.
struct spelled {
    std::vector<std::string> checks, indexes;
};

/// `t`'s expressions as the server prints them, each one it refuses left as it was.
template <class Session>
spelled spell_table(Session& s, schema::table& t) {
    spelled done;
    const schema::table bare = bare_columns(t);
    std::string create = dialect::create_table_sql<dialect::postgres>(bare);
    create.replace(0, std::string_view{"CREATE TABLE"}.size(), "CREATE TEMPORARY TABLE");
    if (!try_in_savepoint(s, create, "retort_spelling_table")) return done;
    for (const auto& ck : t.checks)
        try_in_savepoint(s,
                         "ALTER TABLE " + schema::quote_identifier(t.name) + " ADD CONSTRAINT " +
                             schema::quote_identifier(ck.name) + " CHECK (" + ck.expression + ")",
                         "retort_spelling_rule");
    for (const auto& ix : t.indexes)
        if (!ix.where.empty())
            try_in_savepoint(s, dialect::create_index_sql<dialect::postgres>(bare, ix),
                             "retort_spelling_rule");
    auto [checks, predicates] = read_back(s, t.name);
    for (auto& ck : t.checks)
        if (auto it = checks.find(ck.name); it != checks.end()) {
            ck.expression = it->second;
            done.checks.push_back(ck.name);
        }
    for (auto& ix : t.indexes)
        if (auto it = predicates.find(ix.name); it != predicates.end() && !ix.where.empty()) {
            ix.where = it->second;
            done.indexes.push_back(ix.name);
        }
    return done;
}

/// Each rule the server refused takes the text of the live rule of the same name.
inline void lend_live_text(schema::table& t, const schema::table* live, const spelled& done) {
    if (!live) return;
    const auto in = [](const std::vector<std::string>& names, const std::string& n) {
        return std::find(names.begin(), names.end(), n) != names.end();
    };
    for (auto& ck : t.checks)
        for (const auto& l : live->checks)
            if (l.name == ck.name && !in(done.checks, ck.name)) ck.expression = l.expression;
    for (auto& ix : t.indexes)
        for (const auto& l : live->indexes)
            if (l.name == ix.name && !ix.where.empty() && !l.where.empty() &&
                !in(done.indexes, ix.name))
                ix.where = l.where;
}

/// `models` with every CHECK expression and partial-index predicate as PostgreSQL prints it
/// back; those it cannot spell take the text of `live`'s rule of the same name.
inline schema::database spell_models(basic_session<retort::postgres>& s, schema::database models,
                                     const schema::database& live) {
    if (std::none_of(models.tables.begin(), models.tables.end(), has_expressions)) return models;
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
            const spelled done = spell_table(s, t);
            s.execute_script("ROLLBACK TO SAVEPOINT retort_spelling_of_table; RELEASE SAVEPOINT "
                             "retort_spelling_of_table");
            lend_live_text(t, live.find_table(t.name), done);
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
