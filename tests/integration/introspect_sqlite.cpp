// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// SQLite introspection: the shared models read back equal to their schema values, and
// hand-written DDL (the kind a legacy service created) reads back as written.

#include "../support/schema_differences.hpp"
#include "../support/test_db.hpp"

#include <retort/migrate/introspect.hpp>
#include <retort/migrate/introspect_sqlite.hpp>

#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace schema = retort::schema;
using retort::migrate::canonical;
using retort::migrate::introspect;
using retort::migrate::normalize_for_sqlite;

/// A SQLite engine on a fresh file, whatever RETORT_TEST_BACKEND says.
struct sqlite_db {
    test::temp_sqlite_file file;
    retort::sqlite_engine engine{[this] {
        retort::driver::sqlite::options o;
        o.path = file.path;
        return o;
    }()};
};

const schema::table& table_named(const schema::database& db, std::string_view name) {
    const schema::table* t = db.find_table(name);
    REQUIRE(t != nullptr);
    return *t;
}

}  // namespace

TEST_CASE("the shared models introspect equal to their schema values",
          "[sqlite-only][introspect]") {
    sqlite_db db;
    auto s = db.engine.session();
    s.create_all<app::user, app::job, app::lesson, app::llm_call_audit, app::email_delivery_log,
                 app::all_types, app::membership>();
    const auto live = canonical(normalize_for_sqlite(introspect(s)));
    const auto model = canonical(normalize_for_sqlite(retort::migrate::as_rendered_for_sqlite(
        schema::database_of<app::user, app::job, app::lesson, app::llm_call_audit,
                            app::email_delivery_log, app::all_types, app::membership>())));
    const std::string diff = test::schema_differences(live, model);
    INFO(diff);
    CHECK(diff.empty());
    CHECK(live == model);

    // The values the comparison relies on, read without normalization.
    const auto raw = introspect(s);
    const auto& users = table_named(raw, "users");
    CHECK(users.key.name == "pk_users");
    CHECK(users.columns[0].autoincrement);
    CHECK(users.columns[1].max_length == 255);
    // what SQLite holds: server_default_now's six-digit spelling, not a seconds-only
    // CURRENT_TIMESTAMP
    CHECK(
        users.columns[4].server_default ==
        schema::default_value{schema::default_value::kind::expression, 0,
                              std::string{retort::migrate::detail::sqlite_introspect::sqlite_now}});
    const auto& jobs = table_named(raw, "dgs_jobs");
    CHECK(jobs.columns[3].type == retort::logical_type::enumeration);
    CHECK(jobs.columns[3].enum_values ==
          std::vector<std::string>{"queued", "running", "done", "failed"});
}

