// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.

// PostgreSQL: each workload through retort, then right after it the same work written by hand
// against libpq, as an expert would write it, and speaking the protocol the way retort's driver
// does (see include/retort/driver/postgres/connection.hpp): each statement prepared once
// (PQprepare, with the parameter type OIDs), run with PQexecPrepared, every parameter and every
// result column in binary format; the insert learns its generated key from RETURNING id.
//
// The server comes from RETORT_BENCH_POSTGRES_URL, else RETORT_TEST_POSTGRES_URL (`make bench`
// starts a throwaway server and sets both). Without either, these benchmarks report an error
// and the SQLite ones still run. The benchmarks drop and recreate the table bench_rows there.

#include "bench_common.hpp"

#include <libpq-fe.h>

#include <bit>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using bench::bench_row;

/// The server's URL, or null when none is configured.
const char* postgres_url() {
    for (const char* name : {"RETORT_BENCH_POSTGRES_URL", "RETORT_TEST_POSTGRES_URL"})
        if (const char* url = std::getenv(name); url != nullptr && *url != '\0') return url;
    return nullptr;
}

constexpr const char* no_url = "no PostgreSQL URL: run through make bench";

retort::postgres_engine open_engine(const char* url) {
    return retort::postgres_engine(retort::postgres::options_from(retort::parse_database_url(url)));
}

/// A fresh, empty bench_rows table, created by retort's DDL.
void recreate_table(retort::basic_session<retort::postgres>& session) {
    session.drop_all<bench_row>();
    session.create_all<bench_row>();
}

/// Makes sure bench_rows holds exactly bench::make_rows() (filling it through retort if not),
/// vacuums and analyzes it so that every reader starts from the same state, and returns the
/// first id. Shared by the lookup and scan benchmarks of both twins.
std::int64_t ensure_filled(const char* url) {
    auto engine = open_engine(url);
    auto session = engine.session();
    std::int64_t first_id = 0;
    bool full = false;
    if (session.table_exists("bench_rows")) {
        const auto rows = session.select<bench_row>().all();
        if (bench::is_full_table(rows)) {
            full = true;
            first_id = rows.front().id;
            for (const auto& r : rows) first_id = std::min(first_id, r.id);
        }
    }
    if (!full) {
        recreate_table(session);
        auto rows = bench::make_rows();
        auto tx = session.begin();
        for (auto& r : rows) session.insert(r);
        tx.commit();
        if (!bench::keys_written_back(rows)) throw std::runtime_error("filling the table failed");
        first_id = rows.front().id;
    }
    session.execute_script("VACUUM ANALYZE bench_rows");
    return first_id;
}

// ---- the raw twins' libpq plumbing -------------------------------------------------------

struct clear_result {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using result = std::unique_ptr<PGresult, clear_result>;

constexpr Oid int8_oid = 20;
constexpr Oid text_oid = 25;
constexpr Oid float8_oid = 701;

// PostgreSQL's binary format is big-endian.
inline std::int64_t load_int8(const char* p) noexcept {
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
    return static_cast<std::int64_t>(v);
}
inline double load_float8(const char* p) noexcept {
    return std::bit_cast<double>(load_int8(p));
}
inline void store_int8(char* out, std::int64_t value) noexcept {
    auto v = static_cast<std::uint64_t>(value);
    if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
    std::memcpy(out, &v, sizeof v);
}
inline void store_float8(char* out, double value) noexcept {
    store_int8(out, std::bit_cast<std::int64_t>(value));
}

class raw_connection {
public:
    explicit raw_connection(const char* url) : conn_(PQconnectdb(url)) {
        if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
            const std::string message = conn_ != nullptr ? PQerrorMessage(conn_) : "out of memory";
            PQfinish(conn_);
            throw std::runtime_error("PQconnectdb: " + message);
        }
    }
    raw_connection(const raw_connection&) = delete;
    raw_connection& operator=(const raw_connection&) = delete;
    ~raw_connection() { PQfinish(conn_); }

