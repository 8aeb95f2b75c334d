// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// PostgreSQL's binary format is big-endian. Byte by byte with shifts: portable, and compilers
// turn it into a single load and byte swap.

#include <concepts>
#include <cstddef>
#include <cstdint>

namespace retort::driver::postgres::detail {

template <std::unsigned_integral U>
void store_big_endian(char* out, U value) noexcept {
    for (std::size_t i = sizeof(U); i-- > 0;) {
        out[i] = static_cast<char>(value & 0xFFu);
        value = static_cast<U>(value >> 8);
    }
}

template <std::unsigned_integral U>
U load_big_endian(const char* in) noexcept {
    U value = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i)
        value = static_cast<U>(value << 8 | static_cast<unsigned char>(in[i]));
    return value;
}

}  // namespace retort::driver::postgres::detail
