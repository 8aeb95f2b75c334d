// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Builds the schema value of a reflected model: the single source of truth for DDL and diffs.

#include <retort/reflect/model.hpp>
#include <retort/schema/naming.hpp>
#include <retort/schema/naming_convention.hpp>
#include <retort/schema/schema.hpp>

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace retort::schema {

namespace detail {

template <model_type T>
std::string column_name_of_index(std::size_t i) {
    std::string name;
    model<T>::for_each_field([&](auto index) {
        if (index.value == i) name = model<T>::template field<index.value>::name;
    });
    return name;
}

template <auto Member>
std::string column_name_of_member() {
    using owner = typename retort::detail::member_traits<Member>::class_type;
    return std::string{model<owner>::template field<model<owner>::template index_of<Member>>::name};
}

template <auto... Members>
std::vector<std::string> column_names_of() {
    return {column_name_of_member<Members>()...};
}

/// An index element: a column's name, or an index_expression's SQL.
template <auto Element>
std::string index_element() {
    if constexpr (requires { decltype(Element)::value; })
        return std::string{decltype(Element)::value};
    else
        return column_name_of_member<Element>();
}
template <auto Element>
constexpr bool is_index_expression = requires {
    decltype(Element)::value;
};

// Column options: each overload adds what its option means to the column or the table; `n`
// names what the model leaves unnamed.
template <class O>
void apply_column_option(const naming_convention&, table&, column&, const O&) {}

template <default_literal V>
void apply_column_option(const naming_convention&, table&, column& c, const server_default_t<V>&) {
    constexpr default_literal v = V;
    if constexpr (v.type == default_literal::kind::text)
        c.server_default = {default_value::kind::text, 0, std::string{v.text_view()}};
    else if constexpr (v.type == default_literal::kind::boolean)
        c.server_default = {default_value::kind::boolean, v.integer, {}};
    else
        c.server_default = {default_value::kind::integer, v.integer, {}};
}

template <fixed_string E>
void apply_column_option(const naming_convention&, table&, column& c,
                         const server_default_sql_t<E>&) {
    c.server_default = {default_value::kind::expression, 0, std::string{E.view()}};
}

template <fixed_string E>
void apply_column_option(const naming_convention&, table&, column& c, const computed_t<E>&) {
    c.computed = std::string{E.view()};
}

// Named by table_of once every column is there (the name may depend on the columns the
// expression names); until then the name holds the column's.
template <fixed_string E>
void apply_column_option(const naming_convention&, table& t, column& c, const check_t<E>&) {
    t.checks.push_back({c.name, std::string{E.view()}});
}

template <auto Target>
std::string table_name_of_member() {
    using target_model = typename retort::detail::member_traits<Target>::class_type;
    return std::string{model<target_model>::table_name};
}

inline void add_foreign_key(const naming_convention& n, table& t, std::string_view name,
                            std::vector<std::string> columns, std::string referenced,
                            std::vector<std::string> referenced_columns, fk_action on_delete,
                            fk_action on_update) {
    foreign_key fk;
    fk.name = name.empty() ? n.foreign_key(t.name, columns, referenced, referenced_columns)
                           : std::string{name};
    fk.columns = std::move(columns);
    fk.referenced_table = std::move(referenced);
    fk.referenced_columns = std::move(referenced_columns);
    fk.on_delete = on_delete;
    fk.on_update = on_update;
    t.foreign_keys.push_back(std::move(fk));
}

template <auto Target, fixed_string Name>
void apply_column_option(const naming_convention& n, table& t, column& c,
                         const references_t<Target, Name>& ref) {
    add_foreign_key(n, t, Name.view(), {c.name}, table_name_of_member<Target>(),
                    {column_name_of_member<Target>()}, ref.delete_action, ref.update_action);
}

template <class Field>
column make_column(const naming_convention& n, table& t, const Field& field) {
    using value = typename Field::value_type;
    column c;
    c.name = std::string{Field::name};
    c.type = logical_type_of<value>();
    c.max_length = Field::max_length;
    c.length_checked = Field::is_length_checked;
    c.nullable = Field::nullable;
    c.autoincrement = Field::is_autoincrement;
    c.renamed_from = std::string{Field::renamed_from};
    c.native_type = std::string{Field::postgres_type};
    using plain = unwrap_optional_t<value>;
    if constexpr (named_enum<plain>) {
        for (const auto& [e, text] : enum_names<plain>()) c.enum_values.emplace_back(text);
    }
    std::apply([&](const auto&... option) { (apply_column_option(n, t, c, option), ...); },
               field.options);
    if (Field::is_unique) t.uniques.push_back({n.unique(t.name, {c.name}), {c.name}});
    if (Field::is_indexed) t.indexes.push_back({n.index(t.name, {c.name}), {c.name}, false, {}});
    return c;
}

// Table constraints from RETORT_CONSTRAINTS.
template <class C>
void apply_table_constraint(const naming_convention&, table&, const C&) {}

template <fixed_string Name, auto... Members>
void apply_table_constraint(const naming_convention& n, table& t,
                            const unique_together_t<Name, Members...>&) {
    auto cols = column_names_of<Members...>();
    std::string name = Name.size() ? std::string{Name.view()} : n.unique(t.name, cols);
    t.uniques.push_back({std::move(name), std::move(cols)});
}

template <fixed_string Name, bool Unique, fixed_string Where, fixed_string Method,
          fixed_string Classes, auto... Members>
void apply_table_constraint(const naming_convention& n, table& t,
                            const index_t<Name, Unique, Where, Method, Classes, Members...>&) {
    std::vector<std::string> cols{index_element<Members>()...};
    std::vector<bool> expressions;
    if constexpr ((is_index_expression<Members> || ...))
        expressions = {is_index_expression<Members>...};
    std::string name = Name.size() ? std::string{Name.view()} : n.index(t.name, cols);
    std::vector<std::string> classes;
    if (Classes.size()) {  // "a,b": one per column, in order
        std::string_view rest = Classes.view();
        for (std::size_t k = 0; k < cols.size(); ++k) {
            const std::size_t comma = rest.find(',');
            std::string_view one = rest.substr(0, comma);
            while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
            while (!one.empty() && one.back() == ' ') one.remove_suffix(1);
            classes.emplace_back(one);
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        }
    }
    // btree is what an index is when it names no method.
    std::string method{Method.view() == "btree" ? std::string_view{} : Method.view()};
    if (std::all_of(classes.begin(), classes.end(), [](const auto& c) { return c.empty(); }))
        classes.clear();
    t.indexes.push_back({std::move(name), std::move(cols), Unique, std::string{Where.view()},
                         std::move(method), std::move(classes), std::move(expressions)});
}

template <fixed_string Name, fixed_string Expression>
void apply_table_constraint(const naming_convention& n, table& t,
                            const table_check_t<Name, Expression>&) {
    std::string name = Name.size() ? std::string{Name.view()} : n.check(t, {}, Expression.view());
    t.checks.push_back({std::move(name), std::string{Expression.view()}});
}

template <fixed_string Name, auto... Ms, auto First, auto... Ts>
void apply_table_constraint(
    const naming_convention& n, table& t,
    const foreign_key_t<Name, columns_t<Ms...>, columns_t<First, Ts...>>& fk) {
    add_foreign_key(n, t, Name.view(), column_names_of<Ms...>(), table_name_of_member<First>(),
                    column_names_of<First, Ts...>(), fk.delete_action, fk.update_action);
}

template <fixed_string Name>
void apply_table_constraint(const naming_convention&, table& t, const key_name_t<Name>&) {
    t.key.name = std::string{Name.view()};
}

template <fixed_string Old>
void apply_table_constraint(const naming_convention&, table& t, const table_renamed_from_t<Old>&) {
    t.renamed_from = std::string{Old.view()};
}

}  // namespace detail

/// The schema of one model's table; what the model leaves unnamed is named by its naming
/// convention (naming_of<T>).
template <model_type T>
table table_of() {
    using M = model<T>;
    const naming_convention& n = naming_of<T>();
    table t;
    t.name = std::string{M::table_name};
    M::for_each_field([&](auto index) {
        t.columns.push_back(
            detail::make_column(n, t, std::get<index.value>(M::description.fields)));
    });
    auto column_checks = std::exchange(t.checks, {});
    for (auto& ck : column_checks) {
        ck.name = n.check(t, ck.name, ck.expression);
        t.checks.push_back(std::move(ck));
    }
    t.key.name = n.primary_key(t.name);
    for (std::size_t i : M::primary_key) t.key.columns.push_back(t.columns[i].name);
    std::apply([&](const auto&... c) { (detail::apply_table_constraint(n, t, c), ...); },
               M::constraints);
    for (auto& c : t.columns) {
        // A native enum type (postgres_type) is its own constraint, and SQLite has none.
        if (c.type == logical_type::enumeration && c.native_type.empty()) {
            std::string in = quote_identifier(c.name) + " IN (";
            for (std::size_t i = 0; i < c.enum_values.size(); ++i) {
                if (i) in += ", ";
                in += "'" + c.enum_values[i] + "'";
            }
            t.checks.push_back({check_name(t.name, c.name, "enum"), in + ")"});
        }
    }
    return t;
}

/// The schema of several models' tables, in the order given.
template <model_type... Ts>
database database_of() {
    return database{{table_of<Ts>()...}};
}

/// The naming convention of a database's models: the one they share. SQLite's unnamed
/// constraints are read under its names, so models of one database cannot differ in it.
template <model_type... Ts>
constexpr const naming_convention& naming_of_database() {
    if constexpr (sizeof...(Ts) == 0) {
        return naming::retort_names;
    } else {
        constexpr const naming_convention* first =
            &naming_of<std::tuple_element_t<0, std::tuple<Ts...>>>();
        static_assert(((&naming_of<Ts>() == first) && ...),
                      "the models of one database must share one naming convention: put "
                      "RETORT_NAMING in each of their namespaces alike");
        return *first;
    }
}

}  // namespace retort::schema
