// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// A binary tsvector as the text tsvectorout prints (tsvector.c): each lexeme quoted, with '
// and \ doubled, then its positions, each followed by its weight's letter (A, B, C; D is
// printed as nothing), lexemes separated by one space. tsvector_send writes the lexeme count,
// then per lexeme its text, a NUL, a 16-bit position count and the positions (the weight in
// the top two bits, the position in the low fourteen).

#include <retort/driver/postgres/detail/binary_reader.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace retort::driver::postgres::detail {

inline std::string tsvector_to_text(std::string_view bytes) {
    binary_reader in{bytes};
    const std::int32_t lexemes = in.int32();
    if (lexemes < 0) throw decode_error("a tsvector with a negative lexeme count");
    std::string out;
    for (std::int32_t i = 0; i < lexemes; ++i) {
        if (i) out += ' ';
        out += '\'';
        for (;;) {
            const char c = in.bytes(1)[0];
            if (c == '\0') break;
            if (c == '\'' || c == '\\') out += c;
            out += c;
        }
        out += '\'';
        const std::uint16_t positions = in.uint16();
        for (std::uint16_t p = 0; p < positions; ++p) {
            const std::uint16_t entry = in.uint16();
            out += p == 0 ? ':' : ',';
            out += std::to_string(entry & 0x3fff);
            constexpr char weights[] = {'\0', 'C', 'B', 'A'};  // by the top two bits
            if (const char w = weights[entry >> 14]) out += w;
        }
    }
    in.expect_end();
    return out;
}

}  // namespace retort::driver::postgres::detail
