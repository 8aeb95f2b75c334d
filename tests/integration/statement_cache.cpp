// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.

// The two-tier statement cache on both backends: a flood of distinct raw SQL stays within the
// raw tier's capacity (on the server too), the statements of query types stay cached through
// it, capacity 0 and statement_cache=off work, the URL keys, eviction inside an aborted
// PostgreSQL transaction, and nested execution with the smallest cache. Then raw SQL given too
// many or too few arguments.

#include "support/test_db.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace {

using app::user;
using retort::col;

/// `url` with `parameter` (key=value) added to its query string.
std::string with_query(const std::string& url, std::string_view parameter) {
    return url + (url.find('?') == std::string::npos ? '?' : '&') + std::string(parameter);
}

/// An engine on this test's database with `parameter` in its URL, and the users table.
struct cache_db {
    test::temp_sqlite_file file;
    retort::engine db;

    explicit cache_db(std::string_view parameter)
        : db(retort::engine::from_url(with_query(test::url_for(file), parameter))) {
        db.visit([](auto& e) {
            test::fresh_db::drop(e);
            e.template create_all<user>();
        });
    }
    ~cache_db() {
        try {
            db.visit([](auto& e) { test::fresh_db::drop(e); });
        } catch (...) {
        }
    }
};

/// The message of the E that `f` throws ("" and a failure when it throws none).
template <class E, class F>
std::string message_of(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    }
    FAIL_CHECK("no exception of the expected type");
    return {};
}

template <class Session>
std::int64_t one_int(Session& s, std::string_view sql) {
    return std::get<0>(s.template query<std::int64_t>(sql).at(0));
}

/// Statements prepared on the server in this session (PostgreSQL).
template <class Session>
std::int64_t server_statements(Session& s) {
    return one_int(s, "SELECT count(*) FROM pg_prepared_statements");
}

/// What the server holds is exactly what the cache accounts for: nothing leaked.
template <class Session>
void check_server_matches_cache(Session& s) {
    if (!test::on_postgres()) return;
    const auto on_server = server_statements(s);
    const auto stats = s.connection().cache_stats();
    CHECK(on_server ==
          static_cast<std::int64_t>(stats.typed + stats.raw + stats.pending_deallocations));
}

/// A distinct raw statement per `i`, returning i + 1.
template <class Session>
void run_distinct(Session& s, int i) {
    const auto rows = s.template query<std::int64_t>(
        "SELECT CAST(? AS BIGINT) + 1 AS n" + std::to_string(i), std::int64_t{i});
    REQUIRE(std::get<0>(rows.at(0)) == i + 1);
}

/// Some typed work: an insert, a get by key, a query's count.
template <class Session>
void typed_work(Session& s, user& u) {
    CHECK(s.template get<user>(u.id).has_value());
    CHECK(s.template select<user>().where(col<&user::email> == u.email).count() == 1);
    u.display_name = "Ada";
    CHECK(s.update(u));
}

}  // namespace

TEST_CASE("statement cache: a flood of distinct raw SQL stays within the capacity",
          "[statement-cache]") {
    constexpr std::size_t capacity = 16;
    cache_db f("statement_cache_size=16");
    f.db.visit([&](auto& e) {
        auto s = e.session();
        auto u = test::make_user("flood@example.org");
        s.insert(u);
        typed_work(s, u);
        const auto before = s.connection().cache_stats();
        CHECK(before.raw_capacity == capacity);
        CHECK(before.typed >= 3);

        for (int i = 0; i < 5000; ++i) {
            run_distinct(s, i);
            if (i % 500 == 0) CHECK(s.connection().cache_stats().raw <= capacity);
        }
        const auto flooded = s.connection().cache_stats();
        CHECK(flooded.raw == capacity);
        CHECK(flooded.raw_evicted >= 5000 - capacity);
        // The typed tier lost nothing, and its statements are found again without a prepare.
        CHECK(flooded.typed == before.typed);
        typed_work(s, u);
        const auto after = s.connection().cache_stats();
        CHECK(after.typed == before.typed);
        CHECK(after.typed_prepared == before.typed_prepared);
        CHECK(s.connection().cached_statements() == after.typed + after.raw);

        if (test::on_postgres()) {
            const auto on_server = server_statements(s);
            const auto stats = s.connection().cache_stats();
            CHECK(stats.raw == capacity);
            CHECK(stats.pending_deallocations < 16);  // one DEALLOCATE round trip per 16
            CHECK(on_server ==
                  static_cast<std::int64_t>(stats.typed + stats.raw + stats.pending_deallocations));
            // Clearing the cache deallocates everything it held.
            s.connection().clear_statement_cache();
            CHECK(s.connection().cached_statements() == 0);
            CHECK(server_statements(s) == 1);  // the count itself, just prepared
        }
    });
}

