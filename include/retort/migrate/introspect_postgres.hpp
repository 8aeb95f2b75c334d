// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Reads the live schema of a PostgreSQL database back into a schema value, and the rules that
// make it comparable with the schema built from models (normalize_for_postgres).
//
// introspect() lists the ordinary and partitioned tables of current_schema(), except
// `retort_version` (the migration runner's own table) and partitions (they belong to their
// parent). It runs three set-based catalog queries for the whole schema (columns, constraints,
// indexes), whatever the number of tables. The queries do not open a transaction: DDL that
// runs concurrently can make them disagree; wrap the call in a transaction to avoid that.
// A generated column's expression is read as PostgreSQL prints it (pg_get_expr), and compared
// with a model's as the server prints that (migrate/detail/server_spelling.hpp).
//
// What it does not represent (the schema value has no place for it):
//   * a type retort does not write keeps its spelling in column::native_type, beside the
//     nearest logical type (timestamp(3) without time zone: local_timestamp; json: json;
//     integer[]: int_array) or text when there is none (numeric, uuid, time, character(n),
//     domains, ...),
//     so it never compares equal to a model's column; a native enum type (CREATE TYPE ... AS
//     ENUM) reads as an enumeration with its labels;
//   * exclusion constraints, sort order and INCLUDE columns (an expression in an index reads
//     as its SQL text in `columns`, marked in `expressions`);
//   * a foreign key to a table in another schema names it "schema.table".

#include <retort/migrate/detail/rule_identity.hpp>
#include <retort/migrate/native_types.hpp>
#include <retort/migrate/normalize.hpp>
#include <retort/schema/naming.hpp>
#include <retort/schema/naming_convention.hpp>
#include <retort/schema/schema.hpp>
#include <retort/session/session.hpp>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace retort::migrate {

