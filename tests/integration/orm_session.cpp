// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// Sessions: transactions, savepoints, the unit of work, the pool, the statement cache, health,
// the SQL log hook and schema creation.

#include "../support/test_db.hpp"

using app::job;
using app::user;
using retort::col;

TEST_CASE("a transaction commits, and rolls back unless committed", "[orm][session]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        {
            auto tx = s.begin();
            s.insert(test::make_user("kept@example.org"));
            tx.commit();
        }
        {
            auto tx = s.begin();
            s.insert(test::make_user("dropped@example.org"));
        }  // destroyed uncommitted
        {
            auto tx = s.begin();
            s.insert(test::make_user("undone@example.org"));
            tx.rollback();
            CHECK_FALSE(tx.active());
        }
        CHECK_THROWS_AS(([&] {
                            auto tx = s.begin();
                            s.insert(test::make_user("thrown@example.org"));
                            throw std::runtime_error("boom");
                        }()),
                        std::runtime_error);
        auto other = e.session();  // another connection sees only committed rows
        auto all = other.template select<user>().all();
        REQUIRE(all.size() == 1);
        CHECK(all[0].email == "kept@example.org");
        CHECK_FALSE(s.in_transaction());
    });
}

TEST_CASE("nested transactions are savepoints", "[orm][session]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto outer = s.begin();
        s.insert(test::make_user("outer@example.org"));
        {
            auto inner = s.begin();
            s.insert(test::make_user("inner-rolled-back@example.org"));
            inner.rollback();
        }
        {
            auto inner = s.begin();
            s.insert(test::make_user("inner-kept@example.org"));
            CHECK_THROWS_AS(outer.commit(), retort::programming_error);  // inner still open
            inner.commit();
        }
        outer.commit();
        auto rows = s.template select<user>().order_by(retort::asc(col<&user::email>)).all();
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].email == "inner-kept@example.org");
        CHECK(rows[1].email == "outer@example.org");
    });
}

TEST_CASE("a failed statement inside a savepoint leaves the outer transaction usable",
          "[orm][session]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto outer = s.begin();
        s.insert(test::make_user("first@example.org"));
        {
            auto inner = s.begin();
            CHECK_THROWS_AS(s.insert(test::make_user("first@example.org")),
                            retort::unique_violation);
        }  // rolled back to the savepoint
        s.insert(test::make_user("second@example.org"));
        outer.commit();
        CHECK(s.template select<user>().count() == 2);
    });
}

TEST_CASE("add queues, flush writes, commit makes it permanent, rollback discards",
          "[orm][session]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto a = test::make_user("queued-a@example.org");
        auto b = test::make_user("queued-b@example.org");
        s.add(a);
        s.add(b);
        CHECK(a.id == 0);
        s.flush();
        CHECK(a.id > 0);
        CHECK(b.id == a.id + 1);
        CHECK(s.in_transaction());
        {
            auto other = e.session();
            if (!std::is_same_v<typename std::remove_cvref_t<decltype(e)>::backend,
                                retort::sqlite> ||
                true)  // neither backend shows uncommitted rows to another connection
                CHECK(other.template select<user>().count() == 0);
        }
        s.commit();
        CHECK_FALSE(s.in_transaction());

        auto c = test::make_user("queued-c@example.org");
        s.add(c);
        // get() and queries flush first, so the session sees its own pending work
        CHECK(s.template select<user>().count() == 3);
        s.rollback();
        CHECK(s.template select<user>().count() == 2);

        auto d = test::make_user("never@example.org");
        s.add(d);
        s.rollback();  // discarded before it was written
        s.commit();
        CHECK(s.template select<user>().count() == 2);
        CHECK(d.id == 0);
    });
}

TEST_CASE("sessions return their connection to the pool", "[orm][session]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto before = e.pool().open_connections();
        {
            auto s1 = e.session();
            auto s2 = e.session();
            CHECK(e.pool().open_connections() >= 2);
        }
        CHECK(e.pool().idle_connections() >= 2);
        auto after = e.pool().open_connections();
        { auto s3 = e.session(); }
        CHECK(e.pool().open_connections() == after);
        CHECK(after >= before);
    });
}

