// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The one value type for a database schema. Built from reflected models (schema/from_model.hpp)
// and, by the migration layer, from a live database; both sides compare as plain values.

#include <retort/reflect/options.hpp>
#include <retort/schema/types.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace retort::schema {

/// A column default, independent of dialect: literals are rendered per dialect.
struct default_value {
    enum class kind : std::uint8_t { none, boolean, integer, text, expression };
    kind type = kind::none;
    long long integer = 0;  // boolean (0/1) and integer
    std::string text;       // text literal (unquoted) or SQL expression
    friend bool operator==(const default_value&, const default_value&) = default;
};

struct column {
    std::string name;
    logical_type type = logical_type::text;
    std::size_t max_length = 0;  // 0: unbounded
    bool nullable = false;
    bool autoincrement = false;
    default_value server_default;
    std::vector<std::string> enum_values;  // logical_type::enumeration only
    std::string renamed_from;              // a hint for the migration planner
    // The column's own type spelling when it is not one retort writes (timestamp(3) without
    // time zone, json, inet, a native enum, ...): on a live column, `type` is then the nearest
    // logical type; a model names it with postgres_type<"...">. Only PostgreSQL has them.
    std::string native_type;
    // checked_max_length: where the dialect does not enforce VARCHAR(N) (SQLite), a named
    // length CHECK does (see migrate::with_length_checks). Models only; last, so that
    // positional initializers of the fields above keep their meaning.
    bool length_checked = false;
    // A generated column's expression (computed<...>): GENERATED ALWAYS AS (computed).
    std::string computed{};
    friend bool operator==(const column&, const column&) = default;
};

struct primary_key {
    std::string name;
    std::vector<std::string> columns;
    friend bool operator==(const primary_key&, const primary_key&) = default;
};

struct unique_constraint {
    std::string name;
    std::vector<std::string> columns;
    friend bool operator==(const unique_constraint&, const unique_constraint&) = default;
};

struct index {
    std::string name;
    std::vector<std::string> columns;
    bool unique = false;
    std::string where;  // partial index predicate; empty for a full index
    // PostgreSQL's access method (gist, gin, hash, brin; empty for btree) and each column's
    // operator class (empty: the type's default; an empty list when every one is).
    std::string method;
    std::vector<std::string> operator_classes;
    // Which of `columns` are expressions (SQL text, `lower(email)`) rather than column names;
    // empty when none is.
    std::vector<bool> expressions;

    index() = default;
    index(std::string n, std::vector<std::string> cols, bool u = false, std::string w = {},
          std::string m = {}, std::vector<std::string> classes = {}, std::vector<bool> exprs = {})
        : name(std::move(n)), columns(std::move(cols)), unique(u), where(std::move(w)),
          method(std::move(m)), operator_classes(std::move(classes)),
          expressions(std::move(exprs)) {}
    bool is_expression(std::size_t i) const { return i < expressions.size() && expressions[i]; }
    friend bool operator==(const index&, const index&) = default;
};

struct foreign_key {
    std::string name;
    std::vector<std::string> columns;
    std::string referenced_table;
    std::vector<std::string> referenced_columns;
    fk_action on_delete = fk_action::no_action;
    fk_action on_update = fk_action::no_action;
    friend bool operator==(const foreign_key&, const foreign_key&) = default;
};

struct check_constraint {
    std::string name;
    std::string expression;
    friend bool operator==(const check_constraint&, const check_constraint&) = default;
};

struct table {
    std::string name;
    std::vector<column> columns;
    primary_key key;
    std::vector<unique_constraint> uniques;
    std::vector<index> indexes;
    std::vector<foreign_key> foreign_keys;
    std::vector<check_constraint> checks;
    std::string renamed_from{};  // a hint for the migration planner (table_renamed_from)

    const column* find_column(std::string_view n) const {
        auto it = std::find_if(columns.begin(), columns.end(),
                               [&](const column& c) { return c.name == n; });
        return it == columns.end() ? nullptr : &*it;
    }
    friend bool operator==(const table&, const table&) = default;
};

struct database {
    std::vector<table> tables;

    const table* find_table(std::string_view n) const {
        auto it =
            std::find_if(tables.begin(), tables.end(), [&](const table& t) { return t.name == n; });
        return it == tables.end() ? nullptr : &*it;
    }
    friend bool operator==(const database&, const database&) = default;
};

constexpr std::string_view to_string(fk_action a) {
    switch (a) {
    case fk_action::restrict: return "RESTRICT";
    case fk_action::cascade: return "CASCADE";
    case fk_action::set_null: return "SET NULL";
    case fk_action::set_default: return "SET DEFAULT";
    case fk_action::no_action: break;
    }
    return "NO ACTION";
}

}  // namespace retort::schema
