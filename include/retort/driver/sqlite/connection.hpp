// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// A connection to one SQLite database, with a two-tier cache of prepared statements: static SQL
// (the query layer's texts) is kept for the connection's life, found by the text's address; raw
// SQL is kept in a bounded least-recently-used cache, found by its text.
// Not thread-safe (opened with SQLITE_OPEN_NOMUTEX): use one connection per thread.

#include <retort/driver/detail/counted_bind.hpp>
#include <retort/driver/detail/lru_cache.hpp>
#include <retort/driver/detail/parameter_count.hpp>
#include <retort/driver/detail/statement_cache.hpp>
#include <retort/driver/detail/statement_timer.hpp>
#include <retort/driver/detail/static_sql.hpp>
#include <retort/driver/detail/static_sql_map.hpp>
#include <retort/driver/log_hook.hpp>
#include <retort/driver/sqlite/binder.hpp>
#include <retort/driver/sqlite/detail/pragmas.hpp>
#include <retort/driver/sqlite/errors.hpp>
#include <retort/driver/sqlite/options.hpp>
#include <retort/driver/sqlite/row.hpp>
#include <retort/driver/sqlite/statement.hpp>
#include <retort/error.hpp>

#include <sqlite3.h>

#include <climits>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace retort::driver::sqlite {

class connection {
public:
    using native_handle_type = sqlite3*;
    using options_type = sqlite::options;
    using binder_type = sqlite::binder;
    using row_type = sqlite::row;
    using log_hook = driver::log_hook;

