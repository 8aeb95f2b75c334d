// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Binds a statement's parameters $1, $2, $3... in call order, each in PostgreSQL's binary
// format and with its type's OID. Values are copied into the connection's parameter buffer,
// so nothing the caller passes needs to outlive the bind() call.

#include <retort/driver/detail/always_false.hpp>
#include <retort/driver/postgres/detail/array_codec.hpp>
#include <retort/driver/postgres/detail/big_endian.hpp>
#include <retort/driver/postgres/detail/oids.hpp>
#include <retort/driver/postgres/detail/parameters.hpp>
#include <retort/driver/postgres/detail/time_codec.hpp>
#include <retort/error.hpp>
#include <retort/schema/types.hpp>

#include <bit>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace retort::driver::postgres {

namespace detail {
/// The shortest text that reads back as the same number, or PostgreSQL's NaN and Infinity.
template <class F>
std::string real_text(F value) {
    if (value != value) return "NaN";
    if (value > std::numeric_limits<F>::max()) return "Infinity";
    if (value < std::numeric_limits<F>::lowest()) return "-Infinity";
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, ec == std::errc{} ? end : buffer);
}
}  // namespace detail

class binder {
public:
    explicit binder(detail::parameters& params) noexcept : params_(params) {}

    void bind(bool value) { *params_.add(detail::bool_oid, 1) = value ? 1 : 0; }
    void bind(std::int16_t value) {
        add_integer(detail::int2_oid, static_cast<std::uint16_t>(value));
    }
    void bind(std::int32_t value) {
        add_integer(detail::int4_oid, static_cast<std::uint32_t>(value));
    }
    void bind(std::int64_t value) {
        add_integer(detail::int8_oid, static_cast<std::uint64_t>(value));
    }
    void bind(float value) { add_integer(detail::float4_oid, std::bit_cast<std::uint32_t>(value)); }
    void bind(double value) {
        add_integer(detail::float8_oid, std::bit_cast<std::uint64_t>(value));
    }

    void bind(std::string_view text) { add_bytes(detail::text_oid, text.data(), text.size()); }
    void bind(const std::string& text) { bind(std::string_view(text)); }
    void bind(const char* text) { bind(std::string_view(text)); }

    void bind(const blob& data) { add_bytes(detail::bytea_oid, data.data(), data.size()); }

    void bind(timestamp time) {
        add_integer(detail::timestamptz_oid,
                    static_cast<std::uint64_t>(detail::to_postgres_micros(time)));
    }
    /// timestamp without time zone: the wall time travels as is, whatever the session's zone.
    void bind(local_timestamp time) {
        add_integer(detail::timestamp_oid,
                    static_cast<std::uint64_t>(detail::to_postgres_local_micros(time)));
    }
    void bind(date day) {
        add_integer(detail::date_oid, static_cast<std::uint32_t>(detail::to_postgres_days(day)));
    }

    /// jsonb's binary form is a version byte (1) followed by the text.
    void bind(const json& document) {
        char* out = params_.add(detail::jsonb_oid, 1 + document.text.size());
        out[0] = 1;
        if (!document.text.empty())
            std::memcpy(out + 1, document.text.data(), document.text.size());
    }

    void bind(const std::vector<std::string>& values) { detail::add_text_array(params_, values); }
    void bind(const std::vector<std::int64_t>& values) { detail::add_int8_array(params_, values); }

    /// A NULL of the column's type: the statement is prepared with that OID.
    void bind_null(logical_type type) { params_.add_null(detail::oid_of(type)); }

    // ---- values for columns of a type the driver does not bind (postgres_type<"inet">) ----
    // Sent as text without a type: the server types the parameter from where it stands (the
    // column, or the other operand) and parses the text as that type's literal, so inet, a
    // domain or a native enum get their own checks, and varchar(n) refuses a longer value
    // rather than cutting it as a cast would.

    void bind_untyped(std::string_view text) {
        if (text.find('\0') != std::string_view::npos)
            throw programming_error("retort: a text value holds a NUL byte, which PostgreSQL "
                                    "text cannot");
        char* out = params_.add_untyped_text(text.size());
        if (!text.empty()) std::memcpy(out, text.data(), text.size());
    }
    void bind_untyped(const std::string& text) { bind_untyped(std::string_view(text)); }
    void bind_untyped(const char* text) { bind_untyped(std::string_view(text)); }
    void bind_untyped(bool value) { bind_untyped(std::string_view(value ? "true" : "false")); }
    template <class I>
        requires std::is_integral_v<I>
    void bind_untyped(I value) { bind_untyped(std::to_string(value)); }
    void bind_untyped(float value) { bind_untyped(detail::real_text(value)); }
    void bind_untyped(double value) { bind_untyped(detail::real_text(value)); }
    void bind_untyped(const json& document) { bind_untyped(std::string_view(document.text)); }
    /// An array literal, {"a","b"}: each element quoted, so commas and braces stay inside it.
    void bind_untyped(const std::vector<std::string>& values) {
        std::string text = "{";
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (i) text += ',';
            text += '"';
            for (char c : values[i]) {
                if (c == '"' || c == '\\') text += '\\';
                text += c;
            }
            text += '"';
        }
        bind_untyped(text + "}");
    }
    void bind_untyped(const std::vector<std::int64_t>& values) {
        std::string text = "{";
        for (std::size_t i = 0; i < values.size(); ++i)
            text += (i ? "," : "") + std::to_string(values[i]);
        bind_untyped(text + "}");
    }
    void bind_null_untyped() { params_.add_null(0); }

    template <class T>
    void bind(const T&) {
        static_assert(driver::detail::always_false<T>,
                      "retort: a binder takes only storage types: bool, int16/32/64_t, float, "
                      "double, text, blob, timestamp, local_timestamp, date, json, "
                      "vector<string> and vector<int64_t>. Convert other types first "
                      "(retort::value_traits), and bind a NULL with bind_null().");
    }

    /// How many parameters have been bound so far.
    int count() const noexcept { return params_.count(); }

private:
    template <class U>
    void add_integer(Oid type, U bits) {
        detail::store_big_endian(params_.add(type, sizeof(U)), bits);
    }

    void add_bytes(Oid type, const void* data, std::size_t size) {
        char* out = params_.add(type, size);
        if (size != 0) std::memcpy(out, data, size);
    }

    detail::parameters& params_;
};

}  // namespace retort::driver::postgres
