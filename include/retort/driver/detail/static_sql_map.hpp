// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The typed tier of a connection's statement cache: statements of static SQL, found by the
// text's address. It needs no bound: its size is the number of SQL texts in the program's code
// (one per query type and dialect), fixed at compile time.

#include <retort/driver/detail/static_sql.hpp>

#include <unordered_map>

namespace retort::driver::detail {

template <class Value>
using static_sql_map = std::unordered_map<static_sql, Value, static_sql::address_hash>;

}  // namespace retort::driver::detail
