// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Timestamps and dates as ISO-8601 text, for databases without native types (SQLite).
// Written as `YYYY-MM-DD HH:MM:SS.ffffff` with all six fractional digits, so that comparing
// the text compares the times: a timestamp in UTC, a local_timestamp as its wall time (the
// text SQLAlchemy writes into a DATETIME column). Read back leniently: no fraction or a shorter
// one (CURRENT_TIMESTAMP writes none), a `T` separator; a timestamp also takes a `Z` or
// `+HH:MM` offset (and reads text without one as UTC), while a local_timestamp refuses any
// zone, which would make it a point in time, and also takes a date alone (midnight).
// Fixed-position digit code: no locale, no streams, no allocation.

#include <retort/error.hpp>
#include <retort/schema/types.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace retort::driver::detail {

inline constexpr std::size_t date_text_size = 10;       // YYYY-MM-DD
inline constexpr std::size_t timestamp_text_size = 26;  // YYYY-MM-DD HH:MM:SS.ffffff

// Four-digit years only: a fifth digit or a sign would break the text ordering.
inline constexpr std::int64_t first_text_day = -719528;  // 0000-01-01, in days since 1970-01-01
inline constexpr std::int64_t last_text_day = 2932896;   // 9999-12-31

inline char* write_digits(char* out, std::uint32_t value, int count) noexcept {
    for (int i = count - 1; i >= 0; --i) {
        out[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    return out + count;
}

inline char* write_date(char* out, date day) {
    const auto count = day.time_since_epoch().count();
    if (count < first_text_day || count > last_text_day)
        throw programming_error(
            "retort: only dates in the years 0000 to 9999 can be stored as ISO-8601 text");
    const std::chrono::year_month_day ymd{day};
    out = write_digits(out, static_cast<std::uint32_t>(static_cast<int>(ymd.year())), 4);
    *out++ = '-';
    out = write_digits(out, static_cast<unsigned>(ymd.month()), 2);
    *out++ = '-';
    return write_digits(out, static_cast<unsigned>(ymd.day()), 2);
}

/// `YYYY-MM-DD`; programming_error outside the years 0000 to 9999.
inline std::array<char, date_text_size> format_date(date day) {
    std::array<char, date_text_size> text;
    write_date(text.data(), day);
    return text;
}

/// `YYYY-MM-DD HH:MM:SS.ffffff`, UTC; programming_error outside the years 0000 to 9999.
inline std::array<char, timestamp_text_size> format_timestamp(timestamp time) {
    using namespace std::chrono;
    // Checked before flooring: floor<days> of a time near timestamp::min() overflows.
    constexpr std::int64_t micros_per_day = 86'400'000'000;
    const auto count = time.time_since_epoch().count();
    if (count < first_text_day * micros_per_day || count >= (last_text_day + 1) * micros_per_day)
        throw programming_error(
            "retort: only times in the years 0000 to 9999 can be stored as ISO-8601 text");
    const auto day = floor<days>(time);
    auto micros = static_cast<std::uint64_t>((time - day).count());  // 0 .. 86'399'999'999
    std::array<char, timestamp_text_size> text;
    char* out = write_date(text.data(), date{day});
    *out++ = ' ';
    const auto seconds_of_day = static_cast<std::uint32_t>(micros / 1'000'000);
    micros %= 1'000'000;
    out = write_digits(out, seconds_of_day / 3600, 2);
    *out++ = ':';
    out = write_digits(out, seconds_of_day / 60 % 60, 2);
    *out++ = ':';
    out = write_digits(out, seconds_of_day % 60, 2);
    *out++ = '.';
    write_digits(out, static_cast<std::uint32_t>(micros), 6);
    return text;
}

// Reads exactly `count` digits at `pos`.
inline bool read_digits(std::string_view text, std::size_t pos, int count, int& value) noexcept {
    if (pos + static_cast<std::size_t>(count) > text.size()) return false;
    value = 0;
    for (int i = 0; i < count; ++i) {
        const char c = text[pos + static_cast<std::size_t>(i)];
        if (c < '0' || c > '9') return false;
        value = value * 10 + (c - '0');
    }
    return true;
}

/// Parses `YYYY-MM-DD`; nullopt when the text is not exactly a valid date.
inline std::optional<date> parse_date(std::string_view text) noexcept {
    int y = 0, m = 0, d = 0;
    if (text.size() != date_text_size || !read_digits(text, 0, 4, y) || text[4] != '-' ||
        !read_digits(text, 5, 2, m) || text[7] != '-' || !read_digits(text, 8, 2, d))
        return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{y},
                                          std::chrono::month{static_cast<unsigned>(m)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return date{ymd};
}

/// What `YYYY-MM-DD[[ T]HH:MM[:SS[.f...]]][Z|+HH[[:]MM]|-HH[[:]MM]]` says, before a zone is
/// applied: the one grammar both timestamp readers share.
struct date_time_text {
    date day;
    std::chrono::microseconds time_of_day{0};  // fractions beyond microseconds truncated
    bool has_time = false;                     // more than the date alone
    int fraction_digits = 0;
    std::optional<std::chrono::minutes> offset;  // east of UTC; empty when no zone is named
};

/// nullopt when the text is anything else. Z and an offset are read only after a time.
inline std::optional<date_time_text> parse_date_time(std::string_view text) noexcept {
    using namespace std::chrono;
    date_time_text out;
    const auto day = parse_date(text.substr(0, date_text_size));
    if (!day) return std::nullopt;
    out.day = *day;
    if (text.size() == date_text_size) return out;
    if (text.size() < 16 || (text[10] != ' ' && text[10] != 'T' && text[10] != 't'))
        return std::nullopt;
    int hour = 0, minute = 0, second = 0;
    if (!read_digits(text, 11, 2, hour) || text[13] != ':' || !read_digits(text, 14, 2, minute) ||
        hour > 23 || minute > 59)
        return std::nullopt;
    out.has_time = true;
    std::size_t pos = 16;
    std::int64_t micros = 0;
    if (pos < text.size() && text[pos] == ':') {
        if (!read_digits(text, pos + 1, 2, second) || second > 59) return std::nullopt;
        pos += 3;
        if (pos < text.size() && text[pos] == '.') {
            const std::size_t first = ++pos;
            std::int64_t scale = 100'000;
            for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, scale /= 10)
                micros += (text[pos] - '0') * scale;  // scale reaches 0 past the 6th digit
            if (pos == first) return std::nullopt;
            // Saturated: only "more than 9" matters to a caller, and an int cannot overflow.
            out.fraction_digits = static_cast<int>(std::min<std::size_t>(pos - first, 100));
        }
    }
    if (pos < text.size()) {
        const char sign = text[pos];
        if ((sign == 'Z' || sign == 'z') && pos + 1 == text.size()) {
            pos += 1;
            out.offset = minutes{0};
        } else if (sign == '+' || sign == '-') {
            int offset_hours = 0, offset_minutes = 0;
            if (!read_digits(text, pos + 1, 2, offset_hours)) return std::nullopt;
            pos += 3;
            if (pos < text.size()) {
                pos += text[pos] == ':' ? 1 : 0;
                if (!read_digits(text, pos, 2, offset_minutes)) return std::nullopt;
                pos += 2;
            }
            if (offset_hours > 23 || offset_minutes > 59) return std::nullopt;
            const minutes offset = hours{offset_hours} + minutes{offset_minutes};
            out.offset = sign == '-' ? -offset : offset;
        }
    }
    if (pos != text.size()) return std::nullopt;
    out.time_of_day = hours{hour} + minutes{minute} + seconds{second} + microseconds{micros};
    return out;
}

/// Parses `YYYY-MM-DD[ T]HH:MM[:SS[.f...]][Z|+HH[:MM]|-HH[:MM]]` into UTC; text without a
/// zone is taken as UTC; fractions beyond microseconds are truncated. nullopt when the text is
/// anything else.
inline std::optional<timestamp> parse_timestamp(std::string_view text) noexcept {
    const auto parts = parse_date_time(text);
    if (!parts || !parts->has_time) return std::nullopt;
    return timestamp{parts->day} + parts->time_of_day -
           parts->offset.value_or(std::chrono::minutes{0});
}

/// `YYYY-MM-DD HH:MM:SS.ffffff`, the wall time's fields; programming_error outside the years
/// 0000 to 9999.
inline std::array<char, timestamp_text_size> format_local_timestamp(local_timestamp time) {
    // The same digits as the UTC timestamp with the same count: neither text names a zone.
    return format_timestamp(timestamp{time.time_since_epoch()});
}

/// Parses `YYYY-MM-DD[[ T]HH:MM[:SS[.f]]]` with 1 to 9 fraction digits (truncated to
/// microseconds); nullopt for anything else, a zone or `Z` included (see names_a_zone).
inline std::optional<local_timestamp> parse_local_timestamp(std::string_view text) noexcept {
    const auto parts = parse_date_time(text);
    if (!parts || parts->offset || parts->fraction_digits > 9) return std::nullopt;
    return local_timestamp{parts->day.time_since_epoch()} + parts->time_of_day;
}

/// Whether the text is a timestamp with a zone (`Z` or an offset): a point in time, which a
/// local_timestamp cannot hold without inventing what the wall clock showed.
inline bool names_a_zone(std::string_view text) noexcept {
    const auto parts = parse_date_time(text);
    return parts && parts->offset;
}

}  // namespace retort::driver::detail
