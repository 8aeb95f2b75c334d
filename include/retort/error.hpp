// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// One exception hierarchy for every layer. Each error keeps the driver's own code (SQLSTATE on
// PostgreSQL, the extended result code on SQLite) and, where the driver says, the constraint,
// table and column it is about. Messages never contain credentials.

#include <stdexcept>
#include <string>
#include <utility>

namespace retort {

/// What the database reported, beside the message.
struct error_details {
    std::string sqlstate;    // PostgreSQL SQLSTATE, e.g. "23505"; empty on SQLite
    int sqlite_code = 0;     // SQLite extended result code, e.g. 2067; 0 on PostgreSQL
    std::string constraint;  // the constraint's name, when known
    std::string table;       // the table, when known
    std::string column;      // the column, when known
    std::string sql;         // the statement that failed, when there was one
};

class error : public std::runtime_error {
public:
    explicit error(const std::string& message, error_details details = {})
        : std::runtime_error(message), details_(std::move(details)) {}
    const error_details& details() const noexcept { return details_; }
    const std::string& sqlstate() const noexcept { return details_.sqlstate; }
    int sqlite_code() const noexcept { return details_.sqlite_code; }
    const std::string& constraint() const noexcept { return details_.constraint; }

private:
    error_details details_;
};

/// Bad configuration: a malformed DATABASE_URL, an unknown option.
class configuration_error : public error {
    using error::error;
};

/// A mistake in the program: SQL that does not parse, an unknown column, a misused API.
class programming_error : public error {
    using error::error;
};

/// The database could not do what was asked for reasons outside the program.
class operational_error : public error {
    using error::error;
};
class connection_error : public operational_error {
    using operational_error::operational_error;
};
class timeout_error : public operational_error {
    using operational_error::operational_error;
};
/// SQLite's SQLITE_BUSY / SQLITE_LOCKED after busy_timeout, PostgreSQL's lock_not_available.
class busy_error : public operational_error {
    using operational_error::operational_error;
};

/// A constraint refused the data.
class integrity_error : public error {
    using error::error;
};
class unique_violation : public integrity_error {
    using integrity_error::integrity_error;
};
class foreign_key_violation : public integrity_error {
    using integrity_error::integrity_error;
};
class not_null_violation : public integrity_error {
    using integrity_error::integrity_error;
};
class check_violation : public integrity_error {
    using integrity_error::integrity_error;
};

}  // namespace retort
