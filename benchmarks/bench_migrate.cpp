// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
//
// Migration speed at schema scale: reading a 1,000-table schema from a live database (SQLite
// and PostgreSQL), diffing two 1,000-table schema values, planning the statements between them
// for each dialect, and autogenerating (and reading back) the revision file. These have no raw
// twin: they are measured against the targets in the migration issue (introspection under 2 s
// on PostgreSQL, planning under 200 ms), reported in tables per second.

#include <retort/migrate/autogenerate.hpp>
#include <retort/migrate/introspect.hpp>
#include <retort/retort.hpp>

#include <benchmark/benchmark.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

retort::schema::column schema_column(std::string name, retort::logical_type type, bool nullable) {
    retort::schema::column c;
    c.name = std::move(name);
    c.type = type;
    c.nullable = nullable;
    return c;
}

/// 1,000 tables of 8 bigint columns, each with a key, an index, a unique and a check, and a
/// foreign key to the table before it.
retort::schema::database schema_1000() {
    retort::schema::database db;
    for (int i = 0; i < schema_tables; ++i) {
        retort::schema::table t;
        t.name = "t" + std::to_string(i);
        for (int c = 0; c < 8; ++c)
            t.columns.push_back(
                schema_column("c" + std::to_string(c), retort::logical_type::int64, c != 0));
        t.key = {"pk_" + t.name, {"c0"}};
        t.indexes.push_back({"ix_" + t.name + "_c1", {"c1"}, false, {}});
        t.uniques.push_back({"uq_" + t.name + "_c2", {"c2"}});
        t.checks.push_back({"ck_" + t.name + "_c3", "c3 > 0"});
        if (i) {
            retort::schema::foreign_key fk;
            fk.name = "fk_" + t.name;
            fk.columns = {"c4"};
            fk.referenced_table = "t" + std::to_string(i - 1);
            fk.referenced_columns = {"c0"};
            t.foreign_keys.push_back(std::move(fk));
        }
        db.tables.push_back(std::move(t));
    }
    return db;
}

