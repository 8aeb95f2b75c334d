// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
//
// Migration speed at schema scale: reading a 1,000-table schema from a live database (SQLite
// and PostgreSQL), and diffing two 1,000-table schema values. These have no raw twin: they
// are measured against the targets in the migration issue (introspection under 2 s on
// PostgreSQL, planning under 200 ms), reported in tables per second.

#include <retort/migrate/introspect.hpp>
#include <retort/retort.hpp>

#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace {

constexpr int schema_tables = 1000;

/// Each table: a key, a unique text column, a checked integer, a defaulted timestamp, an index.
std::string create_schema_sql() {
    std::string sql;
    for (int i = 0; i < schema_tables; ++i) {
        const std::string t = "bench_schema_" + std::to_string(i);
        sql += "CREATE TABLE " + t +
               " (id INTEGER PRIMARY KEY, v VARCHAR(20) UNIQUE, w INTEGER CHECK (w > 0), "
               "at TIMESTAMP DEFAULT CURRENT_TIMESTAMP); CREATE INDEX " +
               t + "_w ON " + t + " (w);";
    }
    return sql;
}

std::string drop_schema_sql() {
    std::string sql;
    for (int i = 0; i < schema_tables; ++i)
        sql += "DROP TABLE IF EXISTS bench_schema_" + std::to_string(i) + ";";
    return sql;
}

void introspect_sqlite_1000(benchmark::State& state) {
    const auto path = (std::filesystem::temp_directory_path() /
                       ("retort-bench-schema-" + std::to_string(::getpid()) + ".db"))
                          .string();
    {
        retort::sqlite_engine engine(
            retort::sqlite::options_from(retort::parse_database_url("sqlite:///" + path)));
        auto s = engine.session();
        s.execute_script("BEGIN;" + create_schema_sql() + "COMMIT");
        std::size_t tables = 0;
        for (auto _ : state) {
            auto db = retort::migrate::introspect(s);
            tables = db.tables.size();
            benchmark::DoNotOptimize(db);
        }
        if (tables != schema_tables) state.SkipWithError("introspect() did not read every table");
        state.SetItemsProcessed(state.iterations() * schema_tables);
    }
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}
BENCHMARK(introspect_sqlite_1000)
    ->Name("migrate_introspect_1000_tables/sqlite")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void introspect_postgres_1000(benchmark::State& state) {
    const char* url = nullptr;
    for (const char* name : {"RETORT_BENCH_POSTGRES_URL", "RETORT_TEST_POSTGRES_URL"})
        if (const char* v = std::getenv(name); v && *v) url = url ? url : v;
    if (!url) {
        state.SkipWithError("no PostgreSQL URL: run through make bench");
        return;
    }
    retort::postgres_engine engine(retort::postgres::options_from(retort::parse_database_url(url)));
    auto s = engine.session();
    s.execute_script(drop_schema_sql());
    s.execute_script("BEGIN;" + create_schema_sql() + "COMMIT");
    std::size_t tables = 0;
    for (auto _ : state) {
        auto db = retort::migrate::introspect(s);
        tables = 0;
        for (const auto& t : db.tables) tables += t.name.rfind("bench_schema_", 0) == 0;
        benchmark::DoNotOptimize(db);
    }
    if (tables != schema_tables) state.SkipWithError("introspect() did not read every table");
    state.SetItemsProcessed(state.iterations() * schema_tables);
    s.execute_script(drop_schema_sql());
}
BENCHMARK(introspect_postgres_1000)
    ->Name("migrate_introspect_1000_tables/postgres")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

/// Two 1,000-table schemas that differ in one column of every tenth table.
void diff_1000(benchmark::State& state) {
    retort::schema::database from;
    for (int i = 0; i < schema_tables; ++i) {
        retort::schema::table t;
        t.name = "t" + std::to_string(i);
        for (int c = 0; c < 8; ++c)
            t.columns.push_back({"c" + std::to_string(c),
                                 retort::logical_type::int64,
                                 0,
                                 c != 0,
                                 false,
                                 {},
                                 {},
                                 {}});
        t.key = {"pk_" + t.name, {"c0"}};
        t.indexes.push_back({"ix_" + t.name + "_c1", {"c1"}, false, {}});
        t.uniques.push_back({"uq_" + t.name + "_c2", {"c2"}});
        t.checks.push_back({"ck_" + t.name + "_c3", "c3 > 0"});
        if (i)
            t.foreign_keys.push_back(
                {"fk_" + t.name, {"c4"}, "t" + std::to_string(i - 1), {"c0"}, {}, {}});
        from.tables.push_back(std::move(t));
    }
    auto to = from;
    for (int i = 0; i < schema_tables; i += 10)
        to.tables[static_cast<std::size_t>(i)].columns[5].type = retort::logical_type::text;
    from = retort::migrate::canonical(std::move(from));
    to = retort::migrate::canonical(std::move(to));
    std::size_t changes = 0;
    for (auto _ : state) {
        auto ops = retort::migrate::diff(from, to);
        changes = ops.size();
        benchmark::DoNotOptimize(ops);
    }
    if (changes != schema_tables / 10)
        state.SkipWithError("diff() found the wrong number of changes");
    state.SetItemsProcessed(state.iterations() * schema_tables);
}
BENCHMARK(diff_1000)->Name("migrate_diff_1000_tables")->Unit(benchmark::kMillisecond);

}  // namespace
