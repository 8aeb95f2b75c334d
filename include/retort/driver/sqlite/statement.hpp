// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// One prepared statement, finalized on destruction. The connection caches it and reuses it:
// `use` marks it busy for one execution and resets it afterwards whatever happens, so that a
// statement is never left mid-step holding locks, and so that the cache never evicts (finalizes)
// one that a caller up the stack is still stepping.

#include <sqlite3.h>

#include <utility>

namespace retort::driver::sqlite {

class statement {
public:
    statement() noexcept = default;
    explicit statement(sqlite3_stmt* handle) noexcept : handle_(handle) {}
    statement(statement&& other) noexcept
        : handle_(std::exchange(other.handle_, nullptr)), in_use_(other.in_use_) {}
    statement& operator=(statement&& other) noexcept {
        std::swap(handle_, other.handle_);
        std::swap(in_use_, other.in_use_);
        return *this;
    }
    ~statement() { sqlite3_finalize(handle_); }  // a no-op on nullptr

    sqlite3_stmt* get() const noexcept { return handle_; }
    explicit operator bool() const noexcept { return handle_ != nullptr; }

    int parameter_count() const noexcept { return sqlite3_bind_parameter_count(handle_); }
    int column_count() const noexcept { return sqlite3_column_count(handle_); }
    const char* sql() const noexcept { return sqlite3_sql(handle_); }

    /// True while an execution is stepping it (a nested execute of the same SQL from an
    /// on_row callback must then use a statement of its own).
    bool in_use() const noexcept { return in_use_; }

    /// Marks the statement busy for its lifetime; then resets it and clears its bindings,
    /// on success and on exceptions alike.
    class use {
    public:
        explicit use(statement& stmt) noexcept : stmt_(stmt) { stmt_.in_use_ = true; }
        use(const use&) = delete;
        use& operator=(const use&) = delete;
        ~use() {
            // reset() repeats the step's error code, which has already been reported.
            sqlite3_reset(stmt_.handle_);
            sqlite3_clear_bindings(stmt_.handle_);
            stmt_.in_use_ = false;
        }

    private:
        statement& stmt_;
    };

private:
    sqlite3_stmt* handle_ = nullptr;
    bool in_use_ = false;
};

}  // namespace retort::driver::sqlite
