// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// SQLite's extended result codes, turned into retort's exception hierarchy. The message keeps
// SQLite's own words, its code and the SQL:
//   retort: UNIQUE constraint failed: users.email (SQLite 2067) in: INSERT INTO ...
// A unique violation's constraint() is named from the live schema (constraint_names.hpp), as
// PostgreSQL names it: "uq_users_email".

#include <retort/driver/sqlite/detail/constraint_message.hpp>
#include <retort/driver/sqlite/detail/constraint_names.hpp>
#include <retort/error.hpp>

#include <sqlite3.h>

#include <string>
#include <string_view>
#include <utility>

namespace retort::driver::sqlite {

/// "retort: <message> (SQLite <code>)[ in: <sql>]"
inline std::string format_error(int code, std::string_view message, std::string_view sql) {
    std::string text = "retort: ";
    text += message;
    text += " (SQLite ";
    text += std::to_string(code);
    text += ')';
    if (!sql.empty()) {
        text += " in: ";
        text += sql;
    }
    return text;
}

/// Throws the retort exception for SQLite's extended result `code`. With `db`, the connection
/// the failure happened on, a unique violation's constraint is named from its schema.
[[noreturn]] inline void throw_error(int code, std::string_view message, std::string_view sql = {},
                                     sqlite3* db = nullptr) {
    error_details details;
    details.sqlite_code = code;
    details.sql = sql;
    std::string text = format_error(code, message, sql);
    if ((code & 0xFF) == SQLITE_CONSTRAINT) detail::read_constraint_message(message, details);
    const bool unique = code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY;
    if (unique && db != nullptr && details.constraint.empty() && !details.table.empty())
        details.constraint =
            detail::violated_key_name(db, details.table, detail::listed_columns(details.column),
                                      code == SQLITE_CONSTRAINT_PRIMARYKEY);
    else if (unique && db != nullptr && details.table.empty() && !details.constraint.empty())
        details.table = detail::table_of_index(db, details.constraint);

    switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY: throw unique_violation(text, std::move(details));
    case SQLITE_CONSTRAINT_FOREIGNKEY: throw foreign_key_violation(text, std::move(details));
    case SQLITE_CONSTRAINT_NOTNULL: throw not_null_violation(text, std::move(details));
    case SQLITE_CONSTRAINT_CHECK: throw check_violation(text, std::move(details));
    default: break;
    }
    switch (code & 0xFF) {  // the primary code, for every extended variant
    case SQLITE_CONSTRAINT: throw integrity_error(text, std::move(details));
    case SQLITE_BUSY:
    case SQLITE_LOCKED: throw busy_error(text, std::move(details));
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB: throw connection_error(text, std::move(details));
    case SQLITE_INTERRUPT: throw timeout_error(text, std::move(details));  // sqlite3_interrupt
    case SQLITE_ERROR:  // syntax errors, unknown tables and columns
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_AUTH: throw programming_error(text, std::move(details));
    default: throw operational_error(text, std::move(details));  // I/O, full, corrupt, readonly...
    }
}

/// Throws for `code`, with the message SQLite recorded on `db` for the call that failed.
[[noreturn]] inline void throw_last_error(sqlite3* db, int code, std::string_view sql = {}) {
    const char* recorded = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    // Copied first: naming a violated constraint runs queries, which replace SQLite's message.
    const std::string message = recorded != nullptr ? recorded : "unknown error";
    throw_error(code, message, sql, db);
}

}  // namespace retort::driver::sqlite
