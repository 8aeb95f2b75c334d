// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

#include <chrono>
#include <string>

namespace retort {

/// What engine::health() found: a round trip to the server, timed.
struct health_report {
    bool ok = false;
    std::string backend;         // "sqlite" or "postgresql"
    std::string server_version;  // e.g. "3.40.1", "15.18"
    std::chrono::microseconds latency{0};
    std::string error;  // why not ok; never contains credentials
};

}  // namespace retort
