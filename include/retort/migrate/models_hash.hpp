// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// A 64-bit fingerprint of the models' schema, computed at compile time from what
// RETORT_TABLE and RETORT_CONSTRAINTS declare: table and column names, logical types, lengths,
// nullability, keys, defaults, checks, references with their actions, uniques and indexes.
// It ignores what does not change the schema: the C++ names of structs and members, the order
// models, columns and constraints are listed in, renaming hints, and `unique`/`indexed` on a
// field versus the same unnamed constraint in RETORT_CONSTRAINTS. The runner stores it beside the
// revision whose schema equals the models, so a service can check at start-up, without
// introspecting, that the database was migrated to exactly its models:
// `database_matches_models<Ts...>(session)`.

#include <retort/reflect/model.hpp>
#include <retort/schema/naming.hpp>
#include <retort/schema/types.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

namespace retort::migrate {

namespace detail::hashing {

struct fnv64 {
    std::uint64_t value = 14695981039346656037ull;

    constexpr void byte(unsigned char b) {
        value ^= b;
        value *= 1099511628211ull;
    }
    /// Length-prefixed, so "ab","c" and "a","bc" differ.
    constexpr fnv64& operator()(std::string_view s) {
        number(s.size());
        for (char c : s) byte(static_cast<unsigned char>(c));
        return *this;
    }
    constexpr fnv64& number(std::uint64_t n) {
        for (int i = 0; i < 8; ++i) byte(static_cast<unsigned char>(n >> (8 * i)));
        return *this;
    }
};

template <auto Member>
constexpr std::string_view column_of() {
    if constexpr (requires { decltype(Member)::value; }) {  // an index_expression
        return decltype(Member)::value;
    } else {
        using owner = typename retort::detail::member_traits<Member>::class_type;
        return model<owner>::template field<model<owner>::template index_of<Member>>::name;
    }
}

template <auto Member>
constexpr std::string_view table_of() {
    using owner = typename retort::detail::member_traits<Member>::class_type;
    return model<owner>::table_name;
}

// Column options that shape the schema; the rest (named, renamed_from, flags read from the
// field itself) hash nothing here.
template <class O>
constexpr void option(fnv64&, const O&) {}
template <default_literal V>
constexpr void option(fnv64& h, const server_default_t<V>&) {
    h("default")
        .number(static_cast<std::uint64_t>(V.type))
        .number(static_cast<std::uint64_t>(V.integer))(V.text_view());
}
template <fixed_string E>
constexpr void option(fnv64& h, const server_default_sql_t<E>&) {
    h("default_sql")(E.view());
}
template <fixed_string E>
constexpr void option(fnv64& h, const computed_t<E>&) {
    h("computed")(E.view());
}
template <fixed_string E>
constexpr void option(fnv64& h, const check_t<E>&) {
    h("check")(E.view());
}
template <auto Target, fixed_string Name>
constexpr void option(fnv64& h, const references_t<Target, Name>& r) {
    h("references")(table_of<Target>())(column_of<Target>());
    h.number(static_cast<std::uint64_t>(r.delete_action))
        .number(static_cast<std::uint64_t>(r.update_action));
    if (Name.size()) h("name")(Name.view());  // only then: older hashes stay valid
}

// Every column, key, unique, index and check hashes on its own; a table's hash folds them
// sorted, so the order they are declared in does not count, and `unique`/`indexed` on a field
// hash like the unnamed unique_together/index on that one column.
template <std::size_t N>
struct item_hashes {
    std::array<std::uint64_t, N> values{};
    std::size_t count = 0;
    constexpr void add(const fnv64& h) { values[count++] = h.value; }
};

constexpr fnv64 unique_of(std::string_view name) {
    fnv64 h;
    h("unique")(name);
    return h;
}
constexpr fnv64 index_of(std::string_view name, bool unique, std::string_view where) {
    fnv64 h;
    h("index")(name).number(unique)(where);
    return h;
}

template <class C, class Items>
constexpr void constraint(Items&, const C&) {}
template <fixed_string Name, auto... Ms, class Items>
constexpr void constraint(Items& items, const unique_together_t<Name, Ms...>&) {
    fnv64 h = unique_of(Name.view());
    (h(column_of<Ms>()), ...);
    items.add(h);
}
template <fixed_string Name, bool Unique, fixed_string Where, fixed_string Method,
          fixed_string Classes, auto... Ms, class Items>
constexpr void constraint(Items& items,
                          const index_t<Name, Unique, Where, Method, Classes, Ms...>&) {
    fnv64 h = index_of(Name.view(), Unique, Where.view());
    (h(column_of<Ms>()), ...);
    // Only when given: the hashes of models written before them stay valid.
    if (Method.size()) h("method")(Method.view());
    if (Classes.size()) h("operator-classes")(Classes.view());
    if constexpr ((requires { decltype(Ms)::value; } || ...)) {
        h("expressions");
        (h(requires { decltype(Ms)::value; } ? "expression" : "column"), ...);
    }
    items.add(h);
}
template <fixed_string Name, auto... Ms, auto... Ts, class Items>
constexpr void constraint(Items& items,
                          const foreign_key_t<Name, columns_t<Ms...>, columns_t<Ts...>>& fk) {
    fnv64 h;
    h("foreign_key")(Name.view());
    (h(column_of<Ms>()), ...);
    (h(table_of<Ts>())(column_of<Ts>()), ...);
    h.number(static_cast<std::uint64_t>(fk.delete_action))
        .number(static_cast<std::uint64_t>(fk.update_action));
    items.add(h);
}
template <fixed_string Name, class Items>
constexpr void constraint(Items& items, const key_name_t<Name>&) {
    fnv64 h;
    h("key_name")(Name.view());
    items.add(h);
}
// An unnamed table check is named by its place among the table's checks (column checks come
// first, see from_model.hpp): that place is part of its identity.
template <fixed_string Name, fixed_string E, class Items>
constexpr void constraint(Items& items, const table_check_t<Name, E>&, std::size_t& place) {
    fnv64 h;
    h("table_check")(Name.view())(E.view());
    if (Name.size() == 0) h.number(place);
    ++place;
    items.add(h);
}
template <class C, class Items>
constexpr void constraint(Items& items, const C& c, std::size_t&) {
    constraint(items, c);
}

template <class O>
constexpr std::size_t checks_in(const O&) {
    return 0;
}
template <fixed_string E>
constexpr std::size_t checks_in(const check_t<E>&) {
    return 1;
}

template <class Field, class Items>
constexpr void column(Items& items, const Field& field) {
    using value = typename Field::value_type;
    using plain = unwrap_optional_t<value>;
    fnv64 h;
    h("column")(Field::name)(to_string(logical_type_of<value>()));
    h.number(Field::max_length).number(Field::nullable).number(Field::is_autoincrement);
    if (Field::is_length_checked) h("length-check");  // only then: older hashes stay valid
    if (!Field::postgres_type.empty()) h("postgres-type")(Field::postgres_type);
    if constexpr (named_enum<plain>)
        for (const auto& [e, text] : enum_names<plain>()) h(text);
    std::apply([&](const auto&... o) { (option(h, o), ...); }, field.options);
    items.add(h);
    if (Field::is_unique) items.add(unique_of("")(Field::name));
    if (Field::is_indexed) items.add(index_of("", false, "")(Field::name));
}

template <class Tuple>
constexpr std::size_t constraint_count = std::tuple_size_v<Tuple>;

template <model_type T>
constexpr std::uint64_t table_hash() {
    using M = model<T>;
    // Columns, their unique/indexed flags, the key, and the table's constraints.
    constexpr std::size_t capacity =
        3 * M::size + 1 + constraint_count<std::remove_cvref_t<decltype(M::constraints)>>;
    item_hashes<capacity> items;
    std::apply([&](const auto&... f) { (column(items, f), ...); }, M::description.fields);
    std::size_t place = std::apply(
        [](const auto&... f) {
            return (
                std::size_t{0} + ... +
                std::apply([](const auto&... o) { return (std::size_t{0} + ... + checks_in(o)); },
                           f.options));
        },
        M::description.fields);
    std::apply([&](const auto&... c) { (constraint(items, c, place), ...); }, M::constraints);
    fnv64 key;
    key("primary_key");
    constexpr auto names = std::apply(
        [](const auto&... f) {
            return std::array<std::string_view, M::size>{std::remove_cvref_t<decltype(f)>::name...};
        },
        M::description.fields);
    for (std::size_t i : M::primary_key) key(names[i]);
    items.add(key);
    std::sort(items.values.begin(),
              items.values.begin() + static_cast<std::ptrdiff_t>(items.count));
    fnv64 h;
    h("table")(M::table_name);
    for (std::size_t i = 0; i < items.count; ++i) h.number(items.values[i]);
    return h.value;
}

}  // namespace detail::hashing

/// The models' fingerprint; the same whatever order the models are listed in.
template <model_type... Ts>
constexpr std::uint64_t models_hash() {
    std::array<std::uint64_t, sizeof...(Ts)> tables{detail::hashing::table_hash<Ts>()...};
    std::sort(tables.begin(), tables.end());
    detail::hashing::fnv64 h;
    h("retort models 1");
    for (std::uint64_t t : tables) h.number(t);
    return h.value;
}

/// The fingerprint as the version table stores it: 16 hex digits.
template <model_type... Ts>
std::string models_hash_text() {
    constexpr std::uint64_t value = models_hash<Ts...>();
    return schema::to_hex(value, 16);
}

}  // namespace retort::migrate