namespace detail::postgres_introspect {

// ---- the catalog queries -------------------------------------------------------------------

// The tables introspect() reports, as a common table expression `t` (oid, relname).
inline constexpr std::string_view pg_tables_cte =
    "WITH t AS (SELECT c.oid, c.relname FROM pg_catalog.pg_class c "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
    "AND c.relname <> 'retort_version') ";

// One row per column, in table then column order; a table without columns gives one row with
// a NULL column name (LEFT JOIN), so it is still listed. Native enum types bring their labels.
inline std::string pg_columns_sql() {
    return std::string{pg_tables_cte} +
           "SELECT t.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), "
           "coalesce(a.attnotnull, false), pg_get_expr(d.adbin, d.adrelid), "
           "coalesce(a.attidentity::text, ''), coalesce(a.attgenerated::text, ''), "
           "ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e "
           "WHERE e.enumtypid = a.atttypid ORDER BY e.enumsortorder) "
           "FROM t LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 "
           "AND NOT a.attisdropped "
           "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = t.oid AND d.adnum = a.attnum "
           "ORDER BY t.relname, a.attnum";
}

// One row per primary key, unique, foreign key and check constraint; key columns in key order.
inline std::string pg_constraints_sql() {
    return std::string{pg_tables_cte} +
           "SELECT t.relname::text, k.conname::text, k.contype::text, "
           "ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(num, ord) "
           "JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.num "
           "ORDER BY u.ord), "
           "coalesce(CASE WHEN rn.nspname = current_schema() THEN r.relname::text "
           "ELSE rn.nspname || '.' || r.relname END, ''), "
           "ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(num, ord) "
           "JOIN pg_catalog.pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.num "
           "ORDER BY u.ord), "
           "k.confupdtype::text, k.confdeltype::text, "
           "CASE WHEN k.contype = 'c' THEN pg_get_constraintdef(k.oid) ELSE '' END "
           "FROM t JOIN pg_catalog.pg_constraint k ON k.conrelid = t.oid "
           "LEFT JOIN pg_catalog.pg_class r ON r.oid = k.confrelid "
           "LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace "
           "WHERE k.contype IN ('p', 'u', 'f', 'c') ORDER BY t.relname, k.conname";
}

// One row per index that does not back a primary key, unique or exclusion constraint (those
// are constraints, listed above); key columns (not INCLUDE ones) in order.
inline std::string pg_indexes_sql() {
    return std::string{pg_tables_cte} +
           "SELECT t.relname::text, ic.relname::text, i.indisunique, "
           "ARRAY(SELECT coalesce(a.attname::text, pg_get_indexdef(i.indexrelid, u.ord::int, "
           "true)) FROM unnest(i.indkey::int2[]) WITH ORDINALITY u(num, ord) "
           "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.num "
           "WHERE u.ord <= i.indnkeyatts ORDER BY u.ord), "
           "coalesce(pg_get_expr(i.indpred, i.indrelid), ''), am.amname::text, "
           "ARRAY(SELECT CASE WHEN oc.opcdefault THEN '' ELSE oc.opcname::text END "
           "FROM unnest(i.indclass::oid[]) WITH ORDINALITY u(cls, ord) "
           "JOIN pg_catalog.pg_opclass oc ON oc.oid = u.cls ORDER BY u.ord), "
           "(SELECT string_agg(CASE WHEN u.num = 0 THEN 'e' ELSE 'c' END, '' ORDER BY u.ord) "
           "FROM unnest(i.indkey::int2[]) WITH ORDINALITY u(num, ord) "
           "WHERE u.ord <= i.indnkeyatts) "
           "FROM t JOIN pg_catalog.pg_index i ON i.indrelid = t.oid "
           "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
           "JOIN pg_catalog.pg_am am ON am.oid = ic.relam "
           "WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = "
           "i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')) "
           "ORDER BY t.relname, ic.relname";
}

// ---- reading what the catalog says -------------------------------------------------------

/// Whether `s` can only be a type name (`character varying`, `text[]`, `public."my type"`), so
/// that `'a'::text || 'b'::text` is not mistaken for one literal with a cast.
inline bool is_type_name(std::string_view s) {
    for (char c : s)
        if (!std::isalnum(static_cast<unsigned char>(c)) &&
            std::string_view{" _[].\""}.find(c) == std::string_view::npos)
            return false;
    return !s.empty();
}

/// Whether retort's DDL writes this format_type() spelling (postgres::type_name); any other
/// spelling is kept in column::native_type, so that no model compares equal to it.
inline bool is_retort_spelling(std::string_view type) {
    for (std::string_view t :
         {"boolean", "smallint", "integer", "bigint", "real", "double precision", "text", "bytea",
          "timestamp with time zone", "timestamp without time zone", "date", "jsonb", "text[]",
          "bigint[]"})
        if (type == t) return true;
    // Rails writes timestamp(6): 6 digits is the default precision, so the very same type.
    if (type == "timestamp(6) without time zone") return true;
    // varchar without a length is text to PostgreSQL: same storage, same rules.
    return type == "character varying" ||
           (starts_with(type, "character varying(") && type.back() == ')');
}

/// The logical type of a format_type() spelling, with its varchar length: the nearest one for
/// spellings retort does not write (is_retort_spelling), text for types it has none for
/// (documented above), rather than throwing: introspection must not fail on a database that
/// holds more than retort's models.
inline std::pair<logical_type, std::size_t> logical_type_of_pg(std::string_view type) {
    if (type == "boolean") return {logical_type::boolean, 0};
    if (type == "smallint") return {logical_type::int16, 0};
    if (type == "integer") return {logical_type::int32, 0};
    if (type == "bigint") return {logical_type::int64, 0};
    if (type == "real") return {logical_type::float32, 0};
    if (type == "double precision") return {logical_type::float64, 0};
    if (type == "text" || type == "character varying") return {logical_type::text, 0};
    if (starts_with(type, "character varying(") && type.back() == ')') {
        auto digits = type.substr(18, type.size() - 19);
        if (is_integer_text(digits)) return {logical_type::text, std::stoul(std::string{digits})};
    }
    if (type == "bytea") return {logical_type::blob, 0};
    // timestamp(3) with time zone: the precision is not part of the logical type (a column
    // with another precision than 6 keeps it in native_type: it rounds what it stores).
    if (starts_with(type, "timestamp") && type.ends_with("without time zone"))
        return {logical_type::local_timestamp, 0};
    if (starts_with(type, "timestamp")) return {logical_type::timestamp, 0};
    if (type == "date") return {logical_type::date, 0};
    if (type == "jsonb" || type == "json") return {logical_type::json, 0};
    if (type == "text[]" || (starts_with(type, "character varying") && type.ends_with("[]")))
        return {logical_type::text_array, 0};
    if (type == "bigint[]" || type == "integer[]" || type == "smallint[]")
        return {logical_type::int_array, 0};
    return {logical_type::text, 0};
}

/// The body of a string literal that starts at s[0] (a quote), with '' undoubled; `end` is set
/// just past the closing quote. nullopt when the literal is not closed.
inline std::optional<std::string> read_literal(std::string_view s, std::size_t& end) {
    std::string out;
    for (std::size_t i = 1; i < s.size(); ++i) {
        if (s[i] != '\'') {
            out += s[i];
        } else if (i + 1 < s.size() && s[i + 1] == '\'') {
            out += '\'';
            ++i;
        } else {
            end = i + 1;
            return out;
        }
    }
    return std::nullopt;
}

/// A column default as pg_get_expr shows it. Returns whether it is a sequence (serial column):
/// such a column is autoincrement, like an identity column, and has no default of its own.
inline bool read_default(std::string_view text, schema::default_value& out) {
    using kind = schema::default_value::kind;
    if (text == "true" || text == "false") {
        out = {kind::boolean, text == "true" ? 1 : 0, {}};
    } else if (is_integer_text(text)) {
        out = {kind::integer, std::stoll(std::string{text}), {}};
    } else if (starts_with(text, "nextval(")) {
        return true;
    } else if (text == "NULL" || starts_with(text, "NULL::")) {
        out = {};
    } else if (std::size_t end = 0; starts_with(text, "'")) {
        auto body = read_literal(text, end);
        auto rest = text.substr(body ? end : 0);
        if (!body || !(rest.empty() || (starts_with(rest, "::") && is_type_name(rest.substr(2))))) {
            out = {kind::expression, 0, std::string{text}};
            return false;
        }
        // Negative numbers come back as '-1'::integer; a number is an integer default
        // whichever numeric type the column has.
        auto cast = rest.empty() ? rest : rest.substr(2);
        const bool numeric = cast == "integer" || cast == "bigint" || cast == "smallint" ||
                             cast == "double precision" || cast == "real" || cast == "numeric";
        if (numeric && is_integer_text(*body))
            out = {kind::integer, std::stoll(*body), {}};
        else
            out = {kind::text, 0, std::move(*body)};
    } else {
        out = {kind::expression, 0, std::string{text}};
    }
    return false;
}

/// The expression of `CHECK (expr)` as pg_get_constraintdef shows it.
inline std::string check_expression(std::string_view def) {
    if (def.ends_with(" NOT VALID")) def.remove_suffix(10);
    if (starts_with(def, "CHECK (") && def.ends_with(")")) def = def.substr(7, def.size() - 8);
    return std::string{def};
}

/// The values of an enum check: `"c" IN ('a', 'b')` (as written) or `(c = ANY (ARRAY['a'::text,
/// 'b'::text]))` / `(c = 'a'::text)` (as PostgreSQL shows it): every string literal, in order.
inline std::vector<std::string> enum_values_of_check(std::string_view expression) {
    std::vector<std::string> values;
    for (std::size_t i = 0; i < expression.size(); ++i) {
        if (expression[i] == '"') {  // skip a quoted identifier: it may hold a quote
            auto close = expression.find('"', i + 1);
            if (close == std::string_view::npos) break;
            i = close;
        } else if (expression[i] == '\'') {
            std::size_t end = 0;
            auto v = read_literal(expression.substr(i), end);
            if (!v) break;
            values.push_back(std::move(*v));
            i += end - 1;
        }
    }
    return values;
}

inline fk_action fk_action_of(std::string_view code) {
    if (code == "r") return fk_action::restrict;
    if (code == "c") return fk_action::cascade;
    if (code == "n") return fk_action::set_null;
    if (code == "d") return fk_action::set_default;
    return fk_action::no_action;  // 'a'
}

/// Text columns with a check named ck_<table>_<column>_enum (what retort writes for an enum
/// field) become enumerations holding the check's values.
inline void read_enum_checks(schema::table& t) {
    for (auto& c : t.columns) {
        if (c.type != logical_type::text) continue;
        const std::string name = schema::check_name(t.name, c.name, "enum");
        for (const auto& ck : t.checks) {
            if (ck.name != name) continue;
            c.type = logical_type::enumeration;
            c.enum_values = enum_values_of_check(ck.expression);
        }
    }
}

}  // namespace detail::postgres_introspect

