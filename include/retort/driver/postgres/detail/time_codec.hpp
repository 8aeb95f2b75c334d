// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// PostgreSQL counts timestamps in microseconds and dates in days since 2000-01-01; the extreme
// values of the counts stand for 'infinity' and '-infinity', which map to the extreme
// time points of retort::timestamp and retort::date. timestamp without time zone has the same
// encoding (a wall time counted as if it were UTC); its infinities are refused instead: a
// local_timestamp is a reading of a clock, and max() would pass for an ordinary one.

#include <retort/driver/postgres/detail/binary_reader.hpp>
#include <retort/error.hpp>
#include <retort/schema/types.hpp>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace retort::driver::postgres::detail {

inline constexpr std::int64_t postgres_epoch_days = 10957;  // 2000-01-01 - 1970-01-01
inline constexpr std::int64_t postgres_epoch_micros = postgres_epoch_days * 86'400'000'000;

inline std::int64_t to_postgres_micros(timestamp time) {
    using limits = std::numeric_limits<std::int64_t>;
    if (time == timestamp::max()) return limits::max();
    if (time == timestamp::min()) return limits::min();
    const std::int64_t micros = time.time_since_epoch().count();
    if (micros < limits::min() + postgres_epoch_micros + 1)
        throw programming_error("retort: the timestamp is too far in the past for PostgreSQL");
    return micros - postgres_epoch_micros;
}

inline timestamp from_postgres_micros(std::int64_t micros) {
    using limits = std::numeric_limits<std::int64_t>;
    if (micros == limits::max()) return timestamp::max();
    if (micros == limits::min()) return timestamp::min();
    if (micros > limits::max() - postgres_epoch_micros)
        throw decode_error("the timestamp is beyond what retort::timestamp holds");
    return timestamp{std::chrono::microseconds{micros + postgres_epoch_micros}};
}

inline std::int64_t to_postgres_local_micros(local_timestamp time) {
    using limits = std::numeric_limits<std::int64_t>;
    const std::int64_t micros = time.time_since_epoch().count();
    // Also keeps the result off limits::min(), which would read back as -infinity.
    if (micros < limits::min() + postgres_epoch_micros + 1)
        throw programming_error(
            "retort: the local_timestamp is too far in the past for PostgreSQL");
    return micros - postgres_epoch_micros;
}

inline local_timestamp from_postgres_local_micros(std::int64_t micros) {
    using limits = std::numeric_limits<std::int64_t>;
    if (micros == limits::max() || micros == limits::min())
        throw decode_error(micros > 0 ? "it is infinity, which a local_timestamp cannot hold "
                                        "(filter it out with isfinite(), or select it as text)"
                                      : "it is -infinity, which a local_timestamp cannot hold "
                                        "(filter it out with isfinite(), or select it as text)");
    if (micros > limits::max() - postgres_epoch_micros)
        throw decode_error("the timestamp is beyond what retort::local_timestamp holds");
    return local_timestamp{std::chrono::microseconds{micros + postgres_epoch_micros}};
}

inline std::int32_t to_postgres_days(date day) {
    using limits = std::numeric_limits<std::int32_t>;
    if (day == date::max()) return limits::max();
    if (day == date::min()) return limits::min();
    const auto days =
        static_cast<std::int64_t>(day.time_since_epoch().count()) - postgres_epoch_days;
    if (days <= limits::min() || days >= limits::max())
        throw programming_error("retort: the date is out of PostgreSQL's range");
    return static_cast<std::int32_t>(days);
}

inline date from_postgres_days(std::int32_t days) {
    using limits = std::numeric_limits<std::int32_t>;
    if (days == limits::max()) return date::max();
    if (days == limits::min()) return date::min();
    return date{std::chrono::days{static_cast<std::int64_t>(days) + postgres_epoch_days}};
}

/// An interval (int64 microseconds, int32 days, int32 months) as interval_out prints it in
/// the default IntervalStyle, postgres: `1 year 2 mons 3 days 04:05:06.5`, `-1 days +02:00:00`.
inline std::string interval_to_text(std::string_view bytes) {
    binary_reader in{bytes};
    std::int64_t time = in.int64();
    const std::int32_t days = in.int32();
    const std::int32_t months = in.int32();
    in.expect_end();
    std::string out;
    bool is_zero = true, is_before = false;
    const auto part = [&](std::int64_t value, std::string_view unit) {
        if (value == 0) return;
        if (!is_zero) out += ' ';
        if (is_before && value > 0) out += '+';
        out += std::to_string(value);
        out += ' ';
        out += unit;
        if (value != 1) out += 's';
        is_before = value < 0;
        is_zero = false;
    };
    part(months / 12, "year");
    part(months % 12, "mon");
    part(days, "day");
    // C++ division truncates toward zero, as PostgreSQL's does: every part keeps time's sign.
    const std::int64_t hours = time / 3'600'000'000;
    time -= hours * 3'600'000'000;
    const std::int64_t minutes = time / 60'000'000;
    time -= minutes * 60'000'000;
    const std::int64_t seconds = time / 1'000'000;
    const std::int64_t micros = time - seconds * 1'000'000;
    if (is_zero || hours != 0 || minutes != 0 || seconds != 0 || micros != 0) {
        const bool minus = hours < 0 || minutes < 0 || seconds < 0 || micros < 0;
        const auto two = [](std::int64_t v) {
            const std::string s = std::to_string(v < 0 ? -v : v);
            return s.size() < 2 ? "0" + s : s;
        };
        if (!is_zero) out += ' ';
        out += minus ? "-" : is_before ? "+" : "";
        out += two(hours) + ":" + two(minutes) + ":" + two(seconds);
        if (micros != 0) {
            std::string fraction = std::to_string(micros < 0 ? -micros : micros);
            fraction.insert(0, 6 - fraction.size(), '0');
            while (fraction.back() == '0') fraction.pop_back();
            out += '.' + fraction;
        }
    }
    return out;
}

}  // namespace retort::driver::postgres::detail