    /// Opens the database and applies the options; configuration_error for invalid options,
    /// connection_error when the file cannot be opened or is not a database.
    explicit connection(const options& opts) : raw_(opts.statement_cache_size) {
        detail::check_journal_mode(opts.journal_mode);
        detail::check_synchronous(opts.synchronous);
        if (opts.path.empty())
            throw configuration_error(
                "retort: the SQLite path is empty; use \":memory:\" for an in-memory database");
        if (opts.busy_timeout_ms < 0)
            throw configuration_error("retort: the SQLite busy_timeout_ms is negative");

        int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
        flags |= opts.read_only ? SQLITE_OPEN_READONLY
                                : SQLITE_OPEN_READWRITE | (opts.create ? SQLITE_OPEN_CREATE : 0);
        if (opts.path.starts_with("file:")) flags |= SQLITE_OPEN_URI;
        sqlite3* handle = nullptr;
        const int rc = sqlite3_open_v2(opts.path.c_str(), &handle, flags, nullptr);
        db_.reset(handle);  // SQLite hands out a handle even when opening fails: close it too
        if (rc != SQLITE_OK) {
            error_details details;
            details.sqlite_code = rc;
            const char* reason = handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
            throw connection_error(
                format_error(rc, "cannot open \"" + opts.path + "\": " + reason, {}),
                std::move(details));
        }
        sqlite3_extended_result_codes(handle, 1);
        sqlite3_busy_timeout(handle, opts.busy_timeout_ms);
        // Double-quoted text is an identifier, never a string literal (SQLite's own advice).
        sqlite3_db_config(handle, SQLITE_DBCONFIG_DQS_DML, 0, nullptr);

        const bool in_memory = opts.path == ":memory:" || opts.path.starts_with("file::memory:");
        if (!in_memory && !opts.read_only) {  // the journal mode is the file's, not ours to set
            const std::string mode = first_text("PRAGMA journal_mode = " + opts.journal_mode);
            if (!detail::equals_ignoring_case(mode, opts.journal_mode) && mode != "memory")
                throw configuration_error("retort: SQLite kept journal_mode " + mode +
                                          " instead of " + opts.journal_mode + " for \"" +
                                          opts.path + "\"");
        }
        run_script("PRAGMA synchronous = " + opts.synchronous);
        run_script(opts.foreign_keys ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF");
    }

    connection(connection&&) noexcept = default;
    // The old database is closed with sqlite3_close_v2 before its statements are finalized;
    // close_v2 defers the close until they are, so the defaulted order is safe.
    connection& operator=(connection&&) noexcept = default;
    ~connection() = default;  // finalizes the cached statements, then closes the database

    /// Runs one statement: bind(binder&) binds its parameters, on_row(row&) sees each result
    /// row. Returns the rows returned when the statement has result columns (SELECT, RETURNING),
    /// otherwise the rows it inserted, updated or deleted. Its statement stays in the bounded
    /// raw-SQL cache (options::statement_cache_size).
    template <class Bind, class OnRow>
    std::int64_t execute(std::string_view sql, Bind&& bind, OnRow&& on_row) {
        if (log_hook_ == nullptr) [[likely]]
            return run_raw(sql, bind, on_row);
        const driver::detail::statement_timer timer{log_hook_, log_context_, sql};
        return run_raw(sql, bind, on_row);
    }

    /// The same for SQL with static storage: its statement is kept for the connection's life.
    template <class Bind, class OnRow>
    std::int64_t execute(static_sql sql, Bind&& bind, OnRow&& on_row) {
        if (log_hook_ == nullptr) [[likely]]
            return run_typed(sql, bind, on_row);
        const driver::detail::statement_timer timer{log_hook_, log_context_, sql.text()};
        return run_typed(sql, bind, on_row);
    }

    /// Runs statements without parameters or results (BEGIN, COMMIT, SAVEPOINT, DDL), in order;
    /// stops at the first that fails.
    void execute_script(std::string_view sql) {
        if (log_hook_ == nullptr) [[likely]]
            return run_script(sql);
        const driver::detail::statement_timer timer{log_hook_, log_context_, sql};
        run_script(sql);
    }

    std::int64_t last_insert_rowid() const {
        check_open();
        return sqlite3_last_insert_rowid(db_.get());
    }

    /// A transaction is open (SQLite may also have rolled one back by itself, e.g. on SQLITE_FULL).
    bool in_transaction() const noexcept {
        return db_ != nullptr && sqlite3_get_autocommit(db_.get()) == 0;
    }
    /// SQLite has no aborted state: a failed statement leaves its transaction usable.
    bool transaction_failed() const noexcept { return false; }

    /// The SQLite library's version, e.g. "3.40.1".
    std::string server_version() const { return sqlite3_libversion(); }

    bool is_open() const noexcept { return db_ != nullptr; }

    /// Statements cached in both tiers.
    std::size_t cached_statements() const noexcept { return typed_.size() + raw_.size(); }

    statement_cache_stats cache_stats() const noexcept {
        statement_cache_stats stats = counters_;
        stats.typed = typed_.size();
        stats.raw = raw_.size();
        stats.raw_capacity = raw_.capacity();
        return stats;
    }

    /// Finalizes the cached statements (except those being stepped right now, by callers up
    /// the stack, which stay cached).
    void clear_statement_cache() noexcept {
        std::erase_if(typed_, [](const auto& entry) { return !entry.second.in_use(); });
        raw_.erase_if([](const statement& stmt) { return !stmt.in_use(); });
    }

    /// `hook` (or nullptr to remove it) is called after every execute and execute_script.
    void set_log_hook(log_hook hook, void* context) noexcept {
        log_hook_ = hook;
        log_context_ = context;
    }

    native_handle_type native_handle() const noexcept { return db_.get(); }

private:
    struct close_database {
        void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
    };

    void check_open() const {
        if (db_ == nullptr) [[unlikely]]
            throw programming_error("retort: the SQLite connection is closed (moved from)");
    }

    // A cached statement that is in use is being stepped by a caller up the stack (the same SQL
    // again, from inside its own on_row): resetting it would restart that loop, so this run gets
    // a statement of its own.
    template <class Bind, class OnRow>
    std::int64_t run_typed(static_sql sql, Bind& bind, OnRow& on_row) {
        statement& cached = typed_statement(sql);
        if (!cached.in_use()) [[likely]]
            return run_statement(cached, sql.text(), bind, on_row);
        statement nested = prepare(sql.text(), 0);
        ++counters_.typed_prepared;
        return run_statement(nested, sql.text(), bind, on_row);
    }

    template <class Bind, class OnRow>
    std::int64_t run_raw(std::string_view sql, Bind& bind, OnRow& on_row) {
        statement* cached = raw_.find(sql);
        if (cached != nullptr && !cached->in_use()) [[likely]]
            return run_statement(*cached, sql, bind, on_row);
        const bool keep = cached == nullptr && raw_.capacity() > 0;
        statement fresh = prepare(sql, keep ? SQLITE_PREPARE_PERSISTENT : 0);
        ++counters_.raw_prepared;
        if (keep && make_room_for_raw())
            return run_statement(raw_.insert(std::string(sql), std::move(fresh)), sql, bind,
                                 on_row);
        // Nested, uncached (capacity 0), or no room: finalized when this run ends.
        return run_statement(fresh, sql, bind, on_row);
    }

    // Evicts the least recently used raw statement when the cache is full. A statement being
    // stepped up the stack never goes; when all are, there is no room (the caller runs uncached).
    bool make_room_for_raw() {
        if (!raw_.full()) return true;
        if (!raw_.evict([](const statement& stmt) { return !stmt.in_use(); })) return false;
        ++counters_.raw_evicted;
        return true;
    }

    template <class Bind, class OnRow>
    std::int64_t run_statement(statement& stmt, std::string_view sql, Bind& bind, OnRow& on_row) {
        sqlite3* db = db_.get();
        if constexpr (driver::detail::is_counted_bind<Bind>)
            if (bind.count != stmt.parameter_count())
                driver::detail::throw_parameter_count(stmt.parameter_count(), bind.count, sql);
        const statement::use in_use{stmt};
        binder parameters{stmt.get(), scratch_};
        std::invoke(bind, parameters);
        if (parameters.count() != stmt.parameter_count())
            driver::detail::throw_parameter_count(stmt.parameter_count(), parameters.count(), sql);

        const auto changes_before = sqlite3_total_changes64(db);
        std::int64_t rows = 0;
        for (;;) {
            const int rc = sqlite3_step(stmt.get());
            if (rc == SQLITE_ROW) {
                row current{stmt.get()};
                std::invoke(on_row, current);
                ++rows;
            } else if (rc == SQLITE_DONE) {
                break;
            } else {
                throw_last_error(db, rc, sql);
            }
        }
        if (stmt.column_count() > 0) return rows;
        // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE, even after DDL:
        // trust it only when this statement changed something.
        return sqlite3_total_changes64(db) != changes_before ? sqlite3_changes64(db) : 0;
    }

    statement& typed_statement(static_sql sql) {
        if (const auto it = typed_.find(sql); it != typed_.end()) [[likely]]
            return it->second;
        statement stmt = prepare(sql.text(), SQLITE_PREPARE_PERSISTENT);
        ++counters_.typed_prepared;
        return typed_.emplace(sql, std::move(stmt)).first->second;
    }

    static int checked_length(std::string_view sql) {
        if (sql.size() > static_cast<std::size_t>(INT_MAX))
            throw programming_error("retort: the SQL text is longer than SQLite accepts");
        return static_cast<int>(sql.size());
    }

    // Prepares exactly one statement: an empty text or a second statement is refused.
    statement prepare(std::string_view sql, unsigned flags) {
        check_open();
        sqlite3_stmt* handle = nullptr;
        const char* tail = nullptr;
        const int rc =
            sqlite3_prepare_v3(db_.get(), sql.data(), checked_length(sql), flags, &handle, &tail);
        statement stmt{handle};
        if (rc != SQLITE_OK) throw_last_error(db_.get(), rc, sql);
        if (!stmt)
            throw programming_error("retort: there is no SQL statement in: " + std::string(sql));
        const auto rest = sql.substr(static_cast<std::size_t>(tail - sql.data()));
        if (has_statement(rest))
            throw programming_error(
                "retort: execute() runs one statement; use execute_script() for several, in: " +
                std::string(sql));
        return stmt;
    }

    // True when `sql` holds more than whitespace, semicolons and comments.
    bool has_statement(std::string_view sql) const {
        while (sql.find_first_not_of(" \t\r\n\f;") != std::string_view::npos) {
            sqlite3_stmt* handle = nullptr;
            const char* tail = nullptr;
            const int rc =
                sqlite3_prepare_v3(db_.get(), sql.data(), checked_length(sql), 0, &handle, &tail);
            const statement stmt{handle};
            if (rc != SQLITE_OK || stmt) return true;
            if (tail == sql.data()) return false;
            sql.remove_prefix(static_cast<std::size_t>(tail - sql.data()));
        }
        return false;
    }

    void run_script(std::string_view sql) {
        check_open();
        sqlite3* db = db_.get();
        std::string_view rest = sql;
        while (!rest.empty()) {
            sqlite3_stmt* handle = nullptr;
            const char* tail = nullptr;
            int rc = sqlite3_prepare_v3(db, rest.data(), checked_length(rest), 0, &handle, &tail);
            const statement stmt{handle};
            if (rc != SQLITE_OK) throw_last_error(db, rc, sql);
            if (stmt) {
                while ((rc = sqlite3_step(handle)) == SQLITE_ROW) {
                }
                if (rc != SQLITE_DONE) throw_last_error(db, rc, sql);
            }
            if (tail == rest.data()) break;
            rest.remove_prefix(static_cast<std::size_t>(tail - rest.data()));
        }
    }

    // The first column of the first row of an uncached statement (PRAGMA answers).
    std::string first_text(std::string_view sql) {
        statement stmt = prepare(sql, 0);
        const int rc = sqlite3_step(stmt.get());
        if (rc == SQLITE_ROW) {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0));
            return text != nullptr ? text : "";
        }
        if (rc != SQLITE_DONE) throw_last_error(db_.get(), rc, sql);
        return {};
    }

    // Declared first so that it is destroyed last, after the statements it owns.
    std::unique_ptr<sqlite3, close_database> db_;
    driver::detail::static_sql_map<statement> typed_;
    driver::detail::lru_cache<statement> raw_;
    statement_cache_stats counters_;  // the prepare and eviction counts
    std::string scratch_;
    log_hook log_hook_ = nullptr;
    void* log_context_ = nullptr;
};

}  // namespace retort::driver::sqlite