/// The tables of the session's current_schema(), read from pg_catalog in three queries.
/// PostgreSQL names every rule itself, so a naming convention changes nothing here; the
/// parameter is there for calls that serve both backends.
inline schema::database introspect(basic_session<retort::postgres>& s,
                                   const schema::naming_convention& = naming::retort_names) {
    schema::database db;
    std::map<std::string, std::size_t, std::less<>> by_name;
    auto table_named = [&](const std::string& name) -> schema::table& {
        auto it = by_name.find(name);
        if (it == by_name.end()) {
            it = by_name.emplace(name, db.tables.size()).first;
            db.tables.emplace_back().name = name;
        }
        return db.tables[it->second];
    };

    // A serial column's nextval(...), by (table, column): a generated key when the column is
    // its table's sole key, else a default like any other (server_default_sql<"nextval(...)">).
    std::map<std::pair<std::string, std::string>, std::string> serial_defaults;
    for (auto& [table, name, type, not_null, def, identity, generated, labels] :
         s.query<std::string, std::optional<std::string>, std::optional<std::string>, bool,
                 std::optional<std::string>, std::string, std::string, std::vector<std::string>>(
             detail::postgres_introspect::pg_columns_sql())) {
        auto& t = table_named(table);
        if (!name) continue;  // a table without columns
        schema::column c;
        c.name = std::move(*name);
        std::tie(c.type, c.max_length) =
            detail::postgres_introspect::logical_type_of_pg(type.value_or(""));
        if (!detail::postgres_introspect::is_retort_spelling(type.value_or("")))
            c.native_type = type.value_or("");
        if (!labels.empty()) {  // a native enum type (CREATE TYPE ... AS ENUM)
            // Its values are read, and its type's name kept: retort's enum is text plus a
            // CHECK, and its driver does not read a native enum's values (nor bind them with
            // the type the server wants), so no model compares equal to it.
            c.type = logical_type::enumeration;
            c.enum_values = std::move(labels);
        }
        c.nullable = !not_null;
        c.autoincrement = identity == "a" || identity == "d";
        // A generated column's adbin is its generation expression, not a default.
        if (def && !generated.empty())
            c.computed = std::move(*def);
        else if (def && !c.autoincrement)
            if ((c.autoincrement =
                     detail::postgres_introspect::read_default(*def, c.server_default)))
                serial_defaults[{table, c.name}] = *def;
        t.columns.push_back(std::move(c));
    }

    for (auto& [table, name, type, columns, referenced, referenced_columns, on_update, on_delete,
                definition] :
         s.query<std::string, std::string, std::string, std::vector<std::string>, std::string,
                 std::vector<std::string>, std::string, std::string, std::string>(
             detail::postgres_introspect::pg_constraints_sql())) {
        auto& t = table_named(table);
        if (type == "p") {
            t.key = {std::move(name), std::move(columns)};
        } else if (type == "u") {
            t.uniques.push_back({std::move(name), std::move(columns)});
        } else if (type == "f") {
            t.foreign_keys.push_back({std::move(name), std::move(columns), std::move(referenced),
                                      std::move(referenced_columns),
                                      detail::postgres_introspect::fk_action_of(on_delete),
                                      detail::postgres_introspect::fk_action_of(on_update)});
        } else {
            t.checks.push_back(
                {std::move(name), detail::postgres_introspect::check_expression(definition)});
        }
    }

    for (auto& [table, name, unique, columns, where, method, classes, kinds] :
         s.query<std::string, std::string, bool, std::vector<std::string>, std::string, std::string,
                 std::vector<std::string>, std::string>(
             detail::postgres_introspect::pg_indexes_sql())) {
        // btree and the types' default operator classes are what CREATE INDEX takes when it is
        // told nothing: read as nothing, as a model that names none says.
        if (method == "btree") method.clear();
        if (std::all_of(classes.begin(), classes.end(),
                        [](const std::string& c) { return c.empty(); }))
            classes.clear();
        // 'e' for an expression (attnum 0: pg_get_indexdef's text is in `columns`).
        std::vector<bool> expressions;
        if (kinds.find('e') != std::string::npos)
            for (char k : kinds) expressions.push_back(k == 'e');
        table_named(table).indexes.push_back({std::move(name), std::move(columns), unique,
                                              std::move(where), std::move(method),
                                              std::move(classes), std::move(expressions)});
    }

    for (auto& t : db.tables) {
        detail::postgres_introspect::read_enum_checks(t);
        for (auto& c : t.columns)
            if (auto it = serial_defaults.find({t.name, c.name});
                it != serial_defaults.end() &&
                !(t.key.columns.size() == 1 && t.key.columns[0] == c.name)) {
                c.autoincrement = false;
                c.server_default = {schema::default_value::kind::expression, 0, it->second};
            }
    }
    return db;
}

