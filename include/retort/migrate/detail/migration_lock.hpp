// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// One migrator at a time, for as long as it runs.
//  - PostgreSQL: a session-level advisory lock, tried until `wait` runs out (then busy_error,
//    so a stuck migrator cannot hang every replica that migrates at start-up).
//  - SQLite: each unit runs in BEGIN EXCLUSIVE; while a migrator holds it, others wait in that
//    BEGIN for up to `wait` (the busy timeout is raised for the run, then restored).

#include <retort/error.hpp>
#include <retort/schema/naming.hpp>
#include <retort/session/session.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <type_traits>

namespace retort::migrate::detail {

/// Taking (tried, not waited for) and releasing the advisory lock; the key is the hash of
/// "retort migrations".
inline std::string advisory_lock_sql(bool take) {
    return std::string{take ? "SELECT pg_try_advisory_lock(" : "SELECT pg_advisory_unlock("} +
           std::to_string(static_cast<std::int32_t>(schema::fnv1a32("retort migrations"))) + ")";
}

template <class Backend, class F>
void with_migration_lock(basic_session<Backend>& s, std::chrono::milliseconds wait, F&& f) {
    if constexpr (std::is_same_v<Backend, retort::sqlite>) {
        std::int64_t previous = 0;
        for (auto& [ms] : s.template query<std::int64_t>("PRAGMA busy_timeout")) previous = ms;
        const auto restore = [&] {
            s.execute_script("PRAGMA busy_timeout = " + std::to_string(previous));
        };
        if (wait.count() > 0)
            s.execute_script("PRAGMA busy_timeout = " + std::to_string(wait.count()));
        try {
            f();
        } catch (...) {
            try {
                restore();
            } catch (...) {  // the first error is the one to report
            }
            throw;
        }
        restore();
    } else {
        const auto deadline = std::chrono::steady_clock::now() + wait;
        for (auto pause = std::chrono::milliseconds(20);;
             pause = std::min(pause * 2, std::chrono::milliseconds(1000))) {
            bool taken = false;
            for (auto& [ok] : s.template query<bool>(advisory_lock_sql(true))) taken = ok;
            if (taken) break;
            if (std::chrono::steady_clock::now() >= deadline)
                throw busy_error("another migrator has held the migration lock for " +
                                 std::to_string(wait.count()) + " ms; giving up");
            std::this_thread::sleep_for(pause);
        }
        auto& c = s.connection();
        try {
            f();
        } catch (...) {
            try {
                if (c.in_transaction()) c.execute_script("ROLLBACK");
                c.execute_script(advisory_lock_sql(false));
            } catch (...) {
            }
            throw;
        }
        c.execute_script(advisory_lock_sql(false));
    }
}

}  // namespace retort::migrate::detail
