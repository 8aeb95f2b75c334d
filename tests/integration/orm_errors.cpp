// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// Errors: each constraint violation has its class, its driver code and its constraint; bad
// configuration and unreachable servers fail fast with messages that never show a password.

#include "../support/test_db.hpp"

#include <chrono>

using app::job;
using app::user;
using retort::col;

TEST_CASE("constraint violations map to their error classes and name the constraint",
          "[orm][errors]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        constexpr bool pg =
            std::is_same_v<typename std::remove_cvref_t<decltype(e)>::backend, retort::postgres>;
        auto s = e.session();
        auto u = test::make_user("dup@example.org");
        s.insert(u);

        try {
            s.insert(test::make_user("dup@example.org"));
            FAIL("a duplicate email was accepted");
        } catch (const retort::unique_violation& err) {
            CHECK(err.constraint() == "uq_users_email");  // on SQLite too: one handler for both
            if constexpr (pg) {
                CHECK(err.sqlstate() == "23505");
            } else {
                CHECK(err.sqlite_code() == 2067);  // SQLITE_CONSTRAINT_UNIQUE
                CHECK(err.details().table == "users");
                CHECK(err.details().column == "email");
            }
            CHECK(std::string{err.what()}.find("INSERT INTO") != std::string::npos);
        }

        try {
            s.insert(test::make_job("orphan", 999999));
            FAIL("a job without its user was accepted");
        } catch (const retort::foreign_key_violation& err) {
            if constexpr (pg) {
                CHECK(err.sqlstate() == "23503");
                CHECK(err.constraint() == "fk_dgs_jobs_user_id_users");
            } else {
                CHECK(err.sqlite_code() == 787);  // SQLITE_CONSTRAINT_FOREIGNKEY
            }
        }

        auto bad = test::make_job("bad-progress", u.id);
        bad.progress = 2.0;
        try {
            s.insert(bad);
            FAIL("progress 2.0 passed its CHECK");
        } catch (const retort::check_violation& err) {
            if constexpr (pg) {
                CHECK(err.sqlstate() == "23514");
                CHECK(err.constraint() == "ck_dgs_jobs_progress");
            } else {
                CHECK(err.sqlite_code() == 275);  // SQLITE_CONSTRAINT_CHECK
                CHECK(err.constraint() == "ck_dgs_jobs_progress");
            }
        }

        CHECK_THROWS_AS(
            s.execute("INSERT INTO users (email, approved, created_at) VALUES (NULL, ?, ?)", true,
                      test::at(2026, 1, 1)),
            retort::not_null_violation);
        // max_length holds on both backends (a CHECK on SQLite, varchar(255) on PostgreSQL)
        CHECK_THROWS_AS(s.insert(test::make_user(std::string(300, 'x') + "@example.org")),
                        retort::error);
        // an enum column refuses text that is not one of its values
        s.insert(test::make_job("valid", u.id));
        CHECK_THROWS_AS(s.execute("UPDATE dgs_jobs SET status = ?", "exploded"),
                        retort::check_violation);
        CHECK(s.template get<job>(std::string{"valid"})->status == app::job_status::queued);
        // nothing above was half-written
        CHECK(s.template select<job>().count() == 1);
        CHECK(s.template select<user>().count() == 1);
    });
}

TEST_CASE("malformed DATABASE_URLs are configuration errors that name the problem",
          "[orm][errors]") {
    using retort::configuration_error;
    auto message = [](const char* url) {
        try {
            retort::engine::from_url(url);
        } catch (const configuration_error& e) {
            return std::string{e.what()};
        }
        return std::string{"no error"};
    };
    CHECK(message("mysql://u:p@h/db").find("unsupported scheme 'mysql'") != std::string::npos);
    CHECK(message("not a url").find("no scheme") != std::string::npos);
    CHECK(message("postgresql://u:hunter2@host:99999/db").find("invalid port") !=
          std::string::npos);
    CHECK(message("postgresql://u:hunter2@host:99999/db").find("hunter2") == std::string::npos);
    CHECK(message("sqlite://relative.db").find("names no SQLite file") != std::string::npos);
    CHECK(message("sqlite:///x.db?journal_mode=sideways").find("sideways") != std::string::npos);
    CHECK(message("sqlite:///x.db?colour=blue").find("unknown SQLite option 'colour'") !=
          std::string::npos);
}

TEST_CASE("a wrong password is a connection error that does not show the password",
          "[postgres-only][errors]") {
    auto url = retort::parse_database_url(test::postgres_url());
    const std::string wrong = "Wr0ngPassw0rdXYZ";
    std::string bad = "postgresql://" + url.user + ":" + wrong + "@" + url.hosts.at(0).host + ":" +
                      std::to_string(url.hosts.at(0).port) + "/" + url.database;
    auto db = retort::engine::from_url(bad);
    try {
        db.visit([](auto& e) { e.session(); });
        FAIL("connected with a wrong password");
    } catch (const retort::connection_error& err) {
        std::string what = err.what();
        CHECK(what.find(wrong) == std::string::npos);
        CHECK(what.find("password authentication failed") != std::string::npos);
    }
    auto h = db.health();
    CHECK_FALSE(h.ok);
    CHECK(h.error.find(wrong) == std::string::npos);
}

TEST_CASE("an unreachable server fails fast with a clear message", "[postgres-only][errors]") {
    auto start = std::chrono::steady_clock::now();
    auto db = retort::engine::from_url(
        "postgresql://nobody:secretpw@127.0.0.1:1/nothing?connect_timeout=2");
    try {
        db.visit([](auto& e) { e.session(); });
        FAIL("connected to a closed port");
    } catch (const retort::connection_error& err) {
        std::string what = err.what();
        CHECK(what.find("127.0.0.1:1") != std::string::npos);
        CHECK(what.find("secretpw") == std::string::npos);
    }
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("a dropped connection is reported as a connection error and not reused",
          "[postgres-only][errors]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto victim = e.session();
        auto pid = victim.template query<std::int32_t>("SELECT pg_backend_pid()");
        REQUIRE(pid.size() == 1);
        {
            auto killer = e.session();
            killer.template query<bool>("SELECT pg_terminate_backend(?)", std::get<0>(pid[0]));
        }
        CHECK_THROWS_AS(victim.template select<user>().count(), retort::connection_error);
        victim.close();  // the lost connection is dropped, not pooled
        auto fresh = e.session();
        CHECK(fresh.template select<user>().count() == 0);
    });
}

TEST_CASE("an unwritable SQLite path is a connection error naming it", "[sqlite-only][errors]") {
    auto db = retort::engine::from_url("sqlite:////nonexistent-dir/deeper/x.db");
    try {
        db.visit([](auto& e) { e.session(); });
        FAIL("opened a database in a directory that does not exist");
    } catch (const retort::connection_error& err) {
        CHECK(std::string{err.what()}.find("/nonexistent-dir/deeper/x.db") != std::string::npos);
    }
}
