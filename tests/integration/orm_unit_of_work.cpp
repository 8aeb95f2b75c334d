// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// The unit of work against transactions: what add() queued belongs to the scope it was queued
// in, every statement flushes first, a failed flush leaves the session usable, and a commit
// never reports success for work the server threw away.

#include "../support/test_db.hpp"

#include <thread>

using app::job;
using app::user;
using retort::col;

namespace {
template <class E>
constexpr bool is_postgres =
    std::is_same_v<typename std::remove_cvref_t<E>::backend, retort::postgres>;
}  // namespace

TEST_CASE("committing a transaction after a caught error never loses work silently", "[orm][uow]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto tx = s.begin();
        s.insert(test::make_user("a@example.org"));
        CHECK_THROWS_AS(s.insert(test::make_user("a@example.org")), retort::unique_violation);
        if constexpr (is_postgres<decltype(e)>) {
            // PostgreSQL aborted the transaction: commit must say so, not pretend.
            CHECK_THROWS_AS(tx.commit(), retort::operational_error);
            CHECK(s.template select<user>().count() == 0);
        } else {
            // SQLite rolls back only the failed statement: the transaction commits its work.
            tx.commit();
            CHECK(s.template select<user>().count() == 1);
        }
        CHECK_FALSE(s.in_transaction());
        CHECK_FALSE(s.connection().in_transaction());
    });
}

TEST_CASE("the session's own transaction reports an aborted commit too", "[orm][uow]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto a = test::make_user("a@example.org");
        auto dup = test::make_user("a@example.org");
        s.add(a);
        s.flush();
        CHECK_THROWS_AS(s.insert(dup), retort::unique_violation);
        if constexpr (is_postgres<decltype(e)>) {
            CHECK_THROWS_AS(s.commit(), retort::operational_error);
            CHECK(s.template select<user>().count() == 0);
        } else {
            s.commit();
            CHECK(s.template select<user>().count() == 1);
        }
    });
}

TEST_CASE("objects queued inside a savepoint go with it; objects queued before it stay",
          "[orm][uow]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto before = test::make_user("before@example.org");
        auto inside = test::make_user("inside@example.org");
        auto kept = test::make_user("kept@example.org");
        auto outer = s.begin();
        s.add(before);
        {
            auto inner = s.begin();  // `before` is flushed into the outer transaction first
            s.add(inside);
            inner.rollback();  // drops `inside`, queued in this savepoint
        }
        {
            auto inner = s.begin();
            s.add(kept);
            inner.commit();  // flushes `kept` into the outer transaction
        }
        outer.commit();
        auto rows = s.template select<user>().order_by(retort::asc(col<&user::email>)).all();
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].email == "before@example.org");
        CHECK(rows[1].email == "kept@example.org");
        CHECK(inside.id == 0);
    });
}

TEST_CASE("objects queued before begin() belong to that transaction", "[orm][uow]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto c = test::make_user("c@example.org");
        auto d = test::make_user("d@example.org");
        s.add(c);
        {
            auto tx = s.begin();
            tx.rollback();
        }
        CHECK(s.template select<user>().count() == 0);  // c went with the rolled-back transaction
        s.add(d);
        {
            auto tx = s.begin();
            tx.commit();
        }
        CHECK(s.template select<user>().count() == 1);
        CHECK(d.id > 0);
        CHECK_FALSE(s.in_transaction());
    });
}

TEST_CASE("begin() while the session's own transaction is open is refused", "[orm][uow]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto a = test::make_user("a@example.org");
        s.add(a);
        s.flush();  // the session begins its own transaction
        CHECK_THROWS_AS(s.begin(), retort::programming_error);
        s.commit();
        auto tx = s.begin();  // fine once it is committed
        tx.commit();
        CHECK(s.template select<user>().count() == 1);
    });
}

TEST_CASE("every statement flushes first, even one built before add()", "[orm][uow]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto q = s.template select<user>().where(col<&user::email> == "late@example.org");
        auto late = test::make_user("late@example.org");
        s.add(late);
        CHECK(q.count() == 1);  // the query runs after add(): it sees the row
        auto c = test::make_user("removed@example.org");
        s.add(c);
        CHECK(s.remove(c));  // flushed, then removed
        s.commit();
        CHECK(s.template select<user>().count() == 1);
    });
}