/// Two 1,000-table schemas that differ in one column of every tenth table.
void diff_1000(benchmark::State& state) {
    retort::schema::database from = schema_1000();
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

// ---- planning: the statements of a revision, and the revision file itself ------------------
// The target is planning under 200 ms for 1,000 tables. render<D>() is what `upgrade`
// plans against a live schema; plan_revision() is what `revision --autogenerate` does: diff,
// both dialects in both directions, the snapshot text and the file.

/// schema_1000() changed the way a busy release might: a nullable column added to every 10th
/// table, a column's type changed (bigint -> text) in every 20th, an index added in every 7th.
/// On SQLite the retyped tables are rebuilt, the rest altered in place.
retort::schema::database changed_1000(const retort::schema::database& from) {
    auto to = from;
    for (int i = 0; i < schema_tables; ++i) {
        auto& t = to.tables[static_cast<std::size_t>(i)];
        if (i % 10 == 0)
            t.columns.push_back(schema_column("added", retort::logical_type::text, true));
        if (i % 20 == 0) t.columns[5].type = retort::logical_type::text;
        if (i % 7 == 0) t.indexes.push_back({"ix_" + t.name + "_c6", {"c6"}, false, {}});
    }
    return to;
}

// The changes of changed_1000(), as operations: one per added column, retyped column, index.
constexpr std::size_t changed_operations = 100 + 50 + 143;

bool starts_with(const std::string& s, std::string_view prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

std::size_t count_prefixed(const std::vector<std::string>& statements, std::string_view prefix) {
    return static_cast<std::size_t>(
        std::count_if(statements.begin(), statements.end(),
                      [&](const auto& s) { return starts_with(s, prefix); }));
}

/// (a) Every table created from nothing: a CREATE TABLE and a CREATE INDEX per table.
template <class Dialect>
void plan_from_empty_1000(benchmark::State& state) {
    const retort::schema::database empty, to = schema_1000();
    std::vector<std::string> statements;
    for (auto _ : state) {
        statements = retort::migrate::render<Dialect>(empty, to);
        benchmark::DoNotOptimize(statements);
    }
    if (statements.size() != 2 * schema_tables ||
        count_prefixed(statements, "CREATE TABLE ") != schema_tables)
        state.SkipWithError("render() did not create every table and index");
    state.SetItemsProcessed(state.iterations() * schema_tables);
}
BENCHMARK_TEMPLATE(plan_from_empty_1000, retort::dialect::sqlite)
    ->Name("migrate_plan_1000_tables_from_empty/sqlite")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(plan_from_empty_1000, retort::dialect::postgres)
    ->Name("migrate_plan_1000_tables_from_empty/postgres")
    ->Unit(benchmark::kMillisecond);

/// (b) The changes of changed_1000(), rendered for one dialect.
template <class Dialect>
void plan_changes_1000(benchmark::State& state) {
    const retort::schema::database from = schema_1000(), to = changed_1000(from);
    std::vector<std::string> statements;
    for (auto _ : state) {
        statements = retort::migrate::render<Dialect>(from, to);
        benchmark::DoNotOptimize(statements);
    }
    // PostgreSQL: one statement per operation. SQLite: the 50 retyped tables are rebuilt.
    const bool right = Dialect::name == retort::dialect::postgres::name
                           ? statements.size() == changed_operations
                           : count_prefixed(statements, "ALTER TABLE \"_retort_new_") == 50;
    if (!right) state.SkipWithError("render() planned the wrong statements");
    state.SetItemsProcessed(state.iterations() * schema_tables);
}
BENCHMARK_TEMPLATE(plan_changes_1000, retort::dialect::sqlite)
    ->Name("migrate_plan_1000_tables_changed/sqlite")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(plan_changes_1000, retort::dialect::postgres)
    ->Name("migrate_plan_1000_tables_changed/postgres")
    ->Unit(benchmark::kMillisecond);

/// (c) `revision --autogenerate` for the same change: the diff, both dialects up and down, the
/// 1,000-table snapshot text, the file's text.
void plan_revision_1000(benchmark::State& state) {
    std::vector<retort::migrate::revision> history(1);
    history[0].id = "0001_base";
    history[0].snapshot = retort::migrate::snapshot_of(schema_1000());
    const retort::schema::database to = changed_1000(history[0].snapshot);
    std::optional<retort::migrate::generated_revision> r;
    for (auto _ : state) {
        r = retort::migrate::plan_revision(history, to, "a busy release");
        benchmark::DoNotOptimize(r);
    }
    if (!r || r->operations.size() != changed_operations || r->id != "0002_a_busy_release")
        state.SkipWithError("plan_revision() planned the wrong revision");
    else
        state.counters["file_bytes"] = static_cast<double>(r->text.size());
    state.SetItemsProcessed(state.iterations() * schema_tables);
}
BENCHMARK(plan_revision_1000)
    ->Name("migrate_plan_revision_1000_tables")
    ->Unit(benchmark::kMillisecond);

/// Reading that revision file back (what every `upgrade`, `check` and `history` does for each
/// file in the migrations directory): the header, four sections and the 1,000-table snapshot.
void parse_revision_1000(benchmark::State& state) {
    std::vector<retort::migrate::revision> history(1);
    history[0].id = "0001_base";
    history[0].snapshot = retort::migrate::snapshot_of(schema_1000());
    const auto r = retort::migrate::plan_revision(history, changed_1000(history[0].snapshot),
                                                  "a busy release");
    std::size_t tables = 0;
    for (auto _ : state) {
        auto parsed = retort::migrate::parse_revision(r->text);
        tables = parsed.snapshot.tables.size();
        benchmark::DoNotOptimize(parsed);
    }
    if (tables != schema_tables) state.SkipWithError("parse_revision() lost tables");
    state.SetItemsProcessed(state.iterations() * schema_tables);
}
BENCHMARK(parse_revision_1000)
    ->Name("migrate_parse_revision_1000_tables")
    ->Unit(benchmark::kMillisecond);

}  // namespace
