// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The current row of a statement being stepped; valid only inside the on_row callback.
//
// get<T> reads a column as a storage type and refuses what does not fit, naming the column:
// integers of any width (range-checked; a REAL that is an exact integer is accepted), REAL or
// INTEGER into float/double, 0/1 into bool, TEXT into strings, timestamps, dates, JSON and
// arrays (parsed from the text the binder writes), BLOB into blob. SQLite converts freely
// between storage classes; retort does not, so that a wrong mapping fails loudly. A timestamp
// reads text without a zone as UTC (what it writes), a local_timestamp refuses text with one.

#include <retort/driver/detail/column_errors.hpp>
#include <retort/driver/detail/iso8601.hpp>
#include <retort/driver/detail/json_array.hpp>
#include <retort/error.hpp>
#include <retort/schema/types.hpp>

#include <sqlite3.h>

#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace retort::driver::sqlite {

class row {
public:
    explicit row(sqlite3_stmt* stmt) noexcept : stmt_(stmt), size_(sqlite3_column_count(stmt)) {}

    int size() const noexcept { return size_; }

    bool is_null(int column) const { return sqlite3_value_type(cell(column)) == SQLITE_NULL; }

    /// Reads a non-NULL column; programming_error naming the column when the value does not fit T.
    template <class T>
    T get(int column) const {
        static_assert(storage_type<T>,
                      "retort: row::get reads storage types only (see retort::storage_traits)");
        // One sqlite3_column_value per read, then sqlite3_value_*: each sqlite3_column_* call
        // would enter and leave the connection's API guard again.
        sqlite3_value* const value = cell(column);
        const int type = sqlite3_value_type(value);
        if (type == SQLITE_NULL) throw_unreadable(column, logical_type_of<T>(), "it is NULL");
        return read(column, value, type, std::type_identity<T>{});
    }

    std::string_view column_name(int column) const {
        check_column(column);
        const char* name = sqlite3_column_name(stmt_, column);
        return name != nullptr ? name : "";
    }

    sqlite3_stmt* native_handle() const noexcept { return stmt_; }

private:
    void check_column(int column) const {
        if (column < 0 || column >= size_) [[unlikely]]
            driver::detail::throw_no_such_column(column, size_);
    }

    // The column's value as SQLite holds it; valid until the next step. Unprotected values are
    // safe here: a connection is used by one thread at a time.
    sqlite3_value* cell(int column) const {
        check_column(column);
        return sqlite3_column_value(stmt_, column);
    }

    static std::string_view storage_class_name(int type) noexcept {
        switch (type) {
        case SQLITE_INTEGER: return "INTEGER";
        case SQLITE_FLOAT: return "REAL";
        case SQLITE_TEXT: return "TEXT";
        case SQLITE_BLOB: return "BLOB";
        default: return "NULL";
        }
    }

    [[noreturn]] void throw_unreadable(int column, logical_type wanted,
                                       std::string_view why) const {
        driver::detail::throw_unreadable_column(column_name(column), wanted, why);
    }

    [[noreturn]] void throw_mismatch(int column, int type, logical_type wanted) const {
        throw_unreadable(column, wanted,
                         std::string("it holds ") + std::string(storage_class_name(type)));
    }

    static std::string_view text(sqlite3_value* value) {
        // sqlite3_value_text before sqlite3_value_bytes, as SQLite documents.
        const auto* data = reinterpret_cast<const char*>(sqlite3_value_text(value));
        return {data != nullptr ? data : "", static_cast<std::size_t>(sqlite3_value_bytes(value))};
    }

    // The TEXT column's value, or a programming_error naming what it holds instead.
    std::string_view text_of(int column, sqlite3_value* value, int type,
                             logical_type wanted) const {
        if (type != SQLITE_TEXT) throw_mismatch(column, type, wanted);
        return text(value);
    }

    /// `the text "..."`, cut short: a message has no room for a whole document.
    static std::string the_text(std::string_view value) {
        constexpr std::size_t shown = 64;
        std::string out = "the text \"";
        out += value.substr(0, shown);
        out += value.size() > shown ? "...\"" : "\"";
        return out;
    }

    [[noreturn]] void throw_malformed(int column, logical_type wanted,
                                      std::string_view value) const {
        throw_unreadable(column, wanted,
                         the_text(value) + " is not a valid " + std::string(to_string(wanted)));
    }

