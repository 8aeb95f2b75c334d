// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// RETORT_TABLE names a model's table and lists its fields, once, with their column options.
// `retort::model<T>` is the compile-time view of that list that every other layer reads.

#include <retort/reflect/detail/preprocessor.hpp>
#include <retort/reflect/fixed_string.hpp>
#include <retort/reflect/options.hpp>
#include <retort/schema/types.hpp>

#include <boost/pfr/core.hpp>

#include <array>
#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace retort {

namespace detail {

template <class T>
struct model_tag {};

template <auto Member>
struct member_traits;
template <class C, class M, M C::*Member>
struct member_traits<Member> {
    using class_type = C;
    using value_type = M;
};

template <class Option, class... Options>
inline constexpr bool has_option = (std::is_same_v<Option, Options> || ...);

template <template <auto...> class Option, class T>
inline constexpr bool is_value_template_of = false;
template <template <auto...> class Option, auto... Vs>
inline constexpr bool is_value_template_of<Option, Option<Vs...>> = true;

template <class T>
struct option_kind {
    static constexpr bool is_named = false, is_max_length = false, is_length_checked = false,
                          is_references = false, is_check = false, is_default = false,
                          is_renamed = false, is_postgres_type = false, is_computed = false;
};
template <fixed_string N>
struct option_kind<named_t<N>> : option_kind<void> {
    static constexpr bool is_named = true;
};
template <std::size_t N>
struct option_kind<max_length_t<N>> : option_kind<void> {
    static constexpr bool is_max_length = true;
};
template <std::size_t N>
struct option_kind<checked_max_length_t<N>> : option_kind<void> {
    static constexpr bool is_max_length = true, is_length_checked = true;
};
template <auto Target, fixed_string Name>
struct option_kind<references_t<Target, Name>> : option_kind<void> {
    static constexpr bool is_references = true;
};
template <fixed_string E>
struct option_kind<check_t<E>> : option_kind<void> {
    static constexpr bool is_check = true;
};
template <default_literal V>
struct option_kind<server_default_t<V>> : option_kind<void> {
    static constexpr bool is_default = true;
};
template <fixed_string E>
struct option_kind<server_default_sql_t<E>> : option_kind<void> {
    static constexpr bool is_default = true;
};
template <fixed_string O>
struct option_kind<renamed_from_t<O>> : option_kind<void> {
    static constexpr bool is_renamed = true;
};

template <fixed_string S>
struct option_kind<postgres_type_t<S>> : option_kind<void> {
    static constexpr bool is_postgres_type = true;
};
template <fixed_string E>
struct option_kind<computed_t<E>> : option_kind<void> {
    static constexpr bool is_computed = true;
};

template <template <class> class Pred, class... Options>
constexpr std::size_t count_options() {
    return (std::size_t{0} + ... + (Pred<Options>::value ? 1 : 0));
}
template <class O>
struct is_named_option : std::bool_constant<option_kind<O>::is_named> {};
template <class O>
struct is_max_length_option : std::bool_constant<option_kind<O>::is_max_length> {};
template <class O>
struct is_length_checked_option : std::bool_constant<option_kind<O>::is_length_checked> {};
template <class O>
struct is_references_option : std::bool_constant<option_kind<O>::is_references> {};
template <class O>
struct is_default_option : std::bool_constant<option_kind<O>::is_default> {};
template <class O>
struct is_renamed_option : std::bool_constant<option_kind<O>::is_renamed> {};

template <class O>
struct is_postgres_type_option : std::bool_constant<option_kind<O>::is_postgres_type> {};
template <class O>
struct is_computed_option : std::bool_constant<option_kind<O>::is_computed> {};

/// The text of the last option `Is` accepts (named<...>, renamed_from<...>, ...), or `fallback`.
template <template <class> class Is, class... Os>
constexpr std::string_view text_option_of(std::string_view fallback) {
    std::string_view text = fallback;
    (
        [&] {
            if constexpr (Is<Os>::value) text = Os::value;
        }(),
        ...);
    return text;
}
template <class O>
constexpr std::size_t max_length_or(std::size_t fallback) {
    if constexpr (option_kind<O>::is_max_length)
        return O::value;
    else
        return fallback;
}
template <class... Os>
constexpr std::size_t max_length_of() {
    std::size_t n = 0;
    ((n = max_length_or<Os>(n)), ...);
    return n;
}

/// One listed field: its member pointer, field name, declaration offset and column options.
template <auto Member, fixed_string FieldName, std::size_t Offset, class... Options>
struct field_def {
    using model_type = typename member_traits<Member>::class_type;
    using value_type = typename member_traits<Member>::value_type;
    using options_type = std::tuple<Options...>;

