// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// What the drivers' statement caches share: the default bound of the raw-SQL tier and the
// counters a connection reports about both tiers (connection::cache_stats()).

#include <cstddef>
#include <cstdint>

namespace retort::driver {

/// Raw-SQL statements a connection keeps prepared. 256 holds every distinct query a program
/// writes by hand, and caps a flood of generated SQL at about 2 MB per connection (measured:
/// ~2 KB per statement in an SQLite client, ~9 KB per statement in a PostgreSQL backend).
inline constexpr std::size_t default_statement_cache_size = 256;

/// The two tiers of a connection's statement cache.
struct statement_cache_stats {
    std::size_t typed = 0;                  // statements of static SQL (query types); no bound
    std::size_t raw = 0;                    // statements of raw SQL, least recently used first out
    std::size_t raw_capacity = 0;           // 0: raw SQL is prepared for each run
    std::uint64_t typed_prepared = 0;       // statements prepared for static SQL, since opening
    std::uint64_t raw_prepared = 0;         // statements prepared for raw SQL, since opening
    std::uint64_t raw_evicted = 0;          // raw statements dropped to make room
    std::size_t pending_deallocations = 0;  // PostgreSQL: evicted, DEALLOCATE not sent yet
};

}  // namespace retort::driver
