// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Columns of a type retort does not write (postgres_type<"inet">, or a live column's own
// spelling): PostgreSQL's way of printing a type, so that two spellings of one type compare
// equal wherever schemas are compared (live databases, snapshots, revisions), and the same
// schema as SQLite stores it, without them.

#include <retort/schema/schema.hpp>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <utility>

namespace retort::migrate {

namespace detail::postgres_introspect {

inline bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

inline bool is_integer_text(std::string_view s) {
    if (!s.empty() && s.front() == '-') s.remove_prefix(1);
    if (s.empty() || s.size() > 18) return false;  // 18 digits always fit a long long
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

/// A type spelling as format_type() prints it, so that a model's postgres_type<"INT4">,
/// <"varchar(20)"> or <"numeric(12, 2)"> compares equal to the live column: unquoted words
/// lowercased, spaces only between words, the aliases PostgreSQL accepts replaced by the names
/// it prints, and `public.` dropped (format_type qualifies only types off the search path).
inline std::string canonical_type_spelling(std::string_view spelling) {
    std::string out;
    bool quoted = false, space = false;
    for (char ch : spelling) {
        if (ch == '"') quoted = !quoted;
        if (!quoted && std::isspace(static_cast<unsigned char>(ch))) {
            space = !out.empty();
            continue;
        }
        const bool word = std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '"';
        if (space && word && !out.empty() &&
            (std::isalnum(static_cast<unsigned char>(out.back())) || out.back() == '_' ||
             out.back() == '"' || out.back() == ')'))
            out += ' ';
        space = false;
        out += quoted || ch == '"' ? ch : static_cast<char>(std::tolower(ch));
    }
    for (std::string_view schema : {"public.", "\"public\".", "pg_catalog."})
        if (starts_with(out, schema)) out.erase(0, schema.size());
    // Array bounds are not part of the type: integer[3] and int4[][] are integer[].
    if (const std::size_t bracket = out.find('['); bracket != std::string::npos) {
        std::size_t after = out.find(']', out.rfind('['));
        out = out.substr(0, bracket) + "[]" +
              (after == std::string::npos ? std::string{} : out.substr(after + 1));
    }
    // The base name ends at a typmod, an array suffix, or " with"/" without" (time zones).
    std::size_t end = out.find_first_of("([");
    if (end == std::string::npos) end = out.size();
    std::size_t zone = out.find(" with");
    if (zone != std::string::npos && zone < end) end = zone;
    const std::string base = out.substr(0, end);
    std::string rest = out.substr(end);
    static constexpr std::pair<std::string_view, std::string_view> aliases[] = {
        {"int", "integer"},
        {"int4", "integer"},
        {"int2", "smallint"},
        {"int8", "bigint"},
        {"serial", "integer"},
        {"serial4", "integer"},
        {"smallserial", "smallint"},
        {"serial2", "smallint"},
        {"bigserial", "bigint"},
        {"serial8", "bigint"},
        {"float4", "real"},
        {"float8", "double precision"},
        {"float", "double precision"},
        {"bool", "boolean"},
        {"varchar", "character varying"},
        {"char varying", "character varying"},
        {"char", "character"},
        {"decimal", "numeric"},
        {"dec", "numeric"},
        {"varbit", "bit varying"},
        {"timestamptz", "timestamp with time zone"},
        {"timetz", "time with time zone"}};
    std::string name = base;
    for (const auto& [alias, printed] : aliases)
        if (base == alias) name = printed;
    if (rest.find(" with") != std::string::npos) return name + rest;  // as format_type writes
    // A zone goes between the typmod and an array suffix: timestamp(3) without time zone[].
    const std::size_t array = std::min(rest.find('['), rest.size());
    std::string typmod = rest.substr(0, array);
    const std::string suffix = rest.substr(array);
    // float(p) is real up to 24 bits of precision, double precision above.
    if (base == "float" && typmod.size() > 2) {
        const std::string digits = typmod.substr(1, typmod.size() - 2);
        if (is_integer_text(digits) && std::stoul(digits) <= 24) name = "real";
        typmod.clear();
    }
    // The typmods PostgreSQL fills in: character and bit hold one, numeric(p) no fraction.
    if ((name == "character" || name == "bit") && typmod.empty()) typmod = "(1)";
    if (name == "numeric" && !typmod.empty() && typmod.find(',') == std::string::npos)
        typmod.insert(typmod.size() - 1, ",0");
    const std::size_t with = name.find(" with");
    if (with != std::string::npos)  // timestamptz, timetz
        return name.substr(0, with) + typmod + name.substr(with) + suffix;
    if (name == "timestamp" || name == "time") return name + typmod + " without time zone" + suffix;
    return name + typmod + suffix;
}

}  // namespace detail::postgres_introspect

/// `db` with each native type spelled as PostgreSQL prints it (canonical_type_spelling).
inline schema::database with_canonical_native_types(schema::database db) {
    for (auto& t : db.tables)
        for (auto& c : t.columns)
            if (!c.native_type.empty())
                c.native_type = detail::postgres_introspect::canonical_type_spelling(c.native_type);
    return db;
}

/// A models' schema without postgres_type spellings: SQLite stores each such column as its
/// field's type (dialect::sqlite::type_name), and its introspection has no native types. A
/// native enum's column is plain TEXT here, without the CHECK a RETORT_ENUM has (from_model
/// writes none for it): its values are checked where they are read, by the C++ enum.
inline schema::database without_native_types(schema::database db) {
    for (auto& t : db.tables) {
        // SQLite's indexes are b-trees over the columns' collations: no methods, no classes.
        for (auto& ix : t.indexes) {
            ix.method.clear();
            ix.operator_classes.clear();
        }
        for (auto& c : t.columns) {
            if (c.native_type.empty()) continue;
            c.native_type.clear();
            if (c.type == logical_type::enumeration) {
                c.type = logical_type::text;
                c.enum_values.clear();
            }
        }
    }
    return db;
}

}  // namespace retort::migrate
