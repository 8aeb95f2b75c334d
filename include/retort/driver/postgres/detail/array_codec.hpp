// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// One-dimensional arrays in PostgreSQL's binary form:
//   int32 ndim, int32 has_nulls, uint32 element type, then per dimension int32 size and
//   int32 lower bound, then per element int32 length (-1 for NULL) and its bytes.
// An empty array has ndim 0 and no dimensions.

#include <retort/driver/postgres/detail/big_endian.hpp>
#include <retort/driver/postgres/detail/binary_reader.hpp>
#include <retort/driver/postgres/detail/network_codec.hpp>
#include <retort/driver/postgres/detail/oids.hpp>
#include <retort/driver/postgres/detail/parameters.hpp>
#include <retort/driver/postgres/detail/type_registry.hpp>
#include <retort/error.hpp>

#include <libpq-fe.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace retort::driver::postgres::detail {

inline void write_array_header(char* out, Oid element_type, std::size_t count) {
    if (count > static_cast<std::size_t>(INT_MAX))
        throw programming_error("retort: the array has more elements than PostgreSQL accepts");
    const bool empty = count == 0;
    store_big_endian(out, std::uint32_t{empty ? 0u : 1u});  // ndim
    store_big_endian(out + 4, std::uint32_t{0});            // no NULL elements
    store_big_endian(out + 8, std::uint32_t{element_type});
    if (!empty) {
        store_big_endian(out + 12, static_cast<std::uint32_t>(count));
        store_big_endian(out + 16, std::uint32_t{1});  // lower bound
    }
}

inline std::size_t array_header_size(std::size_t count) noexcept {
    return count == 0 ? 12 : 20;
}

inline void add_text_array(parameters& params, const std::vector<std::string>& values) {
    std::size_t size = array_header_size(values.size());
    for (const auto& value : values) size += 4 + value.size();
    char* out = params.add(text_array_oid, size);
    write_array_header(out, text_oid, values.size());
    out += array_header_size(values.size());
    for (const auto& value : values) {
        if (value.size() > static_cast<std::size_t>(INT_MAX))
            throw programming_error("retort: an array element is larger than PostgreSQL accepts");
        store_big_endian(out, static_cast<std::uint32_t>(value.size()));
        if (!value.empty()) std::memcpy(out + 4, value.data(), value.size());
        out += 4 + value.size();
    }
}

inline void add_int8_array(parameters& params, const std::vector<std::int64_t>& values) {
    const std::size_t header = array_header_size(values.size());
    char* out = params.add(int8_array_oid, header + values.size() * 12);
    write_array_header(out, int8_oid, values.size());
    out += header;
    for (const auto value : values) {
        store_big_endian(out, std::uint32_t{8});
        store_big_endian(out + 4, static_cast<std::uint64_t>(value));
        out += 12;
    }
}

// Reads the header and calls read_element(bytes) for each element, in order.
template <class ReadElement>
void read_array(std::string_view bytes, bool (*element_type_ok)(Oid), ReadElement&& read_element) {
    binary_reader in{bytes};
    const std::int32_t dimensions = in.int32();
    in.int32();  // has_nulls: NULL elements are refused one by one below
    const Oid element_type = in.uint32();
    if (!element_type_ok(element_type)) throw decode_error("the array's element type does not fit");
    if (dimensions == 0) {
        in.expect_end();
        return;
    }
    if (dimensions != 1) throw decode_error("only one-dimensional arrays can be read");
    const std::int32_t count = in.int32();
    in.int32();  // lower bound: retort arrays start wherever the server says
    if (count < 0) throw decode_error("the array is malformed");
    for (std::int32_t i = 0; i < count; ++i) {
        const std::int32_t length = in.int32();
        if (length < 0) throw decode_error("the array has a NULL element");
        read_element(in.bytes(static_cast<std::size_t>(length)));
    }
    in.expect_end();
}

inline bool is_text_element(Oid type) noexcept {
    return type == text_oid || type == varchar_oid || type == bpchar_oid || type == name_oid ||
           is_decoded_to_text(type);
}

inline bool is_integer_element(Oid type) noexcept {
    return type == int2_oid || type == int4_oid || type == int8_oid;
}

/// text-like elements as they are; inet, uuid... elements as their text (network_codec.hpp).
inline std::vector<std::string> read_text_array(std::string_view bytes,
                                                const type_registry* types = nullptr) {
    std::vector<std::string> values;
    const Oid element_type =
        bytes.size() >= 12 ? load_big_endian<std::uint32_t>(bytes.data() + 8) : text_oid;
    // An enum's or citext's elements are their text, as text's are.
    if (!is_text_element(element_type) && !(types && types->reads_as_text(element_type)))
        throw decode_error("the array's element type does not fit");
    read_array(
        bytes, [](Oid) { return true; },
        [&](std::string_view element) {
            if (is_decoded_to_text(element_type))
                values.push_back(text_of_binary(element_type, element));
            else
                values.emplace_back(element);
        });
    return values;
}

inline std::vector<std::int64_t> read_integer_array(std::string_view bytes) {
    std::vector<std::int64_t> values;
    read_array(bytes, is_integer_element, [&values](std::string_view element) {
        binary_reader in{element};
        switch (element.size()) {
        case 2: values.push_back(in.int16()); break;
        case 4: values.push_back(in.int32()); break;
        case 8: values.push_back(in.int64()); break;
        default: throw decode_error("the array has a malformed integer");
        }
    });
    return values;
}

}  // namespace retort::driver::postgres::detail
