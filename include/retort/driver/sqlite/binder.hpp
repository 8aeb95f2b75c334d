// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Binds a statement's parameters 1, 2, 3... in call order.
//
// Lifetimes: text, blobs and JSON passed by reference or as a view are bound SQLITE_STATIC
// (no copy): they must stay alive until execute() returns, which holds for everything the
// query layer binds from models, expressions and arguments. A temporary (an rvalue string,
// blob or json, e.g. what value_traits<T>::to_storage returned) dies when its bind() returns,
// so it is bound SQLITE_TRANSIENT and SQLite copies it. Times, dates and arrays are formatted
// here and copied too.

#include <retort/driver/detail/always_false.hpp>
#include <retort/driver/detail/iso8601.hpp>
#include <retort/driver/detail/json_array.hpp>
#include <retort/driver/sqlite/errors.hpp>
#include <retort/error.hpp>
#include <retort/schema/types.hpp>

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retort::driver::sqlite {

class binder {
public:
    /// `scratch` is reused to encode arrays without allocating each time (SQLite copies it).
    binder(sqlite3_stmt* stmt, std::string& scratch) noexcept : stmt_(stmt), scratch_(scratch) {}

    void bind(bool value) { check(sqlite3_bind_int(stmt_, next(), value ? 1 : 0)); }
    void bind(std::int16_t value) { check(sqlite3_bind_int(stmt_, next(), value)); }
    void bind(std::int32_t value) { check(sqlite3_bind_int(stmt_, next(), value)); }
    void bind(std::int64_t value) { check(sqlite3_bind_int64(stmt_, next(), value)); }
    void bind(float value) { bind(static_cast<double>(value)); }
    /// SQLite stores NaN as NULL.
    void bind(double value) { check(sqlite3_bind_double(stmt_, next(), value)); }

    void bind(std::string_view text) { bind_text(text, SQLITE_STATIC); }
    // Exact matches, so that neither goes to the catch-all below (nor a literal to bool).
    void bind(const std::string& text) { bind_text(text, SQLITE_STATIC); }
    void bind(const char* text) { bind_text(text, SQLITE_STATIC); }
    void bind(std::string&& text) { bind_text(text, SQLITE_TRANSIENT); }

    void bind(const blob& data) { bind_blob(data, SQLITE_STATIC); }
    void bind(blob&& data) { bind_blob(data, SQLITE_TRANSIENT); }

    void bind(const json& document) { bind_text(document.text, SQLITE_STATIC); }
    void bind(json&& document) { bind_text(document.text, SQLITE_TRANSIENT); }

    void bind(timestamp time) {
        const auto text = driver::detail::format_timestamp(time);
        bind_text({text.data(), text.size()}, SQLITE_TRANSIENT);
    }
    void bind(local_timestamp time) {
        const auto text = driver::detail::format_local_timestamp(time);
        bind_text({text.data(), text.size()}, SQLITE_TRANSIENT);
    }
    void bind(date day) {
        const auto text = driver::detail::format_date(day);
        bind_text({text.data(), text.size()}, SQLITE_TRANSIENT);
    }

    void bind(const std::vector<std::string>& values) {
        driver::detail::write_json_array(scratch_, values);
        bind_text(scratch_, SQLITE_TRANSIENT);
    }
    void bind(const std::vector<std::int64_t>& values) {
        driver::detail::write_json_array(scratch_, values);
        bind_text(scratch_, SQLITE_TRANSIENT);
    }

    /// SQLite's NULL has no type; the argument keeps the call the same on every driver.
    void bind_null(logical_type) { check(sqlite3_bind_null(stmt_, next())); }

    template <class T>
    void bind(const T&) {
        static_assert(driver::detail::always_false<T>,
                      "retort: a binder takes only storage types: bool, int16/32/64_t, float, "
                      "double, text, blob, timestamp, local_timestamp, date, json, "
                      "vector<string> and vector<int64_t>. Convert other types first "
                      "(retort::value_traits), and bind a NULL with bind_null().");
    }

    /// How many parameters have been bound so far.
    int count() const noexcept { return index_; }

private:
    int next() noexcept { return ++index_; }

    void bind_text(std::string_view text, sqlite3_destructor_type lifetime) {
        // A null pointer would bind NULL: an empty string must stay an empty string.
        const char* data = text.data() != nullptr ? text.data() : "";
        check(sqlite3_bind_text64(stmt_, next(), data, text.size(), lifetime, SQLITE_UTF8));
    }
    void bind_blob(const blob& data, sqlite3_destructor_type lifetime) {
        if (data.empty())  // a null pointer would bind NULL: an empty blob must stay a blob
            check(sqlite3_bind_zeroblob(stmt_, next(), 0));
        else
            check(sqlite3_bind_blob64(stmt_, next(), data.data(), data.size(), lifetime));
    }

    void check(int rc) const {
        if (rc == SQLITE_OK) [[likely]]
            return;
        const std::string_view sql = sqlite3_sql(stmt_);
        if (rc == SQLITE_RANGE) {
            error_details details;
            details.sqlite_code = rc;
            details.sql = sql;
            // Built before `details` is moved into the exception: argument order is unspecified.
            std::string message = "retort: parameter " + std::to_string(index_) +
                                  " is one too many: the statement takes " +
                                  std::to_string(sqlite3_bind_parameter_count(stmt_)) +
                                  ", in: " + details.sql;
            throw programming_error(std::move(message), std::move(details));
        }
        throw_last_error(sqlite3_db_handle(stmt_), rc, sql);
    }

    sqlite3_stmt* stmt_;
    std::string& scratch_;
    int index_ = 0;
};

}  // namespace retort::driver::sqlite
