// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// SQLite's extended result codes, turned into retort's exception hierarchy. The message keeps
// SQLite's own words, its code and the SQL:
//   retort: UNIQUE constraint failed: users.email (SQLite 2067) in: INSERT INTO ...

#include <retort/driver/sqlite/detail/constraint_message.hpp>
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

/// Throws the retort exception for SQLite's extended result `code`.
[[noreturn]] inline void throw_error(int code, std::string_view message,
                                     std::string_view sql = {}) {
    error_details details;
    details.sqlite_code = code;
    details.sql = sql;
    std::string text = format_error(code, message, sql);
    if ((code & 0xFF) == SQLITE_CONSTRAINT) detail::read_constraint_message(message, details);

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
    const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    throw_error(code, message != nullptr ? message : "unknown error", sql);
}

}  // namespace retort::driver::sqlite
