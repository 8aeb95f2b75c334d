// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The C++ types a column can hold, and the logical SQL type each maps to. Drivers bind and read
// only the "storage" types listed in `logical_type`; every other type converts to one of them
// through `value_traits`, which is also the extension point for user types.

#include <retort/error.hpp>
#include <retort/reflect/fixed_string.hpp>

#include <array>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace retort {

/// A point in time, UTC, microsecond precision (timestamptz on PostgreSQL, ISO-8601 text on
/// SQLite).
using timestamp = std::chrono::sys_time<std::chrono::microseconds>;
/// A wall-clock date and time in no particular zone, microsecond precision: what SQLAlchemy and
/// Rails store by default (timestamp without time zone on PostgreSQL, 'YYYY-MM-DD
/// HH:MM:SS.ffffff' text in a DATETIME column on SQLite). A distinct type from `timestamp`, so
/// that a wall time is never silently taken for UTC or the other way round.
using local_timestamp = std::chrono::local_time<std::chrono::microseconds>;
/// A calendar date (date on PostgreSQL, 'YYYY-MM-DD' text on SQLite).
using date = std::chrono::sys_days;
/// Binary data (bytea on PostgreSQL, BLOB on SQLite).
using blob = std::vector<std::byte>;

/// A JSON document kept as its text (jsonb on PostgreSQL, TEXT on SQLite).
struct json {
    std::string text;
    friend bool operator==(const json&, const json&) = default;
};

enum class logical_type : std::uint8_t {
    boolean,
    int16,
    int32,
    int64,
    float32,
    float64,
    text,
    blob,
    timestamp,
    date,
    json,
    text_array,
    int_array,
    enumeration,  // stored as text, values listed
    // New types go last: the numbering of the others stays what it always was.
    local_timestamp,
};

/// How many logical types there are (the last one's number plus one).
inline constexpr std::size_t logical_type_count =
    static_cast<std::size_t>(logical_type::local_timestamp) + 1;

constexpr std::string_view to_string(logical_type t) {
    constexpr std::array<std::string_view, logical_type_count> names{
        "boolean", "int16",      "int32",     "int64",       "float32",
        "float64", "text",       "blob",      "timestamp",   "date",
        "json",    "text_array", "int_array", "enumeration", "local_timestamp"};
    return names[static_cast<std::size_t>(t)];
}

/// Extension point: specialize for a user type with
///   using storage_type = <a built-in column type>;
///   static storage_type to_storage(const T&);
///   static T from_storage(storage_type);
template <class T>
struct value_traits;

// ---- enums ---------------------------------------------------------------------------------

namespace detail {
template <class E>
struct enum_tag {};
}  // namespace detail

/// An enum declared with RETORT_ENUM: stored as the text of its enumerators.
template <class E>
concept named_enum = std::is_enum_v<E> && requires {
    retort_enum_names(detail::enum_tag<E>{});
};

/// The (enumerator, text) pairs RETORT_ENUM listed, in order.
template <named_enum E>
constexpr auto enum_names() {
    return retort_enum_names(detail::enum_tag<E>{});
}

namespace detail {
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
}  // namespace detail

template <class T>
concept optional_type = detail::is_optional<std::remove_cvref_t<T>>::value;

/// Strips one std::optional: the type the column holds when it is not NULL.
template <class T>
struct unwrap_optional {
    using type = T;
};
template <class T>
struct unwrap_optional<std::optional<T>> {
    using type = T;
};
template <class T>
using unwrap_optional_t = typename unwrap_optional<T>::type;

// ---- the storage types drivers understand --------------------------------------------------

template <class T>
struct storage_traits {
    static constexpr bool is_storage = false;
};

#define RETORT_DETAIL_STORAGE(Type, Logical)                                                       \
    template <>                                                                                    \
    struct storage_traits<Type> {                                                                  \
        static constexpr bool is_storage = true;                                                   \
        static constexpr logical_type logical = logical_type::Logical;                             \
    };
RETORT_DETAIL_STORAGE(bool, boolean)
RETORT_DETAIL_STORAGE(std::int16_t, int16)
RETORT_DETAIL_STORAGE(std::int32_t, int32)
RETORT_DETAIL_STORAGE(std::int64_t, int64)
RETORT_DETAIL_STORAGE(float, float32)
RETORT_DETAIL_STORAGE(double, float64)
RETORT_DETAIL_STORAGE(std::string, text)
RETORT_DETAIL_STORAGE(blob, blob)
RETORT_DETAIL_STORAGE(timestamp, timestamp)
RETORT_DETAIL_STORAGE(local_timestamp, local_timestamp)
RETORT_DETAIL_STORAGE(date, date)
RETORT_DETAIL_STORAGE(json, json)
RETORT_DETAIL_STORAGE(std::vector<std::string>, text_array)
RETORT_DETAIL_STORAGE(std::vector<std::int64_t>, int_array)
#undef RETORT_DETAIL_STORAGE

