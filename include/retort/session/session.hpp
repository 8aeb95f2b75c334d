// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// A session: one pooled connection, statically typed on its backend, with CRUD by key, typed
// queries, raw SQL, a unit of work (add/flush/commit/rollback) and transactions.
//
// Statements outside any transaction commit on their own. add() queues an object; flush()
// writes the queue inside a transaction the session begins itself (as SQLAlchemy's autobegin
// does), which stays open until commit() or rollback(). begin() returns an RAII transaction;
// nested begin() makes savepoints. Every statement first flushes what add() queued.

#include <retort/dialect/ddl.hpp>
#include <retort/driver/detail/counted_bind.hpp>
#include <retort/driver/detail/parameter_count.hpp>
#include <retort/driver/detail/static_sql.hpp>
#include <retort/query/crud.hpp>
#include <retort/query/select.hpp>
#include <retort/schema/from_model.hpp>
#include <retort/schema/order.hpp>
#include <retort/session/backend.hpp>
#include <retort/session/detail/raw_sql.hpp>
#include <retort/session/pool.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace retort {

namespace detail {
template <class Expected, class Given>
inline constexpr bool is_tuple_of_keys = false;
template <class... Es, class... Gs>
    requires(sizeof...(Es) == sizeof...(Gs))
inline constexpr bool is_tuple_of_keys<std::tuple<Es...>, std::tuple<Gs...>> =
    (query::compatible_value<Es, Gs>() && ...);

/// A key must be the model's key type: one compatible value, or a tuple of them in order. A
/// function of the model and key alone: under db.visit(...) its error is reported once.
template <model_type T, class Key>
constexpr void check_key_type() {
    using key_tuple = typename query::key_of<T>::tuple_type;
    if constexpr (std::tuple_size_v<key_tuple> == 1) {
        static_assert(query::compatible_value<std::tuple_element_t<0, key_tuple>, Key>(),
                      "retort: the key's type does not match the model's primary key");
    } else {
        static_assert(is_tuple_of_keys<key_tuple, std::remove_cvref_t<Key>>,
                      "retort: a composite key is a std::tuple of the key columns' types, in "
                      "key order");
    }
}
}  // namespace detail

template <class Backend>
class basic_transaction;

template <class Backend>
class basic_session {
public:
    using backend = Backend;
    using dialect = typename Backend::dialect;
    using connection_type = typename Backend::connection;
    using row_type = typename Backend::row;
    using pool_type = connection_pool<connection_type>;

    basic_session(std::shared_ptr<pool_type> pool, std::unique_ptr<connection_type> conn)
        : pool_(std::move(pool)), conn_(std::move(conn)) {}
    // Not movable: queued objects, transactions, queries and repositories point at it.
    // engine.session() returns it by guaranteed copy elision.
    basic_session(basic_session&&) = delete;
    basic_session& operator=(basic_session&&) = delete;
    ~basic_session() { close(); }

    /// Rolls back anything uncommitted and hands the connection back to the pool. Asks the
    /// server, not the session's bookkeeping, whether a transaction is open (raw BEGIN too).
    void close() noexcept {
        if (!conn_) return;
        bool reusable = true;
        if (conn_->in_transaction()) {
            try {
                conn_->execute_script("ROLLBACK");
            } catch (...) {
                reusable = false;
            }
            reusable = reusable && !conn_->in_transaction();
        }
        pending_.clear();
        depth_ = 0;
        implicit_ = false;
        pool_->release(std::move(conn_), reusable);
    }

    connection_type& connection() { return *conn_; }

    // ---- by primary key --------------------------------------------------------------------

    /// INSERT; a database-generated key is written back into `obj` and returned.
    template <model_type T>
    query::key_t<T> insert(T& obj) {
        autoflush();
        const driver::static_sql sql{query::insert_sql<T, dialect>()};
        if constexpr (model<T>::has_generated_key) {
            using F = typename model<T>::template field<model<T>::primary_key[0]>;
            if constexpr (dialect::numbered_placeholders) {
                conn_->execute(
                    sql, [&](auto& b) { query::bind_insert_values(b, obj); },
                    [&](const auto& row) { query::read_value(row, 0, F::get(obj)); });
            } else {
                conn_->execute(
                    sql, [&](auto& b) { query::bind_insert_values(b, obj); }, ignore_rows);
                F::get(obj) = static_cast<typename F::value_type>(conn_->last_insert_rowid());
            }
        } else {
            conn_->execute(
                sql, [&](auto& b) { query::bind_insert_values(b, obj); }, ignore_rows);
        }
        return key_of(obj);
    }
    template <model_type T>
    query::key_t<T> insert(T&& obj) {
        T copy = std::move(obj);
        return insert(copy);
    }
    template <model_type T>
    query::key_t<T> insert(const T& obj) {
        T copy = obj;
        return insert(copy);
    }

