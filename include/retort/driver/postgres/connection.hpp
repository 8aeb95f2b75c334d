// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// A connection to a PostgreSQL server over libpq's extended protocol. A statement is prepared
// once per SQL text and parameter-type signature (named retort_1, retort_2, ...) and executed
// with every parameter and every result column in binary format. Two tiers keep them: static
// SQL (the query layer's texts, found by address) for the connection's life; raw SQL in a
// bounded least-recently-used cache whose evicted statements are deallocated on the server.
// With the cache off (options::statement_cache) statements run unnamed, for PgBouncer.
// Not thread-safe: use one connection per thread.

#include <retort/driver/detail/lru_cache.hpp>
#include <retort/driver/detail/statement_cache.hpp>
#include <retort/driver/detail/statement_timer.hpp>
#include <retort/driver/detail/static_sql.hpp>
#include <retort/driver/detail/static_sql_map.hpp>
#include <retort/driver/log_hook.hpp>
#include <retort/driver/postgres/binder.hpp>
#include <retort/driver/postgres/detail/connect_parameters.hpp>
#include <retort/driver/postgres/detail/parameters.hpp>
#include <retort/driver/postgres/detail/result.hpp>
#include <retort/driver/postgres/detail/type_registry.hpp>
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
    explicit connection(const options& opts)
        : raw_(opts.statement_cache ? opts.statement_cache_size : 0),
          cache_enabled_(opts.statement_cache) {
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
    /// affected. Its statement stays in the bounded raw-SQL cache (statement_cache_size).
    template <class Bind, class OnRow>
    std::int64_t execute(std::string_view sql, Bind&& bind, OnRow&& on_row) {
        if (log_hook_ == nullptr) [[likely]]
            return run(sql, bind, on_row);
        const driver::detail::statement_timer timer{log_hook_, log_context_, sql};
        return run(sql, bind, on_row);
    }

    /// The same for SQL with static storage: its statement is kept for the connection's life.
    template <class Bind, class OnRow>
    std::int64_t execute(static_sql sql, Bind&& bind, OnRow&& on_row) {
        if (log_hook_ == nullptr) [[likely]]
            return run(sql, bind, on_row);
        const driver::detail::statement_timer timer{log_hook_, log_context_, sql.text()};
        return run(sql, bind, on_row);
    }

    /// Runs one statement without parameters or results through the extended protocol, which
    /// refuses text holding a second one (`x); COMMIT; ...`); nothing is cached.
    void execute_one(std::string_view sql) {
        if (log_hook_ == nullptr) [[likely]]
            return run_one(sql);
        const driver::detail::statement_timer timer{log_hook_, log_context_, sql};
        run_one(sql);
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

    /// Statements cached in both tiers (each parameter-type signature counts).
    std::size_t cached_statements() const noexcept { return typed_count_ + raw_.size(); }

    statement_cache_stats cache_stats() const noexcept {
        statement_cache_stats stats = counters_;
        stats.typed = typed_count_;
        stats.raw = raw_.size();
        stats.raw_capacity = raw_.capacity();
        stats.pending_deallocations = deallocations_.size();
        return stats;
    }

    /// Forgets the cached statements and deallocates them on the server: now, or, inside a
    /// transaction an error aborted, once it has ended.
    void clear_statement_cache() {
        for (auto& [sql, signatures] : typed_)
            for (auto& stmt : signatures) deallocations_.push_back(std::move(stmt.name));
        typed_.clear();
        typed_count_ = 0;
        raw_.drain([&](std::string& name) { deallocations_.push_back(std::move(name)); });
        flush_deallocations();
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

    // Evicted statements wait for one DEALLOCATE round trip per this many: a flood of distinct
    // raw SQL then costs 1/16 of a round trip more per statement, and the server holds fewer
    // than this many besides the cached ones (more only while an aborted transaction lasts).
    static constexpr std::size_t deallocation_batch = 16;

    template <class Sql, class Bind, class OnRow>
    std::int64_t run(Sql sql, Bind& bind, OnRow& on_row) {
        check_open();
        params_.clear();
        binder parameters{params_};
        std::invoke(bind, parameters);
        if (params_.count() > 65535)  // the protocol counts parameters in 16 bits
            throw programming_error("retort: PostgreSQL takes at most 65535 parameters, " +
                                    std::to_string(params_.count()) +
                                    " were bound, in: " + std::string(text_of(sql)));
        params_.finish();
        // The result is complete before any callback runs, so on_row may use this connection.
        const detail::result result = execute_bound(sql);
        if (PQresultStatus(result.get()) != PGRES_TUPLES_OK) return affected_rows(result.get());
        const int rows = PQntuples(result.get());
        if (rows > 0) learn_types(result.get());
        for (int i = 0; i < rows; ++i) {
            row current{result.get(), i, &types_};
            std::invoke(on_row, current);
        }
        return rows;
    }

    /// Looks up the user-defined column types of `result` this connection has not seen yet
    /// (detail/type_registry.hpp): one catalog query, the first time only.
    void learn_types(const PGresult* result) {
        const std::vector<Oid> unknown = types_.unknown_columns(result);
        if (unknown.empty()) return;
        const std::string oids = detail::type_registry::oid_array(unknown);
        const char* values[1] = {oids.c_str()};
        const detail::result rows{PQexecParams(conn_.get(), detail::type_registry::lookup_sql, 1,
                                               nullptr, values, nullptr, nullptr, 0)};
        if (PQresultStatus(rows.get()) != PGRES_TUPLES_OK)
            fail(rows.get(), detail::type_registry::lookup_sql);
        types_.learn(unknown, rows.get());
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

    // "cached plan must not change result type": the statement is still on the server.
    static bool still_prepared(const PGresult* result) noexcept {
        const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
        return state != nullptr && std::string_view(state) == "0A000";
    }

    static std::string_view text_of(static_sql sql) noexcept { return sql.text(); }
    static std::string_view text_of(std::string_view sql) noexcept { return sql; }

    detail::result execute_bound(static_sql sql) {
        if (!cache_enabled_) [[unlikely]] {
            ++counters_.typed_prepared;
            return execute_unnamed(sql.c_str(), sql.text());
        }
        return execute_cached(sql);
    }

    detail::result execute_bound(std::string_view sql) {
        if (raw_.capacity() == 0) {  // also when the cache is off
            ++counters_.raw_prepared;
            raw_key_.assign(sql);  // libpq wants the text NUL-terminated
            return execute_unnamed(raw_key_.c_str(), sql);
        }
        return execute_cached(sql);
    }

    // The unnamed statement: parsed, bound and run in one round trip, nothing kept on the server.
    detail::result execute_unnamed(const char* text, std::string_view sql) {
        detail::result result{PQexecParams(
            conn_.get(), text, params_.count(), params_.types().data(), params_.values(),
            params_.lengths(), params_.formats(), 1 /* binary results */)};
        if (!succeeded(result.get())) fail(result.get(), sql);
        return result;
    }

    // Runs the cached statement, preparing it first if needed. One the server no longer runs as
    // prepared (is_stale) is dropped and, outside a transaction, prepared and run once more.
    template <class Sql>
    detail::result execute_cached(Sql sql) {
        auto [name, fresh] = find_or_prepare(sql);
        detail::result result{exec_prepared(name)};
        if (succeeded(result.get())) [[likely]]
            return result;
        if (!fresh && is_stale(result.get())) {
            drop(sql, name, still_prepared(result.get()));
            // Outside a transaction the failed run changed nothing, so it may run again, once.
            if (PQtransactionStatus(conn_.get()) == PQTRANS_IDLE) {
                name = find_or_prepare(sql).first;
                result.reset(exec_prepared(name));
                if (succeeded(result.get())) return result;
            }
        }
        fail(result.get(), text_of(sql));
    }

    PGresult* exec_prepared(const char* name) {
        return PQexecPrepared(conn_.get(), name, params_.count(), params_.values(),
                              params_.lengths(), params_.formats(), 1 /* binary results */);
    }

    // The name of the statement prepared for `sql` with the bound parameter types, preparing
    // it first if needed (then `second` is true). A statement that fails to prepare is not kept.
    std::pair<const char*, bool> find_or_prepare(static_sql sql) {
        const auto types = params_.types();
        auto entry = typed_.find(sql);
        if (entry != typed_.end()) [[likely]] {
            for (const auto& stmt : entry->second)
                if (std::equal(stmt.types.begin(), stmt.types.end(), types.begin(), types.end()))
                    return {stmt.name.c_str(), false};
        }
        std::string name = prepare_named(sql.c_str(), sql.text());
        ++counters_.typed_prepared;
        if (entry == typed_.end()) entry = typed_.try_emplace(sql).first;
        entry->second.push_back({std::vector<Oid>(types.begin(), types.end()), std::move(name)});
        ++typed_count_;
        return {entry->second.back().name.c_str(), true};
    }

    std::pair<const char*, bool> find_or_prepare(std::string_view sql) {
        set_raw_key(sql);
        if (const std::string* name = raw_.find(raw_key_)) [[likely]]
            return {name->c_str(), false};
        std::string name = prepare_named(raw_key_.c_str(), sql);
        ++counters_.raw_prepared;
        if (raw_.full()) {
            auto evicted = raw_.evict([](const std::string&) { return true; });
            deallocations_.push_back(std::move(*evicted));  // capacity > 0: there was one
            ++counters_.raw_evicted;
            if (deallocations_.size() >= deallocation_batch) flush_deallocations();
        }
        return {raw_.insert(raw_key_, std::move(name)).c_str(), true};
    }

    // The raw tier's key: the text, a NUL (so that the key's c_str() is the text for libpq), the
    // parameter types, and their count last, which makes the split between text and types
    // unambiguous. Reused, so that a lookup allocates nothing once the buffer has grown.
    void set_raw_key(std::string_view sql) {
        const auto types = params_.types();
        const auto count = static_cast<std::uint32_t>(types.size());
        raw_key_.assign(sql);
        raw_key_.push_back('\0');
        raw_key_.append(reinterpret_cast<const char*>(types.data()), types.size_bytes());
        raw_key_.append(reinterpret_cast<const char*>(&count), sizeof count);
    }

    std::string prepare_named(const char* text, std::string_view sql) {
        std::string name = "retort_" + std::to_string(++last_statement_id_);
        const detail::result result{
            PQprepare(conn_.get(), name.c_str(), text, params_.count(), params_.types().data())};
        if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) fail(result.get(), sql);
        return name;
    }

    // Forgets a stale statement (`name`, as find_or_prepare gave it); one still on the server
    // is deallocated too.
    void drop(static_sql sql, const char* name, bool on_server) {
        const auto entry = typed_.find(sql);
        if (entry == typed_.end()) return;
        auto& signatures = entry->second;
        const auto stmt = std::find_if(signatures.begin(), signatures.end(),
                                       [&](const auto& s) { return s.name.c_str() == name; });
        if (stmt == signatures.end()) return;
        if (on_server) deallocations_.push_back(std::move(stmt->name));
        signatures.erase(stmt);
        --typed_count_;
        if (signatures.empty()) typed_.erase(entry);
        if (on_server) flush_deallocations();
    }

    void drop(std::string_view sql, const char*, bool on_server) {
        set_raw_key(sql);
        auto name = raw_.erase(raw_key_);
        if (name && on_server) {
            deallocations_.push_back(std::move(*name));
            flush_deallocations();
        }
    }

    // Sends the queued DEALLOCATEs, in one round trip, when the session takes commands: inside
    // a transaction under a savepoint, so that a name already gone (DEALLOCATE ALL behind the
    // driver's back) cannot abort the caller's transaction. While an error has aborted the
    // transaction they wait for the next script (its ROLLBACK).
    void flush_deallocations() {
        if (!is_open()) {  // the server session, and its statements, are gone
            deallocations_.clear();
            return;
        }
        const auto state = PQtransactionStatus(conn_.get());
        deallocations_due_ =
            !deallocations_.empty() && state != PQTRANS_IDLE && state != PQTRANS_INTRANS;
        if (deallocations_due_ || deallocations_.empty()) return;
        const bool in_transaction = state == PQTRANS_INTRANS;
        std::string script;
        for (const auto& name : deallocations_) script += "DEALLOCATE " + name + ';';
        if (!run_quietly(std::move(script), in_transaction)) {
            // The batch stopped at a name that was gone: the others one by one.
            for (const auto& name : deallocations_)
                if (is_open()) run_quietly("DEALLOCATE " + name + ';', in_transaction);
        }
        deallocations_.clear();
    }

    // Runs `script` (statements, each ending in ';'), ignoring a failure; inside a transaction
    // under a savepoint, so that a failure leaves the transaction as it was. False when it failed.
    bool run_quietly(std::string script, bool in_transaction) {
        if (in_transaction)
            script = "SAVEPOINT retort_deallocate;" + script + "RELEASE retort_deallocate";
        const detail::result result{PQexec(conn_.get(), script.c_str())};
        if (succeeded(result.get())) return true;
        if (in_transaction && PQtransactionStatus(conn_.get()) == PQTRANS_INERROR)
            const detail::result undone{
                PQexec(conn_.get(), "ROLLBACK TO retort_deallocate; RELEASE retort_deallocate")};
        return false;
    }

    void forget_statements() noexcept {
        typed_.clear();
        typed_count_ = 0;
        raw_.clear();
        deallocations_.clear();
        deallocations_due_ = false;
    }

    void run_one(std::string_view sql) {
        check_open();
        const std::string text(sql);
        const detail::result result{
            PQexecParams(conn_.get(), text.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0)};
        if (!succeeded(result.get())) fail(result.get(), sql);
        if (deallocations_due_) flush_deallocations();
    }

    void run_script(std::string_view sql) {
        check_open();
        const std::string text(sql);  // libpq wants it NUL-terminated
        const detail::result result{PQexec(conn_.get(), text.c_str())};
        if (!succeeded(result.get())) fail(result.get(), sql);
        if (deallocations_due_) flush_deallocations();  // the aborted transaction may have ended
    }

    [[noreturn]] void fail(const PGresult* result, std::string_view sql) {
        const auto status = PQresultStatus(result);
        if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
            abandon_copy(status);
            error_details details;
            details.sql = sql;
            // Built first: `details` may be moved before the message is, in one call.
            const std::string message =
                "retort: COPY is not supported by the driver, in: " + details.sql;
            throw programming_error(message, std::move(details));
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
    driver::detail::static_sql_map<std::vector<prepared_statement>> typed_;
    std::size_t typed_count_ = 0;                 // statements in typed_, every signature
    driver::detail::lru_cache<std::string> raw_;  // statement names, by set_raw_key()
    bool cache_enabled_ = true;
    std::string raw_key_;
    std::vector<std::string> deallocations_;  // evicted from the cache, still on the server
    bool deallocations_due_ = false;          // waiting for an aborted transaction to end
    std::uint64_t last_statement_id_ = 0;     // names are never reused, even after a clear
    statement_cache_stats counters_;          // the prepare and eviction counts
    detail::parameters params_;
    detail::type_registry types_;
    log_hook log_hook_ = nullptr;
    void* log_context_ = nullptr;
};

}  // namespace retort::driver::postgres