TEST_CASE("a hand-written table introspects as written", "[sqlite-only][introspect]") {
    sqlite_db db;
    auto s = db.engine.session();
    s.execute_script(R"sql(
        CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email text);
        create table dgs_jobs (
            job_id TEXT PRIMARY KEY,   -- a uuid, from Python
            user_id integer REFERENCES users ON DELETE CASCADE,
            request TEXT,
            status varchar(32) NOT NULL DEFAULT 'queued',
            created_at TEXT,
            /* 0..1 */ progress REAL CHECK (progress >= 0),
            [weight] NUMERIC DEFAULT (1.5 * (2 + 1)),
            `note` TEXT DEFAULT 'it''s',
            UNIQUE(status, created_at)
        );
        CREATE INDEX ix_dgs_jobs_open ON dgs_jobs (status, created_at) WHERE status <> 'done';
        CREATE UNIQUE INDEX "ux_note" ON dgs_jobs(note);
    )sql");
    const auto got = introspect(s);
    const auto& t = table_named(got, "dgs_jobs");
    using kind = schema::default_value::kind;
    using lt = retort::logical_type;

    REQUIRE(t.columns.size() == 8);
    CHECK(t.columns[0].name == "job_id");
    CHECK(t.columns[0].type == lt::text);
    CHECK(t.columns[0].nullable);           // SQLite lets a non-INTEGER key hold NULL
    CHECK(t.columns[1].type == lt::int32);  // INTEGER, any case, is retort's int32 spelling
    CHECK(t.columns[3].type == lt::text);
    CHECK(t.columns[3].max_length == 32);
    CHECK_FALSE(t.columns[3].nullable);
    CHECK(t.columns[3].server_default == schema::default_value{kind::text, 0, "queued"});
    CHECK(t.columns[5].type == lt::float64);
    CHECK(t.columns[6].name == "weight");
    CHECK(t.columns[6].type == lt::float64);  // NUMERIC stores numbers as INTEGER or REAL
    CHECK(t.columns[6].server_default ==
          schema::default_value{kind::expression, 0, "1.5 * (2 + 1)"});
    CHECK(t.columns[7].name == "note");
    CHECK(t.columns[7].server_default == schema::default_value{kind::text, 0, "it's"});

    CHECK(t.key == schema::primary_key{"pk_dgs_jobs", {"job_id"}});
    CHECK(t.uniques == std::vector<schema::unique_constraint>{
                           {"uq_dgs_jobs_status_created_at", {"status", "created_at"}}});
    REQUIRE(t.indexes.size() == 2);
    const auto ix = canonical(t).indexes;
    CHECK(ix[0] ==
          schema::index{"ix_dgs_jobs_open", {"status", "created_at"}, false, "status <> 'done'"});
    CHECK(ix[1] == schema::index{"ux_note", {"note"}, true, ""});
    REQUIRE(t.foreign_keys.size() == 1);
    CHECK(t.foreign_keys[0] == schema::foreign_key{"fk_dgs_jobs_user_id_users",
                                                   {"user_id"},
                                                   "users",
                                                   {"id"},
                                                   retort::fk_action::cascade,
                                                   retort::fk_action::no_action});
    // An unnamed CHECK on a column is named as a model's check<> on that column would be.
    CHECK(t.checks ==
          std::vector<schema::check_constraint>{{"ck_dgs_jobs_progress", "progress >= 0"}});

    const auto& users = table_named(got, "users");
    CHECK(users.columns[0].autoincrement);
    CHECK(users.columns[0].type == lt::int64);  // the rowid alias: a generated 64-bit key
    CHECK(users.columns[1].type == lt::text);
    // sqlite_sequence exists (AUTOINCREMENT made it) but is SQLite's own.
    CHECK(got.tables.size() == 2);
}

TEST_CASE("literals with commas and parentheses parse, named constraints keep their names",
          "[sqlite-only][introspect]") {
    sqlite_db db;
    auto s = db.engine.session();
    s.execute_script(R"sql(
        CREATE TABLE parent ("a" INTEGER, "b" TEXT, CONSTRAINT "pk_parent_custom" PRIMARY KEY ("a", "b"));
        CREATE TABLE "tricky" (
            "id" BIGINT NOT NULL,
            "x" TEXT DEFAULT 'a,b)c' CHECK (x IN ('(', ')')),
            "y" TEXT CONSTRAINT y_named CHECK ("y" <> 'CHECK (1)') UNIQUE,
            "pa" INTEGER, "pb" TEXT,
            "flag" BOOLEAN NOT NULL DEFAULT 1,
            "n" SMALLINT DEFAULT -3,
            "kind" TEXT NOT NULL,
            constraint "pk_t" primary key ("id"),
            CONSTRAINT "fk_custom" FOREIGN KEY ("pa", "pb") REFERENCES "parent" ("a", "b")
                ON DELETE SET NULL ON UPDATE RESTRICT,
            CONSTRAINT "ck_tricky_kind_enum" CHECK ("kind" IN ('a', 'b''c')),
            CHECK ((length(x) > 0) AND (x <> ','))
        );
        CREATE TABLE retort_version (version INTEGER);
        CREATE TEMP TABLE parent (zzz TEXT);  -- shadows main.parent in unqualified names
        CREATE TABLE sqlitefoo (v);  -- only sqlite_ (with the underscore) is reserved
    )sql");
    const auto got = introspect(s);
    CHECK(got.find_table("retort_version") == nullptr);
    CHECK(got.find_table("sqlite_sequence") == nullptr);
    CHECK(table_named(got, "sqlitefoo").columns[0].type == retort::logical_type::blob);
    CHECK(table_named(got, "parent").columns.size() == 2);
    CHECK(table_named(got, "parent").key == schema::primary_key{"pk_parent_custom", {"a", "b"}});

    const auto& t = table_named(got, "tricky");
    using kind = schema::default_value::kind;
    CHECK(t.key == schema::primary_key{"pk_t", {"id"}});
    CHECK(t.columns[1].server_default == schema::default_value{kind::text, 0, "a,b)c"});
    CHECK(t.columns[5].server_default == schema::default_value{kind::boolean, 1, ""});
    CHECK(t.columns[6].server_default == schema::default_value{kind::integer, -3, ""});
    CHECK(t.columns[7].type == retort::logical_type::enumeration);
    CHECK(t.columns[7].enum_values == std::vector<std::string>{"a", "b'c"});
    CHECK(t.checks == std::vector<schema::check_constraint>{
                          {"ck_tricky_x", "x IN ('(', ')')"},
                          {"y_named", "\"y\" <> 'CHECK (1)'"},
                          {"ck_tricky_kind_enum", "\"kind\" IN ('a', 'b''c')"},
                          {"ck_tricky_3", "(length(x) > 0) AND (x <> ',')"}});
    CHECK(t.uniques == std::vector<schema::unique_constraint>{{"uq_tricky_y", {"y"}}});
    REQUIRE(t.foreign_keys.size() == 1);
    CHECK(t.foreign_keys[0] == schema::foreign_key{"fk_custom",
                                                   {"pa", "pb"},
                                                   "parent",
                                                   {"a", "b"},
                                                   retort::fk_action::set_null,
                                                   retort::fk_action::restrict});
}

