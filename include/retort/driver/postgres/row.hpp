// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// One row of a result, valid only inside the on_row callback. Results come in binary format.
//
// get<T> checks the column's type OID and reads what fits T: any integer width into any
// integer type (range-checked, numeric too when it is an exact integer), real/double/integer/
// numeric into float and double, text/varchar/char/name into std::string, and inet/cidr/
// macaddr/macaddr8/uuid/tsvector as the text PostgreSQL prints for them, bytea into blob,
// timestamptz into timestamp, timestamp (without time zone) into local_timestamp, date into
// date, json/jsonb into json, and one-dimensional arrays of text-like or integer types into the
// vectors. Anything else is a programming_error naming the column and its type. The two
// timestamp types do not cross: a wall time is not an instant until someone names its zone,
// which is for the SQL to do (`AT TIME ZONE`), not for a guess here.

#include <retort/driver/detail/column_errors.hpp>
#include <retort/driver/postgres/detail/array_codec.hpp>
#include <retort/driver/postgres/detail/big_endian.hpp>
#include <retort/driver/postgres/detail/binary_reader.hpp>
#include <retort/driver/postgres/detail/network_codec.hpp>
#include <retort/driver/postgres/detail/numeric_codec.hpp>
#include <retort/driver/postgres/detail/oids.hpp>
#include <retort/driver/postgres/detail/text_search_codec.hpp>
#include <retort/driver/postgres/detail/time_codec.hpp>
#include <retort/driver/postgres/detail/type_registry.hpp>
#include <retort/error.hpp>
#include <retort/schema/types.hpp>

#include <libpq-fe.h>

#include <bit>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace retort::driver::postgres {

class row {
public:
    /// `types`: what the connection knows of the database's own types (enums, citext); none
    /// are read without it.
    row(const PGresult* result, int index, const detail::type_registry* types = nullptr) noexcept
        : result_(result), index_(index), size_(PQnfields(result)), types_(types) {}

    int size() const noexcept { return size_; }

    bool is_null(int column) const {
        check_column(column);
        return PQgetisnull(result_, index_, column) == 1;
    }

    /// Reads a non-NULL column; programming_error naming the column when the value does not fit T.
    template <class T>
    T get(int column) const {
        static_assert(storage_type<T>,
                      "retort: row::get reads storage types only (see retort::storage_traits)");
        check_column(column);
        // A NULL has length 0 in libpq, so only an empty value needs the NULL test.
        const int length = PQgetlength(result_, index_, column);
        if (length == 0 && PQgetisnull(result_, index_, column) == 1)
            throw_unreadable(column, logical_type_of<T>(), "it is NULL");
        const char* data = PQgetvalue(result_, index_, column);
        const Oid type = PQftype(result_, column);
        // The common exact matches skip the general reader (measured: a scan's hot path).
        if constexpr (std::is_same_v<T, std::int64_t>) {
            if (type == detail::int8_oid && length == 8)
                return static_cast<std::int64_t>(detail::load_big_endian<std::uint64_t>(data));
        } else if constexpr (std::is_same_v<T, double>) {
            if (type == detail::float8_oid && length == 8)
                return std::bit_cast<double>(detail::load_big_endian<std::uint64_t>(data));
        } else if constexpr (std::is_same_v<T, std::int32_t>) {
            if (type == detail::int4_oid && length == 4)
                return static_cast<std::int32_t>(detail::load_big_endian<std::uint32_t>(data));
        } else if constexpr (std::is_same_v<T, std::string>) {
            if (type == detail::text_oid || type == detail::varchar_oid)
                return std::string(data, static_cast<std::size_t>(length));
        }
        const std::string_view bytes{data, static_cast<std::size_t>(length)};
        try {
            return read(column, type, bytes, std::type_identity<T>{});
        } catch (const detail::decode_error& e) {
            throw_unreadable(column, logical_type_of<T>(), e.what());
        }
    }

