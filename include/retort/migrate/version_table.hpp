// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The version table, `retort_version`: one row per applied revision, with its place in the
// history, the checksum of its file when it was applied, when, how (upgrade or stamp), and the
// hash of the models it brought the database to (set only when that revision's schema is
// exactly the models').

#include <retort/dialect/ddl.hpp>
#include <retort/session/session.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace retort::migrate {

inline constexpr std::string_view version_table = "retort_version";

struct applied_revision {
    std::string id;
    std::int64_t position = 0;  // 1 for the first revision of the history
    std::string checksum;
    std::string applied_at;   // as the database prints it
    std::string how;          // "upgrade" or "stamp"
    std::string models_hash;  // empty unless the revision's schema equals the models
};

template <class Backend>
std::string create_version_table_sql() {
    const bool pg = std::is_same_v<Backend, retort::postgres>;
    return std::string{"CREATE TABLE IF NOT EXISTS "} + schema::quote_identifier(version_table) +
           " (\n    \"revision\" " + (pg ? "text" : "TEXT") +
           " NOT NULL PRIMARY KEY,\n    \"position\" " + (pg ? "integer" : "INTEGER") +
           " NOT NULL,\n    \"checksum\" " + (pg ? "text" : "TEXT") +
           " NOT NULL,\n    \"applied_at\" " +
           (pg ? "timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP"
               : "TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP") +
           ",\n    \"how\" " + (pg ? "text" : "TEXT") + " NOT NULL,\n    \"models_hash\" " +
           (pg ? "text" : "TEXT") + "\n)";
}

template <class Backend>
std::string insert_version_sql(std::string_view id, std::size_t position, std::string_view checksum,
                               std::string_view how, std::string_view models_hash) {
    return "INSERT INTO " + schema::quote_identifier(version_table) +
           " (\"revision\", \"position\", \"checksum\", \"how\", \"models_hash\") VALUES (" +
           dialect::quote_literal(id) + ", " + std::to_string(position) + ", " +
           dialect::quote_literal(checksum) + ", " + dialect::quote_literal(how) + ", " +
           (models_hash.empty() ? std::string{"NULL"} : dialect::quote_literal(models_hash)) + ")";
}

inline std::string delete_version_sql(std::string_view id) {
    return "DELETE FROM " + schema::quote_identifier(version_table) +
           " WHERE \"revision\" = " + dialect::quote_literal(id);
}

template <class Backend>
bool version_table_exists(basic_session<Backend>& s) {
    return s.table_exists(version_table);
}

/// The rows of the version table, by position; none when it does not exist.
template <class Backend>
std::vector<applied_revision> read_applied(basic_session<Backend>& s) {
    std::vector<applied_revision> out;
    if (!version_table_exists(s)) return out;
    for (auto& [id, position, checksum, at, how, hash] :
         s.template query<std::string, std::int64_t, std::string, std::string, std::string,
                          std::optional<std::string>>(
             "SELECT \"revision\", \"position\", \"checksum\", CAST(\"applied_at\" AS TEXT), "
             "\"how\", \"models_hash\" FROM \"retort_version\" ORDER BY \"position\""))
        out.push_back({std::move(id), position, std::move(checksum), std::move(at), std::move(how),
                       hash.value_or("")});
    return out;
}

}  // namespace retort::migrate