TEST_CASE("a session left in a transaction is rolled back when it closes", "[orm][session]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        {
            auto s = e.session();
            auto u = test::make_user("abandoned@example.org");
            s.add(u);
            s.flush();
        }
        auto s = e.session();
        CHECK(s.template select<user>().count() == 0);
        CHECK_FALSE(s.in_transaction());
    });
}

TEST_CASE("prepared statements are cached per connection and reused", "[orm][session]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto u = test::make_user("cache@example.org");
        s.insert(u);
        for (int i = 0; i < 3; ++i) s.template get<user>(u.id);
        auto cached = s.connection().cached_statements();
        for (int i = 0; i < 20; ++i) {
            CHECK(s.template get<user>(u.id).has_value());
            CHECK(
                s.template select<user>().where(col<&user::email> == "cache@example.org").count() ==
                1);
        }
        s.template select<user>().where(col<&user::email> == "cache@example.org").count();
        auto after_warmup = s.connection().cached_statements();
        for (int i = 0; i < 20; ++i)
            s.template select<user>().where(col<&user::email> == "x").count();
        CHECK(s.connection().cached_statements() == after_warmup);
        CHECK(after_warmup >= cached);
    });
}

TEST_CASE("health reports the backend, its version and a round-trip latency", "[orm][session]") {
    test::fresh_db f;
    auto h = f.db.health();
    CHECK(h.ok);
    CHECK(h.error.empty());
    CHECK(h.backend == (test::on_postgres() ? "postgresql" : "sqlite"));
    CHECK_FALSE(h.server_version.empty());
    CHECK(h.latency.count() >= 0);
}

TEST_CASE("the SQL log hook sees each statement and its duration, never the values",
          "[orm][session]") {
    test::fresh_db f;
    std::vector<std::string> seen;
    std::chrono::nanoseconds total{0};
    f.db.on_sql([&](std::string_view sql, std::chrono::nanoseconds t) {
        seen.emplace_back(sql);
        total += t;
    });
    f.db.visit([](auto& e) {
        auto s = e.session();
        s.insert(test::make_user("secret-value@example.org"));
    });
    f.db.on_sql({});
    REQUIRE_FALSE(seen.empty());
    bool saw_insert = false;
    for (const auto& sql : seen) {
        saw_insert = saw_insert || sql.rfind("INSERT INTO \"users\"", 0) == 0;
        CHECK(sql.find("secret-value") == std::string::npos);
    }
    CHECK(saw_insert);
    CHECK(total.count() > 0);
}

TEST_CASE("create_all orders tables by foreign keys, is idempotent, and cascades work",
          "[orm][schema]") {
    test::temp_sqlite_file file;
    auto db = retort::engine::from_url(test::url_for(file));
    db.visit([](auto& e) {
        e.template drop_all<app::lesson, app::job, app::user>();
        e.template create_all<app::lesson, app::job, app::user>();  // children listed first
        e.template create_all<app::lesson, app::job, app::user>();  // a second call changes nothing
        auto s = e.session();
        CHECK(s.table_exists("users"));
        CHECK(s.table_exists("dgs_jobs"));
        CHECK(s.table_exists("dgs_lessons"));
        auto u = test::make_user("cascade@example.org");
        s.insert(u);
        s.insert(test::make_job("cj1", u.id));
        app::lesson l{"l1",
                      "cj1",
                      "sql",
                      "joins",
                      {"a", "b"},
                      {1, 2},
                      std::chrono::sys_days{std::chrono::year{2026} / 5 / 6}};
        s.insert(l);
        CHECK(s.remove(u));
        CHECK(s.template select<job>().count() == 0);
        CHECK(s.template select<app::lesson>().count() == 0);
        e.template drop_all<app::lesson, app::job, app::user>();
        CHECK_FALSE(s.table_exists("users"));
    });
}