    /// INSERT each object with one prepared statement; generated keys are written back. Wrap the
    /// call in a transaction to make it atomic (and, on SQLite, fast).
    template <model_type T>
    void insert_many(std::vector<T>& objects) {
        for (auto& o : objects) insert(o);
    }

    template <model_type T, class Key>
    std::optional<T> get(const Key& key) {
        detail::check_key_type<T, Key>();
        autoflush();
        std::optional<T> result;
        conn_->execute(
            driver::static_sql{query::select_by_key_sql<T, dialect>()},
            [&](auto& b) { query::bind_key<T>(b, key); },
            [&](const auto& row) { result = query::read_model<T>(row, 0); });
        return result;
    }

    /// UPDATE every non-key column by key; false when no row has that key.
    template <model_type T>
    bool update(const T& obj) {
        static_assert(query::updated_field_count<T>() > 0,
                      "retort: update() needs a column besides the key and computed columns");
        autoflush();
        return conn_->execute(
                   driver::static_sql{query::update_by_key_sql<T, dialect>()},
                   [&](auto& b) {
                       query::bind_non_key_values(b, obj);
                       query::bind_key_values(b, obj);
                   },
                   ignore_rows) > 0;
    }

    /// DELETE by the object's key; false when no row had it.
    template <model_type T>
    bool remove(const T& obj) {
        autoflush();
        return conn_->execute(
                   driver::static_sql{query::delete_by_key_sql<T, dialect>()},
                   [&](auto& b) { query::bind_key_values(b, obj); }, ignore_rows) > 0;
    }
    template <model_type T, class Key>
    bool remove_by_key(const Key& key) {
        detail::check_key_type<T, Key>();
        autoflush();
        return conn_->execute(
                   driver::static_sql{query::delete_by_key_sql<T, dialect>()},
                   [&](auto& b) { query::bind_key<T>(b, key); }, ignore_rows) > 0;
    }

    /// INSERT, or UPDATE the row with the same key (ON CONFLICT ... DO UPDATE). An object whose
    /// database-generated key is still zero is new: it is inserted and gets its key.
    template <model_type T>
    void merge(T& obj) {
        autoflush();
        if constexpr (model<T>::has_generated_key) {
            using F = typename model<T>::template field<model<T>::primary_key[0]>;
            if (F::get(obj) == 0) {
                insert(obj);
                return;
            }
        }
        conn_->execute(
            driver::static_sql{query::upsert_sql<T, dialect>()},
            [&](auto& b) { query::bind_all_values(b, obj); }, ignore_rows);
        if constexpr (model<T>::has_generated_key && std::is_same_v<Backend, retort::postgres>)
            advance_identity<T>(model<T>::template field<model<T>::primary_key[0]>::get(obj));
    }
    /// Same as merge(): INSERT ... ON CONFLICT (key) DO UPDATE.
    template <model_type T>
    void upsert(T& obj) {
        merge(obj);
    }

    // ---- unit of work ---------------------------------------------------------------------

    /// Queues an INSERT of `obj`, run by flush(); `obj` must outlive the flush (its generated
    /// key is written back into it).
    template <model_type T>
    void add(T& obj) {
        pending_.emplace_back([&obj](basic_session& s) { s.insert(obj); });
    }

    /// Writes what add() queued, inside the session's transaction (begun here if none is
    /// open). If one write fails, the rest of the queue is discarded, a transaction begun here
    /// is rolled back, and the error is rethrown; keys already written back into objects are
    /// then stale.
    void flush() {
        if (pending_.empty()) return;
        auto queue = std::move(pending_);  // the inserts below must not flush again
        pending_.clear();
        const bool began_here = level() == 0;
        if (began_here) {
            conn_->execute_script(dialect::begin_sql);
            implicit_ = true;
        }
        try {
            for (auto& write : queue) write(*this);
        } catch (...) {
            if (began_here) {
                implicit_ = false;
                try {
                    conn_->execute_script("ROLLBACK");
                } catch (...) {
                }
            }
            throw;
        }
    }

    /// Flushes and commits the session's own transaction. If an error aborted it (PostgreSQL),
    /// it is rolled back and operational_error says so: nothing is committed silently.
    void commit() {
        if (depth_ > 0)
            throw programming_error("retort: session.commit() while a transaction from begin() is "
                                    "open; commit that transaction instead");
        flush();
        if (implicit_) {
            implicit_ = false;
            finish_outermost_commit();
        }
    }

