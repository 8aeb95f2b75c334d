// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// basic_engine<Backend>: configuration, a connection pool and the SQL log hook for one backend;
// it makes sessions. engine: the runtime choice between the two, made once from a URL, then
// visit() hands you the statically typed basic_engine.

#include <retort/session/health.hpp>
#include <retort/session/session.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace retort {

/// Called after each statement with its SQL (never its values) and how long it took.
using sql_logger = std::function<void(std::string_view sql, std::chrono::nanoseconds elapsed)>;

template <class Backend>
class basic_engine {
public:
    using backend = Backend;
    using options_type = typename Backend::options;
    using session_type = basic_session<Backend>;

    explicit basic_engine(options_type options)
        : basic_engine(options, default_pool_options(options)) {}

    basic_engine(options_type options, pool_options pool) : state_(std::make_shared<state>()) {
        state_->options = options;
        // The pool (and so every session) keeps the log state alive: a connection's hook
        // context never outlives it, even when sessions outlive the engine.
        state_->pool = std::make_shared<connection_pool<typename Backend::connection>>(
            [options = std::move(options)] {
                return std::make_unique<typename Backend::connection>(options);
            },
            pool);
    }

    /// A session on a pooled connection; it returns the connection when destroyed.
    session_type session() {
        auto c = state_->pool->acquire();
        // The hook is set while this session owns the connection: no other thread touches it,
        // and with no logger the driver pays a single null check per statement.
        if (state_->log->current())
            c->set_log_hook(&log_state::trampoline, state_->log.get());
        else
            c->set_log_hook(nullptr, nullptr);
        return session_type(state_->pool, std::move(c));
    }

    /// Installs (or, with an empty function, removes) the SQL log hook; it applies to sessions
    /// opened after the call. The logger may run on several threads at once; what it throws is
    /// swallowed (a statement never fails because of its log line).
    void on_sql(sql_logger logger) {
        auto& log = *state_->log;
        std::lock_guard lock(log.mutex);
        log.logger = logger ? std::make_shared<const sql_logger>(std::move(logger)) : nullptr;
    }

    /// A round trip to the database: SELECT 1, timed.
    health_report health() {
        health_report report;
        report.backend = std::string{Backend::name};
        try {
            auto s = session();
            report.server_version = s.connection().server_version();
            auto start = std::chrono::steady_clock::now();
            std::int64_t one = 0;
            s.connection().execute(
                driver::static_sql{"SELECT 1"}, [](auto&) {},
                [&](const auto& row) { one = row.template get<std::int64_t>(0); });
            report.latency = std::chrono::duration_cast<std::chrono::microseconds>(
                std::chrono::steady_clock::now() - start);
            report.ok = one == 1;
        } catch (const std::exception& e) {
            report.error = e.what();
        }
        return report;
    }

    template <model_type... Ts>
    void create_all() {
        session().template create_all<Ts...>();
    }
    template <model_type... Ts>
    void drop_all() {
        session().template drop_all<Ts...>();
    }
    template <class... Ts>
        requires(detail::not_all_models<Ts...>)
    detail::not_a_model create_all() { return detail::require_models<Ts...>(); }
    template <class... Ts>
        requires(detail::not_all_models<Ts...>)
    detail::not_a_model drop_all() { return detail::require_models<Ts...>(); }

    const options_type& options() const { return state_->options; }
    const connection_pool<typename Backend::connection>& pool() const { return *state_->pool; }

    static pool_options default_pool_options(const options_type& o) {
        pool_options p;
        if constexpr (std::is_same_v<Backend, retort::sqlite>)
            if (o.path == ":memory:") p.max_size = 1;  // each connection would be its own database
        return p;
    }

private:
    struct log_state {
        std::mutex mutex;
        std::shared_ptr<const sql_logger> logger;

        std::shared_ptr<const sql_logger> current() {
            std::lock_guard lock(mutex);
            return logger;
        }
        // Called without the lock held, so a logger may itself use the database.
        static void trampoline(void* self, std::string_view sql,
                               std::chrono::nanoseconds elapsed) noexcept {
            auto logger = static_cast<log_state*>(self)->current();
            if (!logger) return;
            try {
                (*logger)(sql, elapsed);
            } catch (...) {
            }
        }
    };
    struct state {
        options_type options;
        std::shared_ptr<log_state> log = std::make_shared<log_state>();
        std::shared_ptr<connection_pool<typename Backend::connection>> pool;
    };
    std::shared_ptr<state> state_;
};

using sqlite_engine = basic_engine<sqlite>;
using postgres_engine = basic_engine<postgres>;
using sqlite_session = basic_session<sqlite>;
using postgres_session = basic_session<postgres>;

/// The backend chosen at run time from a URL. visit() is the one dynamic dispatch; everything
/// inside the visitor is compiled for that backend.
class engine {
public:
    static engine from_url(std::string_view url_text) {
        auto url = parse_database_url(url_text);
        if (url.backend == database_url::backend_kind::sqlite)
            return engine(sqlite_engine(sqlite::options_from(url)));
        return engine(postgres_engine(postgres::options_from(url)));
    }
    static engine from_url(std::string_view url_text, pool_options pool) {
        auto url = parse_database_url(url_text);
        if (url.backend == database_url::backend_kind::sqlite)
            return engine(sqlite_engine(sqlite::options_from(url), pool));
        return engine(postgres_engine(postgres::options_from(url), pool));
    }
    /// DATABASE_URL, or an SQLite file `retort.db` when it is unset.
    static engine from_env() { return from_url(database_url_from_env()); }

    explicit engine(sqlite_engine e) : impl_(std::move(e)) {}
    explicit engine(postgres_engine e) : impl_(std::move(e)) {}

    template <class F>
    decltype(auto) visit(F&& f) {
        return std::visit(std::forward<F>(f), impl_);
    }

    std::string_view backend_name() const {
        return impl_.index() == 0 ? sqlite::name : postgres::name;
    }
    bool is_sqlite() const { return impl_.index() == 0; }
    bool is_postgres() const { return impl_.index() == 1; }

    health_report health() {
        return visit([](auto& e) { return e.health(); });
    }
    void on_sql(sql_logger logger) {
        visit([&](auto& e) { e.on_sql(logger); });
    }

private:
    std::variant<sqlite_engine, postgres_engine> impl_;
};

}  // namespace retort
