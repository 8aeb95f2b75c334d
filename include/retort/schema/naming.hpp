// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The naming convention for constraints and indexes (the same as Alembic's recommended one):
//   pk_<table>   uq_<table>_<col>[_<col>…]   ix_<table>_<col>[_<col>…]
//   fk_<table>_<col>[_<col>…]_<referenced table>   ck_<table>_<col>[_<suffix>]
// A name over PostgreSQL's 63-byte limit keeps its first 54 bytes and ends with "_" and 8 hex
// digits of a 32-bit FNV-1a hash of the whole name: deterministic, and unique in practice.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace retort::schema {

inline constexpr std::size_t max_identifier_bytes = 63;

constexpr std::uint32_t fnv1a32(std::string_view s) {
    std::uint32_t h = 2166136261u;
    for (char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 16777619u;
    }
    return h;
}

/// `value`'s lowest `digits` hex digits, zero-padded: how names and fingerprints print hashes.
inline std::string to_hex(std::uint64_t value, std::size_t digits) {
    constexpr char hex[] = "0123456789abcdef";
    std::string out(digits, '0');
    for (std::size_t i = digits; i-- > 0; value >>= 4) out[i] = hex[value & 0xF];
    return out;
}

/// "name" with embedded quotes doubled: the identifier syntax both dialects share.
inline std::string quote_identifier(std::string_view name) {
    std::string out;
    out.reserve(name.size() + 2);
    out += '"';
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

/// Cuts a name to 63 bytes as described above; shorter names come back unchanged.
inline std::string fit_identifier(std::string name) {
    if (name.size() <= max_identifier_bytes) return name;
    const std::uint32_t h = fnv1a32(name);
    name.resize(max_identifier_bytes - 9);
    name += '_';
    name += to_hex(h, 8);
    return name;
}

namespace detail {
inline std::string join_name(std::string_view prefix, std::string_view table,
                             const std::vector<std::string>& columns,
                             std::string_view suffix = {}) {
    std::string name{prefix};
    name += '_';
    name += table;
    for (const auto& c : columns) {
        name += '_';
        name += c;
    }
    if (!suffix.empty()) {
        name += '_';
        name += suffix;
    }
    return fit_identifier(std::move(name));
}
}  // namespace detail

inline std::string primary_key_name(std::string_view table) {
    return fit_identifier("pk_" + std::string{table});
}
inline std::string unique_name(std::string_view table, const std::vector<std::string>& columns) {
    return detail::join_name("uq", table, columns);
}
inline std::string index_name(std::string_view table, const std::vector<std::string>& columns) {
    return detail::join_name("ix", table, columns);
}
inline std::string foreign_key_name(std::string_view table, const std::vector<std::string>& columns,
                                    std::string_view referenced_table) {
    return detail::join_name("fk", table, columns, referenced_table);
}
inline std::string check_name(std::string_view table, std::string_view column,
                              std::string_view suffix = {}) {
    return detail::join_name("ck", table, {std::string{column}}, suffix);
}

}  // namespace retort::schema