TEST_CASE("unknown declared types map by affinity and never throw", "[sqlite-only][introspect]") {
    using retort::logical_type;
    namespace d = retort::migrate::detail::sqlite_introspect;
    auto type_of = [](std::string_view declared) {
        schema::column c;
        d::set_type(c, declared);
        return c.type;
    };
    CHECK(type_of("UNSIGNED BIG INT") == logical_type::int64);
    CHECK(type_of("NVARCHAR(100)") == logical_type::text);
    const auto length_of = [](std::string_view declared) {
        schema::column c;
        d::set_type(c, declared);
        return c.max_length;
    };
    CHECK(length_of("NVARCHAR(160)") == 160);
    CHECK(length_of("varchar ( 8 )") == 8);
    CHECK(length_of("NVARCHAR(x)") == 0);
    CHECK(type_of("CLOB") == logical_type::text);
    CHECK(type_of("") == logical_type::blob);
    CHECK(type_of("DOUBLE PRECISION") == logical_type::float64);
    CHECK(type_of("DECIMAL(10,2)") == logical_type::float64);
    CHECK(type_of("numeric") == logical_type::float64);
    CHECK(type_of("UUID") == logical_type::text);  // NUMERIC affinity, but no number in it
    CHECK(type_of("DATETIME") == logical_type::local_timestamp);
    CHECK(type_of("TIMESTAMP") == logical_type::timestamp);
    CHECK(type_of("JSON") == logical_type::json);
    CHECK(type_of("((((") == logical_type::text);
    CHECK(d::parse_default("'unterminated", logical_type::text).text == "unterminated");
    // A text default an integer column's affinity turns into that integer is that integer.
    using kind = schema::default_value::kind;
    CHECK(d::parse_default("'0'", logical_type::int32) ==
          schema::default_value{kind::integer, 0, {}});
    CHECK(d::parse_default("'-7'", logical_type::int64) ==
          schema::default_value{kind::integer, -7, {}});
    CHECK(d::parse_default("'1'", logical_type::boolean) ==
          schema::default_value{kind::boolean, 1, {}});
    // ... and only then: these stay text, as SQLite stores them.
    CHECK(d::parse_default("'0'", logical_type::text).type == kind::text);
    CHECK(d::parse_default("'+1'", logical_type::int32).type == kind::text);
    CHECK(d::parse_default("' 1'", logical_type::int32).type == kind::text);
    CHECK(d::parse_default("'1.5'", logical_type::int32).type == kind::text);
    CHECK(d::parse_default("'2'", logical_type::boolean).type == kind::text);
}

