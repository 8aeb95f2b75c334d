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

}  // namespace retort::driver::postgres::detail
