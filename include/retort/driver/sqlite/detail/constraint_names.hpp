// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The name of the rule a SQLite unique violation broke. SQLite's message gives only the
// columns ("UNIQUE constraint failed: t.a, t.b"), so the name is read from the live schema, on
// the connection that failed, right after the failure:
//  - a primary key: the name its CONSTRAINT clause gives it, else the convention's pk_<table>;
//  - otherwise the first unique index over exactly those columns (PRAGMA index_list and
//    index_info, in SQLite's order, which is the order it checks them in): a CREATE UNIQUE
//    INDEX by its own name; a UNIQUE constraint's sqlite_autoindex_* by the name its
//    CONSTRAINT clause gives it, else the convention's uq_<table>_<cols>.
// These are the names PostgreSQL reports for tables retort created, and the names retort's
// introspection gives any table. An index over expressions, which SQLite names itself, gets
// its table. The queries only read; a failure leaves the name empty.

#include <retort/driver/sqlite/detail/declared_keys.hpp>
#include <retort/schema/naming.hpp>

#include <sqlite3.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retort::driver::sqlite::detail {

/// One read-only query on the failed statement's connection, outside the statement cache
/// (and so outside logging and statement timing): it is part of reporting the error.
class schema_query {
public:
    schema_query(sqlite3* db, const char* sql) noexcept {
        if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
            sqlite3_finalize(stmt_);
            stmt_ = nullptr;
        }
    }
    schema_query(const schema_query&) = delete;
    schema_query& operator=(const schema_query&) = delete;
    ~schema_query() { sqlite3_finalize(stmt_); }

    schema_query& bind(int index, std::string_view text) noexcept {
        if (stmt_ != nullptr &&
            sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                              SQLITE_TRANSIENT) != SQLITE_OK) {
            sqlite3_finalize(stmt_);
            stmt_ = nullptr;
        }
        return *this;
    }
    bool next() noexcept { return stmt_ != nullptr && sqlite3_step(stmt_) == SQLITE_ROW; }
    std::string text(int column) const {
        const auto* value = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
        return value != nullptr ? value : "";
    }

private:
    sqlite3_stmt* stmt_ = nullptr;
};

inline bool same_columns(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!same_name(a[i], b[i])) return false;
    return true;
}

/// The schema ("temp" or "main", searched in SQLite's order) and CREATE TABLE text of `table`.
inline std::pair<std::string, std::string> table_definition(sqlite3* db, std::string_view table) {
    schema_query q(db, "SELECT 'temp', sql FROM sqlite_temp_schema WHERE type = 'table' AND "
                       "name = ?1 UNION ALL SELECT 'main', sql FROM main.sqlite_schema "
                       "WHERE type = 'table' AND name = ?1");
    if (!q.bind(1, table).next()) return {};
    return {q.text(0), q.text(1)};
}

/// The table of index `index` (SQLite names only the index when it is over expressions).
inline std::string table_of_index(sqlite3* db, std::string_view index) noexcept {
    try {
        schema_query q(db, "SELECT tbl_name FROM sqlite_temp_schema WHERE type = 'index' AND "
                           "name = ?1 UNION ALL SELECT tbl_name FROM main.sqlite_schema "
                           "WHERE type = 'index' AND name = ?1");
        if (q.bind(1, index).next()) return q.text(0);
    } catch (...) {
    }
    return {};
}

/// The name of the UNIQUE or PRIMARY KEY rule of `table` over exactly `columns` (as SQLite's
/// message lists them) that a violation broke; empty when it cannot be told.
inline std::string violated_key_name(sqlite3* db, std::string_view table,
                                     const std::vector<std::string>& columns,
                                     bool primary_key) noexcept {
    try {
        const auto [schema_name, create_sql] = table_definition(db, table);
        if (create_sql.empty()) return {};
        const std::vector<declared_key> keys = declared_keys(create_sql);
        const auto declared_name = [&](bool primary, const std::vector<std::string>& cols) {
            for (const auto& k : keys)
                if (k.primary == primary && (primary || same_columns(k.columns, cols)))
                    return k.name;
            return std::string{};
        };
        const auto key_name = [&] {
            std::string name = declared_name(true, columns);
            return name.empty() ? schema::primary_key_name(table) : name;
        };
        if (primary_key) return key_name();

        schema_query indexes(db, "SELECT name, origin FROM pragma_index_list(?1, ?2) "
                                 "WHERE \"unique\" ORDER BY seq");
        indexes.bind(1, table).bind(2, schema_name);
        while (indexes.next()) {
            const std::string index = indexes.text(0), origin = indexes.text(1);
            std::vector<std::string> indexed;
            schema_query info(db, "SELECT name FROM pragma_index_info(?1, ?2) ORDER BY seqno");
            info.bind(1, index).bind(2, schema_name);
            while (info.next()) indexed.push_back(info.text(0));
            if (!same_columns(indexed, columns)) continue;
            if (origin == "c") return index;
            if (origin == "pk") return key_name();
            std::string name = declared_name(false, indexed);
            return name.empty() ? schema::unique_name(table, indexed) : name;
        }
    } catch (...) {  // out of memory while naming: the error is still reported, unnamed
    }
    return {};
}

}  // namespace retort::driver::sqlite::detail
