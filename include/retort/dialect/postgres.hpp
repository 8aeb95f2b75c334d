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

    static constexpr std::string_view begin_sql = "BEGIN";

    static void placeholder(std::string& out, int index) {
        out += '$';
        out += std::to_string(index);
    }

    /// After a placeholder bound to a postgres_type column: the server converts the value
    /// (text, an integer...) to the column's type, so `inet = $1` and inserts work. `array`:
    /// the parameter is a list of such values (`= ANY($1)`).
    static void cast_parameter(std::string& out, std::string_view postgres_type, bool array) {
        if (postgres_type.empty()) return;
        out += "::";
        out += postgres_type;
        if (array) out += "[]";
    }

    /// After a postgres_type column in a select list: read back as the field's own type
    /// (a native enum as text), which the driver reads. Not the types the driver reads into
    /// text itself (driver/postgres/detail/network_codec.hpp): `inet::text` would add a /32.
    static void cast_result(std::string& out, std::string_view postgres_type, logical_type as) {
        if (postgres_type.empty()) return;
        if (as == logical_type::text || as == logical_type::text_array)
            for (std::string_view decoded : {"inet", "cidr", "macaddr", "macaddr8", "uuid"})
                if (same_type_word(postgres_type, decoded, as == logical_type::text_array)) return;
        schema::column c;
        c.type = as;
        out += "::";
        out += type_name(c);
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

    /// `spelling` is `word` (or `word[]` for an array), in any case, spaces aside.
    static bool same_type_word(std::string_view spelling, std::string_view word, bool array) {
        std::string s;
        for (char c : spelling)
            if (c != ' ' && c != '\t') s += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
        return s == std::string(word) + (array ? "[]" : "");
    }

    static constexpr bool enforces_max_length = true;

    static std::string_view integer_cast_type() { return "bigint"; }
    static std::string_view float_cast_type() { return "double precision"; }
};

}  // namespace retort::dialect