TEST_CASE("statement cache: a raw statement used again is found, the least recent goes first",
          "[statement-cache]") {
    cache_db f("statement_cache_size=2");
    f.db.visit([&](auto& e) {
        auto s = e.session();
        const auto start = s.connection().cache_stats();
        run_distinct(s, 1);
        run_distinct(s, 2);
        run_distinct(s, 1);  // 1 is now the most recently used
        CHECK(s.connection().cache_stats().raw_prepared == start.raw_prepared + 2);
        run_distinct(s, 3);  // evicts 2
        run_distinct(s, 1);  // still cached
        auto stats = s.connection().cache_stats();
        CHECK(stats.raw_prepared == start.raw_prepared + 3);
        CHECK(stats.raw_evicted == start.raw_evicted + 1);
        run_distinct(s, 2);  // prepared again
        stats = s.connection().cache_stats();
        CHECK(stats.raw_prepared == start.raw_prepared + 4);
        CHECK(stats.raw == 2);
        check_server_matches_cache(s);
    });
}

TEST_CASE("statement cache: capacity 0 prepares raw SQL each time and keeps none of it",
          "[statement-cache]") {
    cache_db f("statement_cache_size=0");
    f.db.visit([&](auto& e) {
        auto s = e.session();
        auto u = test::make_user("nocache@example.org");
        s.insert(u);
        typed_work(s, u);
        const auto before = s.connection().cache_stats();
        CHECK(before.raw_capacity == 0);
        for (int round = 0; round < 3; ++round)
            for (int i = 0; i < 10; ++i) run_distinct(s, i);
        const auto after = s.connection().cache_stats();
        CHECK(after.raw == 0);
        CHECK(after.raw_prepared == before.raw_prepared + 30);
        CHECK(after.raw_evicted == 0);
        CHECK(after.typed == before.typed);  // query types are cached all the same
        CHECK(s.execute("UPDATE users SET approved = ? WHERE id = ?", true, u.id) == 1);
        CHECK(s.template get<user>(u.id)->approved);
        if (test::on_postgres()) {
            CHECK(server_statements(s) == static_cast<std::int64_t>(after.typed));
            check_server_matches_cache(s);
        }
    });
}

TEST_CASE("statement cache: statement_cache=off leaves no prepared statement on the server",
          "[statement-cache][postgres-only]") {
    cache_db f("statement_cache=off");
    f.db.visit([&](auto& e) {
        auto s = e.session();
        auto u = test::make_user("pgbouncer@example.org");
        s.insert(u);
        typed_work(s, u);
        {
            auto tx = s.begin();
            for (int i = 0; i < 20; ++i) run_distinct(s, i);
            CHECK(s.template select<user>().count() == 1);
            tx.commit();
        }
        CHECK(s.remove(u));
        const auto stats = s.connection().cache_stats();
        CHECK(stats.typed == 0);
        CHECK(stats.raw == 0);
        CHECK(stats.raw_capacity == 0);
        CHECK(stats.typed_prepared > 0);  // each typed run parsed its unnamed statement
        CHECK(s.connection().cached_statements() == 0);
        CHECK(server_statements(s) == 0);
    });
}

TEST_CASE("statement cache: the size is set per engine", "[statement-cache]") {
    test::temp_sqlite_file file;
    auto check_capacity = [](auto engine, std::size_t expected) {
        auto s = engine.session();
        CHECK(s.connection().cache_stats().raw_capacity == expected);
    };
    if (test::on_postgres()) {
        auto options =
            retort::postgres::options_from(retort::parse_database_url(test::postgres_url()));
        CHECK(options.statement_cache_size == retort::driver::default_statement_cache_size);
        options.statement_cache_size = 3;
        check_capacity(retort::postgres_engine(options), 3);
        options.statement_cache = false;
        check_capacity(retort::postgres_engine(options), 0);
    } else {
        retort::driver::sqlite::options options;
        options.path = file.path;
        CHECK(options.statement_cache_size == retort::driver::default_statement_cache_size);
        options.statement_cache_size = 3;
        check_capacity(retort::sqlite_engine(options), 3);
    }
    retort::engine::from_url(with_query(test::url_for(file), "statement_cache_size=5"))
        .visit([&](auto& e) { check_capacity(e, 5); });
    retort::engine::from_url(test::url_for(file)).visit([&](auto& e) {
        check_capacity(e, retort::driver::default_statement_cache_size);
    });
}

