// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The type OIDs of the built-in types the driver binds and reads. Built-in OIDs are fixed by
// PostgreSQL's catalog (pg_type.dat), so they need no lookup.

#include <retort/schema/types.hpp>

#include <libpq-fe.h>

#include <string_view>

namespace retort::driver::postgres::detail {

inline constexpr Oid bool_oid = 16;
inline constexpr Oid bytea_oid = 17;
inline constexpr Oid name_oid = 19;
inline constexpr Oid int8_oid = 20;
inline constexpr Oid int2_oid = 21;
inline constexpr Oid int4_oid = 23;
inline constexpr Oid text_oid = 25;
inline constexpr Oid json_oid = 114;
inline constexpr Oid float4_oid = 700;
inline constexpr Oid float8_oid = 701;
inline constexpr Oid bpchar_oid = 1042;
inline constexpr Oid varchar_oid = 1043;
inline constexpr Oid date_oid = 1082;
inline constexpr Oid timestamp_oid = 1114;
inline constexpr Oid timestamptz_oid = 1184;
inline constexpr Oid numeric_oid = 1700;
inline constexpr Oid jsonb_oid = 3802;
inline constexpr Oid name_array_oid = 1003;
inline constexpr Oid int2_array_oid = 1005;
inline constexpr Oid int4_array_oid = 1007;
inline constexpr Oid text_array_oid = 1009;
inline constexpr Oid bpchar_array_oid = 1014;
inline constexpr Oid varchar_array_oid = 1015;
inline constexpr Oid int8_array_oid = 1016;
// Read into std::string by network_codec.hpp.
inline constexpr Oid cidr_oid = 650;
inline constexpr Oid cidr_array_oid = 651;
inline constexpr Oid macaddr8_oid = 774;
inline constexpr Oid macaddr8_array_oid = 775;
inline constexpr Oid macaddr_oid = 829;
inline constexpr Oid inet_oid = 869;
inline constexpr Oid macaddr_array_oid = 1040;
inline constexpr Oid inet_array_oid = 1041;
inline constexpr Oid uuid_oid = 2950;
inline constexpr Oid uuid_array_oid = 2951;
inline constexpr Oid interval_oid = 1186;
// Read into std::string by text_search_codec.hpp.
inline constexpr Oid tsvector_oid = 3614;

/// The OID a value of `type` is bound with (enumerations travel as text).
constexpr Oid oid_of(logical_type type) noexcept {
    switch (type) {
    case logical_type::boolean: return bool_oid;
    case logical_type::int16: return int2_oid;
    case logical_type::int32: return int4_oid;
    case logical_type::int64: return int8_oid;
    case logical_type::float32: return float4_oid;
    case logical_type::float64: return float8_oid;
    case logical_type::blob: return bytea_oid;
    case logical_type::timestamp: return timestamptz_oid;
    case logical_type::local_timestamp: return timestamp_oid;
    case logical_type::date: return date_oid;
    case logical_type::json: return jsonb_oid;
    case logical_type::text_array: return text_array_oid;
    case logical_type::int_array: return int8_array_oid;
    case logical_type::text:
    case logical_type::enumeration: break;
    }
    return text_oid;
}

/// The type's SQL name for messages; empty for a type the driver does not know.
constexpr std::string_view type_name(Oid oid) noexcept {
    switch (oid) {
    case bool_oid: return "boolean";
    case bytea_oid: return "bytea";
    case name_oid: return "name";
    case int8_oid: return "bigint";
    case int2_oid: return "smallint";
    case int4_oid: return "integer";
    case text_oid: return "text";
    case json_oid: return "json";
    case float4_oid: return "real";
    case float8_oid: return "double precision";
    case bpchar_oid: return "character";
    case varchar_oid: return "character varying";
    case date_oid: return "date";
    case timestamp_oid: return "timestamp without time zone";
    case timestamptz_oid: return "timestamptz";
    case numeric_oid: return "numeric";
    case jsonb_oid: return "jsonb";
    case name_array_oid: return "name[]";
    case int2_array_oid: return "smallint[]";
    case int4_array_oid: return "integer[]";
    case text_array_oid: return "text[]";
    case bpchar_array_oid: return "character[]";
    case varchar_array_oid: return "character varying[]";
    case int8_array_oid: return "bigint[]";
    case cidr_oid: return "cidr";
    case macaddr8_oid: return "macaddr8";
    case macaddr_oid: return "macaddr";
    case inet_oid: return "inet";
    case uuid_oid: return "uuid";
    case interval_oid: return "interval";
    case tsvector_oid: return "tsvector";
    case cidr_array_oid: return "cidr[]";
    case macaddr8_array_oid: return "macaddr8[]";
    case macaddr_array_oid: return "macaddr[]";
    case inet_array_oid: return "inet[]";
    case uuid_array_oid: return "uuid[]";
    default: return {};
    }
}

}  // namespace retort::driver::postgres::detail
