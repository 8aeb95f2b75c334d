// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// Times one statement for the log hook and reports it when the scope ends, whether the
// statement returned or threw. Only built when a hook is set.

#include <retort/driver/log_hook.hpp>

#include <chrono>
#include <string_view>

namespace retort::driver::detail {

class statement_timer {
public:
    statement_timer(log_hook hook, void* context, std::string_view sql) noexcept
        : hook_(hook), context_(context), sql_(sql), start_(std::chrono::steady_clock::now()) {}
    statement_timer(const statement_timer&) = delete;
    statement_timer& operator=(const statement_timer&) = delete;
    ~statement_timer() { hook_(context_, sql_, std::chrono::steady_clock::now() - start_); }

private:
    log_hook hook_;
    void* context_;
    std::string_view sql_;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace retort::driver::detail