    /// Discards what add() queued and rolls back the session's own transaction.
    void rollback() {
        if (depth_ > 0)
            throw programming_error("retort: session.rollback() while a transaction from begin() "
                                    "is open; roll that transaction back instead");
        pending_.clear();
        if (implicit_) {
            implicit_ = false;
            conn_->execute_script("ROLLBACK");
        }
    }

    /// An RAII transaction: rolled back on destruction unless committed. Nested calls give
    /// savepoints.
    basic_transaction<Backend> begin();

    bool in_transaction() const { return level() > 0; }

    // ---- queries --------------------------------------------------------------------------

    /// SELECT whole models: select<User>(), or select<User, Job>().join<Job>(...) for tuples.
    template <model_type... Ts>
    auto select() {
        return query::select_models<basic_session, Ts...>(this);
    }
    /// SELECT chosen columns or aggregates: rows are tuples (or structs, with into<S>()).
    template <query::value_expression... Es>
    auto select(Es... es) {
        return query::select_columns<typename query::first_model<Es...>::type>(this, es...);
    }
    /// SELECT expressions FROM an explicit model (needed when no column names it: count()).
    template <model_type From, query::value_expression... Es>
    auto select_from(Es... es) {
        return query::select_columns<From>(this, es...);
    }

    /// UPDATE T SET ... WHERE ...: update<User>().set(col<&User::x>, v).where(...).execute().
    template <model_type T>
    auto update() {
        return query::update_query<basic_session, T, std::tuple<>, query::no_condition>(this);
    }
    /// DELETE FROM T WHERE ...: delete_from<User>().where(...).execute().
    template <model_type T>
    auto delete_from() {
        return query::delete_query<basic_session, T, query::no_condition>(this);
    }

    // ---- a type that is not a model: one error that says so --------------------------------

    template <class T>
        requires(detail::not_all_models<T>)
    detail::not_a_model insert(T&&) { return detail::require_models<T>(); }
    template <class T>
        requires(detail::not_all_models<T>)
    detail::not_a_model insert_many(std::vector<T>&) { return detail::require_models<T>(); }
    template <class T, class Key>
        requires(detail::not_all_models<T>)
    detail::not_a_model get(const Key&) { return detail::require_models<T>(); }
    template <class T>
        requires(detail::not_all_models<T>)
    detail::not_a_model update(const T&) { return detail::require_models<T>(); }
    template <class T>
        requires(detail::not_all_models<T>)
    detail::not_a_model remove(const T&) { return detail::require_models<T>(); }
    template <class T, class Key>
        requires(detail::not_all_models<T>)
    detail::not_a_model remove_by_key(const Key&) { return detail::require_models<T>(); }
    template <class T>
        requires(detail::not_all_models<T>)
    detail::not_a_model merge(T&&) { return detail::require_models<T>(); }
    template <class T>
        requires(detail::not_all_models<T>)
    detail::not_a_model upsert(T&&) { return detail::require_models<T>(); }
    template <class T>
        requires(detail::not_all_models<T>)
    detail::not_a_model add(T&&) { return detail::require_models<T>(); }
    template <class... Ts>
        requires(sizeof...(Ts) > 0 && detail::not_all_models<Ts...>)
    detail::not_a_model select() { return detail::require_models<Ts...>(); }
    template <class From, class... Es>
        requires(detail::not_all_models<From>)
    detail::not_a_model select_from(Es...) { return detail::require_models<From>(); }
    template <class T>
        requires(detail::not_all_models<T>)
    detail::not_a_model update() { return detail::require_models<T>(); }
    template <class T>
        requires(detail::not_all_models<T>)
    detail::not_a_model delete_from() { return detail::require_models<T>(); }
    template <class... Ts>
        requires(detail::not_all_models<Ts...>)
    detail::not_a_model create_all() { return detail::require_models<Ts...>(); }
    template <class... Ts>
        requires(detail::not_all_models<Ts...>)
    detail::not_a_model drop_all() { return detail::require_models<Ts...>(); }

    // ---- raw SQL, still bound -------------------------------------------------------------

    /// Runs SQL with `?` placeholders and bound arguments; returns the rows affected. Another
    /// number of arguments than placeholders is a programming_error.
    template <class... Args>
    std::int64_t execute(std::string_view sql, const Args&... args) {
        return run_raw(sql, ignore_rows, args...);
    }

