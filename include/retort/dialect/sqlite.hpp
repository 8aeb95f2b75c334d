// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The SQLite dialect: what differs from PostgreSQL in SQL text, decided at compile time.

#include <retort/schema/schema.hpp>

#include <string>
#include <string_view>

namespace retort::dialect {

struct sqlite {
    static constexpr std::string_view name = "sqlite";
    static constexpr bool numbered_placeholders = false;  // ?
    static constexpr bool supports_returning = true;      // since 3.35
    static constexpr bool transactional_ddl = true;
    static constexpr bool offset_needs_limit = true;
    static constexpr bool supports_alter_add_constraint = false;
    static constexpr bool index_methods = false;  // btree only
    // A generated column is VIRTUAL, the kind ALTER TABLE ADD COLUMN can add.
    static constexpr std::string_view computed_storage = "";
    // No CREATE TYPE: an enumeration is text plus a CHECK.
    static constexpr bool native_enum_types = false;
    // Most table changes rebuild the table (create, copy, drop, rename): what its DDL says
    // beyond the schema value (STRICT, COLLATE, ...) would be lost.
    static constexpr bool rebuilds_tables = true;

    static void placeholder(std::string& out, int /*index*/) { out += '?'; }

    /// IMMEDIATE takes the write lock up front: a read-then-write transaction cannot fail with
    /// SQLITE_BUSY_SNAPSHOT half-way, and waiting for the lock honours busy_timeout.
    static constexpr std::string_view begin_sql = "BEGIN IMMEDIATE";

    /// Declared types keep the logical type visible to introspection, and each one's affinity
    /// (see "Determination Of Column Affinity") stores our encodings unchanged: JSON_TEXT has
    /// TEXT affinity so '123' stays text, the others never look numeric.
    static std::string type_name(const schema::column& c) {
        if (c.autoincrement) return "INTEGER";  // AUTOINCREMENT needs exactly INTEGER PRIMARY KEY
        switch (c.type) {
        case logical_type::boolean: return "BOOLEAN";
        case logical_type::int16: return "SMALLINT";
        case logical_type::int32: return "INTEGER";
        case logical_type::int64: return "BIGINT";
        case logical_type::float32: return "FLOAT";
        case logical_type::float64: return "DOUBLE";
        case logical_type::text:
            return c.max_length ? "VARCHAR(" + std::to_string(c.max_length) + ")" : "TEXT";
        case logical_type::blob: return "BLOB";
        case logical_type::timestamp: return "TIMESTAMP";
        // What SQLAlchemy declares for a naive DateTime, so its tables and ours read alike.
        case logical_type::local_timestamp: return "DATETIME";
        case logical_type::date: return "DATE";
        case logical_type::json: return "JSON_TEXT";
        case logical_type::text_array: return "TEXT_ARRAY";
        case logical_type::int_array: return "BIGINT_ARRAY";
        case logical_type::enumeration: return "TEXT";
        }
        return "TEXT";
    }

    static std::string boolean_literal(bool b) { return b ? "1" : "0"; }

    /// SQLite does not enforce VARCHAR(N): a CHECK keeps the limit true on both backends.
    static constexpr bool enforces_max_length = false;
    /// Nor SMALLINT or INTEGER: any column with integer affinity keeps any 64-bit integer.
    static constexpr bool enforces_integer_width = false;

    /// Casts a SUM/AVG result so both dialects return the C++ type the query promised.
    static std::string_view integer_cast_type() { return "INTEGER"; }
    static std::string_view float_cast_type() { return "REAL"; }
};

}  // namespace retort::dialect
