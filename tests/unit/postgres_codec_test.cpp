// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// The binary tsvector decoder on bytes made by hand: the text it prints (checked against the
// server itself in the integration tests), and a clear refusal of a value that ends early or
// runs on.

#include <retort/driver/postgres/detail/text_search_codec.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace {

using retort::driver::postgres::detail::decode_error;
using retort::driver::postgres::detail::tsvector_to_text;

void put16(std::string& out, std::uint16_t v) {
    out += static_cast<char>(v >> 8);
    out += static_cast<char>(v & 0xff);
}

void put32(std::string& out, std::int32_t v) {
    const auto u = static_cast<std::uint32_t>(v);
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((u >> shift) & 0xff);
}

/// One lexeme as tsvector_send writes it.
void lexeme(std::string& out, std::string_view text, std::initializer_list<std::uint16_t> pos) {
    out.append(text);
    out += '\0';
    put16(out, static_cast<std::uint16_t>(pos.size()));
    for (auto p : pos) put16(out, p);
}

}  // namespace

TEST_CASE("a binary tsvector prints as tsvectorout prints it", "[unit][driver]") {
    std::string empty;
    put32(empty, 0);
    CHECK(tsvector_to_text(empty) == "");

    std::string v;
    put32(v, 3);
    lexeme(v, "a", {1 | (3u << 14), 2 | (2u << 14), 3 | (1u << 14), 4});
    lexeme(v, "it's", {});
    lexeme(v, "back\\slash", {0x3fff});
    CHECK(tsvector_to_text(v) == R"('a':1A,2B,3C,4 'it''s' 'back\\slash':16383)");
}

TEST_CASE("a malformed binary tsvector is refused", "[unit][driver]") {
    std::string negative;
    put32(negative, -1);
    CHECK_THROWS_AS(tsvector_to_text(negative), decode_error);

    std::string unterminated;
    put32(unterminated, 1);
    unterminated += "abc";  // no NUL
    CHECK_THROWS_AS(tsvector_to_text(unterminated), decode_error);

    std::string short_positions;
    put32(short_positions, 1);
    lexeme(short_positions, "a", {1, 2});
    short_positions.pop_back();
    CHECK_THROWS_AS(tsvector_to_text(short_positions), decode_error);

    std::string trailing;
    put32(trailing, 1);
    lexeme(trailing, "a", {});
    trailing += 'x';
    CHECK_THROWS_AS(tsvector_to_text(trailing), decode_error);

    CHECK_THROWS_AS(tsvector_to_text(""), decode_error);
}
