// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The database a test runs on: RETORT_TEST_BACKEND=sqlite (a fresh file per test) or
// RETORT_TEST_BACKEND=postgres (the server at RETORT_TEST_POSTGRES_URL, tables dropped before and
// after each test). Every integration test runs once per backend.

#include "models.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace test {

inline std::string backend_name() {
    const char* b = std::getenv("RETORT_TEST_BACKEND");
    return b && *b ? std::string{b} : std::string{"sqlite"};
}
inline bool on_postgres() {
    return backend_name() == "postgres";
}

inline std::string postgres_url() {
    const char* url = std::getenv("RETORT_TEST_POSTGRES_URL");
    if (!url || !*url)
        throw std::runtime_error(
            "RETORT_TEST_POSTGRES_URL is not set: run the suite with `make test`, "
            "which starts a PostgreSQL server for it");
    return url;
}

/// A fresh SQLite file path, removed (with its -wal and -shm) when the holder dies.
struct temp_sqlite_file {
    std::string path;
    temp_sqlite_file() {
        static std::atomic<int> counter{0};
        path =
            (std::filesystem::temp_directory_path() / ("retort-test-" + std::to_string(::getpid()) +
                                                       "-" + std::to_string(counter++) + ".db"))
                .string();
        remove_files();
    }
    ~temp_sqlite_file() { remove_files(); }
    void remove_files() const {
        std::remove(path.c_str());
        std::remove((path + "-wal").c_str());
        std::remove((path + "-shm").c_str());
    }
};

/// The URL of this test's database.
inline std::string url_for(const temp_sqlite_file& file) {
    return on_postgres() ? postgres_url() : "sqlite:///" + file.path;
}

/// Runs f(session) on a session of the PostgreSQL test database (whichever backend the run is
/// for: for [postgres-only] tests), with the SQL `cleanup` run before, after, and when f
/// throws, so that the test leaves the server all tests share as it found it.
template <class F>
void with_postgres_session(const std::string& cleanup, F f) {
    auto db = retort::engine::from_url(postgres_url());
    db.visit([&](auto& e) {
        if constexpr (std::is_same_v<typename std::decay_t<decltype(e)>::backend,
                                     retort::postgres>) {
            auto s = e.session();
            s.execute_script(cleanup);
            try {
                f(s);
            } catch (...) {
                s.execute_script(cleanup);
                throw;
            }
            s.execute_script(cleanup);
        }
    });
}

/// A database with the shared models' tables created empty, dropped again at the end.
struct fresh_db {
    temp_sqlite_file file;
    retort::engine db;

    fresh_db() : db(retort::engine::from_url(url_for(file))) {
        db.visit([](auto& e) {
            drop(e);
            e.template create_all<app::user, app::job, app::lesson, app::llm_call_audit,
                                  app::email_delivery_log, app::all_types, app::membership>();
        });
    }
    ~fresh_db() {
        try {
            db.visit([](auto& e) { drop(e); });
        } catch (...) {
        }
    }
    template <class E>
    static void drop(E& e) {
        e.template drop_all<app::user, app::job, app::lesson, app::llm_call_audit,
                            app::email_delivery_log, app::all_types, app::membership>();
    }
};

inline retort::timestamp at(int year, unsigned month, unsigned day, int hour = 0, int minute = 0,
                            int second = 0, int micros = 0) {
    using namespace std::chrono;
    return sys_days{std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day}} +
           hours{hour} + minutes{minute} + seconds{second} + microseconds{micros};
}

inline app::user make_user(std::string email, bool approved = false) {
    app::user u;
    u.email = std::move(email);
    u.approved = approved;
    u.created_at = at(2026, 1, 2, 3, 4, 5, 6);
    return u;
}

inline app::job make_job(std::string id, std::int64_t user_id,
                         app::job_status status = app::job_status::queued) {
    app::job j;
    j.job_id = std::move(id);
    j.user_id = user_id;
    j.request = retort::json{R"({"topic":"sql","depth":2})"};
    j.status = status;
    j.phase = "plan";
    j.created_at = at(2026, 3, 4);
    return j;
}

}  // namespace test