TEST_CASE("statement cache: the URL keys, and bad values name the key", "[statement-cache]") {
    using retort::parse_database_url;
    const auto sqlite = [](const std::string& query) {
        return retort::sqlite::options_from(parse_database_url("sqlite:///cache.db?" + query));
    };
    const auto postgres = [](const std::string& query) {
        return retort::postgres::options_from(
            parse_database_url("postgresql://u:p@db.example/app?" + query));
    };
    CHECK(sqlite("statement_cache_size=12").statement_cache_size == 12);
    CHECK(sqlite("statement_cache_size=0").statement_cache_size == 0);
    CHECK(postgres("statement_cache_size=7").statement_cache_size == 7);
    CHECK(postgres("statement_cache_size=7").statement_cache);
    CHECK_FALSE(postgres("statement_cache=off").statement_cache);
    CHECK(postgres("statement_cache=on").statement_cache);
    // retort's keys, not libpq's: they are not passed on to it.
    CHECK(postgres("statement_cache=off&statement_cache_size=3&target_session_attrs=any").extra ==
          std::vector<std::pair<std::string, std::string>>{{"target_session_attrs", "any"}});

    using error = retort::configuration_error;
    for (const std::string bad : {"abc", "-1", "1.5", "", "99999999999"}) {
        INFO("statement_cache_size=" << bad);
        const std::string named = "statement_cache_size '" + bad + "'";
        CHECK_THAT(message_of<error>([&] { sqlite("statement_cache_size=" + bad); }),
                   Catch::Contains(named));
        CHECK_THAT(message_of<error>([&] { postgres("statement_cache_size=" + bad); }),
                   Catch::Contains(named));
    }
    CHECK_THAT(message_of<error>([&] { postgres("statement_cache=sometimes"); }),
               Catch::Contains("statement_cache 'sometimes'"));
    // statement_cache is PostgreSQL's (for PgBouncer); SQLite has no use for it.
    CHECK_THAT(message_of<error>([&] { sqlite("statement_cache=off"); }),
               Catch::Contains("unknown SQLite option 'statement_cache'"));
}

TEST_CASE("statement cache: evictions inside an aborted transaction neither fail nor leak",
          "[statement-cache][postgres-only]") {
    cache_db f("statement_cache_size=4");
    f.db.visit([&](auto& e) {
        auto s = e.session();
        auto& conn = s.connection();
        auto tx = s.begin();
        for (int i = 0; i < 40; ++i) run_distinct(s, i);  // 36 evictions, in the transaction
        CHECK(conn.cache_stats().raw == 4);
        CHECK_THROWS_AS(s.execute("SELECT 1 / (CAST(? AS INT) - 1)", 1), retort::error);
        REQUIRE(conn.transaction_failed());
        // Nothing runs now, a new statement included; clearing the cache must wait.
        CHECK_THROWS_AS(run_distinct(s, 1000), retort::error);
        CHECK_NOTHROW(conn.clear_statement_cache());
        CHECK(conn.cached_statements() == 0);
        CHECK(conn.cache_stats().pending_deallocations > 0);
        tx.rollback();
        CHECK(conn.cache_stats().pending_deallocations == 0);
        CHECK(server_statements(s) == 1);  // only the count just prepared
        for (int i = 0; i < 40; ++i) run_distinct(s, i);
        check_server_matches_cache(s);
    });
}

TEST_CASE("statement cache: a stale statement dropped in a transaction is deallocated after it",
          "[statement-cache][postgres-only]") {
    cache_db f("statement_cache_size=4");
    f.db.visit([&](auto& e) {
        auto s = e.session();
        auto& conn = s.connection();
        s.execute_script("CREATE TEMP TABLE shape (a int)");
        s.execute("INSERT INTO shape VALUES (?)", 1);
        constexpr std::string_view select = "SELECT * FROM shape WHERE a = ?";
        CHECK(s.template query<std::int32_t>(select, 1).size() == 1);
        auto tx = s.begin();
        s.execute_script("ALTER TABLE shape ADD COLUMN b int");
        // "cached plan must not change result type": the statement stays on the server, and
        // the transaction is aborted, so its DEALLOCATE waits for the rollback.
        CHECK_THROWS_AS(s.template query<std::int32_t>(select, 1), retort::error);
        CHECK(conn.transaction_failed());
        tx.rollback();
        CHECK(conn.cache_stats().pending_deallocations == 0);
        check_server_matches_cache(s);
        CHECK(s.template query<std::int32_t>(select, 1).size() == 1);
        check_server_matches_cache(s);
    });
}