    /// Runs a query with `?` placeholders; each row is read into tuple<Columns...>, or into
    /// the model when the one type given is a model.
    template <class... Columns, class... Args>
    auto query(std::string_view sql, const Args&... args) {
        using row_t = raw_row_t<Columns...>;
        std::vector<row_t> rows;
        run_raw(
            sql, [&](const auto& row) { rows.push_back(read_raw<Columns...>(row)); }, args...);
        return rows;
    }

    /// Runs statements with no parameters and no result (DDL, several separated by ';').
    void execute_script(std::string_view sql) { conn_->execute_script(sql); }

    // ---- schema ---------------------------------------------------------------------------

    /// CREATE TABLE IF NOT EXISTS for each model, and their indexes, in foreign-key order, in
    /// one transaction.
    template <model_type... Ts>
    void create_all() {
        auto db = schema::database_of<Ts...>();
        auto order = schema::order_by_dependencies(db);
        run_in_transaction([&] {
            std::vector<const schema::table*> created;
            for (const schema::table* t : order.tables) {
                if (table_exists(t->name)) continue;
                for (const auto& sql : retort::dialect::create_enum_types_sql<dialect>(*t))
                    conn_->execute_script(sql);
                // This table's own deferred keys: two tables may use one explicit name.
                std::vector<std::string> deferred;
                if constexpr (dialect::supports_alter_add_constraint)
                    for (auto& [owner, fk] : order.deferred_foreign_keys)
                        if (owner == t) deferred.push_back(fk->name);
                conn_->execute_script(
                    retort::dialect::create_table_sql<dialect>(*t, false, deferred));
                for (const auto& ix : t->indexes)
                    conn_->execute_script(retort::dialect::create_index_sql<dialect>(*t, ix, true));
                created.push_back(t);
            }
            if constexpr (dialect::supports_alter_add_constraint)
                for (auto& [t, fk] : order.deferred_foreign_keys)
                    for (const auto* c : created)
                        if (c == t)
                            conn_->execute_script(
                                retort::dialect::add_foreign_key_sql<dialect>(*t, *fk));
        });
    }

    /// DROP TABLE IF EXISTS for each model, dependents first, in one transaction.
    template <model_type... Ts>
    void drop_all() {
        auto db = schema::database_of<Ts...>();
        auto order = schema::order_by_dependencies(db);
        run_in_transaction([&] {
            if constexpr (dialect::supports_alter_add_constraint)
                for (auto& [t, fk] : order.deferred_foreign_keys)
                    if (table_exists(t->name))
                        conn_->execute_script("ALTER TABLE " + schema::quote_identifier(t->name) +
                                              " DROP CONSTRAINT IF EXISTS " +
                                              schema::quote_identifier(fk->name));
            for (auto it = order.tables.rbegin(); it != order.tables.rend(); ++it)
                conn_->execute_script(retort::dialect::drop_table_sql<dialect>((*it)->name));
        });
    }

    bool table_exists(std::string_view name) {
        bool found = false;
        const driver::static_sql sql =
            dialect::numbered_placeholders
                ? driver::static_sql{"SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = "
                                     "current_schema() AND tablename = $1"}
                : driver::static_sql{
                      "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?"};
        conn_->execute(
            sql, [&](auto& b) { b.bind(name); }, [&](const auto&) { found = true; });
        return found;
    }

    // ---- the executor interface the query builders call ----------------------------------

    template <class Q, class OnRow>
    std::int64_t run(const Q& q, OnRow&& on_row) {
        autoflush();
        return conn_->execute(
            driver::static_sql{q.template sql<dialect>()}, [&](auto& b) { q.bind(b); },
            std::forward<OnRow>(on_row));
    }
    template <class Q>
    std::int64_t execute_statement(const Q& q) {
        autoflush();
        return conn_->execute(
            driver::static_sql{q.template sql<dialect>()}, [&](auto& b) { q.bind(b); },
            ignore_rows);
    }
    /// COUNT(*) of the rows the query would return (the whole query is counted when DISTINCT,
    /// GROUP BY, HAVING, LIMIT or OFFSET shape them).
    template <class Q>
    std::int64_t count(const Q& q) {
        autoflush();
        static const std::string sql = q.template render_count<dialect>();
        std::int64_t n = 0;
        conn_->execute(
            driver::static_sql{sql}, [&](auto& b) { q.bind_wrapped(b); },
            [&](const auto& row) { n = row.template get<std::int64_t>(0); });
        return n;
    }
    /// Whether the query would return any row.
    template <class Q>
    bool exists(const Q& q) {
        autoflush();
        static const std::string sql = q.template render_exists<dialect>();
        bool found = false;
        conn_->execute(
            driver::static_sql{sql}, [&](auto& b) { q.bind_wrapped(b); },
            [&](const auto& row) { found = row.template get<bool>(0); });
        return found;
    }

private:
    friend class basic_transaction<Backend>;

