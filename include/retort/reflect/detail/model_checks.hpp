// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The compile-time checks every model passes, each with a message that names the mistake; the
// failing field's name appears in the instantiation note (field_def<&T::name, "name", ...>).

#include <retort/reflect/model.hpp>

#include <boost/pfr/core.hpp>

#include <array>
#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace retort::detail {

inline constexpr std::size_t max_identifier_bytes = 63;  // PostgreSQL's NAMEDATALEN - 1

template <class T>
constexpr auto description_of() {
    return retort_model_description(model_tag<T>{});
}

template <class Target>
struct fk_target_check {
    static constexpr bool is_model = model_type<Target>;
};

template <template <class> class Pred, class Tuple>
struct options_matching;
template <template <class> class Pred, class... Options>
struct options_matching<Pred, std::tuple<Options...>>
    : std::integral_constant<std::size_t, count_options<Pred, Options...>()> {};

/// The field types a postgres_type column may have (query::untyped_binder writes them as text).
template <class T>
consteval bool postgres_type_storage() {
    using S = storage_of_t<T>;
    return std::is_same_v<S, std::string> || std::is_same_v<S, bool> ||
           std::is_same_v<S, std::int16_t> || std::is_same_v<S, std::int32_t> ||
           std::is_same_v<S, std::int64_t> || std::is_same_v<S, float> ||
           std::is_same_v<S, double> || std::is_same_v<S, json> ||
           std::is_same_v<S, std::vector<std::string>> ||
           std::is_same_v<S, std::vector<std::int64_t>>;
}

/// The options that describe the table, not a column: they go in RETORT_CONSTRAINTS.
template <class O>
struct is_table_option : std::false_type {};
template <fixed_string N>
struct is_table_option<key_name_t<N>> : std::true_type {};
template <auto... Ms>
struct is_table_option<composite_key_t<Ms...>> : std::true_type {};
template <fixed_string N, auto... Ms>
struct is_table_option<unique_together_t<N, Ms...>> : std::true_type {};
template <fixed_string N, bool U, fixed_string W, fixed_string M, fixed_string C, auto... Ms>
struct is_table_option<index_t<N, U, W, M, C, Ms...>> : std::true_type {};
template <fixed_string N, fixed_string E>
struct is_table_option<table_check_t<N, E>> : std::true_type {};
template <fixed_string N, class From, class To>
struct is_table_option<foreign_key_t<N, From, To>> : std::true_type {};
template <fixed_string E>
struct is_table_option<index_expression_t<E>> : std::true_type {};

template <class Field>
consteval bool check_mapped_field() {
    using value_type = typename Field::value_type;
    using column_type = unwrap_optional_t<value_type>;
    static_assert(Field::name.size() <= max_identifier_bytes,
                  "retort: a column name is longer than PostgreSQL's 63-byte identifier limit");
    static_assert(!Field::name.empty(), "retort: a column name is empty");
    static_assert(options_matching<is_table_option, typename Field::options_type>::value == 0,
                  "retort: key_name, index, unique_index, unique_together, composite_key, "
                  "table_check and foreign_key describe the table: they go in "
                  "RETORT_CONSTRAINTS, not among a field's options");
    static_assert(Field::max_length == 0 || logical_type_of<value_type>() == logical_type::text,
                  "retort: max_length applies to text columns only");
    static_assert(options_matching<is_max_length_option, typename Field::options_type>::value <= 1,
                  "retort: a column takes one of max_length and checked_max_length, once");
    static_assert(options_matching<is_postgres_type_option, typename Field::options_type>::value <=
                      1,
                  "retort: a column takes one postgres_type");
    static_assert(Field::postgres_type.empty() || Field::max_length == 0,
                  "retort: a column with a postgres_type takes no max_length: the type says "
                  "its length, as in postgres_type<\"character varying(20)\">");
    static_assert(Field::postgres_type.empty() || postgres_type_storage<column_type>(),
                  "retort: a postgres_type column's field holds text, a number, a bool, json, "
                  "an enum or a vector of text or integers: its value travels as text for the "
                  "server to read as the column's type");
    static_assert(Field::postgres_type.empty() || !Field::is_autoincrement,
                  "retort: an autoincrement key has retort's own integer type; drop its "
                  "postgres_type");
    static_assert(!Field::is_autoincrement ||
                      (Field::is_primary_key && std::is_integral_v<column_type> &&
                       !std::is_same_v<column_type, bool> && !Field::nullable),
                  "retort: autoincrement needs an integer primary key that is not optional");
    static_assert(options_matching<is_computed_option, typename Field::options_type>::value <= 1,
                  "retort: a column takes one computed expression");
    static_assert(!Field::is_computed ||
                      (!Field::is_primary_key && !Field::is_autoincrement && !Field::has_default),
                  "retort: a computed column is no key and has no server default: the database "
                  "computes its every value");
    return true;
}

