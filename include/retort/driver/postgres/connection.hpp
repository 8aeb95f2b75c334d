// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// A connection to a PostgreSQL server over libpq's extended protocol. Each SQL text is
// prepared once per parameter-type signature (named retort_1, retort_2, ...) and executed
// with every parameter and every result column in binary format.
// Not thread-safe: use one connection per thread.

#include <retort/driver/detail/statement_timer.hpp>
#include <retort/driver/detail/string_map.hpp>
#include <retort/driver/log_hook.hpp>
#include <retort/driver/postgres/binder.hpp>
#include <retort/driver/postgres/detail/connect_parameters.hpp>
#include <retort/driver/postgres/detail/parameters.hpp>
#include <retort/driver/postgres/detail/result.hpp>
#include <retort/driver/postgres/errors.hpp>
#include <retort/driver/postgres/options.hpp>
#include <retort/driver/postgres/row.hpp>
#include <retort/error.hpp>

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retort::driver::postgres {

class connection {
public:
    using native_handle_type = PGconn*;
    using options_type = postgres::options;
    using binder_type = postgres::binder;
    using row_type = postgres::row;
    using log_hook = driver::log_hook;

    /// Connects; configuration_error for invalid options, connection_error when the server
    /// cannot be reached or refuses (the message never contains the password).
    explicit connection(const options& opts) {
        const detail::connect_parameters parameters{opts};
        conn_.reset(PQconnectdbParams(parameters.keywords(), parameters.values(), 0));
        if (conn_ == nullptr || PQstatus(conn_.get()) != CONNECTION_OK) throw_connect_error(opts);
        PQsetNoticeProcessor(conn_.get(), &ignore_notice, nullptr);
        // Binary timestamps are int64 microseconds only with integer datetimes (always, since 10).
        const char* integer_datetimes = PQparameterStatus(conn_.get(), "integer_datetimes");
        if (integer_datetimes != nullptr && std::string_view(integer_datetimes) != "on")
            throw connection_error("retort: the PostgreSQL server does not use integer datetimes");
        // retort's timestamps are UTC. The session time zone decides how a timestamptz
        // parameter is stored into a `timestamp` column and how such a column compares with
        // one, so it is UTC too (the server reports it at startup: no round trip when it is).
        const char* time_zone = PQparameterStatus(conn_.get(), "TimeZone");
        if (time_zone == nullptr ||
            (std::string_view(time_zone) != "UTC" && std::string_view(time_zone) != "Etc/UTC"))
            run_script("SET TimeZone = 'UTC'");
    }

    connection(connection&&) noexcept = default;
    connection& operator=(connection&&) noexcept = default;
    ~connection() = default;  // PQfinish; the server drops the prepared statements

    /// Runs one statement: bind(binder&) binds its parameters, on_row(row&) sees each result
    /// row. Returns the rows returned (SELECT, ... RETURNING), otherwise the rows the command
    /// affected.
    template <class Bind, class OnRow>
    std::int64_t execute(std::string_view sql, Bind&& bind, OnRow&& on_row) {
        if (log_hook_ == nullptr) [[likely]]
            return run(sql, bind, on_row);
        const driver::detail::statement_timer timer{log_hook_, log_context_, sql};
        return run(sql, bind, on_row);
    }

    /// Runs statements without parameters or results (BEGIN, COMMIT, SAVEPOINT, DDL) through
    /// the simple protocol; stops at the first that fails.
    void execute_script(std::string_view sql) {
        if (log_hook_ == nullptr) [[likely]]
            return run_script(sql);
        const driver::detail::statement_timer timer{log_hook_, log_context_, sql};
        run_script(sql);
    }

    /// The server's version, e.g. "15.18" (or "9.6.24" before version 10).
    std::string server_version() const {
        check_open();
        const int version = PQserverVersion(conn_.get());
        if (version >= 100000)
            return std::to_string(version / 10000) + '.' + std::to_string(version % 10000);
        return std::to_string(version / 10000) + '.' + std::to_string(version / 100 % 100) + '.' +
               std::to_string(version % 100);
    }

    /// libpq's view: false once a command has found the connection broken.
    bool is_open() const noexcept {
        return conn_ != nullptr && PQstatus(conn_.get()) == CONNECTION_OK;
    }

    /// The server's view of the transaction: open (also when aborted by an error), and aborted.
    bool in_transaction() const noexcept {
        if (!is_open()) return false;
        const auto state = PQtransactionStatus(conn_.get());
        return state == PQTRANS_INTRANS || state == PQTRANS_INERROR;
    }
    /// An error aborted the open transaction: the server will only roll it back.
    bool transaction_failed() const noexcept {
        return is_open() && PQtransactionStatus(conn_.get()) == PQTRANS_INERROR;
    }

    std::size_t cached_statements() const noexcept { return statement_count_; }

    /// Deallocates the cached statements on the server (when it can take commands) and forgets
    /// them.
    void clear_statement_cache() {
        if (is_open() && statement_count_ != 0) {
            const auto state = PQtransactionStatus(conn_.get());
            if (state == PQTRANS_IDLE || state == PQTRANS_INTRANS) {
                std::string script;
                for (const auto& [sql, prepared] : statements_)
                    for (const auto& stmt : prepared) script += "DEALLOCATE " + stmt.name + ';';
                // A failure leaves statements on the server under names that are never reused.
                const detail::result ignored{PQexec(conn_.get(), script.c_str())};
            }
        }
        forget_statements();
    }

    /// `hook` (or nullptr to remove it) is called after every execute and execute_script.
    void set_log_hook(log_hook hook, void* context) noexcept {
        log_hook_ = hook;
        log_context_ = context;
    }

    native_handle_type native_handle() const noexcept { return conn_.get(); }

private:
    struct finish_connection {
        void operator()(PGconn* conn) const noexcept { PQfinish(conn); }
    };

    struct prepared_statement {
        std::vector<Oid> types;  // the signature it was prepared with
        std::string name;
    };

    static void ignore_notice(void*, const char*) noexcept {}

    [[noreturn]] void throw_connect_error(const options& opts) const {
        std::string reason =
            conn_ != nullptr ? detail::one_line(PQerrorMessage(conn_.get())) : "out of memory";
        // libpq never echoes the password, and no field of this message holds it: nothing to
        // scrub (a substring search for it would mangle the message instead).
        std::string message = "retort: cannot connect to PostgreSQL at ";
        message += detail::describe_hosts(opts.hosts);
        message += '/';
        message += opts.dbname;
        message += " as user \"";
        message += opts.user;
        message += "\": ";
        message += reason;
        throw connection_error(std::move(message));
    }

    void check_open() const {
        if (conn_ == nullptr) [[unlikely]]
            throw programming_error("retort: the PostgreSQL connection is closed (moved from)");
    }

    template <class Bind, class OnRow>
    std::int64_t run(std::string_view sql, Bind& bind, OnRow& on_row) {
        check_open();
        params_.clear();
        binder parameters{params_};
        std::invoke(bind, parameters);
        if (params_.count() > 65535)  // the protocol counts parameters in 16 bits
            throw programming_error("retort: PostgreSQL takes at most 65535 parameters, " +
                                    std::to_string(params_.count()) +
                                    " were bound, in: " + std::string(sql));
        params_.finish();
        // The result is complete before any callback runs, so on_row may use this connection.
        const detail::result result = execute_prepared(sql);
        if (PQresultStatus(result.get()) != PGRES_TUPLES_OK) return affected_rows(result.get());
        const int rows = PQntuples(result.get());
        for (int i = 0; i < rows; ++i) {
            row current{result.get(), i};
            std::invoke(on_row, current);
        }
        return rows;
    }

    static std::int64_t affected_rows(PGresult* result) noexcept {
        const std::string_view count = PQcmdTuples(result);
        std::int64_t rows = 0;
        std::from_chars(count.data(), count.data() + count.size(), rows);  // "" for DDL: 0
        return rows;
    }

    static bool succeeded(const PGresult* result) noexcept {
        const auto status = PQresultStatus(result);  // PGRES_FATAL_ERROR for a null result
        return status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK ||
               status == PGRES_EMPTY_QUERY;
    }

    // The server no longer runs a cached statement as it was prepared: its table changed shape
    // ("cached plan must not change result type"), or DEALLOCATE / DISCARD dropped it.
    static bool is_stale(const PGresult* result) noexcept {
        const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
        return state != nullptr &&
               (std::string_view(state) == "0A000" || std::string_view(state) == "26000");
    }

    detail::result execute_prepared(std::string_view sql) {
        auto [name, fresh] = find_or_prepare(sql);
        detail::result result{exec_prepared(name)};
        if (succeeded(result.get())) [[likely]]
            return result;
        if (!fresh && is_stale(result.get())) {
            forget_statements(sql);
            // Outside a transaction the failed run changed nothing, so it may run again, once.
            if (PQtransactionStatus(conn_.get()) == PQTRANS_IDLE) {
                name = find_or_prepare(sql).first;
                result.reset(exec_prepared(name));
                if (succeeded(result.get())) return result;
            }
        }
        fail(result.get(), sql);
    }

    PGresult* exec_prepared(const char* name) {
        return PQexecPrepared(conn_.get(), name, params_.count(), params_.values(),
                              params_.lengths(), params_.formats(), 1 /* binary results */);
    }

    // The name of the statement prepared for `sql` with the bound parameter types, preparing
    // it first if needed (then `second` is true). A statement that fails to prepare is not kept.
    std::pair<const char*, bool> find_or_prepare(std::string_view sql) {
        const auto types = params_.types();
        auto entry = statements_.find(sql);
        if (entry != statements_.end()) {
            for (const auto& stmt : entry->second)
                if (std::equal(stmt.types.begin(), stmt.types.end(), types.begin(), types.end()))
                    return {stmt.name.c_str(), false};
        }
        std::string key = entry == statements_.end() ? std::string(sql) : std::string();
        const char* text = entry == statements_.end() ? key.c_str() : entry->first.c_str();
        std::string name = "retort_" + std::to_string(++last_statement_id_);
        const detail::result result{
            PQprepare(conn_.get(), name.c_str(), text, params_.count(), types.data())};
        if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) fail(result.get(), sql);
        if (entry == statements_.end()) entry = statements_.try_emplace(std::move(key)).first;
        entry->second.push_back({std::vector<Oid>(types.begin(), types.end()), std::move(name)});
        ++statement_count_;
        return {entry->second.back().name.c_str(), true};
    }

    void forget_statements() noexcept {
        statements_.clear();
        statement_count_ = 0;
    }

    void forget_statements(std::string_view sql) {
        if (const auto entry = statements_.find(sql); entry != statements_.end()) {
            statement_count_ -= entry->second.size();
            statements_.erase(entry);
        }
    }

    void run_script(std::string_view sql) {
        check_open();
        const std::string text(sql);  // libpq wants it NUL-terminated
        const detail::result result{PQexec(conn_.get(), text.c_str())};
        if (!succeeded(result.get())) fail(result.get(), sql);
    }

    [[noreturn]] void fail(const PGresult* result, std::string_view sql) {
        const auto status = PQresultStatus(result);
        if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
            abandon_copy(status);
            error_details details;
            details.sql = sql;
            throw programming_error("retort: COPY is not supported by the driver, in: " +
                                        details.sql,
                                    std::move(details));
        }
        if (PQstatus(conn_.get()) == CONNECTION_BAD)
            forget_statements();  // the server side of the cache died with the session
        throw_result_error(conn_.get(), result, sql);
    }

    // Ends a COPY the server started, so that the connection takes commands again.
    void abandon_copy(ExecStatusType status) noexcept {
        PGconn* conn = conn_.get();
        if (status != PGRES_COPY_OUT) PQputCopyEnd(conn, "retort does not support COPY");
        if (status != PGRES_COPY_IN) {
            char* buffer = nullptr;
            while (PQgetCopyData(conn, &buffer, 0) > 0) PQfreemem(buffer);
        }
        while (PGresult* rest = PQgetResult(conn)) PQclear(rest);
    }

    // Declared first so that it is destroyed last.
    std::unique_ptr<PGconn, finish_connection> conn_;
    driver::detail::string_map<std::vector<prepared_statement>> statements_;
    std::size_t statement_count_ = 0;
    std::uint64_t last_statement_id_ = 0;  // names are never reused, even after a clear
    detail::parameters params_;
    log_hook log_hook_ = nullptr;
    void* log_context_ = nullptr;
};

}  // namespace retort::driver::postgres