namespace rules {
struct gauge {
    std::int32_t id{};
    double reading{};
    std::int64_t count{};
    retort::json payload;
    retort::timestamp at{};
    std::int32_t flag{};
    std::string label;
};
RETORT_TABLE(gauge, "gauges", (id, retort::primary_key), (reading), (count), (payload),
             (at, retort::server_default_now), (flag, retort::server_default<0>),
             (label, retort::max_length<20>));
}  // namespace rules

TEST_CASE("sqlite: spellings that store the same compare equal; what differs still does",
          "[sqlite-only][introspect][migrate]") {
    sqlite_db db;
    auto s = db.engine.session();
    // As SQLAlchemy or a person writes it: a rowid alias key, FLOAT for a double, INTEGER for
    // a 64-bit count, JSON, DATETIME, CURRENT_TIMESTAMP, DEFAULT '0', VARCHAR(N) without CHECK.
    s.execute_script(R"sql(
        CREATE TABLE gauges (
            id INTEGER NOT NULL, reading FLOAT NOT NULL, count INTEGER NOT NULL,
            payload JSON NOT NULL, at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
            flag INTEGER DEFAULT '0' NOT NULL, label VARCHAR(20) NOT NULL, PRIMARY KEY (id))
    )sql");
    const auto describe = [](const std::vector<retort::migrate::operation>& list) {
        std::string out;
        for (const auto& op : list) out += op.description + "\n";
        return out;
    };
    auto ops = retort::migrate::diff_with_models<rules::gauge>(s);
    INFO(describe(ops));
    CHECK(ops.empty());

    // Real differences, one per column: a type of another storage class, another length, a
    // text default, a key that is not the rowid (BIGINT), a missing NOT NULL.
    s.execute_script(R"sql(
        DROP TABLE gauges;
        CREATE TABLE gauges (
            id BIGINT NOT NULL, reading TEXT NOT NULL, count INTEGER,
            payload JSON NOT NULL, at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
            flag INTEGER DEFAULT 'no' NOT NULL, label VARCHAR(30) NOT NULL, PRIMARY KEY (id))
    )sql");
    ops = retort::migrate::diff_with_models<rules::gauge>(s);
    INFO(describe(ops));
    std::vector<std::string> what;
    for (const auto& op : ops) what.push_back(op.description);
    std::sort(what.begin(), what.end());
    REQUIRE(what.size() == 5);
    CHECK_THAT(what[0], Catch::Contains("change default of gauges.flag from 'no' to 0"));
    CHECK_THAT(what[1], Catch::Contains("change type of gauges.label"));
    CHECK_THAT(what[2], Catch::Contains("change type of gauges.reading from TEXT to DOUBLE"));
    CHECK_THAT(what[3], Catch::Contains("forbid NULL in gauges.count"));
    CHECK_THAT(what[4], Catch::Contains("generate the keys of gauges.id"));
}

