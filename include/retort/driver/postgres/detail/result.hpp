// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

#include <libpq-fe.h>

#include <memory>

namespace retort::driver::postgres::detail {

struct clear_result {
    void operator()(PGresult* result) const noexcept { PQclear(result); }
};

/// A PGresult, cleared when it goes out of scope.
using result = std::unique_ptr<PGresult, clear_result>;

}  // namespace retort::driver::postgres::detail
