// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace retort::driver::postgres {

/// How to reach a PostgreSQL server. Passed to libpq keyword by keyword, never as one
/// connection string, so no value needs quoting.
struct options {
    std::string host = "localhost";  // a name, an address, or a Unix socket directory
    int port = 5432;
    std::string user;
    std::string password;
    std::string dbname;
    std::string sslmode;      // disable, allow, prefer, require, verify-ca, verify-full; empty =
                              // libpq's default
    std::string sslrootcert;  // CA certificates for verify-ca / verify-full
    int connect_timeout_s = 5;
    std::string application_name = "retort";
    std::vector<std::pair<std::string, std::string>>
        extra;  // other libpq keywords; they win over the fields above
};

}  // namespace retort::driver::postgres
