// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

#include <retort/driver/detail/statement_cache.hpp>

#include <cstddef>
#include <string>

namespace retort::driver::sqlite {

/// How to open a SQLite database.
struct options {
    std::string path;                    // a file name, ":memory:", or a "file:" URI
    std::string journal_mode = "WAL";    // DELETE, TRUNCATE, PERSIST, MEMORY, WAL or OFF
    bool foreign_keys = true;            // SQLite leaves them off unless asked, per connection
    int busy_timeout_ms = 5000;          // how long to wait for another connection's lock
    std::string synchronous = "NORMAL";  // OFF, NORMAL, FULL or EXTRA; NORMAL is durable with WAL
    bool create = true;                  // create the file when it does not exist
    bool read_only = false;
    // Raw-SQL statements kept prepared (least recently used first out); 0: prepared for each
    // run. Statements of query types are always kept.
    std::size_t statement_cache_size = default_statement_cache_size;
};

}  // namespace retort::driver::sqlite