// A function, not a class: under clang a failed static_assert in a class makes every later use
// of model<T> an error too; in a function body it is reported once.
template <class Field>
consteval bool check_field() {
    using value_type = typename Field::value_type;
    using column_type = unwrap_optional_t<value_type>;

    static_assert(column_value<column_type>,
                  "retort: this field's type has no column mapping (specialize "
                  "retort::value_traits for it, or declare the enum with RETORT_ENUM)");
    if constexpr (column_value<column_type>)
        return check_mapped_field<Field>();
    else
        return true;
}

template <auto Target, class Value>
consteval bool check_reference_to() {
    using target_model = typename member_traits<Target>::class_type;
    using target_value = typename member_traits<Target>::value_type;
    static_assert(model_type<target_model>,
                  "retort: a foreign key points at a struct that has no RETORT_TABLE");
    if constexpr (model_type<target_model>) {
        constexpr auto target_description = description_of<target_model>();
        static_assert(
            index_in<decltype(target_description), Target>(target_description) !=
                static_cast<std::size_t>(-1),
            "retort: a foreign key points at a field its model's RETORT_TABLE does not list");
        static_assert(std::is_same_v<unwrap_optional_t<Value>, unwrap_optional_t<target_value>>,
                      "retort: a foreign key's column and the column it references have "
                      "different types");
    }
    return true;
}

template <class Field, class O>
consteval bool check_option() {
    if constexpr (option_kind<O>::is_references) {
        static_assert(O::name.size() <= max_identifier_bytes,
                      "retort: a foreign key's name is longer than PostgreSQL's 63-byte "
                      "identifier limit");
        return check_reference_to<O::target, typename Field::value_type>();
    } else {
        return true;
    }
}
template <class Field, class... Os>
consteval bool check_references(const std::tuple<Os...>*) {
    return (true && ... && check_option<Field, Os>());
}

template <class T, class... Fields>
consteval bool same_types_as_pfr() {
    return []<std::size_t... I>(std::index_sequence<I...>) {
        return (std::is_same_v<typename Fields::value_type, boost::pfr::tuple_element_t<I, T>> &&
                ...);
    }
    (std::index_sequence_for<Fields...>{});
}

template <class... Fields>
consteval bool offsets_increase() {
    constexpr std::size_t offsets[] = {Fields::offset..., 0};
    for (std::size_t i = 1; i < sizeof...(Fields); ++i)
        if (offsets[i] <= offsets[i - 1]) return false;
    return true;
}
template <class... Fields>
consteval bool names_distinct() {
    constexpr std::string_view names[] = {Fields::name..., ""};
    for (std::size_t i = 0; i < sizeof...(Fields); ++i)
        for (std::size_t j = i + 1; j < sizeof...(Fields); ++j)
            if (names[i] == names[j]) return false;
    return true;
}
template <class... Fields>
consteval std::size_t count_key_fields(const std::tuple<Fields...>*) {
    return (std::size_t{0} + ... + Fields::is_primary_key);
}

/// The struct's field offsets as the compiler lays out an aggregate without bases: each field
/// at the next multiple of its alignment. A best guess for the message alone (alignas on a
/// member, #pragma pack or [[no_unique_address]] can make it name the wrong field).
template <class T, std::size_t... I>
consteval auto declared_offsets(std::index_sequence<I...>) {
    constexpr std::size_t sizes[] = {sizeof(boost::pfr::tuple_element_t<I, T>)..., 0};
    constexpr std::size_t alignments[] = {alignof(boost::pfr::tuple_element_t<I, T>)..., 1};
    std::array<std::size_t, sizeof...(I)> offsets{};
    std::size_t at = 0;
    for (std::size_t i = 0; i < sizeof...(I); ++i) {
        at = (at + alignments[i] - 1) / alignments[i] * alignments[i];
        offsets[i] = at;
        at += sizes[i];
    }
    return offsets;
}