    std::string_view column_name(int column) const {
        check_column(column);
        const char* name = PQfname(result_, column);
        return name != nullptr ? name : "";
    }

    /// The column's type OID, as the server reported it.
    Oid column_type(int column) const {
        check_column(column);
        return PQftype(result_, column);
    }

    const PGresult* native_handle() const noexcept { return result_; }

private:
    void check_column(int column) const {
        if (column < 0 || column >= size_) [[unlikely]]
            driver::detail::throw_no_such_column(column, size_);
    }

    [[noreturn]] void throw_unreadable(int column, logical_type wanted,
                                       std::string_view why) const {
        driver::detail::throw_unreadable_column(column_name(column), wanted, why);
    }

    /// "its type is text (OID 25)", then `advice` when there is some.
    [[noreturn]] void throw_mismatch(int column, Oid type, logical_type wanted,
                                     std::string_view advice = {}) const {
        std::string_view name = detail::type_name(type);
        if (const auto* known = types_ ? types_->find(type) : nullptr) name = known->name;
        std::string why = "its type is ";
        why += name.empty() ? "unsupported" : name;
        why += " (OID ";
        why += std::to_string(type);
        why += ')';
        why += advice;
        throw_unreadable(column, wanted, why);
    }

    // Any integer the server sends, before the range check for the wanted width.
    std::int64_t read_integer(int column, Oid type, std::string_view bytes,
                              logical_type wanted) const {
        detail::binary_reader in{bytes};
        std::int64_t value = 0;
        switch (type) {
        case detail::int2_oid: value = in.int16(); break;
        case detail::int4_oid: value = in.int32(); break;
        case detail::int8_oid: value = in.int64(); break;
        case detail::numeric_oid: return detail::numeric_to_int64(bytes);
        default: throw_mismatch(column, type, wanted);
        }
        in.expect_end();
        return value;
    }

    template <std::integral T>
        requires(!std::same_as<T, bool>)
    T read(int column, Oid type, std::string_view bytes, std::type_identity<T>)
    const {
        constexpr logical_type wanted = logical_type_of<T>();
        const std::int64_t value = read_integer(column, type, bytes, wanted);
        if (!std::in_range<T>(value))
            throw_unreadable(column, wanted, std::to_string(value) + " is out of range");
        return static_cast<T>(value);
    }

    bool read(int column, Oid type, std::string_view bytes, std::type_identity<bool>) const {
        if (type != detail::bool_oid) throw_mismatch(column, type, logical_type::boolean);
        detail::binary_reader in{bytes};
        const bool value = in.bytes(1)[0] != 0;
        in.expect_end();
        return value;
    }

    // Any number the server sends, as a double.
    double read_real(int column, Oid type, std::string_view bytes, logical_type wanted) const {
        detail::binary_reader in{bytes};
        double value = 0;
        switch (type) {
        case detail::float8_oid: value = std::bit_cast<double>(in.uint64()); break;
        case detail::float4_oid: value = std::bit_cast<float>(in.uint32()); break;
        case detail::int2_oid: value = in.int16(); break;
        case detail::int4_oid: value = in.int32(); break;
        case detail::int8_oid: value = static_cast<double>(in.int64()); break;
        case detail::numeric_oid: return detail::numeric_to_double(bytes);
        default: throw_mismatch(column, type, wanted);
        }
        in.expect_end();
        return value;
    }

    double read(int column, Oid type, std::string_view bytes, std::type_identity<double>) const {
        return read_real(column, type, bytes, logical_type::float64);
    }

    float read(int column, Oid type, std::string_view bytes, std::type_identity<float>) const {
        const double value = read_real(column, type, bytes, logical_type::float32);
        if (std::isfinite(value) && std::fabs(value) > std::numeric_limits<float>::max())
            throw_unreadable(column, logical_type::float32,
                             std::to_string(value) + " is out of range");
        return static_cast<float>(value);
    }