    template <std::integral T>
        requires(!std::same_as<T, bool>)
    T read(int column, sqlite3_value* cell_value, int type, std::type_identity<T>)
    const {
        constexpr logical_type wanted = logical_type_of<T>();
        std::int64_t value = 0;
        if (type == SQLITE_INTEGER) {
            value = sqlite3_value_int64(cell_value);
        } else if (type == SQLITE_FLOAT) {
            const double real = sqlite3_value_double(cell_value);
            // 2^63 is exact in a double; the range test also rejects NaN.
            if (!(real >= -9223372036854775808.0 && real < 9223372036854775808.0) ||
                std::trunc(real) != real)
                throw_unreadable(column, wanted, "it holds the REAL " + std::to_string(real));
            value = static_cast<std::int64_t>(real);
        } else {
            throw_mismatch(column, type, wanted);
        }
        if (!std::in_range<T>(value))
            throw_unreadable(column, wanted, std::to_string(value) + " is out of range");
        return static_cast<T>(value);
    }

    bool read(int column, sqlite3_value* cell_value, int type, std::type_identity<bool>) const {
        if (type != SQLITE_INTEGER) throw_mismatch(column, type, logical_type::boolean);
        const auto value = sqlite3_value_int64(cell_value);
        if (value != 0 && value != 1)
            throw_unreadable(column, logical_type::boolean,
                             std::to_string(value) + " is neither 0 nor 1");
        return value == 1;
    }

    double read(int column, sqlite3_value* cell_value, int type, std::type_identity<double>) const {
        if (type != SQLITE_FLOAT && type != SQLITE_INTEGER)
            throw_mismatch(column, type, logical_type::float64);
        return sqlite3_value_double(cell_value);
    }

    float read(int column, sqlite3_value* cell_value, int type, std::type_identity<float>) const {
        if (type != SQLITE_FLOAT && type != SQLITE_INTEGER)
            throw_mismatch(column, type, logical_type::float32);
        const double value = sqlite3_value_double(cell_value);
        if (std::isfinite(value) && std::fabs(value) > std::numeric_limits<float>::max())
            throw_unreadable(column, logical_type::float32,
                             std::to_string(value) + " is out of range");
        return static_cast<float>(value);
    }

    std::string read(int column, sqlite3_value* cell_value, int type,
                     std::type_identity<std::string>) const {
        return std::string(text_of(column, cell_value, type, logical_type::text));
    }

    blob read(int column, sqlite3_value* cell_value, int type, std::type_identity<blob>) const {
        if (type != SQLITE_BLOB) throw_mismatch(column, type, logical_type::blob);
        const void* data = sqlite3_value_blob(cell_value);  // null when empty
        const auto size = static_cast<std::size_t>(sqlite3_value_bytes(cell_value));
        blob value(size);
        if (size != 0) std::memcpy(value.data(), data, size);
        return value;
    }

    json read(int column, sqlite3_value* cell_value, int type, std::type_identity<json>) const {
        return json{std::string(text_of(column, cell_value, type, logical_type::json))};
    }

    timestamp read(int column, sqlite3_value* cell_value, int type,
                   std::type_identity<timestamp>) const {
        const auto value = text_of(column, cell_value, type, logical_type::timestamp);
        const auto time = driver::detail::parse_timestamp(value);
        if (!time) throw_malformed(column, logical_type::timestamp, value);
        return *time;
    }

    local_timestamp read(int column, sqlite3_value* cell_value, int type,
                         std::type_identity<local_timestamp>) const {
        constexpr logical_type wanted = logical_type::local_timestamp;
        const auto value = text_of(column, cell_value, type, wanted);
        const auto time = driver::detail::parse_local_timestamp(value);
        if (time) return *time;
        if (driver::detail::names_a_zone(value))
            throw_unreadable(column, wanted,
                             the_text(value) +
                                 " names a time zone, so it is a point in time: read it into "
                                 "retort::timestamp");
        throw_malformed(column, wanted, value);
    }

    date read(int column, sqlite3_value* cell_value, int type, std::type_identity<date>) const {
        const auto value = text_of(column, cell_value, type, logical_type::date);
        const auto day = driver::detail::parse_date(value);
        if (!day) throw_malformed(column, logical_type::date, value);
        return *day;
    }

    std::vector<std::string> read(int column, sqlite3_value* cell_value, int type,
                                  std::type_identity<std::vector<std::string>>) const {
        const auto value = text_of(column, cell_value, type, logical_type::text_array);
        auto values = driver::detail::parse_json_string_array(value);
        if (!values) throw_malformed(column, logical_type::text_array, value);
        return std::move(*values);
    }

    std::vector<std::int64_t> read(int column, sqlite3_value* cell_value, int type,
                                   std::type_identity<std::vector<std::int64_t>>) const {
        const auto value = text_of(column, cell_value, type, logical_type::int_array);
        auto values = driver::detail::parse_json_int_array(value);
        if (!values) throw_malformed(column, logical_type::int_array, value);
        return std::move(*values);
    }

    sqlite3_stmt* stmt_;
    int size_;
};

}  // namespace retort::driver::sqlite