    static constexpr auto ignore_rows = [](const auto&) {};

    int level() const { return depth_ + (implicit_ ? 1 : 0); }

    /// COMMIT the outermost transaction, unless an error aborted it: then ROLLBACK and say so.
    void finish_outermost_commit() {
        if (conn_->transaction_failed()) {
            conn_->execute_script("ROLLBACK");
            throw operational_error("retort: the transaction was aborted by an earlier error and "
                                    "has been rolled back; nothing was committed");
        }
        conn_->execute_script("COMMIT");
    }

    /// PostgreSQL: an explicit key written into an identity column does not move its sequence;
    /// move it past the key so the next generated key cannot collide.
    template <model_type T, class Key>
    void advance_identity(const Key& key) {
        using F = typename model<T>::template field<model<T>::primary_key[0]>;
        static const std::string table = schema::quote_identifier(model<T>::table_name);
        conn_->execute(
            driver::static_sql{"SELECT setval(pg_get_serial_sequence($1, $2), "
                               "GREATEST($3, nextval(pg_get_serial_sequence($1, $2)) - 1))"},
            [&](auto& b) {
                b.bind(std::string_view{table});
                b.bind(F::name);
                b.bind(static_cast<std::int64_t>(key));
            },
            ignore_rows);
    }

    void autoflush() {
        if (!pending_.empty()) flush();
    }

    template <class F>
    void run_in_transaction(F&& f) {
        auto tx = begin();
        f();
        tx.commit();
    }

    // Raw SQL takes exactly one argument per placeholder, checked before anything runs:
    // PostgreSQL would ignore an extra one, and fail on a missing one as a protocol violation
    // (a connection_error). Here the `?` are counted as they are numbered; SQLite counts its
    // own (also ?NNN and :name) once the statement is prepared, before binding.
    template <class OnRow, class... Args>
    std::int64_t run_raw(std::string_view sql, OnRow&& on_row, const Args&... args) {
        constexpr int given = static_cast<int>(sizeof...(Args));
        auto bind = [&](auto& b) { (query::bind_value(b, args), ...); };
        if constexpr (dialect::numbered_placeholders) {
            const auto numbered = detail::number_placeholders_counted(sql);
            if (numbered.placeholders != given)
                driver::detail::throw_parameter_count(numbered.placeholders, given, sql);
            autoflush();
            return conn_->execute(std::string_view{numbered.text}, bind,
                                  std::forward<OnRow>(on_row));
        } else {
            autoflush();
            return conn_->execute(sql, driver::detail::counted_bind<decltype(bind)>{given, bind},
                                  std::forward<OnRow>(on_row));
        }
    }

    template <class... Columns>
    struct raw_row {
        using type = std::tuple<Columns...>;
    };
    template <model_type T>
    struct raw_row<T> {
        using type = T;
    };
    template <class... Columns>
    using raw_row_t = typename raw_row<Columns...>::type;

    template <class... Columns, class Row>
    static auto read_raw(const Row& row) {
        if constexpr (sizeof...(Columns) == 1 && (model_type<Columns> && ...))
            return query::read_model<Columns...>(row, 0);
        else
            return read_tuple<Columns...>(row, std::index_sequence_for<Columns...>{});
    }
    template <class... Columns, class Row, std::size_t... I>
    static std::tuple<Columns...> read_tuple(const Row& row, std::index_sequence<I...>) {
        return {query::read_as<Columns>(row, static_cast<int>(I))...};
    }

    template <model_type T>
    static query::key_t<T> key_of(const T& obj) {
        if constexpr (model<T>::primary_key.size() == 1)
            return model<T>::template field<model<T>::primary_key[0]>::get(obj);
        else
            return key_tuple(obj, std::make_index_sequence<model<T>::primary_key.size()>{});
    }
    template <model_type T, std::size_t... K>
    static query::key_t<T> key_tuple(const T& obj, std::index_sequence<K...>) {
        return {model<T>::template field<model<T>::primary_key[K]>::get(obj)...};
    }

    std::shared_ptr<pool_type> pool_;
    std::unique_ptr<connection_type> conn_;
    std::vector<std::function<void(basic_session&)>> pending_;
    int depth_ = 0;          // open transactions from begin()
    bool implicit_ = false;  // the session's own transaction, begun by flush()
};

}  // namespace retort

#include <retort/session/transaction.hpp>
