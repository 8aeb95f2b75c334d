// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Moves one C++ value into a driver's binder, or out of a driver's row: optionals become NULL,
// enums their text, user types their storage type. The drivers only ever see storage types.

#include <retort/error.hpp>
#include <retort/schema/types.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace retort::query {

template <class>
inline constexpr bool dependent_false = false;

template <named_enum E>
std::string_view enum_to_text(E value) {
    for (const auto& [e, text] : enum_names<E>())
        if (e == value) return text;
    throw programming_error("retort: an enum value has no RETORT_ENUM name (value " +
                            std::to_string(static_cast<long long>(value)) + ")");
}

template <named_enum E>
E enum_from_text(std::string_view text) {
    for (const auto& [e, name] : enum_names<E>())
        if (name == text) return e;
    throw programming_error("retort: '" + std::string{text} +
                            "' read from the database is not a value of the enum");
}

template <class Binder, class T>
void bind_value(Binder& b, const T& v);

/// A converted value: a temporary is handed over as an rvalue, so the driver copies it
/// instead of keeping a reference to something that dies before the statement runs.
template <class Binder, class S>
void bind_converted(Binder& b, S&& s) {
    using plain = std::remove_cvref_t<S>;
    if constexpr (!std::is_lvalue_reference_v<S> &&
                  (std::is_same_v<plain, std::string> || std::is_same_v<plain, blob> ||
                   std::is_same_v<plain, json>))
        b.bind(std::move(s));
    else
        bind_value(b, s);
}

/// Binds a value the caller keeps alive until the statement has run (a model's field, an
/// expression's parameter, an argument): text and blobs are not copied.
template <class Binder, class T>
void bind_value(Binder& b, const T& v) {
    if constexpr (optional_type<T>) {
        if (v)
            bind_value(b, *v);
        else
            b.bind_null(logical_type_of<T>());
    } else if constexpr (named_enum<T>) {
        b.bind(enum_to_text(v));
    } else if constexpr (std::is_same_v<T, std::string>) {
        b.bind(std::string_view{v});
    } else if constexpr (storage_type<T>) {
        b.bind(v);
    } else if constexpr (converted_type<T>) {
        bind_converted(b, value_traits<T>::to_storage(v));
    } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
        b.bind(std::string_view{v});
    } else if constexpr (std::is_integral_v<T>) {  // long long, unsigned long long, ...
        if constexpr (std::is_unsigned_v<T>)
            if (v > static_cast<T>(INT64_MAX))
                throw programming_error(
                    "retort: an unsigned value above INT64_MAX cannot be bound");
        b.bind(static_cast<std::int64_t>(v));
    } else {
        static_assert(dependent_false<T>, "retort: a value of this type cannot be bound");
    }
}

/// Binds through a driver's bind_untyped where it has one (PostgreSQL: text the server types
/// from the column, for postgres_type columns), through bind elsewhere (SQLite stores the
/// field's own type).
template <class Binder>
struct untyped_binder {
    Binder& inner;
    template <class V>
    void bind(V&& v) {
        if constexpr (requires { inner.bind_untyped(v); })
            inner.bind_untyped(v);
        else
            inner.bind(std::forward<V>(v));
    }
    void bind_null(logical_type t) {
        if constexpr (requires { inner.bind_null_untyped(); })
            inner.bind_null_untyped();
        else
            inner.bind_null(t);
    }
};

/// Binds `v` for a column declared with `postgres_type` (empty: an ordinary column).
template <class Binder, class T>
void bind_for_column(Binder& b, std::string_view postgres_type, const T& v) {
    if (postgres_type.empty()) {
        bind_value(b, v);
    } else {
        untyped_binder<Binder> u{b};
        bind_value(u, v);
    }
}

template <class Row, class T>
void read_value(const Row& r, int i, T& out) {
    if constexpr (optional_type<T>) {
        if (r.is_null(i)) {
            out.reset();
        } else {
            typename T::value_type v{};
            read_value(r, i, v);
            out = std::move(v);
        }
    } else if constexpr (named_enum<T>) {
        out = enum_from_text<T>(r.template get<std::string>(i));
    } else if constexpr (storage_type<T>) {
        out = r.template get<T>(i);
    } else if constexpr (converted_type<T>) {
        out = value_traits<T>::from_storage(r.template get<storage_of_t<T>>(i));
    } else {
        static_assert(dependent_false<T>, "retort: a value of this type cannot be read");
    }
}

template <class T, class Row>
T read_as(const Row& r, int i) {
    T v{};
    read_value(r, i, v);
    return v;
}

}  // namespace retort::query
