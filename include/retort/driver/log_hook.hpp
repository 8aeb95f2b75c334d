// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The SQL log hook both drivers accept. A plain function pointer plus a context, so that an
// unset hook costs one null check per statement and no allocation.

#include <chrono>
#include <string_view>

namespace retort::driver {

/// Called after every statement a connection runs (whether it succeeded or threw), with its
/// SQL and how long it took. `context` is what was given to set_log_hook. Should not throw.
using log_hook = void (*)(void* context, std::string_view sql, std::chrono::nanoseconds elapsed);

}  // namespace retort::driver
