// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// PostgreSQL errors, turned into retort's exception hierarchy by their SQLSTATE. The message
// keeps the server's primary message, the SQLSTATE and the SQL:
//   retort: duplicate key value violates unique constraint "uq_users_email" (SQLSTATE 23505) in:
//   INSERT INTO ...
// The constraint, table and column come from the server's error fields.

#include <retort/error.hpp>

#include <libpq-fe.h>

#include <string>
#include <string_view>
#include <utility>

namespace retort::driver::postgres {

/// "retort: <message>[ (SQLSTATE <code>)][ in: <sql>]"
inline std::string format_error(std::string_view message, std::string_view sqlstate,
                                std::string_view sql) {
    std::string text = "retort: ";
    text += message;
    if (!sqlstate.empty()) {
        text += " (SQLSTATE ";
        text += sqlstate;
        text += ')';
    }
    if (!sql.empty()) {
        text += " in: ";
        text += sql;
    }
    return text;
}

/// Throws the retort exception that details.sqlstate calls for.
[[noreturn]] inline void throw_error(const std::string& message, error_details details) {
    const std::string_view state = details.sqlstate;
    const std::string_view error_class = state.substr(0, 2);
    if (state == "23505") throw unique_violation(message, std::move(details));
    if (state == "23503") throw foreign_key_violation(message, std::move(details));
    if (state == "23502") throw not_null_violation(message, std::move(details));
    if (state == "23514") throw check_violation(message, std::move(details));
    if (error_class == "23") throw integrity_error(message, std::move(details));
    // 57P01 admin shutdown (pg_terminate_backend), 57P02 crash, 57P03 starting up, ...
    if (error_class == "08" || state.starts_with("57P0"))
        throw connection_error(message, std::move(details));
    if (state == "57014")  // statement_timeout, or a cancel request
        throw timeout_error(message, std::move(details));
    if (state == "55P03")  // lock_not_available: lock_timeout, NOWAIT
        throw busy_error(message, std::move(details));
    // Serialization failures and deadlocks, lack of resources, operator intervention, system
    // and internal errors: the program did nothing wrong and may retry.
    if (error_class == "40" || error_class == "53" || error_class == "55" || error_class == "57" ||
        error_class == "58" || error_class == "XX" || state.empty())
        throw operational_error(message, std::move(details));
    throw programming_error(message, std::move(details));  // 42 syntax/access, 22 data, 0A, ...
}

namespace detail {

// libpq's own messages end in a newline and may span lines ("...\n\tThis probably means...").
inline std::string one_line(std::string_view text) {
    std::string line;
    bool space = false;
    for (const char c : text) {
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            space = !line.empty();
            continue;
        }
        if (space) line += ' ';
        space = false;
        line += c;
    }
    return line;
}

// Unique and foreign key violations name no column, but their DETAIL starts with the key:
// "Key (email)=(a@b.c) already exists." Only English messages can be read this way.
inline std::string key_columns(std::string_view detail) {
    static constexpr std::string_view prefix = "Key (";
    if (!detail.starts_with(prefix)) return {};
    const auto end = detail.find(")=(");
    if (end == std::string_view::npos) return {};
    return std::string(detail.substr(prefix.size(), end - prefix.size()));
}

}  // namespace detail

/// Throws for a command that failed: `result` is what libpq returned for it (possibly null).
/// When the connection itself is gone the error is a connection_error whatever the SQLSTATE.
[[noreturn]] inline void throw_result_error(PGconn* conn, const PGresult* result,
                                            std::string_view sql) {
    const auto field = [result](int code) -> std::string_view {
        const char* value = result != nullptr ? PQresultErrorField(result, code) : nullptr;
        return value != nullptr ? value : "";
    };
    error_details details;
    details.sqlstate = field(PG_DIAG_SQLSTATE);
    details.constraint = field(PG_DIAG_CONSTRAINT_NAME);
    details.table = field(PG_DIAG_TABLE_NAME);
    details.column = field(PG_DIAG_COLUMN_NAME);
    details.sql = sql;
    if (details.column.empty() && (details.sqlstate == "23505" || details.sqlstate == "23503"))
        details.column = detail::key_columns(field(PG_DIAG_MESSAGE_DETAIL));

    std::string message{field(PG_DIAG_MESSAGE_PRIMARY)};
    if (message.empty() && result != nullptr)
        message = detail::one_line(PQresultErrorMessage(result));
    if (message.empty()) message = detail::one_line(PQerrorMessage(conn));
    if (message.empty()) message = "unknown error";

    if (PQstatus(conn) == CONNECTION_BAD) {
        // Built before `details` is moved into the exception: argument order is unspecified.
        std::string text = format_error(
            "the connection to the PostgreSQL server was lost: " + message, details.sqlstate, sql);
        throw connection_error(std::move(text), std::move(details));
    }
    const std::string text = format_error(message, details.sqlstate, sql);
    throw_error(text, std::move(details));
}

}  // namespace retort::driver::postgres
