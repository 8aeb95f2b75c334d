// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The PostgreSQL dialect: what differs from SQLite in SQL text, decided at compile time.

#include <retort/schema/schema.hpp>

#include <string>
#include <string_view>

namespace retort::dialect {

struct postgres {
    static constexpr std::string_view name = "postgresql";
    static constexpr bool numbered_placeholders = true;  // $1, $2, ...
    static constexpr bool supports_returning = true;
    static constexpr bool transactional_ddl = true;
    static constexpr bool offset_needs_limit = false;
    static constexpr bool supports_alter_add_constraint = true;
    static constexpr bool index_methods = true;  // CREATE INDEX ... USING gist (c inet_ops)
    // A generated column is STORED, the only kind PostgreSQL 15 has.
    static constexpr std::string_view computed_storage = " STORED";
    // CREATE TYPE ... AS ENUM, for a column whose postgres_type names one.
    static constexpr bool native_enum_types = true;
    // Every table change is an ALTER TABLE: no table is rebuilt from the schema value.
    static constexpr bool rebuilds_tables = false;

    static constexpr std::string_view begin_sql = "BEGIN";

    static void placeholder(std::string& out, int index) {
        out += '$';
        out += std::to_string(index);
    }

    static std::string type_name(const schema::column& c) {
        if (!c.native_type.empty()) return c.native_type;  // postgres_type<"inet">
        switch (c.type) {
        case logical_type::boolean: return "boolean";
        case logical_type::int16: return "smallint";
        case logical_type::int32: return "integer";
        case logical_type::int64: return "bigint";
        case logical_type::float32: return "real";
        case logical_type::float64: return "double precision";
        case logical_type::text:
            return c.max_length ? "varchar(" + std::to_string(c.max_length) + ")" : "text";
        case logical_type::blob: return "bytea";
        case logical_type::timestamp: return "timestamp with time zone";
        case logical_type::local_timestamp: return "timestamp";  // without time zone
        case logical_type::date: return "date";
        case logical_type::json: return "jsonb";
        case logical_type::text_array: return "text[]";
        case logical_type::int_array: return "bigint[]";
        case logical_type::enumeration: return "text";
        }
        return "text";
    }

    static std::string boolean_literal(bool b) { return b ? "true" : "false"; }

    static constexpr bool enforces_max_length = true;
    static constexpr bool enforces_integer_width = true;

    static std::string_view integer_cast_type() { return "bigint"; }
    static std::string_view float_cast_type() { return "double precision"; }
};

}  // namespace retort::dialect