TEST_CASE("sqlite: which INTEGER PRIMARY KEY is the rowid is read from the DDL's structure",
          "[sqlite-only][introspect]") {
    sqlite_db db;
    auto s = db.engine.session();
    // `PRIMARY KEY DESC` on the column is not an alias (SQLite keeps that quirk); the table
    // constraint with DESC is. "WITHOUT ROWID" inside a string or a comment is not the option.
    s.execute_script(R"sql(
        CREATE TABLE desc_column (id INTEGER PRIMARY KEY DESC, note TEXT);
        CREATE TABLE desc_constraint (id INTEGER, note TEXT, PRIMARY KEY (id DESC));
        CREATE TABLE mentions_option (
            id INTEGER PRIMARY KEY,  -- not WITHOUT ROWID
            note TEXT DEFAULT 'WITHOUT ROWID' CHECK (note <> 'without rowid'));
        CREATE TABLE no_rowid (id INTEGER PRIMARY KEY, note TEXT) WITHOUT ROWID;
    )sql");
    // What SQLite does with a NULL key, the fact each reading must match.
    for (const char* table : {"desc_column", "desc_constraint", "mentions_option"})
        s.execute(std::string{"INSERT INTO "} + table + " (id, note) VALUES (NULL, 'x')");
    CHECK(s.template query<std::optional<std::int64_t>>("SELECT id FROM desc_column") ==
          std::vector<std::tuple<std::optional<std::int64_t>>>{{std::nullopt}});
    CHECK(s.template query<std::optional<std::int64_t>>("SELECT id FROM desc_constraint") ==
          std::vector<std::tuple<std::optional<std::int64_t>>>{{1}});
    CHECK(s.template query<std::optional<std::int64_t>>("SELECT id FROM mentions_option") ==
          std::vector<std::tuple<std::optional<std::int64_t>>>{{1}});
    CHECK_THROWS(s.execute("INSERT INTO no_rowid (id, note) VALUES (NULL, 'x')"));

    const auto live = retort::migrate::introspect(s);
    const auto key_of = [&](std::string_view table) {
        const auto* t = live.find_table(table);
        REQUIRE(t);
        return *t->find_column("id");
    };
    CHECK_FALSE(key_of("desc_column").autoincrement);
    CHECK(key_of("desc_column").nullable);
    CHECK(key_of("desc_constraint").autoincrement);
    CHECK(key_of("mentions_option").autoincrement);
    CHECK_FALSE(key_of("no_rowid").autoincrement);
}

TEST_CASE("normalize_for_sqlite keeps what is really there: nullable keys, length checks",
          "[sqlite-only][introspect]") {
    using retort::logical_type;
    sqlite_db db;
    auto s = db.engine.session();
    s.execute_script(R"sql(
        create table legacy (
            code varchar(8) primary key,
            [n] integer not null,
            `m` int,
            constraint [uq legacy] unique ([n], `m`),
            constraint "ck_legacy_code_length" check (length(code) <= 8),
            constraint ck_legacy_other check (n > 0)
        )
    )sql");
    const auto raw = introspect(s);
    const auto& t = table_named(raw, "legacy");
    CHECK(t.columns[0].nullable);
    CHECK(t.uniques == std::vector<schema::unique_constraint>{{"uq legacy", {"n", "m"}}});
    CHECK(t.checks.size() == 2);

    const auto normal = normalize_for_sqlite(raw);
    const auto& n = table_named(normal, "legacy");
    CHECK(n.columns[0].nullable);  // SQLite really lets this key hold NULL: drift a model shows
    CHECK(n.columns[1].type == logical_type::int64);  // one integer storage class
    CHECK(n.checks.size() == 2);                      // the length check is compared, not assumed

    schema::database model;
    schema::table m;
    m.name = "counters";
    m.columns.push_back({"id", logical_type::int32, 0, false, true, {}, {}, {}, {}});
    m.key = {"pk_counters", {"id"}};
    model.tables.push_back(m);
    CHECK(normalize_for_sqlite(model).tables[0].columns[0].type == logical_type::int64);
}

TEST_CASE("foreign keys keep their own names; ON ... SET DEFAULT is an action, not a default",
          "[sqlite-only][introspect]") {
    sqlite_db db;
    auto s = db.engine.session();
    s.execute_script(R"sql(
        CREATE TABLE x (id INTEGER PRIMARY KEY);
        CREATE TABLE y (id INTEGER PRIMARY KEY);
        CREATE TABLE d (
            a INTEGER,
            p INTEGER REFERENCES x(id) ON UPDATE SET DEFAULT CHECK (p > 0),
            q INTEGER REFERENCES y(id) ON DELETE SET DEFAULT CONSTRAINT ck_q_positive CHECK (q > 0),
            CONSTRAINT fk_to_x FOREIGN KEY (a) REFERENCES x (id),
            CONSTRAINT fk_to_y FOREIGN KEY (a) REFERENCES y (id)
        );
    )sql");
    const auto live = introspect(s);
    const auto& d = table_named(live, "d");
    std::map<std::string, std::string> target_of;
    for (const auto& fk : d.foreign_keys) target_of[fk.name] = fk.referenced_table;
    CHECK(target_of["fk_to_x"] == "x");
    CHECK(target_of["fk_to_y"] == "y");
    REQUIRE(d.checks.size() == 2);
    std::map<std::string, std::string> checks;
    for (const auto& ck : d.checks) checks[ck.name] = ck.expression;
    CHECK(checks["ck_q_positive"] == "q > 0");
    CHECK(checks.size() == 2);
    for (const auto& fk : d.foreign_keys)
        if (fk.columns == std::vector<std::string>{"p"})
            CHECK(fk.on_update == retort::fk_action::set_default);
}