/// The index of the struct's first field that RETORT_TABLE skips, or the struct's field count.
template <class T, class... Fields>
consteval std::size_t first_unlisted_field() {
    constexpr auto declared =
        declared_offsets<T>(std::make_index_sequence<boost::pfr::tuple_size_v<T>>{});
    constexpr std::size_t listed[] = {Fields::offset..., 0};
    for (std::size_t i = 0; i < declared.size(); ++i)
        if (i >= sizeof...(Fields) || listed[i] != declared[i]) return i;
    return declared.size();
}

template <class T, std::size_t I>
consteval auto field_type_at() {
    if constexpr (I < boost::pfr::tuple_size_v<T>)
        return std::type_identity<boost::pfr::tuple_element_t<I, T>>{};
    else
        return std::type_identity<void>{};
}

// The template arguments are the message's numbers: the compiler prints them with the error
// (first_left_out counts from 0; its type tells which field it is).
template <std::size_t listed_in_RETORT_TABLE, std::size_t fields_in_struct,
          std::size_t first_left_out, class first_left_out_type>
consteval void check_field_count() {
    static_assert(listed_in_RETORT_TABLE == fields_in_struct,
                  "retort: RETORT_TABLE must list every field of the struct, once, in "
                  "declaration order (check_field_count's arguments: how many it lists, how "
                  "many the struct has, and the first field it leaves out, counted from 0, "
                  "with its type)");
}

template <class T, class... Fields>
consteval bool check_fields(const std::tuple<Fields...>&) {
    constexpr std::size_t first_left_out = first_unlisted_field<T, Fields...>();
    check_field_count<sizeof...(Fields), boost::pfr::tuple_size_v<T>, first_left_out,
                      typename decltype(field_type_at<T, first_left_out>())::type>();
    if constexpr (sizeof...(Fields) == boost::pfr::tuple_size_v<T>) {
        constexpr bool same_types = same_types_as_pfr<T, Fields...>();
        constexpr bool increasing = offsets_increase<Fields...>();
        static_assert(same_types && increasing,
                      "retort: RETORT_TABLE lists the struct's fields out of declaration order");
    }
    constexpr bool distinct = names_distinct<Fields...>();
    static_assert(distinct, "retort: two fields of this model map to the same column name");
    return (check_field<Fields>() && ...) &&
           (check_references<Fields>(static_cast<typename Fields::options_type*>(nullptr)) && ...);
}

// Table constraints: each overload checks what its constraint names.
template <class T, class C>
consteval bool check_constraint(const C*) {
    return true;
}

template <class T, fixed_string Name, auto... Ms, auto... Ts>
consteval bool check_constraint(const foreign_key_t<Name, columns_t<Ms...>, columns_t<Ts...>>*) {
    static_assert(sizeof...(Ms) > 0, "retort: a foreign_key names no columns");
    static_assert(sizeof...(Ms) == sizeof...(Ts),
                  "retort: a foreign_key's columns and the columns it references differ in "
                  "number (give each column the parent column it holds)");
    static_assert(Name.size() <= max_identifier_bytes,
                  "retort: a foreign key's name is longer than PostgreSQL's 63-byte identifier "
                  "limit");
    static_assert((std::is_same_v<typename member_traits<Ms>::class_type, T> && ...),
                  "retort: a foreign_key's columns are fields of the model it is declared for");
    if constexpr (sizeof...(Ms) == sizeof...(Ts) && sizeof...(Ts) > 0 &&
                  (std::is_same_v<typename member_traits<Ms>::class_type, T> && ...)) {
        constexpr auto first_target = std::get<0>(std::tuple{Ts...});
        using parent = typename member_traits<first_target>::class_type;
        static_assert((std::is_same_v<typename member_traits<Ts>::class_type, parent> && ...),
                      "retort: a foreign_key references columns of more than one model");
        constexpr auto description = description_of<T>();
        static_assert(
            ((index_in<decltype(description), Ms>(description) != static_cast<std::size_t>(-1)) &&
             ...),
            "retort: a foreign_key names a field its model's RETORT_TABLE does not list");
        return (check_reference_to<Ts, typename member_traits<Ms>::value_type>() && ...);
    }
    return true;
}