TEST_CASE("statement cache: statements gone behind its back do not abort the transaction",
          "[statement-cache][postgres-only]") {
    cache_db f("statement_cache_size=4");
    f.db.visit([&](auto& e) {
        auto s = e.session();
        for (int i = 0; i < 4; ++i) run_distinct(s, i);
        auto tx = s.begin();
        s.execute_script("DEALLOCATE ALL");
        // Each eviction queues a DEALLOCATE, some of names already gone; they run in batches
        // under a savepoint, so the transaction carries on.
        for (int i = 100; i < 140; ++i) run_distinct(s, i);
        CHECK_FALSE(s.connection().transaction_failed());
        s.execute("INSERT INTO users (email, approved, created_at) VALUES (?, ?, now())",
                  std::string("kept@example.org"), true);
        tx.commit();
        CHECK(one_int(s, "SELECT count(*) FROM users WHERE email = 'kept@example.org'") == 1);
    });
}

TEST_CASE("statement cache: nested execution works with a capacity of 1", "[statement-cache]") {
    cache_db f("statement_cache_size=1");
    f.db.visit([&](auto& e) {
        auto s = e.session();
        auto& conn = s.connection();
        constexpr std::string_view numbers =
            "WITH RECURSIVE n(x) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT x + 1 FROM n "
            "WHERE x < 5) SELECT x FROM n";
        constexpr std::string_view other = "SELECT CAST(10 AS BIGINT)";
        std::int64_t outer_sum = 0, inner_sum = 0, other_sum = 0;
        const auto outer_rows =
            conn.execute(numbers, retort::driver::no_parameters{}, [&](const auto& row) {
                outer_sum += row.template get<std::int64_t>(0);
                // The same SQL from inside its own rows, and another that would evict it.
                conn.execute(numbers, retort::driver::no_parameters{},
                             [&](const auto& r) { inner_sum += r.template get<std::int64_t>(0); });
                conn.execute(other, retort::driver::no_parameters{},
                             [&](const auto& r) { other_sum += r.template get<std::int64_t>(0); });
                CHECK(conn.cache_stats().raw <= 1);
            });
        CHECK(outer_rows == 5);
        CHECK(outer_sum == 15);  // the outer loop was neither restarted nor cut short
        CHECK(inner_sum == 5 * 15);
        CHECK(other_sum == 5 * 10);
        CHECK(conn.cache_stats().raw == 1);
        // Clearing from inside a row keeps the statement being stepped.
        std::int64_t rows_seen = 0;
        conn.execute(numbers, retort::driver::no_parameters{}, [&](const auto&) {
            ++rows_seen;
            conn.clear_statement_cache();
        });
        CHECK(rows_seen == 5);
    });
}

// ---- raw SQL takes exactly one argument per placeholder ---------------------------------------

TEST_CASE("raw SQL: too many arguments are refused, naming both counts and the SQL",
          "[statement-cache][raw-sql]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        const std::string sql = "SELECT CAST(? AS TEXT)";
        try {
            s.template query<std::string>(sql, std::string("a"), std::string("b"));
            FAIL("no exception");
        } catch (const retort::programming_error& e) {
            CHECK(std::string(e.what()) ==
                  "retort: the SQL takes 1 parameter but 2 arguments were given, in: " + sql);
            CHECK(e.details().sql == sql);
        }
        CHECK_THROWS_MATCHES(
            s.execute("SELECT 1", 7), retort::programming_error,
            Catch::Message(
                "retort: the SQL takes 0 parameters but 1 argument was given, in: SELECT 1"));
        // Nothing ran: the insert below would have added a row.
        CHECK_THROWS_AS(
            s.execute("INSERT INTO users (email, approved, created_at) VALUES (?, ?, ?)",
                      std::string("x@example.org"), true, test::at(2026, 1, 1), 4),
            retort::programming_error);
        CHECK(s.template select<user>().count() == 0);
        // The connection carries on.
        CHECK(std::get<0>(s.template query<std::string>(sql, std::string("a")).at(0)) == "a");
    });
}