/// Makes a schema value, from models or from introspect(), comparable with the other: each rule
/// removes a difference PostgreSQL introduces or cannot represent.
inline schema::database normalize_for_postgres(schema::database db) {
    for (auto& t : db.tables) {
        for (auto& c : t.columns) {
            // A model's postgres_type as format_type() prints it, typed as introspection
            // types that spelling; a spelling retort writes itself is no native type.
            if (!c.native_type.empty()) {
                c.native_type = detail::postgres_introspect::canonical_type_spelling(c.native_type);
                if (c.type != logical_type::enumeration) {
                    std::tie(c.type, c.max_length) =
                        detail::postgres_introspect::logical_type_of_pg(c.native_type);
                    if (detail::postgres_introspect::is_retort_spelling(c.native_type))
                        c.native_type.clear();
                }
            }
            const bool single_key = t.key.columns.size() == 1 && t.key.columns[0] == c.name;
            // The DDL makes only a single-column key an identity column.
            if (!single_key) c.autoincrement = false;
            // An identity column cannot also have a default in PostgreSQL.
            if (c.autoincrement) c.server_default = {};
            // PostgreSQL makes every primary key column NOT NULL.
            for (const auto& k : t.key.columns)
                if (k == c.name) c.nullable = false;
            // An enumeration is written as unbounded text (dialect::postgres::type_name).
            if (c.type == logical_type::enumeration) c.max_length = 0;
            // varchar(N) is enforced: checked_max_length adds nothing here.
            c.length_checked = false;
            // now() and transaction_timestamp() are CURRENT_TIMESTAMP under other names.
            if (c.server_default.type == schema::default_value::kind::expression &&
                (c.server_default.text == "now()" ||
                 c.server_default.text == "transaction_timestamp()"))
                c.server_default.text = "CURRENT_TIMESTAMP";
            // A model's server_default_sql<"'{}'::character varying[]"> is a literal with a
            // cast, as the server prints the default back: read both as introspection does.
            if (c.server_default.type == schema::default_value::kind::expression) {
                schema::default_value read;
                if (!detail::postgres_introspect::read_default(c.server_default.text, read))
                    c.server_default = std::move(read);
            }
        }
    }
    return db;
}

}  // namespace retort::migrate