template <class T, fixed_string Name, auto... Ms>
consteval bool check_constraint(const foreign_key_columns_t<Name, Ms...>*) {
    static_assert(sizeof...(Ms) == static_cast<std::size_t>(-1),
                  "retort: a foreign_key needs .references<&Parent::column...>() to say what it "
                  "references");
    return false;
}

// Names: PostgreSQL would cut a longer one, and every comparison would then differ.
template <class T, fixed_string Name, auto... Ms>
consteval bool check_constraint(const unique_together_t<Name, Ms...>*) {
    static_assert(Name.size() <= max_identifier_bytes,
                  "retort: a unique_together name is longer than PostgreSQL's 63-byte "
                  "identifier limit");
    return true;
}

/// How many comma-separated operator classes `classes` lists (0 when it is empty).
consteval std::size_t listed_classes(std::string_view classes) {
    if (classes.empty()) return 0;
    std::size_t n = 1;
    for (char c : classes) n += c == ',';
    return n;
}

template <class T, fixed_string Name, bool Unique, fixed_string Where, fixed_string Method,
          fixed_string Classes, auto... Ms>
consteval bool check_constraint(const index_t<Name, Unique, Where, Method, Classes, Ms...>*) {
    static_assert(Name.size() <= max_identifier_bytes,
                  "retort: an index name is longer than PostgreSQL's 63-byte identifier limit");
    static_assert(listed_classes(Classes.view()) == 0 ||
                      listed_classes(Classes.view()) == sizeof...(Ms),
                  "retort: an index lists one operator class per column (comma-separated; "
                  "an empty one keeps the default)");
    static_assert(Name.size() > 0 || !(requires { decltype(Ms)::value; } || ...),
                  "retort: an index over an index_expression needs a name of its own");
    return true;
}

template <class T, fixed_string Name, fixed_string Expression>
consteval bool check_constraint(const table_check_t<Name, Expression>*) {
    static_assert(Name.size() <= max_identifier_bytes,
                  "retort: a table_check name is longer than PostgreSQL's 63-byte identifier "
                  "limit");
    return true;
}

template <class T, fixed_string Name>
consteval bool check_constraint(const key_name_t<Name>*) {
    static_assert(Name.size() > 0, "retort: key_name is empty");
    static_assert(Name.size() <= max_identifier_bytes,
                  "retort: a primary key's name is longer than PostgreSQL's 63-byte identifier "
                  "limit");
    return true;
}

template <class C>
struct is_key_name : std::false_type {};
template <fixed_string Name>
struct is_key_name<key_name_t<Name>> : std::true_type {};

template <class T, class... C>
consteval bool check_constraints(const std::tuple<C...>*) {
    static_assert((std::size_t{0} + ... + is_key_name<C>::value) <= 1,
                  "retort: a model has more than one key_name");
    return (check_constraint<T>(static_cast<const C*>(nullptr)) && ...);
}

template <class T>
consteval bool validate_model() {
    constexpr auto description = description_of<T>();
    static_assert(decltype(description)::table.size() <= max_identifier_bytes,
                  "retort: a table name is longer than PostgreSQL's 63-byte identifier limit");
    static_assert(!decltype(description)::table.empty(), "retort: a table name is empty");
    constexpr bool fields_ok = check_fields<T>(description.fields);
    constexpr std::size_t key_fields =
        count_key_fields(static_cast<decltype(description.fields)*>(nullptr));
    constexpr std::size_t composite_keys =
        std::tuple_size_v<decltype(composite_keys_of(constraints_of<T>()))>;
    static_assert(key_fields + composite_keys > 0,
                  "retort: a model needs a primary key (retort::primary_key on a field, or "
                  "retort::composite_key in RETORT_CONSTRAINTS)");
    static_assert(key_fields == 0 || composite_keys == 0,
                  "retort: a model has both primary_key fields and a composite_key");
    static_assert(composite_keys <= 1, "retort: a model has more than one composite_key");
    constexpr bool constraints_ok =
        check_constraints<T>(static_cast<decltype(constraints_of<T>())*>(nullptr));
    return fields_ok && constraints_ok;
}

}  // namespace retort::detail