    PGconn* get() const noexcept { return conn_; }

    [[noreturn]] void fail(const char* what) const {
        throw std::runtime_error(std::string(what) + ": " + PQerrorMessage(conn_));
    }

    void exec(const char* sql) {
        const result r{PQexec(conn_, sql)};
        if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail(sql);
    }

    void prepare(const char* name, const char* sql, int count, const Oid* types) {
        const result r{PQprepare(conn_, name, sql, count, types)};
        if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail(sql);
    }

private:
    PGconn* conn_;
};

/// A result of exactly the four bench_rows columns, in binary; fails otherwise.
void check_shape(const raw_connection& c, const PGresult* r) {
    if (PQresultStatus(r) != PGRES_TUPLES_OK) c.fail("SELECT");
    if (PQnfields(r) != 4 || PQfformat(r, 0) != 1 || PQftype(r, 0) != int8_oid ||
        PQftype(r, 1) != text_oid || PQftype(r, 2) != int8_oid || PQftype(r, 3) != float8_oid)
        throw std::runtime_error("unexpected result columns");
}

/// Row i of a result shaped by check_shape (no column of bench_rows is nullable).
void read_row(const PGresult* r, int i, bench_row& out) {
    out.id = load_int8(PQgetvalue(r, i, 0));
    out.name.assign(PQgetvalue(r, i, 1), static_cast<std::size_t>(PQgetlength(r, i, 1)));
    out.score = load_int8(PQgetvalue(r, i, 2));
    out.ratio = load_float8(PQgetvalue(r, i, 3));
}

// ---- postgres_insert_100k: 100k INSERT ... RETURNING id in one transaction ---------------