TEST_CASE("raw SQL: too few arguments are a programming error, not a lost connection",
          "[statement-cache][raw-sql]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        const std::string sql = "SELECT CAST(? AS TEXT) || CAST(? AS TEXT)";
        try {
            s.template query<std::string>(sql, std::string("a"));
            FAIL("no exception");
        } catch (const retort::programming_error& e) {
            CHECK(std::string(e.what()) ==
                  "retort: the SQL takes 2 parameters but 1 argument was given, in: " + sql);
            CHECK(e.details().sql == sql);
        }
        CHECK_THROWS_MATCHES(
            s.execute("UPDATE users SET approved = ? WHERE id = ?"), retort::programming_error,
            Catch::Message("retort: the SQL takes 2 parameters but 0 arguments were given, in: "
                           "UPDATE users SET approved = ? WHERE id = ?"));
        CHECK(s.connection().is_open());
        CHECK_FALSE(s.connection().in_transaction());
        CHECK(std::get<0>(
                  s.template query<std::string>(sql, std::string("a"), std::string("b")).at(0)) ==
              "ab");
    });
}

TEST_CASE("raw SQL: question marks in literals, identifiers and comments are not placeholders",
          "[statement-cache][raw-sql]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        const auto text = [&](std::string_view sql, const auto&... args) {
            return std::get<0>(s.template query<std::string>(sql, args...).at(0));
        };
        CHECK(text("SELECT '?' || CAST(? AS TEXT) -- why?\n", std::string("x")) == "?x");
        CHECK(text("SELECT /* ? */ CAST(? AS TEXT) || 'it''s ?'", std::string("y")) == "yit's ?");
        CHECK(text(R"(SELECT "q?" FROM (SELECT CAST(? AS TEXT) AS "q?") AS t)", std::string("z")) ==
              "z");
        CHECK_THAT(message_of<retort::programming_error>(
                       [&] { text("SELECT '?' -- ?", std::string("extra")); }),
                   Catch::Contains("takes 0 parameters but 1 argument was given"));
    });
}

TEST_CASE("raw SQL: ?? is PostgreSQL's jsonb operator, not a placeholder",
          "[statement-cache][raw-sql][postgres-only]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        const std::string sql = R"(SELECT CAST('{"k": 1}' AS jsonb) ?? CAST(? AS TEXT))";
        CHECK(std::get<0>(s.template query<bool>(sql, std::string("k")).at(0)));
        CHECK_FALSE(std::get<0>(s.template query<bool>(sql, std::string("j")).at(0)));
        CHECK_THROWS_MATCHES(
            s.template query<bool>(sql, std::string("k"), std::string("j")),
            retort::programming_error,
            Catch::Message("retort: the SQL takes 1 parameter but 2 arguments were given, in: " +
                           sql));
    });
}

TEST_CASE("raw SQL: a refused call sends nothing to the server",
          "[statement-cache][raw-sql][postgres-only]") {
    int logged = 0;  // declared first: the logger must not outlive it
    test::fresh_db f;
    f.db.on_sql([&](std::string_view, std::chrono::nanoseconds) { ++logged; });
    f.db.visit([&](auto& e) {
        auto s = e.session();
        auto u = test::make_user("queued@example.org");
        s.add(u);  // would be flushed by the next statement that runs
        CHECK_THROWS_AS(s.execute("SELECT CAST(? AS TEXT)"), retort::programming_error);
        CHECK(logged == 0);
        CHECK(u.id == 0);
        s.rollback();
    });
}

TEST_CASE("sqlite driver: a parameter count mismatch names the SQL",
          "[statement-cache][sqlite-only]") {
    retort::driver::sqlite::connection db{retort::driver::sqlite::options{.path = ":memory:"}};
    CHECK_THROWS_MATCHES(
        db.execute(retort::driver::static_sql{"SELECT ?, ?"}, retort::driver::no_parameters{},
                   retort::driver::discard_rows{}),
        retort::programming_error,
        Catch::Message(
            "retort: the SQL takes 2 parameters but 0 arguments were given, in: SELECT ?, ?"));
    CHECK_THROWS_MATCHES(
        db.execute(
            "SELECT ?, ?", [](auto& b) { b.bind(std::int64_t{1}); },
            retort::driver::discard_rows{}),
        retort::programming_error,
        Catch::Message(
            "retort: the SQL takes 2 parameters but 1 argument was given, in: SELECT ?, ?"));
}