    static constexpr auto member = Member;
    static constexpr std::size_t offset = Offset;
    static constexpr std::string_view field_name = FieldName.view();

    static constexpr bool nullable = optional_type<value_type>;
    static constexpr bool is_primary_key = has_option<primary_key_t, Options...>;
    static constexpr bool is_autoincrement = has_option<autoincrement_t, Options...>;
    static constexpr bool is_unique = has_option<unique_t, Options...>;
    static constexpr bool is_indexed = has_option<indexed_t, Options...>;
    static constexpr bool has_references = count_options<is_references_option, Options...>() > 0;
    static constexpr bool has_default = count_options<is_default_option, Options...>() > 0;
    /// Generated by the database (computed<...>): read, never written.
    static constexpr bool is_computed = count_options<is_computed_option, Options...>() > 0;

    static constexpr std::string_view name =
        text_option_of<is_named_option, Options...>(FieldName.view());
    static constexpr std::size_t max_length = max_length_of<Options...>();
    static constexpr bool is_length_checked =
        count_options<is_length_checked_option, Options...>() > 0;
    static constexpr std::string_view renamed_from =
        text_option_of<is_renamed_option, Options...>({});
    /// The column's PostgreSQL type when the model names one (postgres_type<"inet">), else empty.
    static constexpr std::string_view postgres_type =
        text_option_of<is_postgres_type_option, Options...>({});

    options_type options;

    static auto& get(model_type& object) { return object.*Member; }
    static const auto& get(const model_type& object) { return object.*Member; }
};

template <auto Member, fixed_string FieldName, std::size_t Offset, class... Options>
constexpr field_def<Member, FieldName, Offset, Options...> make_field(Options... options) {
    return {{options...}};
}

template <class T, fixed_string Table, class... Fields>
struct model_def {
    static constexpr std::string_view table = Table.view();
    std::tuple<Fields...> fields;
};

template <class T, fixed_string Table, class... Fields>
constexpr model_def<T, Table, Fields...> make_model(std::tuple<Fields...> fields) {
    return {fields};
}

// What a model's namespace has when no enclosing namespace declares RETORT_NAMING: retort's
// own convention (schema/naming_convention.hpp).
struct default_naming {};

// The fallback when a model has no RETORT_CONSTRAINTS.
template <class T>
constexpr std::tuple<> retort_model_constraints(model_tag<T>) {
    return {};
}
template <class T>
constexpr auto constraints_of() {
    return retort_model_constraints(model_tag<T>{});
}

}  // namespace detail

/// A struct described by RETORT_TABLE.
template <class T>
concept model_type = requires {
    retort_model_description(detail::model_tag<T>{});
};

namespace detail {
template <class... Ts>
concept not_all_models = !(model_type<std::remove_cvref_t<Ts>> && ...);

/// What the overload each entry point offers for a type that is not a model returns: a value
/// to hold, so that its error stays the only one.
struct not_a_model {};

/// The body of such an overload: one error that says what to do, where overload resolution
/// would list every candidate.
template <class... Ts>
constexpr not_a_model models_required() {
    static_assert((model_type<Ts> && ...),
                  "retort: this type is not a model; declare it with RETORT_TABLE(Type, "
                  "\"table\", (field, options...), ...) after the struct, in its namespace");
    return {};
}
template <class... Ts>
constexpr not_a_model require_models() {  // one instantiation for T, T& and const T&
    return models_required<std::remove_cvref_t<Ts>...>();
}
}  // namespace detail

