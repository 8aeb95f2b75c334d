// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.

// SQLite: each workload through retort, then right after it the same work written by hand
// against the sqlite3 C API, as an expert would write it: statements prepared once, values
// bound with SQLITE_STATIC, no copies beyond building the result objects, every return code
// checked. The raw connection is opened the way retort's driver opens one (see
// include/retort/driver/sqlite/connection.hpp): NOMUTEX, extended result codes, a 5 s busy
// timeout, DQS off, journal_mode=WAL, synchronous=NORMAL, foreign_keys=ON. Both twins use the
// table retort's DDL creates, in a temporary file that is removed afterwards.

#include "bench_common.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using bench::bench_row;

// ---- a temporary database file ----------------------------------------------------------

class temp_file {
public:
    temp_file() {
        const char* dir = std::getenv("TMPDIR");
        std::string pattern =
            std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/retort-bench-XXXXXX.db";
        const int fd = ::mkstemps(pattern.data(), 3);
        if (fd < 0) throw std::runtime_error("cannot create a temporary file for SQLite");
        ::close(fd);  // an empty file is a valid, empty database
        path_ = std::move(pattern);
    }
    temp_file(const temp_file&) = delete;
    temp_file& operator=(const temp_file&) = delete;
    ~temp_file() {
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
            std::remove((path_ + suffix).c_str());
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

retort::sqlite_engine open_engine(const std::string& path) {
    // retort's defaults: WAL, synchronous=NORMAL, foreign keys on, 5 s busy timeout.
    retort::driver::sqlite::options o;
    o.path = path;
    return retort::sqlite_engine(std::move(o));
}

// Empties the table and checkpoints the WAL, so that every timed insert starts from the same
// state in both twins. Run outside the timed region.
constexpr const char* clear_table_sql = "DELETE FROM bench_rows; PRAGMA wal_checkpoint(TRUNCATE)";

/// A file whose bench_rows table holds bench::make_rows(), inserted by retort; shared by the
/// lookup and scan benchmarks of both twins, built on first use.
struct filled_database {
    temp_file file;
    std::int64_t first_id = 0;

    filled_database() {
        auto engine = open_engine(file.path());
        auto session = engine.session();
        session.create_all<bench_row>();
        auto rows = bench::make_rows();
        auto tx = session.begin();
        for (auto& r : rows) session.insert(r);
        tx.commit();
        if (!bench::keys_written_back(rows)) throw std::runtime_error("filling the table failed");
        first_id = rows.front().id;
    }
};

const filled_database& filled_sqlite_database() {
    static const filled_database db;
    return db;
}

// ---- the raw twins' sqlite3 plumbing ---------------------------------------------------

[[noreturn]] void fail(sqlite3* db, int rc, const char* what) {
    throw std::runtime_error(std::string(what) + ": " +
                             (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

struct finalize {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using statement = std::unique_ptr<sqlite3_stmt, finalize>;

/// A connection opened and configured exactly as retort's driver opens one.
class raw_database {
public:
    explicit raw_database(const std::string& path) {
        const int rc = sqlite3_open_v2(path.c_str(), &db_,
                                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                           SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                                       nullptr);
        if (rc != SQLITE_OK) {
            const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
            sqlite3_close_v2(db_);
            throw std::runtime_error("sqlite3_open_v2: " + message);
        }
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, 5000);
        sqlite3_db_config(db_, SQLITE_DBCONFIG_DQS_DML, 0, nullptr);
        exec("PRAGMA journal_mode = WAL");
        exec("PRAGMA synchronous = NORMAL");
        exec("PRAGMA foreign_keys = ON");
    }
    raw_database(const raw_database&) = delete;
    raw_database& operator=(const raw_database&) = delete;
    ~raw_database() { sqlite3_close_v2(db_); }

    sqlite3* get() const noexcept { return db_; }

    void exec(const char* sql) {
        const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
        if (rc != SQLITE_OK) fail(db_, rc, sql);
    }

    statement prepare(std::string_view sql) {
        sqlite3_stmt* s = nullptr;
        const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                          SQLITE_PREPARE_PERSISTENT, &s, nullptr);
        if (rc != SQLITE_OK) fail(db_, rc, "sqlite3_prepare_v3");
        return statement(s);
    }

private:
    sqlite3* db_ = nullptr;
};

// ---- sqlite_insert_100k: 100k INSERTs in one transaction, generated keys written back ----

void sqlite_insert_100k_retort(benchmark::State& state) {
    bench::guarded(state, [&] {
        temp_file file;
        auto engine = open_engine(file.path());
        auto session = engine.session();
        session.create_all<bench_row>();
        auto rows = bench::make_rows();

        for (auto _ : state) {
            state.PauseTiming();
            session.execute_script(clear_table_sql);
            for (auto& r : rows) r.id = 0;
            state.ResumeTiming();

            auto tx = session.begin();
            for (auto& r : rows) session.insert(r);
            tx.commit();
        }
        bench::set_items(state, bench::table_rows);

        if (!bench::keys_written_back(rows))
            throw std::runtime_error("insert() did not write the keys back");
        if (!bench::is_full_table(session.select<bench_row>().all()))
            throw std::runtime_error("the table does not hold the rows inserted");
    });
}

void sqlite_insert_100k_raw(benchmark::State& state) {
    bench::guarded(state, [&] {
        temp_file file;
        open_engine(file.path()).create_all<bench_row>();  // the same table, from retort's DDL
        raw_database db(file.path());
        sqlite3* const handle = db.get();
        const statement insert =
            db.prepare("INSERT INTO bench_rows (name, score, ratio) VALUES (?, ?, ?)");
        sqlite3_stmt* const s = insert.get();
        auto rows = bench::make_rows();

        for (auto _ : state) {
            state.PauseTiming();
            db.exec(clear_table_sql);
            for (auto& r : rows) r.id = 0;
            state.ResumeTiming();

            db.exec("BEGIN");
            for (auto& r : rows) {
                // The text stays where it is until the step: SQLITE_STATIC, no copy.
                if (sqlite3_bind_text(s, 1, r.name.data(), static_cast<int>(r.name.size()),
                                      SQLITE_STATIC) != SQLITE_OK ||
                    sqlite3_bind_int64(s, 2, r.score) != SQLITE_OK ||
                    sqlite3_bind_double(s, 3, r.ratio) != SQLITE_OK) [[unlikely]]
                    fail(handle, SQLITE_ERROR, "bind");
                if (const int rc = sqlite3_step(s); rc != SQLITE_DONE) [[unlikely]] {
                    sqlite3_reset(s);
                    fail(handle, rc, "INSERT");
                }
                r.id = sqlite3_last_insert_rowid(handle);
                sqlite3_reset(s);
                sqlite3_clear_bindings(s);
            }
            db.exec("COMMIT");
        }
        bench::set_items(state, bench::table_rows);

        if (!bench::keys_written_back(rows))
            throw std::runtime_error("the keys were not read back");
        auto engine = open_engine(file.path());
        if (!bench::is_full_table(engine.session().select<bench_row>().all()))
            throw std::runtime_error("the table does not hold the rows inserted");
    });
}

// ---- sqlite_pk_lookup: one row by primary key, random keys, 100k-row table --------------

void sqlite_pk_lookup_retort(benchmark::State& state) {
    bench::guarded(state, [&] {
        const auto& data = filled_sqlite_database();
        auto engine = open_engine(data.file.path());
        auto session = engine.session();
        const auto keys = bench::random_keys(data.first_id);
        for (const auto key : keys) {  // checks every key once, and warms the page cache
            const auto r = session.get<bench_row>(key);
            if (!r || !bench::is_row(*r, key, data.first_id))
                throw std::runtime_error("get() found a wrong row");
        }

        std::size_t next = 0;
        std::int64_t found = 0;
        for (auto _ : state) {
            auto r = session.get<bench_row>(keys[next++ & (bench::lookup_keys - 1)]);
            found += r.has_value() ? 1 : 0;
            benchmark::DoNotOptimize(r);
        }
        bench::set_items(state, 1);
        if (found != static_cast<std::int64_t>(state.iterations()))
            throw std::runtime_error("a lookup missed");
    });
}

void sqlite_pk_lookup_raw(benchmark::State& state) {
    bench::guarded(state, [&] {
        const auto& data = filled_sqlite_database();
        raw_database db(data.file.path());
        sqlite3* const handle = db.get();
        const statement select =
            db.prepare("SELECT id, name, score, ratio FROM bench_rows WHERE id = ?");
        sqlite3_stmt* const s = select.get();

        const auto find = [&](std::int64_t id) -> std::optional<bench_row> {
            if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK) [[unlikely]]
                fail(handle, SQLITE_ERROR, "bind");
            std::optional<bench_row> result;
            const int rc = sqlite3_step(s);  // a key matches one row at most: one step
            if (rc == SQLITE_ROW) {
                bench_row& r = result.emplace();
                r.id = sqlite3_column_int64(s, 0);
                const auto* name = reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
                r.name.assign(name, static_cast<std::size_t>(sqlite3_column_bytes(s, 1)));
                r.score = sqlite3_column_int64(s, 2);
                r.ratio = sqlite3_column_double(s, 3);
            } else if (rc != SQLITE_DONE) [[unlikely]] {
                sqlite3_reset(s);
                fail(handle, rc, "SELECT");
            }
            sqlite3_reset(s);
            return result;
        };

        const auto keys = bench::random_keys(data.first_id);
        for (const auto key : keys) {
            const auto r = find(key);
            if (!r || !bench::is_row(*r, key, data.first_id))
                throw std::runtime_error("found a wrong row");
        }

        std::size_t next = 0;
        std::int64_t found = 0;
        for (auto _ : state) {
            auto r = find(keys[next++ & (bench::lookup_keys - 1)]);
            found += r.has_value() ? 1 : 0;
            benchmark::DoNotOptimize(r);
        }
        bench::set_items(state, 1);
        if (found != static_cast<std::int64_t>(state.iterations()))
            throw std::runtime_error("a lookup missed");
    });
}

// ---- sqlite_scan_100k: every row into a std::vector<bench_row> (reserved in neither) -----

void sqlite_scan_100k_retort(benchmark::State& state) {
    bench::guarded(state, [&] {
        const auto& data = filled_sqlite_database();
        auto engine = open_engine(data.file.path());
        auto session = engine.session();
        if (!bench::is_full_table(session.select<bench_row>().all()))
            throw std::runtime_error("the scan returned wrong rows");

        for (auto _ : state) {
            auto rows = session.select<bench_row>().all();
            benchmark::DoNotOptimize(rows.data());
        }
        bench::set_items(state, bench::table_rows);
    });
}

void sqlite_scan_100k_raw(benchmark::State& state) {
    bench::guarded(state, [&] {
        const auto& data = filled_sqlite_database();
        raw_database db(data.file.path());
        sqlite3* const handle = db.get();
        const statement select = db.prepare("SELECT id, name, score, ratio FROM bench_rows");
        sqlite3_stmt* const s = select.get();

        const auto scan = [&] {
            std::vector<bench_row> rows;
            int rc;
            while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
                bench_row& r = rows.emplace_back();
                r.id = sqlite3_column_int64(s, 0);
                const auto* name = reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
                r.name.assign(name, static_cast<std::size_t>(sqlite3_column_bytes(s, 1)));
                r.score = sqlite3_column_int64(s, 2);
                r.ratio = sqlite3_column_double(s, 3);
            }
            sqlite3_reset(s);
            if (rc != SQLITE_DONE) [[unlikely]]
                fail(handle, rc, "SELECT");
            return rows;
        };
        if (!bench::is_full_table(scan())) throw std::runtime_error("the scan returned wrong rows");

        for (auto _ : state) {
            auto rows = scan();
            benchmark::DoNotOptimize(rows.data());
        }
        bench::set_items(state, bench::table_rows);
    });
}

}  // namespace

// Wall-clock time throughout: an insert's commit waits on the disk, and on PostgreSQL most of
// the time is the server's. Each pair sits together so that the output reads side by side.
BENCHMARK(sqlite_insert_100k_retort)
    ->Name("sqlite_insert_100k/retort")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(sqlite_insert_100k_raw)
    ->Name("sqlite_insert_100k/raw")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(sqlite_pk_lookup_retort)
    ->Name("sqlite_pk_lookup/retort")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(sqlite_pk_lookup_raw)
    ->Name("sqlite_pk_lookup/raw")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(sqlite_scan_100k_retort)
    ->Name("sqlite_scan_100k/retort")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(sqlite_scan_100k_raw)
    ->Name("sqlite_scan_100k/raw")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The benchmark binary's one main(). (CMake also links benchmark_main when it exists; a
// static library's main() is only pulled in when no object defines one, so they never clash.)
BENCHMARK_MAIN();
