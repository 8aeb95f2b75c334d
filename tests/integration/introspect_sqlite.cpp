// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// SQLite introspection: the shared models read back equal to their schema values, and
// hand-written DDL (the kind a legacy service created) reads back as written.

#include "../support/test_db.hpp"

#include <retort/migrate/introspect_sqlite.hpp>

#include <sstream>
#include <string>
#include <vector>

namespace {

namespace schema = retort::schema;
using retort::migrate::canonical;
using retort::migrate::introspect;
using retort::migrate::normalize_for_sqlite;

std::string names(const std::vector<std::string>& v) {
    std::string out = "(";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
    return out + ")";
}

std::string describe(const schema::default_value& d) {
    static constexpr const char* kinds[] = {"none", "boolean", "integer", "text", "expression"};
    return std::string{kinds[static_cast<int>(d.type)]} + ":" + std::to_string(d.integer) + ":" +
           d.text;
}

std::string describe(const schema::column& c) {
    std::ostringstream o;
    o << c.name << " " << retort::to_string(c.type) << " max_length=" << c.max_length
      << " nullable=" << c.nullable << " autoincrement=" << c.autoincrement
      << " default=" << describe(c.server_default) << " enum=" << names(c.enum_values);
    return o.str();
}
std::string describe(const schema::primary_key& k) {
    return k.name + " " + names(k.columns);
}
std::string describe(const schema::unique_constraint& u) {
    return u.name + " " + names(u.columns);
}
std::string describe(const schema::index& i) {
    return i.name + " " + names(i.columns) + (i.unique ? " unique" : "") + " where=" + i.where;
}
std::string describe(const schema::foreign_key& f) {
    return f.name + " " + names(f.columns) + " -> " + f.referenced_table +
           names(f.referenced_columns) +
           " on_delete=" + std::string{schema::to_string(f.on_delete)} +
           " on_update=" + std::string{schema::to_string(f.on_update)};
}
std::string describe(const schema::check_constraint& c) {
    return c.name + " CHECK (" + c.expression + ")";
}

/// Lines naming each column that differs between the two lists, position by position.
void diff_columns(std::ostringstream& out, const std::string& where,
                  const std::vector<schema::column>& a, const std::vector<schema::column>& b) {
    for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
        if (i < a.size() && i < b.size() && a[i] == b[i]) continue;
        out << where << " column " << i
            << ":\n    introspected: " << (i < a.size() ? describe(a[i]) : "(none)")
            << "\n    model:        " << (i < b.size() ? describe(b[i]) : "(none)") << "\n";
    }
}

/// Lines naming each constraint that differs, paired by name (their order carries no meaning).
template <class T>
void diff_named(std::ostringstream& out, const std::string& where, const char* what,
                const std::vector<T>& a, const std::vector<T>& b) {
    auto find = [](const std::vector<T>& v, const std::string& name) -> const T* {
        for (const auto& x : v)
            if (x.name == name) return &x;
        return nullptr;
    };
    for (const auto& x : a) {
        const T* y = find(b, x.name);
        if (!y)
            out << where << " " << what << " only introspected: " << describe(x) << "\n";
        else if (!(x == *y))
            out << where << " " << what << " " << x.name << ":\n    introspected: " << describe(x)
                << "\n    model:        " << describe(*y) << "\n";
    }
    for (const auto& y : b)
        if (!find(a, y.name))
            out << where << " " << what << " only in the model: " << describe(y) << "\n";
}

/// A readable, per-table and per-field account of how two schemas differ; empty when equal.
std::string difference(const schema::database& introspected, const schema::database& model) {
    std::ostringstream out;
    for (const auto& t : model.tables)
        if (!introspected.find_table(t.name)) out << "table " << t.name << ": not introspected\n";
    for (const auto& a : introspected.tables) {
        const schema::table* b = model.find_table(a.name);
        if (!b) {
            out << "table " << a.name << ": introspected, not in the model\n";
            continue;
        }
        const std::string where = "table " + a.name;
        diff_columns(out, where, a.columns, b->columns);
        if (!(a.key == b->key))
            out << where << " key:\n    introspected: " << describe(a.key)
                << "\n    model:        " << describe(b->key) << "\n";
        diff_named(out, where, "unique", a.uniques, b->uniques);
        diff_named(out, where, "index", a.indexes, b->indexes);
        diff_named(out, where, "foreign key", a.foreign_keys, b->foreign_keys);
        diff_named(out, where, "check", a.checks, b->checks);
    }
    return out.str();
}

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
    const auto model = canonical(normalize_for_sqlite(
        schema::database_of<app::user, app::job, app::lesson, app::llm_call_audit,
                            app::email_delivery_log, app::all_types, app::membership>()));
    const std::string diff = difference(live, model);
    INFO(diff);
    CHECK(diff.empty());
    CHECK(live == model);

    // The values the comparison relies on, read without normalization.
    const auto raw = introspect(s);
    const auto& users = table_named(raw, "users");
    CHECK(users.key.name == "pk_users");
    CHECK(users.columns[0].autoincrement);
    CHECK(users.columns[1].max_length == 255);
    CHECK(users.columns[4].server_default ==
          schema::default_value{schema::default_value::kind::expression, 0, "CURRENT_TIMESTAMP"});
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
    CHECK(t.columns[6].type == lt::text);  // NUMERIC affinity reads as text
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
    CHECK(t.checks == std::vector<schema::check_constraint>{{"ck_dgs_jobs_0", "progress >= 0"}});

    const auto& users = table_named(got, "users");
    CHECK(users.columns[0].autoincrement);
    CHECK(users.columns[0].type == lt::int32);
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
                          {"ck_tricky_0", "x IN ('(', ')')"},
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
    CHECK(type_of("CLOB") == logical_type::text);
    CHECK(type_of("") == logical_type::blob);
    CHECK(type_of("DOUBLE PRECISION") == logical_type::float64);
    CHECK(type_of("DECIMAL(10,2)") == logical_type::text);
    CHECK(type_of("DATETIME") == logical_type::timestamp);
    CHECK(type_of("((((") == logical_type::text);
    CHECK(d::parse_default("'unterminated", logical_type::text).text == "unterminated");
}

TEST_CASE("normalize_for_sqlite: the rules that make a model and its table compare equal",
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
    CHECK_FALSE(n.columns[0].nullable);  // a key column holds no NULL
    CHECK(n.columns[1].type == logical_type::int32);
    CHECK(n.checks == std::vector<schema::check_constraint>{{"ck_legacy_other", "n > 0"}});

    schema::database model;
    schema::table m;
    m.name = "counters";
    m.columns.push_back({"id", logical_type::int32, 0, false, true, {}, {}, {}});
    m.key = {"pk_counters", {"id"}};
    model.tables.push_back(m);
    CHECK(normalize_for_sqlite(model).tables[0].columns[0].type == logical_type::int64);
}