namespace detail {
template <class T>
struct is_composite_key : std::false_type {};
template <auto... Ms>
struct is_composite_key<composite_key_t<Ms...>> : std::true_type {};

template <class Field, auto Member>
constexpr bool is_member() {
    if constexpr (std::is_same_v<std::remove_cv_t<decltype(Field::member)>, decltype(Member)>)
        return Field::member == Member;
    else
        return false;
}
template <auto Member, class... Fields>
constexpr std::size_t index_in_fields(const std::tuple<Fields...>*) {
    constexpr bool found[] = {is_member<Fields, Member>()..., false};
    for (std::size_t i = 0; i < sizeof...(Fields); ++i)
        if (found[i]) return i;
    return static_cast<std::size_t>(-1);
}
/// The index of Member among a description's fields, or -1.
template <class Description, auto Member>
constexpr std::size_t index_in(const Description&) {
    return index_in_fields<Member>(static_cast<decltype(Description::fields)*>(nullptr));
}
template <class... Fields>
constexpr auto primary_key_fields(const std::tuple<Fields...>*) {
    constexpr bool is_key[] = {Fields::is_primary_key..., false};
    constexpr std::size_t count = (std::size_t{0} + ... + Fields::is_primary_key);
    std::array<std::size_t, count> keys{};
    std::size_t k = 0;
    for (std::size_t i = 0; i < sizeof...(Fields); ++i)
        if (is_key[i]) keys[k++] = i;
    return keys;
}
template <class C>
constexpr auto composite_key_tuple(const C& c) {
    if constexpr (is_composite_key<C>::value)
        return std::tuple<C>{c};
    else
        return std::tuple<>{};
}
template <class... C>
constexpr auto composite_keys_of(const std::tuple<C...>& constraints) {
    return std::apply([](const C&... c) { return std::tuple_cat(composite_key_tuple(c)...); },
                      constraints);
}
}  // namespace detail

namespace detail {
template <class T>
consteval bool validate_model();  // reflect/detail/model_checks.hpp
}

/// The compile-time view of a model: table name, fields, key.
template <model_type T>
struct model {
    static_assert(detail::validate_model<T>());
    static constexpr auto description = retort_model_description(detail::model_tag<T>{});
    static constexpr auto constraints = detail::constraints_of<T>();
    using fields_type = decltype(description.fields);
    static constexpr std::size_t size = std::tuple_size_v<fields_type>;
    static constexpr std::string_view table_name = decltype(description)::table;

    template <std::size_t I>
    using field = std::tuple_element_t<I, fields_type>;

    /// The index of a member in the field list, or size if it is not listed.
    template <auto Member>
    static constexpr std::size_t index_of = [] {
        constexpr std::size_t i = detail::index_in<decltype(description), Member>(description);
        return i == static_cast<std::size_t>(-1) ? size : i;
    }();

    /// Calls f(std::integral_constant<std::size_t, I>{}) for every field index I.
    template <class F>
    static constexpr void for_each_field(F&& f) {
        for_each_index(f, std::make_index_sequence<size>{});
    }

