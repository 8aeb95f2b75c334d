// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

#include <retort/driver/detail/statement_cache.hpp>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace retort::driver::postgres {

/// One server to try. libpq tries a list in order, moving on when one cannot be reached or
/// does not fit `target_session_attrs` (an `extra` keyword).
struct host_port {
    std::string host;  // a name, an address, or a Unix socket directory (no commas)
    int port = 5432;
    bool operator==(const host_port&) const = default;
};

/// How to reach a PostgreSQL server. Passed to libpq keyword by keyword, never as one
/// connection string, so no value needs quoting.
struct options {
    std::vector<host_port> hosts{{"localhost", 5432}};
    std::string user;
    std::string password;
    std::string dbname;
    std::string sslmode;      // disable, allow, prefer, require, verify-ca, verify-full; empty =
                              // libpq's default
    std::string sslrootcert;  // CA certificates for verify-ca / verify-full
    int connect_timeout_s = 5;
    std::string application_name = "retort";
    // Other libpq keywords (target_session_attrs, hostaddr, ...). The fields above cannot be
    // set here: a second value would make error messages name a server never tried.
    std::vector<std::pair<std::string, std::string>> extra;
    // Raw-SQL statements kept prepared on the server (per parameter-type signature, least
    // recently used first out); 0: raw SQL runs as an unnamed statement each time.
    std::size_t statement_cache_size = default_statement_cache_size;
    // false: every statement, typed ones too, runs unnamed (PgBouncer in transaction mode, where
    // consecutive transactions may reach different server sessions).
    bool statement_cache = true;
};

}  // namespace retort::driver::postgres
