// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// SHA-256 (FIPS 180-4) and MD5 (RFC 1321) of a short text, as lowercase hex: the hashes other
// tools put in the names they give constraints (Rails' fk_rails_<sha256>, Django's
// <table>_<column>_<md5>). Names only: nothing here is used for security.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace retort::schema::detail {

constexpr std::uint32_t rotate_right(std::uint32_t x, int n) {
    return (x >> n) | (x << (32 - n));
}
constexpr std::uint32_t rotate_left(std::uint32_t x, int n) {
    return (x << n) | (x >> (32 - n));
}

/// The message padded to whole 64-byte blocks: a 1 bit, zeros, then its length in bits, in
/// 8 bytes of the given byte order (big-endian for SHA-256, little-endian for MD5).
inline std::string padded_message(std::string_view data, bool big_endian_length) {
    std::string m{data};
    const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
    m += static_cast<char>(0x80);
    while (m.size() % 64 != 56) m += '\0';
    for (int i = 0; i < 8; ++i)
        m += static_cast<char>((bits >> (8 * (big_endian_length ? 7 - i : i))) & 0xFF);
    return m;
}

inline std::uint32_t byte_at(const std::string& m, std::size_t i) {
    return static_cast<unsigned char>(m[i]);
}

inline std::string sha256_hex(std::string_view data) {
    static constexpr std::array<std::uint32_t, 64> k = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2};
    std::array<std::uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    const std::string m = padded_message(data, true);
    for (std::size_t block = 0; block < m.size(); block += 64) {
        std::array<std::uint32_t, 64> w{};
        for (std::size_t i = 0; i < 16; ++i)
            w[i] = byte_at(m, block + 4 * i) << 24 | byte_at(m, block + 4 * i + 1) << 16 |
                   byte_at(m, block + 4 * i + 2) << 8 | byte_at(m, block + 4 * i + 3);
        for (std::size_t i = 16; i < 64; ++i) {
            const std::uint32_t s0 =
                rotate_right(w[i - 15], 7) ^ rotate_right(w[i - 15], 18) ^ (w[i - 15] >> 3);
            const std::uint32_t s1 =
                rotate_right(w[i - 2], 17) ^ rotate_right(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        auto [a, b, c, d, e, f, g, hh] = h;
        for (std::size_t i = 0; i < 64; ++i) {
            const std::uint32_t s1 = rotate_right(e, 6) ^ rotate_right(e, 11) ^ rotate_right(e, 25);
            const std::uint32_t t1 = hh + s1 + ((e & f) ^ (~e & g)) + k[i] + w[i];
            const std::uint32_t s0 = rotate_right(a, 2) ^ rotate_right(a, 13) ^ rotate_right(a, 22);
            const std::uint32_t t2 = s0 + ((a & b) ^ (a & c) ^ (b & c));
            hh = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        const std::array<std::uint32_t, 8> add = {a, b, c, d, e, f, g, hh};
        for (std::size_t i = 0; i < 8; ++i) h[i] += add[i];
    }
    std::string out;
    constexpr char hex[] = "0123456789abcdef";
    for (std::uint32_t word : h)
        for (int shift = 28; shift >= 0; shift -= 4) out += hex[(word >> shift) & 0xF];
    return out;
}

inline std::string md5_hex(std::string_view data) {
    static constexpr std::array<std::uint32_t, 64> k = {
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
        0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
        0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
        0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
        0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
        0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
        0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
        0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
        0xeb86d391};
    static constexpr std::array<int, 16> shifts = {7, 12, 17, 22, 5, 9,  14, 20,
                                                   4, 11, 16, 23, 6, 10, 15, 21};
    std::array<std::uint32_t, 4> h = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    const std::string m = padded_message(data, false);
    for (std::size_t block = 0; block < m.size(); block += 64) {
        std::array<std::uint32_t, 16> w{};
        for (std::size_t i = 0; i < 16; ++i)
            w[i] = byte_at(m, block + 4 * i) | byte_at(m, block + 4 * i + 1) << 8 |
                   byte_at(m, block + 4 * i + 2) << 16 | byte_at(m, block + 4 * i + 3) << 24;
        auto [a, b, c, d] = h;
        for (std::size_t i = 0; i < 64; ++i) {
            std::uint32_t f = 0;
            std::size_t g = 0;
            switch (i / 16) {
            case 0: f = (b & c) | (~b & d), g = i; break;
            case 1: f = (d & b) | (~d & c), g = (5 * i + 1) % 16; break;
            case 2: f = b ^ c ^ d, g = (3 * i + 5) % 16; break;
            default: f = c ^ (b | ~d), g = (7 * i) % 16; break;
            }
            f += a + k[i] + w[g];
            a = d;
            d = c;
            c = b;
            b += rotate_left(f, shifts[(i / 16) * 4 + i % 4]);
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += d;
    }
    std::string out;
    constexpr char hex[] = "0123456789abcdef";
    for (std::uint32_t word : h)
        for (int byte = 0; byte < 4; ++byte) {
            const std::uint32_t v = (word >> (8 * byte)) & 0xFF;
            out += hex[v >> 4];
            out += hex[v & 0xF];
        }
    return out;
}

}  // namespace retort::schema::detail