    /// Calls f(std::integral_constant<std::size_t, I>{}) for the field index I of each primary
    /// key column, in key order: the key's fields are known at compile time, so nothing scans.
    template <class F>
    static constexpr void for_each_key_field(F&& f) {
        for_each_key_index(f, std::make_index_sequence<primary_key.size()>{});
    }

private:
    template <class F, std::size_t... I>
    static constexpr void for_each_index(F& f, std::index_sequence<I...>) {
        (visit_mapped<I>(f), ...);
    }
    // A field whose type has no column mapping is reported by the model's check alone, not
    // once more by every loop over the fields.
    template <std::size_t I, class F>
    static constexpr void visit_mapped(F& f) {
        if constexpr (column_value<unwrap_optional_t<typename field<I>::value_type>>)
            f(std::integral_constant<std::size_t, I>{});
    }
    template <class F, std::size_t... K>
    static constexpr void for_each_key_index(F& f, std::index_sequence<K...>) {
        (f(std::integral_constant<std::size_t, primary_key[K]>{}), ...);
    }

public:
private:
    static constexpr auto composite_keys = detail::composite_keys_of(constraints);

    template <auto... Ms>
    static constexpr auto key_indices(composite_key_t<Ms...>) {
        return std::array<std::size_t, sizeof...(Ms)>{index_of<Ms>...};
    }

    static constexpr auto compute_primary_key() {
        if constexpr (std::tuple_size_v < decltype(composite_keys) >> 0)
            return key_indices(std::get<0>(composite_keys));
        else
            return detail::primary_key_fields(static_cast<fields_type*>(nullptr));
    }

public:
    /// Field indices of the primary key, in key order.
    static constexpr auto primary_key = compute_primary_key();

    /// True when the single key column is generated by the database.
    static constexpr bool has_generated_key = [] {
        if constexpr (primary_key.size() == 1)
            return field<primary_key[0]>::is_autoincrement;
        else
            return false;
    }();
};

}  // namespace retort

#include <retort/reflect/detail/model_checks.hpp>

// Found by RETORT_TABLE's unqualified call when no namespace around the model declares
// RETORT_NAMING (which hides this one, being nearer).
template <class T>
constexpr ::retort::detail::default_naming retort_naming_convention(::retort::detail::model_tag<T>,
                                                                    long) {
    return {};
}

// RETORT_TABLE(Type, "table", (field, options...), ...): after the struct, in its namespace.
// Every field is listed once, in declaration order; anything else does not compile.
#define RETORT_DETAIL_FIELD(Type, entry) RETORT_DETAIL_FIELD_I(Type, RETORT_PP_UNPAREN entry)
#define RETORT_DETAIL_FIELD_I(Type, ...) RETORT_DETAIL_FIELD_II(Type, __VA_ARGS__)
#define RETORT_DETAIL_FIELD_II(Type, name, ...)                                                    \
    ::retort::detail::make_field<&Type::name, #name, offsetof(Type, name)>(__VA_ARGS__),

#define RETORT_TABLE(Type, table_name, ...)                                                        \
    _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Winvalid-offsetof\"")        \
        [[maybe_unused]] constexpr auto                                                            \
        retort_model_description(::retort::detail::model_tag<Type>) {                              \
        return ::retort::detail::make_model<Type, table_name>(                                     \
            std::tuple{RETORT_FOR_EACH(RETORT_DETAIL_FIELD, Type, __VA_ARGS__)});                  \
    }                                                                                              \
    /* The naming convention of the nearest namespace around, as declared before this line: */     \
    /* plain lookup, no ADL, so bases and template arguments of Type bring none of theirs. */      \
    [[maybe_unused]] constexpr decltype(auto) retort_model_naming(                                 \
        ::retort::detail::model_tag<Type>) {                                                       \
        return (retort_naming_convention)(::retort::detail::model_tag<Type>{}, 0);                 \
    }                                                                                              \
    _Pragma("GCC diagnostic pop") static_assert(true)

// RETORT_CONSTRAINTS(Type, retort::composite_key<...>, retort::index<"", &T::a, &T::b>, ...):
// table-level keys, unique constraints, indexes and checks.
#define RETORT_CONSTRAINTS(Type, ...)                                                              \
    [[maybe_unused]] constexpr auto retort_model_constraints(::retort::detail::model_tag<Type>) {  \
        return std::tuple{__VA_ARGS__};                                                            \
    }                                                                                              \
    static_assert(true)