void postgres_insert_100k_retort(benchmark::State& state) {
    const char* url = postgres_url();
    if (url == nullptr) return state.SkipWithError(no_url);
    bench::guarded(state, [&] {
        auto engine = open_engine(url);
        auto session = engine.session();
        recreate_table(session);
        auto rows = bench::make_rows();

        for (auto _ : state) {
            state.PauseTiming();
            session.execute_script("TRUNCATE bench_rows");
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

void postgres_insert_100k_raw(benchmark::State& state) {
    const char* url = postgres_url();
    if (url == nullptr) return state.SkipWithError(no_url);
    bench::guarded(state, [&] {
        {
            auto engine = open_engine(url);
            auto session = engine.session();
            recreate_table(session);  // the same table, from retort's DDL
        }
        raw_connection c(url);
        PGconn* const conn = c.get();
        static constexpr Oid types[3] = {text_oid, int8_oid, float8_oid};
        c.prepare("insert_row",
                  "INSERT INTO bench_rows (name, score, ratio) VALUES ($1, $2, $3) RETURNING id", 3,
                  types);
        static constexpr int formats[3] = {1, 1, 1};
        auto rows = bench::make_rows();

        for (auto _ : state) {
            state.PauseTiming();
            c.exec("TRUNCATE bench_rows");
            for (auto& r : rows) r.id = 0;
            state.ResumeTiming();

            c.exec("BEGIN");
            for (auto& r : rows) {
                char score[8];
                char ratio[8];
                store_int8(score, r.score);
                store_float8(ratio, r.ratio);
                const char* const values[3] = {r.name.data(), score, ratio};
                const int lengths[3] = {static_cast<int>(r.name.size()), 8, 8};
                const result res{
                    PQexecPrepared(conn, "insert_row", 3, values, lengths, formats, 1)};
                if (PQresultStatus(res.get()) != PGRES_TUPLES_OK || PQntuples(res.get()) != 1)
                    [[unlikely]]
                    c.fail("INSERT");
                r.id = load_int8(PQgetvalue(res.get(), 0, 0));
            }
            c.exec("COMMIT");
        }
        bench::set_items(state, bench::table_rows);

        if (!bench::keys_written_back(rows))
            throw std::runtime_error("the keys were not read back");
        auto engine = open_engine(url);
        if (!bench::is_full_table(engine.session().select<bench_row>().all()))
            throw std::runtime_error("the table does not hold the rows inserted");
    });
}

// ---- postgres_pk_lookup: one row by primary key, random keys, 100k-row table -------------

void postgres_pk_lookup_retort(benchmark::State& state) {
    const char* url = postgres_url();
    if (url == nullptr) return state.SkipWithError(no_url);
    bench::guarded(state, [&] {
        const std::int64_t first_id = ensure_filled(url);
        auto engine = open_engine(url);
        auto session = engine.session();
        const auto keys = bench::random_keys(first_id);
        for (std::size_t i = 0; i < keys.size(); i += 16) {  // checks every 16th key, warms up
            const auto r = session.get<bench_row>(keys[i]);
            if (!r || !bench::is_row(*r, keys[i], first_id))
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

void postgres_pk_lookup_raw(benchmark::State& state) {
    const char* url = postgres_url();
    if (url == nullptr) return state.SkipWithError(no_url);
    bench::guarded(state, [&] {
        const std::int64_t first_id = ensure_filled(url);
        raw_connection c(url);
        PGconn* const conn = c.get();
        static constexpr Oid types[1] = {int8_oid};
        c.prepare("find_row", "SELECT id, name, score, ratio FROM bench_rows WHERE id = $1", 1,
                  types);
        static constexpr int formats[1] = {1};
        static constexpr int lengths[1] = {8};

        const auto find = [&](std::int64_t id) -> std::optional<bench_row> {
            char key[8];
            store_int8(key, id);
            const char* const values[1] = {key};
            const result res{PQexecPrepared(conn, "find_row", 1, values, lengths, formats, 1)};
            check_shape(c, res.get());
            std::optional<bench_row> found;
            if (PQntuples(res.get()) == 1) read_row(res.get(), 0, found.emplace());
            return found;
        };

        const auto keys = bench::random_keys(first_id);
        for (std::size_t i = 0; i < keys.size(); i += 16) {
            const auto r = find(keys[i]);
            if (!r || !bench::is_row(*r, keys[i], first_id))
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

// ---- postgres_scan_100k: every row into a std::vector<bench_row> (reserved in neither) ---

void postgres_scan_100k_retort(benchmark::State& state) {
    const char* url = postgres_url();
    if (url == nullptr) return state.SkipWithError(no_url);
    bench::guarded(state, [&] {
        ensure_filled(url);
        auto engine = open_engine(url);
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

void postgres_scan_100k_raw(benchmark::State& state) {
    const char* url = postgres_url();
    if (url == nullptr) return state.SkipWithError(no_url);
    bench::guarded(state, [&] {
        ensure_filled(url);
        raw_connection c(url);
        PGconn* const conn = c.get();
        c.prepare("all_rows", "SELECT id, name, score, ratio FROM bench_rows", 0, nullptr);

        const auto scan = [&] {
            const result res{PQexecPrepared(conn, "all_rows", 0, nullptr, nullptr, nullptr, 1)};
            check_shape(c, res.get());
            std::vector<bench_row> rows;
            const int n = PQntuples(res.get());
            for (int i = 0; i < n; ++i) read_row(res.get(), i, rows.emplace_back());
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

// Wall-clock time: most of the work happens in the server process. One insert iteration is
// 100k round trips (seconds), so the insert pair runs a fixed 3 iterations.
BENCHMARK(postgres_insert_100k_retort)
    ->Name("postgres_insert_100k/retort")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK(postgres_insert_100k_raw)
    ->Name("postgres_insert_100k/raw")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK(postgres_pk_lookup_retort)
    ->Name("postgres_pk_lookup/retort")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(postgres_pk_lookup_raw)
    ->Name("postgres_pk_lookup/raw")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(postgres_scan_100k_retort)
    ->Name("postgres_scan_100k/retort")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(postgres_scan_100k_raw)
    ->Name("postgres_scan_100k/raw")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