TEST_CASE("a failed flush discards the rest of the queue and leaves the session usable",
          "[orm][uow]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto a = test::make_user("a@example.org");
        auto dup = test::make_user("a@example.org");
        auto b = test::make_user("b@example.org");
        s.add(a);
        s.add(dup);
        s.add(b);
        CHECK_THROWS_AS(s.flush(), retort::unique_violation);
        CHECK_FALSE(s.in_transaction());  // the transaction flush() began is rolled back
        CHECK(b.id == 0);                 // never written
        CHECK(s.template select<user>().count() == 0);
        auto c = test::make_user("c@example.org");
        s.add(c);
        s.commit();
        CHECK(s.template select<user>().count() == 1);
    });
}

TEST_CASE("a connection is never pooled with a transaction still open on the server",
          "[orm][uow]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        {
            auto s = e.session();
            s.execute_script("BEGIN");  // behind the session's back
            s.insert(test::make_user("ghost@example.org"));
        }
        for (int i = 0; i < 3; ++i) {
            auto s = e.session();
            CHECK_FALSE(s.connection().in_transaction());
            CHECK(s.template select<user>().count() == 0);
        }
    });
}

TEST_CASE("merge with an explicit generated key does not make the next insert collide",
          "[orm][uow]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto u = test::make_user("explicit@example.org");
        u.id = 5;
        s.merge(u);
        auto next = test::make_user("next@example.org");
        s.insert(next);
        CHECK(next.id > 5);
        CHECK(s.template select<user>().count() == 2);
    });
}

TEST_CASE("a throwing or re-entrant SQL logger never breaks a statement", "[orm][uow]") {
    test::fresh_db f;
    int calls = 0;
    f.db.on_sql([&](std::string_view, std::chrono::nanoseconds) {
        ++calls;
        throw std::runtime_error("logger failure");
    });
    f.db.visit([](auto& e) {
        auto s = e.session();
        s.insert(test::make_user("logged@example.org"));
        CHECK(s.template select<user>().count() == 1);
    });
    CHECK(calls >= 2);
    f.db.visit([](auto& e) {
        auto* engine = &e;
        std::int64_t seen = -1;
        e.on_sql([engine, &seen](std::string_view sql, std::chrono::nanoseconds) {
            if (sql.find("INSERT") == 0) seen = engine->session().template select<user>().count();
        });
        auto s = e.session();
        s.insert(test::make_user("reentrant@example.org"));
        e.on_sql({});
        CHECK(seen == 2);  // the logger ran a query of its own on another connection
    });
}

TEST_CASE("the pool waits for a free connection, then times out", "[orm][uow]") {
    test::temp_sqlite_file file;
    auto db = retort::engine::from_url(test::url_for(file),
                                       retort::pool_options{1, std::chrono::milliseconds{200}});
    db.visit([](auto& e) {
        auto held = e.session();
        auto start = std::chrono::steady_clock::now();
        CHECK_THROWS_AS(e.session(), retort::timeout_error);
        CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds{150});
    });
}

TEST_CASE("sessions on several threads write concurrently without losing a row", "[orm][uow]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        constexpr int threads = 4, per_thread = 25;
        std::vector<std::thread> workers;
        std::atomic<int> failures{0};
        for (int t = 0; t < threads; ++t)
            workers.emplace_back([&e, &failures, t] {
                try {
                    auto s = e.session();
                    for (int i = 0; i < per_thread; ++i) {
                        auto tx = s.begin();  // read, then write, in one transaction
                        auto n = s.template select<user>().count();
                        auto u = test::make_user("t" + std::to_string(t) + "-" + std::to_string(i) +
                                                 "@example.org");
                        u.display_name = std::to_string(n);
                        s.insert(u);
                        tx.commit();
                    }
                } catch (const std::exception& ex) {
                    UNSCOPED_INFO(ex.what());
                    ++failures;
                }
            });
        for (auto& w : workers) w.join();
        CHECK(failures == 0);
        CHECK(e.session().template select<user>().count() == threads * per_thread);
    });
}