    std::string read(int column, Oid type, std::string_view bytes,
                     std::type_identity<std::string>) const {
        if (type == detail::text_oid || type == detail::varchar_oid || type == detail::bpchar_oid ||
            type == detail::name_oid)
            return std::string(bytes);
        if (detail::is_decoded_to_text(type)) return detail::text_of_binary(type, bytes);
        if (type == detail::numeric_oid) return detail::numeric_to_text(bytes);
        if (type == detail::interval_oid) return detail::interval_to_text(bytes);
        if (type == detail::tsvector_oid) return detail::tsvector_to_text(bytes);
        if (types_ && types_->reads_as_text(type)) return std::string(bytes);
        throw_mismatch(column, type, logical_type::text, ": select it ::text");
    }

    blob read(int column, Oid type, std::string_view bytes, std::type_identity<blob>) const {
        if (type != detail::bytea_oid) throw_mismatch(column, type, logical_type::blob);
        blob value(bytes.size());
        if (!bytes.empty()) std::memcpy(value.data(), bytes.data(), bytes.size());
        return value;
    }

    timestamp read(int column, Oid type, std::string_view bytes,
                   std::type_identity<timestamp>) const {
        if (type == detail::timestamp_oid)
            throw_mismatch(column, type, logical_type::timestamp,
                           ": read it into retort::local_timestamp, or select it AT TIME "
                           "ZONE '<its zone>' to make it a timestamptz");
        if (type != detail::timestamptz_oid) throw_mismatch(column, type, logical_type::timestamp);
        detail::binary_reader in{bytes};
        const std::int64_t micros = in.int64();
        in.expect_end();
        return detail::from_postgres_micros(micros);
    }

    local_timestamp read(int column, Oid type, std::string_view bytes,
                         std::type_identity<local_timestamp>) const {
        if (type == detail::timestamptz_oid)
            throw_mismatch(column, type, logical_type::local_timestamp,
                           ", a point in time: read it into retort::timestamp, or select it "
                           "AT TIME ZONE '<a zone>' for the wall time there");
        if (type != detail::timestamp_oid)
            throw_mismatch(column, type, logical_type::local_timestamp);
        detail::binary_reader in{bytes};
        const std::int64_t micros = in.int64();
        in.expect_end();
        return detail::from_postgres_local_micros(micros);
    }

    date read(int column, Oid type, std::string_view bytes, std::type_identity<date>) const {
        if (type != detail::date_oid) throw_mismatch(column, type, logical_type::date);
        detail::binary_reader in{bytes};
        const std::int32_t days = in.int32();
        in.expect_end();
        return detail::from_postgres_days(days);
    }

    json read(int column, Oid type, std::string_view bytes, std::type_identity<json>) const {
        if (type == detail::json_oid) return json{std::string(bytes)};
        if (type != detail::jsonb_oid) throw_mismatch(column, type, logical_type::json);
        if (bytes.empty() || bytes[0] != 1)
            throw detail::decode_error("the jsonb value has an unknown format version");
        return json{std::string(bytes.substr(1))};
    }

    std::vector<std::string> read(int column, Oid type, std::string_view bytes,
                                  std::type_identity<std::vector<std::string>>) const {
        if (type != detail::text_array_oid && type != detail::varchar_array_oid &&
            type != detail::bpchar_array_oid && type != detail::name_array_oid &&
            !detail::is_decoded_to_text_array(type) &&
            !(types_ && types_->reads_as_text_array(type)))
            throw_mismatch(column, type, logical_type::text_array, ": select it ::text[]");
        return detail::read_text_array(bytes, types_);
    }

    std::vector<std::int64_t> read(int column, Oid type, std::string_view bytes,
                                   std::type_identity<std::vector<std::int64_t>>) const {
        if (type != detail::int8_array_oid && type != detail::int4_array_oid &&
            type != detail::int2_array_oid)
            throw_mismatch(column, type, logical_type::int_array);
        return detail::read_integer_array(bytes);
    }

    const PGresult* result_;
    int index_;
    int size_;
    const detail::type_registry* types_;
};

}  // namespace retort::driver::postgres
