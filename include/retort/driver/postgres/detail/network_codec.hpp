// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Binary inet, cidr, macaddr, macaddr8 and uuid values as the text PostgreSQL's output
// functions print (network.c, inet_net_ntop.c, mac.c, uuid.c). The driver reads these into
// std::string itself because a cast in SQL would not do: `inet::text` adds a /32 that the
// column's own text form leaves out.

#include <retort/driver/postgres/detail/binary_reader.hpp>
#include <retort/driver/postgres/detail/oids.hpp>

#include <libpq-fe.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace retort::driver::postgres::detail {

/// Whether text_of_binary reads this type.
constexpr bool is_decoded_to_text(Oid type) noexcept {
    return type == inet_oid || type == cidr_oid || type == macaddr_oid || type == macaddr8_oid ||
           type == uuid_oid;
}

constexpr bool is_decoded_to_text_array(Oid type) noexcept {
    return type == inet_array_oid || type == cidr_array_oid || type == macaddr_array_oid ||
           type == macaddr8_array_oid || type == uuid_array_oid;
}

namespace network {

inline void hex_byte(std::string& out, std::uint8_t b) {
    constexpr std::string_view digits = "0123456789abcdef";
    out += digits[b >> 4];
    out += digits[b & 15];
}

inline void ipv4(std::string& out, const std::uint8_t* a) {
    for (int i = 0; i < 4; ++i) {
        if (i) out += '.';
        out += std::to_string(a[i]);
    }
}

// The longest run of two or more zero words becomes "::" (the first of equal runs), and an
// IPv4-compatible or -mapped address ends in dotted quads, as inet_net_ntop_ipv6 writes them.
inline void ipv6(std::string& out, const std::uint8_t* a) {
    std::array<unsigned, 8> words{};
    for (int i = 0; i < 16; ++i) words[i / 2] |= unsigned{a[i]} << ((1 - i % 2) * 8);
    int best = -1, best_len = 0, cur = -1, cur_len = 0;
    for (int i = 0; i < 8; ++i) {
        if (words[i] == 0) {
            if (cur == -1) cur = i, cur_len = 0;
            ++cur_len;
            if (cur_len > best_len) best = cur, best_len = cur_len;
        } else {
            cur = -1;
        }
    }
    if (best_len < 2) best = -1;
    for (int i = 0; i < 8; ++i) {
        if (best != -1 && i >= best && i < best + best_len) {
            if (i == best) out += ':';
            continue;
        }
        if (i != 0) out += ':';
        if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && words[5] == 0xffff))) {
            ipv4(out, a + 12);
            return;
        }
        constexpr std::string_view digits = "0123456789abcdef";
        bool started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            const unsigned d = (words[i] >> shift) & 15;
            if (d != 0 || started || shift == 0) {
                out += digits[d];
                started = true;
            }
        }
    }
    if (best != -1 && best + best_len == 8) out += ':';
}

}  // namespace network

/// inet and cidr: family (2 for IPv4, 3 for IPv6), mask bits, is-cidr flag, address length,
/// address. The mask is printed unless it covers the whole address; cidr always prints it.
inline std::string inet_text(std::string_view bytes, bool cidr) {
    binary_reader in{bytes};
    const auto head = in.bytes(4);
    const auto family = static_cast<std::uint8_t>(head[0]);
    const unsigned bits = static_cast<std::uint8_t>(head[1]);
    const std::size_t length = static_cast<std::uint8_t>(head[3]);
    const std::size_t expected = family == 2 ? 4 : family == 3 ? 16 : 0;
    if (expected == 0 || length != expected || bits > expected * 8)
        throw decode_error("the network address has an unknown form");
    const auto* address = reinterpret_cast<const std::uint8_t*>(in.bytes(length).data());
    in.expect_end();
    std::string out;
    if (family == 2)
        network::ipv4(out, address);
    else
        network::ipv6(out, address);
    if (cidr || bits != expected * 8) out += '/' + std::to_string(bits);
    return out;
}

/// macaddr (6 bytes) and macaddr8 (8): lowercase hex pairs joined by colons.
inline std::string mac_text(std::string_view bytes, std::size_t length) {
    if (bytes.size() != length) throw decode_error("the MAC address has a wrong length");
    std::string out;
    for (std::size_t i = 0; i < length; ++i) {
        if (i) out += ':';
        network::hex_byte(out, static_cast<std::uint8_t>(bytes[i]));
    }
    return out;
}

/// uuid: 16 bytes as 8-4-4-4-12 lowercase hex digits.
inline std::string uuid_text(std::string_view bytes) {
    if (bytes.size() != 16) throw decode_error("the uuid has a wrong length");
    std::string out;
    for (std::size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        network::hex_byte(out, static_cast<std::uint8_t>(bytes[i]));
    }
    return out;
}

/// The text form of a value of a type is_decoded_to_text() accepts.
inline std::string text_of_binary(Oid type, std::string_view bytes) {
    switch (type) {
    case inet_oid: return inet_text(bytes, false);
    case cidr_oid: return inet_text(bytes, true);
    case macaddr_oid: return mac_text(bytes, 6);
    case macaddr8_oid: return mac_text(bytes, 8);
    default: return uuid_text(bytes);
    }
}

}  // namespace retort::driver::postgres::detail
