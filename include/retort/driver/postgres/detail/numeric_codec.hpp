// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// numeric's binary form: int16 ndigits, int16 weight, uint16 sign, int16 dscale, then ndigits
// base-10000 digits, most significant first; digit i is worth 10000^(weight - i).
// Read as an int64 only when the value is an exact integer that fits, and as a double through
// its decimal text, so that the double is the correctly rounded one.

#include <retort/driver/postgres/detail/binary_reader.hpp>

#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace retort::driver::postgres::detail {

struct numeric_value {
    enum class kind : std::uint8_t { finite, nan, positive_infinity, negative_infinity };
    kind what = kind::finite;
    bool negative = false;
    std::int16_t weight = 0;
    std::int16_t dscale = 0;            // decimal digits shown after the point
    std::vector<std::uint16_t> digits;  // base 10000
};

inline numeric_value read_numeric(std::string_view bytes) {
    binary_reader in{bytes};
    const std::int16_t ndigits = in.int16();
    numeric_value value;
    value.weight = in.int16();
    const std::uint16_t sign = in.uint16();
    value.dscale = in.int16();
    if (ndigits < 0 || value.dscale < 0) throw decode_error("the numeric value is malformed");
    switch (sign) {
    case 0x0000: break;
    case 0x4000: value.negative = true; break;
    case 0xC000: value.what = numeric_value::kind::nan; break;
    case 0xD000: value.what = numeric_value::kind::positive_infinity; break;
    case 0xF000: value.what = numeric_value::kind::negative_infinity; break;
    default: throw decode_error("the numeric value has an unknown sign");
    }
    value.digits.resize(static_cast<std::size_t>(ndigits));
    for (auto& digit : value.digits) {
        digit = in.uint16();
        if (digit > 9999) throw decode_error("the numeric value is malformed");
    }
    in.expect_end();
    return value;
}

inline std::int64_t numeric_to_int64(std::string_view bytes) {
    const numeric_value value = read_numeric(bytes);
    if (value.what != numeric_value::kind::finite)
        throw decode_error("NaN and infinity are not integers");
    // Accumulate the magnitude, which may reach 2^63 for INT64_MIN.
    constexpr std::uint64_t max_magnitude = std::uint64_t{1} << 63;
    const std::uint64_t limit = value.negative ? max_magnitude : max_magnitude - 1;
    std::uint64_t magnitude = 0;
    const int count = static_cast<int>(value.digits.size());
    for (int position = 0; position <= value.weight; ++position) {
        const std::uint64_t digit =
            position < count ? value.digits[static_cast<std::size_t>(position)] : 0;
        if (magnitude > (limit - digit) / 10000)
            throw decode_error("the numeric value does not fit in 64 bits");
        magnitude = magnitude * 10000 + digit;
    }
    for (int position = value.weight < 0 ? 0 : value.weight + 1; position < count; ++position)
        if (value.digits[static_cast<std::size_t>(position)] != 0)
            throw decode_error("the numeric value has a fractional part");
    if (!value.negative) return static_cast<std::int64_t>(magnitude);
    return magnitude == max_magnitude ? std::numeric_limits<std::int64_t>::min()
                                      : -static_cast<std::int64_t>(magnitude);
}

inline double numeric_to_double(std::string_view bytes) {
    const numeric_value value = read_numeric(bytes);
    switch (value.what) {
    case numeric_value::kind::nan: return std::numeric_limits<double>::quiet_NaN();
    case numeric_value::kind::positive_infinity: return std::numeric_limits<double>::infinity();
    case numeric_value::kind::negative_infinity: return -std::numeric_limits<double>::infinity();
    case numeric_value::kind::finite: break;
    }
    if (value.digits.empty()) return value.negative ? -0.0 : 0.0;
    // "<sign><all digits, 4 per group>e<exponent of the last group>"
    std::string text;
    text.reserve(value.digits.size() * 4 + 8);
    if (value.negative) text += '-';
    for (const auto digit : value.digits) {
        char group[4];
        std::uint16_t rest = digit;
        for (int i = 3; i >= 0; --i, rest = static_cast<std::uint16_t>(rest / 10))
            group[i] = static_cast<char>('0' + rest % 10);
        text.append(group, 4);
    }
    text += 'e';
    text += std::to_string(4 * (value.weight - static_cast<int>(value.digits.size()) + 1));
    double result = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), result);
    if (ec == std::errc::result_out_of_range) {
        if (value.weight < 0)  // smaller than the smallest double: it rounds to zero
            return value.negative ? -0.0 : 0.0;
        throw decode_error("the numeric value is out of range for a double");
    }
    if (ec != std::errc{} || end != text.data() + text.size())
        throw decode_error("the numeric value is malformed");
    return result;
}

/// The text numeric_out prints: every integer digit, then exactly dscale digits after the
/// point (`12.50` stays `12.50`), or NaN, Infinity, -Infinity.
inline std::string numeric_to_text(std::string_view bytes) {
    const numeric_value value = read_numeric(bytes);
    switch (value.what) {
    case numeric_value::kind::nan: return "NaN";
    case numeric_value::kind::positive_infinity: return "Infinity";
    case numeric_value::kind::negative_infinity: return "-Infinity";
    case numeric_value::kind::finite: break;
    }
    const auto digit_at = [&](int position) -> unsigned {
        return position >= 0 && position < static_cast<int>(value.digits.size())
                   ? value.digits[static_cast<std::size_t>(position)]
                   : 0;
    };
    const auto group = [](unsigned digit) {
        std::string four = std::to_string(digit);
        return std::string(4 - four.size(), '0') + four;
    };
    std::string out = value.negative ? "-" : "";
    if (value.weight < 0) {
        out += '0';
    } else {
        out += std::to_string(digit_at(0));  // the first group without leading zeros
        for (int position = 1; position <= value.weight; ++position)
            out += group(digit_at(position));
    }
    if (value.dscale > 0) {
        std::string fraction;
        for (int position = value.weight + 1; static_cast<int>(fraction.size()) < value.dscale;
             ++position)
            fraction += group(digit_at(position));
        out += '.';
        out.append(fraction, 0, static_cast<std::size_t>(value.dscale));
    }
    return out;
}

}  // namespace retort::driver::postgres::detail