template <class T>
concept storage_type = storage_traits<T>::is_storage;

/// A type with a user (or built-in) value_traits specialization.
template <class T>
concept converted_type = requires(const T& v) {
    typename value_traits<T>::storage_type;
    {value_traits<T>::to_storage(v)};
};

/// Any type a (non-null) column can hold.
template <class T>
concept column_value = storage_type<T> || named_enum<T> || converted_type<T>;

/// The storage type a column value travels as.
template <class T>
struct storage_of {
    using type = T;
};
template <converted_type T>
    requires(!storage_type<T>)
struct storage_of<T> {
    using type = typename value_traits<T>::storage_type;
};
template <named_enum T>
struct storage_of<T> {
    using type = std::string;
};
template <class T>
using storage_of_t = typename storage_of<T>::type;

/// The logical type of a column holding T (optional stripped).
template <class T>
constexpr logical_type logical_type_of() {
    using V = unwrap_optional_t<T>;
    if constexpr (named_enum<V>)
        return logical_type::enumeration;
    else
        return storage_traits<storage_of_t<V>>::logical;
}

// ---- built-in conversions for the remaining integer widths ---------------------------------

namespace detail {
template <class T, class Storage>
struct widening_traits {
    using storage_type = Storage;
    static constexpr storage_type to_storage(T v) { return static_cast<storage_type>(v); }
    static constexpr T from_storage(storage_type v) { return static_cast<T>(v); }
};
}  // namespace detail

template <>
struct value_traits<std::int8_t> : detail::widening_traits<std::int8_t, std::int16_t> {};
template <>
struct value_traits<std::uint8_t> : detail::widening_traits<std::uint8_t, std::int16_t> {};
template <>
struct value_traits<std::uint16_t> : detail::widening_traits<std::uint16_t, std::int32_t> {};
template <>
struct value_traits<std::uint32_t> : detail::widening_traits<std::uint32_t, std::int64_t> {};
/// uint64 is stored in a signed 64-bit column: values above INT64_MAX are refused when bound.
template <>
struct value_traits<std::uint64_t> {
    using storage_type = std::int64_t;
    static std::int64_t to_storage(std::uint64_t v) {
        if (v > static_cast<std::uint64_t>(INT64_MAX))
            throw programming_error("retort: a uint64 value above INT64_MAX cannot be stored");
        return static_cast<std::int64_t>(v);
    }
    static std::uint64_t from_storage(std::int64_t v) {
        if (v < 0) throw programming_error("retort: a negative value read into a uint64 field");
        return static_cast<std::uint64_t>(v);
    }
};
/// Any other sys_time precision converts to microseconds (truncating toward the past).
template <class Duration>
    requires(!std::same_as<Duration, std::chrono::microseconds> &&
             !std::same_as<Duration, std::chrono::days>)
struct value_traits<std::chrono::sys_time<Duration>> {
    using storage_type = timestamp;
    static constexpr timestamp to_storage(std::chrono::sys_time<Duration> v) {
        return std::chrono::floor<std::chrono::microseconds>(v);
    }
    static constexpr std::chrono::sys_time<Duration> from_storage(timestamp v) {
        return std::chrono::time_point_cast<Duration>(v);
    }
};
/// The same for local_time. local_days has no mapping: it reads as a date, and retort's date is
/// sys_days; taking it for midnight of a local_timestamp column would be a guess.
template <class Duration>
    requires(!std::same_as<Duration, std::chrono::microseconds> &&
             !std::same_as<Duration, std::chrono::days>)
struct value_traits<std::chrono::local_time<Duration>> {
    using storage_type = local_timestamp;
    static constexpr local_timestamp to_storage(std::chrono::local_time<Duration> v) {
        return std::chrono::floor<std::chrono::microseconds>(v);
    }
    static constexpr std::chrono::local_time<Duration> from_storage(local_timestamp v) {
        return std::chrono::time_point_cast<Duration>(v);
    }
};

}  // namespace retort

// RETORT_ENUM(Status, pending, running, done), in the enum's namespace: Status is stored as
// the text of its enumerators ("pending", ...). Found by argument-dependent lookup.
#include <retort/reflect/detail/preprocessor.hpp>

#include <utility>
#define RETORT_DETAIL_ENUM_ENTRY(Enum, name) std::pair<Enum, std::string_view>{Enum::name, #name},
#define RETORT_ENUM(Enum, ...)                                                                     \
    [[maybe_unused]] constexpr auto retort_enum_names(::retort::detail::enum_tag<Enum>) {          \
        return std::to_array<std::pair<Enum, std::string_view>>(                                   \
            {RETORT_FOR_EACH(RETORT_DETAIL_ENUM_ENTRY, Enum, __VA_ARGS__)});                       \
    }                                                                                              \
    static_assert(true)