TEST_CASE("sqlite: what a table's DDL says beyond the schema value is found by its place",
          "[sqlite-only][introspect]") {
    sqlite_db db;
    auto s = db.engine.session();
    // Each table is made by SQLite itself, so each spelling is one SQLite accepts. Names and
    // strings that read like the options are not them.
    s.execute_script(R"sql(
        CREATE TABLE plain (id INTEGER PRIMARY KEY, stored TEXT DEFAULT 'STRICT', strict INTEGER,
            "collate" TEXT, g INTEGER AS (id + 1), p INTEGER REFERENCES plain (id) ON DELETE
            CASCADE ON UPDATE SET NULL, CHECK (stored <> 'WITHOUT ROWID'));
        CREATE TABLE strict_one (id INTEGER PRIMARY KEY, note TEXT) STRICT;
        CREATE TABLE no_rowid (id INTEGER PRIMARY KEY, note TEXT) WITHOUT ROWID;
        CREATE TABLE both_options (id INTEGER PRIMARY KEY, note TEXT) STRICT, WITHOUT ROWID;
        CREATE TABLE column_collation (id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE);
        CREATE TABLE key_collation (name TEXT, PRIMARY KEY (name COLLATE NOCASE));
        CREATE TABLE unique_collation (id INTEGER PRIMARY KEY, a TEXT,
            CONSTRAINT u UNIQUE (a COLLATE RTRIM));
        CREATE TABLE stored_column (id INTEGER PRIMARY KEY, g INTEGER GENERATED ALWAYS AS
            (id * 2) STORED);
        CREATE TABLE on_conflict (id INTEGER PRIMARY KEY, a TEXT UNIQUE ON CONFLICT REPLACE);
        CREATE TABLE deferred_key (id INTEGER PRIMARY KEY, p INTEGER REFERENCES plain (id)
            DEFERRABLE INITIALLY DEFERRED);
        CREATE TABLE immediate_key (id INTEGER PRIMARY KEY, p INTEGER REFERENCES plain (id)
            NOT DEFERRABLE INITIALLY DEFERRED);
        CREATE TABLE deferrable_key (id INTEGER PRIMARY KEY, p INTEGER REFERENCES plain (id)
            DEFERRABLE);
        CREATE TABLE initially_immediate (id INTEGER PRIMARY KEY, p INTEGER,
            FOREIGN KEY (p) REFERENCES plain (id) DEFERRABLE INITIALLY IMMEDIATE);
    )sql");
    const std::map<std::string, std::string> expected{
        {"plain", ""},
        {"strict_one", "STRICT"},
        {"no_rowid", "WITHOUT ROWID"},
        {"both_options", "STRICT"},
        {"column_collation", "COLLATE clause"},
        {"key_collation", "COLLATE clause"},
        {"unique_collation", "COLLATE clause"},
        {"stored_column", "STORED generated column's storage"},
        {"on_conflict", "ON CONFLICT clause"},
        {"deferred_key", "deferred foreign key"},
        {"immediate_key", ""},  // SQLite checks these three at once, as if no clause were there
        {"deferrable_key", ""},
        {"initially_immediate", ""},
    };
    for (const auto& [name, sql] :
         s.template query<std::string, std::string>("SELECT name, sql FROM sqlite_schema WHERE "
                                                    "type = 'table' ORDER BY name")) {
        INFO(sql);
        REQUIRE(expected.contains(name));
        CHECK(retort::migrate::detail::sqlite_introspect::parse_create_table(sql).undescribed ==
              expected.at(name));
    }
}
