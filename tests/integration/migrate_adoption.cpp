// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// Adopting a database that a Python service built from a hand-written schema.sql (the shared
// models' tables, written by hand, plus its own `schema_migrations` table), with rows in it:
// stamp refuses it while it differs from the first revision and lists what differs; once the
// schema manager has repaired the differences, stamp accepts it without running any DDL; the
// next revision (a new column) then upgrades it with every row intact.

#include "../support/migration_models.hpp"

#include <retort/migrate/schema_manager.hpp>
#include <retort/migrate/startup.hpp>

#include <boost/pfr.hpp>

namespace {

namespace m = retort::migrate;
using Catch::Contains;
using namespace migtest;

using strings = std::vector<std::string>;

// The hand-written schemas. Both differ from the models in two ways a hand-written schema
// easily does: the index ix_dgs_jobs_status_created_at is missing, and so is the column
// llm_call_audit.response (added to the models later).
//
// PostgreSQL names an unnamed constraint itself (users_pkey, users_email_key, ...), and stamp
// compares constraint names too: so this schema names every constraint as retort's convention
// does (pk_<table>, uq_<table>_<cols>, fk_<table>_<cols>_<table>, ck_<table>_<col>[_enum]). A
// hand-built database with other names is reported by stamp as different (a difference
// of each constraint's name: a rename, a name-only difference), and is adopted by renaming its
// constraints first (fix --destructive renames them).
constexpr std::string_view postgres_schema = R"sql(
CREATE TABLE users (
    id BIGSERIAL CONSTRAINT pk_users PRIMARY KEY,
    email varchar(255) NOT NULL CONSTRAINT uq_users_email UNIQUE,
    display_name text,
    approved boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_users_created_at ON users (created_at);
CREATE TABLE dgs_jobs (
    job_id varchar(64) CONSTRAINT pk_dgs_jobs PRIMARY KEY,
    user_id bigint NOT NULL
        CONSTRAINT fk_dgs_jobs_user_id_users REFERENCES users (id) ON DELETE CASCADE,
    request jsonb NOT NULL,
    status text NOT NULL DEFAULT 'queued'
        CONSTRAINT ck_dgs_jobs_status_enum CHECK (status IN ('queued', 'running', 'done', 'failed')),
    phase text NOT NULL,
    subphase text,
    total_steps integer,
    completed_steps integer,
    progress double precision
        CONSTRAINT ck_dgs_jobs_progress CHECK (progress >= 0 AND progress <= 1),
    created_at timestamptz NOT NULL
);
CREATE TABLE dgs_lessons (
    lesson_id text CONSTRAINT pk_dgs_lessons PRIMARY KEY,
    job_id text NOT NULL
        CONSTRAINT fk_dgs_lessons_job_id_dgs_jobs REFERENCES dgs_jobs (job_id) ON DELETE CASCADE,
    topic text NOT NULL,
    title text NOT NULL,
    tags text[] NOT NULL,
    section_ids bigint[] NOT NULL,
    scheduled_on date NOT NULL,
    CONSTRAINT uq_dgs_lessons_topic_title UNIQUE (topic, title)
);
CREATE TABLE llm_call_audit (
    id text CONSTRAINT pk_llm_call_audit PRIMARY KEY,
    timestamp_request timestamptz NOT NULL,
    timestamp_response timestamptz,
    model text NOT NULL,
    prompt_tokens integer NOT NULL
        CONSTRAINT ck_llm_call_audit_prompt_tokens CHECK (prompt_tokens >= 0),
    completion_tokens integer NOT NULL
);
CREATE TABLE email_delivery_logs (
    id BIGSERIAL CONSTRAINT pk_email_delivery_logs PRIMARY KEY,
    user_id bigint CONSTRAINT fk_email_delivery_logs_user_id_users
        REFERENCES users (id) ON DELETE SET NULL,
    recipient text NOT NULL,
    "template" text NOT NULL,
    status text NOT NULL DEFAULT 'pending',
    error text,
    sent_at timestamptz NOT NULL
);
CREATE INDEX ix_email_delivery_logs_failed ON email_delivery_logs (sent_at) WHERE status = 'failed';
CREATE TABLE schema_migrations (
    version text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);
)sql";

// SQLite reads an unnamed PRIMARY KEY, UNIQUE or FOREIGN KEY under the convention's name
// already, so those are left unnamed, as a hand-written schema has them. CHECKs are named: an
// unnamed one reads as ck_<table>_<n>, and the enum CHECK is recognised by its name. The
// declared types are retort's (JSON_TEXT, TEXT_ARRAY, ...): they carry the logical type. What
// a hand-written schema for SQLite also lacks: the length CHECK the models ask for on
// users.email (checked_max_length: SQLite does not enforce VARCHAR(N) by itself). Its
// CURRENT_TIMESTAMP default (whole seconds) is retort's `now`, and dgs_jobs.job_id's plain
// VARCHAR(64) is what its model's max_length<64> means: neither differs.
constexpr std::string_view sqlite_schema = R"sql(
CREATE TABLE users (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(255) NOT NULL UNIQUE,
    display_name TEXT,
    approved BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX ix_users_created_at ON users (created_at);
CREATE TABLE dgs_jobs (
    job_id VARCHAR(64) NOT NULL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    request JSON_TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued',
    phase TEXT NOT NULL,
    subphase TEXT,
    total_steps INTEGER,
    completed_steps INTEGER,
    progress DOUBLE,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT ck_dgs_jobs_progress CHECK (progress >= 0 AND progress <= 1),
    CONSTRAINT ck_dgs_jobs_status_enum CHECK ("status" IN ('queued', 'running', 'done', 'failed'))
);
CREATE TABLE dgs_lessons (
    lesson_id TEXT NOT NULL PRIMARY KEY,
    job_id TEXT NOT NULL REFERENCES dgs_jobs (job_id) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    title TEXT NOT NULL,
    tags TEXT_ARRAY NOT NULL,
    section_ids BIGINT_ARRAY NOT NULL,
    scheduled_on DATE NOT NULL,
    UNIQUE (topic, title)
);
CREATE TABLE llm_call_audit (
    id TEXT NOT NULL PRIMARY KEY,
    timestamp_request TIMESTAMP NOT NULL,
    timestamp_response TIMESTAMP,
    model TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    CONSTRAINT ck_llm_call_audit_prompt_tokens CHECK (prompt_tokens >= 0)
);
CREATE TABLE email_delivery_logs (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    recipient TEXT NOT NULL,
    "template" TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    error TEXT,
    sent_at TIMESTAMP NOT NULL
);
CREATE INDEX ix_email_delivery_logs_failed ON email_delivery_logs (sent_at) WHERE status = 'failed';
CREATE TABLE schema_migrations (
    version TEXT NOT NULL PRIMARY KEY,
    applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
)sql";

/// The hand-built database, with rows in every table.
template <class B>
void build_legacy_database(retort::basic_session<B>& s) {
    s.execute_script(is_sqlite<B> ? sqlite_schema : postgres_schema);
    s.execute_script(
        "INSERT INTO schema_migrations (version) VALUES ('001_init'), ('002_lessons')");
    auto ada = test::make_user("ada@example.org", true);
    ada.display_name = "Ada";
    s.insert(ada);
    s.insert(test::make_user("brian@example.org"));
    s.insert(test::make_job("job-1", 1, app::job_status::done));
    auto running = test::make_job("job-2", 2, app::job_status::running);
    running.progress = 0.5;
    running.total_steps = 4;
    running.completed_steps = 2;
    running.subphase = "outline";
    s.insert(running);
    s.insert(app::lesson{"lesson-1",
                         "job-1",
                         "sql",
                         "joins",
                         {"a", "b"},
                         {1, 2, 3},
                         retort::date{std::chrono::year{2026} / 5 / 6}});
    s.insert(app::lesson{"lesson-2",
                         "job-2",
                         "sql",
                         "windows",
                         {},
                         {},
                         retort::date{std::chrono::year{2026} / 5 / 7}});
    // llm_call_audit lacks the models' `response` column: written by hand
    s.execute("INSERT INTO llm_call_audit (id, timestamp_request, timestamp_response, model, "
              "prompt_tokens, completion_tokens) VALUES (?, ?, ?, ?, ?, ?)",
              std::string{"call-1"}, test::at(2026, 4, 1, 9, 0, 0, 125),
              test::at(2026, 4, 1, 9, 0, 2, 500), std::string{"gpt"}, std::int32_t{120},
              std::int32_t{30});
    s.insert(app::email_delivery_log{0, 1, "ada@example.org", "welcome", "sent", std::nullopt,
                                     test::at(2026, 4, 2)});
    s.insert(app::email_delivery_log{0, 2, "brian@example.org", "welcome", "failed", "bounced",
                                     test::at(2026, 4, 3)});
}

using audit_row = std::tuple<std::string, retort::timestamp, std::optional<retort::timestamp>,
                             std::string, std::int32_t, std::int32_t>;

/// Every row of every table, read back by the models (or by hand where a column is missing).
struct all_rows {
    std::vector<app::user> users;
    std::vector<app::job> jobs;
    std::vector<app::lesson> lessons;
    std::vector<audit_row> audits;
    std::vector<app::email_delivery_log> emails;
    std::vector<std::tuple<std::string>> legacy_versions;
};

template <class S>
all_rows read_rows(S& s) {
    all_rows r;
    r.users = s.template select<app::user>().all();
    r.jobs = s.template select<app::job>().all();
    r.lessons = s.template select<app::lesson>().all();
    r.audits = s.template query<std::string, retort::timestamp, std::optional<retort::timestamp>,
                                std::string, std::int32_t, std::int32_t>(
        "SELECT id, timestamp_request, timestamp_response, model, prompt_tokens, "
        "completion_tokens FROM llm_call_audit ORDER BY id");
    r.emails = s.template select<app::email_delivery_log>().all();
    r.legacy_versions =
        s.template query<std::string>("SELECT version FROM schema_migrations ORDER BY version");
    return r;
}

template <class T>
bool same_models(const std::vector<T>& a, const std::vector<T>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!boost::pfr::eq(a[i], b[i])) return false;
    return true;
}

void check_same_rows(const all_rows& now, const all_rows& before) {
    CHECK(now.users.size() == 2);
    CHECK(same_models(now.users, before.users));
    CHECK(now.jobs.size() == 2);
    CHECK(same_models(now.jobs, before.jobs));
    CHECK(now.lessons.size() == 2);
    CHECK(same_models(now.lessons, before.lessons));
    CHECK(now.audits.size() == 1);
    CHECK(now.audits == before.audits);
    CHECK(now.emails.size() == 2);
    CHECK(same_models(now.emails, before.emails));
    CHECK(now.legacy_versions ==
          std::vector<std::tuple<std::string>>{{"001_init"}, {"002_lessons"}});
}

/// The first revision, written from the shared models as a project adopting retort would.
std::string write_first_revision(const std::filesystem::path& dir) {
    return m::autogenerate<app::user, app::job, app::lesson, app::llm_call_audit,
                           app::email_delivery_log>(dir, "initial")
        ->id;
}

template <class B>
using manager_for = m::schema_manager<B, app::user, app::job, app::lesson, app::llm_call_audit,
                                      app::email_delivery_log>;

/// The schema manager's repairs: the additive ones, then the rest. On PostgreSQL the additive
/// ones are all there is. On SQLite fix(false) adds the index and llm_call_audit.response:
/// users needs a CHECK that only a rebuild adds, so without --destructive it is left as it is.
template <class B>
void repair(retort::basic_session<B>& s) {
    manager_for<B> manager(s, {"schema_migrations"});
    const auto additive = manager.fix(false);
    REQUIRE(additive.size() == 2u);
    CHECK(additive.back().kind == m::change::add_column);
    CHECK(additive.back().name == "response");
    const auto left = manager.validate();
    INFO(left.text());
    CHECK(left.operations.size() == (is_sqlite<B> ? 1u : 0u));
    for (const auto& op : left.operations) CHECK(op.table == "users");
    if (!left.clean()) manager.fix(true);
    INFO(manager.validate().text());
    CHECK(manager.validate().clean());
}

// A table as retort wrote every max_length<N> on SQLite before checked_max_length existed:
// with a length CHECK. The models still say plain max_length<40>.
namespace older {
struct note {
    std::int64_t id{};
    std::string title;
};
RETORT_TABLE(note, "notes", (id, retort::primary_key, retort::autoincrement),
             (title, retort::max_length<40>));

struct note_later {  // then a column whose default only a rebuild adds, and a rename
    std::int64_t id{};
    std::string heading;
    retort::timestamp created_at{};
};
RETORT_TABLE(note_later, "notes", (id, retort::primary_key, retort::autoincrement),
             (heading, retort::max_length<40>, retort::renamed_from<"title">),
             (created_at, retort::server_default_now));

constexpr std::string_view ddl = R"sql(
CREATE TABLE "notes" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_notes" PRIMARY KEY AUTOINCREMENT,
    "title" VARCHAR(40) NOT NULL,
    CONSTRAINT "ck_notes_title_length" CHECK (length("title") <= 40)
);
INSERT INTO notes (title) VALUES ('kept');
)sql";
}  // namespace older

}  // namespace

TEST_CASE("sqlite: the length CHECK retort wrote for max_length before is kept, not reported",
          "[migrate][sqlite-only]") {
    scratch f;
    const auto first = m::autogenerate<older::note>(f.dir, "initial")->id;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        s.execute_script(std::string{older::ddl});
        // The CHECK is optional for a plain max_length: neither drift nor a stamp difference.
        m::schema_manager<B, older::note> manager(s);
        INFO(manager.validate().text());
        CHECK(manager.validate().clean());
        m::migrator<B> mig(s, m::load_history(f.dir));
        INFO(listing(mig.compare(first)));
        CHECK(mig.compare(first).empty());

        // A rebuild for another reason keeps it, under the renamed column's name.
        m::schema_manager<B, older::note_later> later(s);
        const auto report = later.validate();
        INFO(report.text());
        std::vector<std::string> kept;
        for (const auto& op : report.operations)
            if (op.kind == m::change::add_check) kept.push_back(op.name);
        CHECK(kept == std::vector<std::string>{"ck_notes_heading_length"});
        CHECK_FALSE(later.fix(true).empty());
        INFO(later.validate().text());
        CHECK(later.validate().clean());
        const auto table_sql =
            s.template query<std::string>("SELECT sql FROM sqlite_schema WHERE name = 'notes'");
        REQUIRE(table_sql.size() == 1);
        CHECK_THAT(std::get<0>(table_sql[0]),
                   Contains("CONSTRAINT \"ck_notes_heading_length\" CHECK (length(\"heading\") "
                            "<= 40)"));
        CHECK_THROWS_AS(
            s.execute_script("INSERT INTO notes (heading) VALUES ('" + std::string(41, 'x') + "')"),
            retort::check_violation);
        CHECK(s.template query<std::string>("SELECT heading FROM notes") ==
              std::vector<std::tuple<std::string>>{{"kept"}});
    });
}

TEST_CASE("adoption: stamp refuses a hand-built database while it differs, listing what differs",
          "[migrate]") {
    scratch f;
    const auto first = write_first_revision(f.dir);
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        build_legacy_database(s);
        const auto before = read_rows(s);

        m::migrator<B> mig(s, m::load_history(f.dir));
        const auto differences = mig.compare(first);
        INFO(listing(differences));
        CHECK(differences.size() == (is_sqlite<B> ? 3u : 2u));
        std::string refused;
        try {
            mig.stamp(first);
        } catch (const retort::programming_error& error) {
            refused = error.what();
        }
        CHECK_THAT(refused, Contains("refusing to stamp") &&
                                Contains("add index ix_dgs_jobs_status_created_at on dgs_jobs") &&
                                Contains("add column llm_call_audit.response"));
        if constexpr (is_sqlite<B>)
            CHECK_THAT(refused, Contains("add check ck_users_email_length"));
        CHECK(m::read_applied(s).empty());
        // The legacy table is not the models' business: it is not listed.
        for (const auto& op : differences) CHECK(op.table != "schema_migrations");
        check_same_rows(read_rows(s), before);
    });
}

TEST_CASE("adoption: once repaired, stamp accepts the hand-built database and runs no DDL",
          "[migrate]") {
    sql_capture capture;
    scratch f;
    const auto first = write_first_revision(f.dir);
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        capture.install(e);
        auto s = e.session();
        build_legacy_database(s);
        const auto before = read_rows(s);

        repair(s);
        check_same_rows(read_rows(s), before);  // the SQLite rebuilds of users kept the jobs

        m::migrator<B> mig(s, m::load_history(f.dir));
        const auto differences = mig.compare(first);
        INFO(listing(differences));
        CHECK(differences.empty());
        capture.take();
        mig.stamp(first);
        CHECK(ddl_among(capture.take()) == strings{m::create_version_table_sql<B>()});
        const auto applied = mig.applied();
        REQUIRE(applied.size() == 1);
        CHECK(applied[0].id == first);
        CHECK(applied[0].how == "stamp");
        check_same_rows(read_rows(s), before);
        e.on_sql({});
    });
}

TEST_CASE("adoption: the next revision upgrades the adopted database with every row intact",
          "[migrate]") {
    scratch f;
    const auto first = write_first_revision(f.dir);
    const auto second = m::autogenerate<adopted::user, app::job, app::lesson, app::llm_call_audit,
                                        app::email_delivery_log>(f.dir, "user locale");
    REQUIRE(second.has_value());
    REQUIRE(second->operations.size() == 1);
    CHECK(second->operations[0].kind == m::change::add_column);
    CHECK(second->operations[0].name == "locale");
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        build_legacy_database(s);
        repair(s);
        const auto before = read_rows(s);
        const auto history = m::load_history(f.dir);
        m::migrator<B> mig(
            s, history,
            m::options_for_models<adopted::user, app::job, app::lesson, app::llm_call_audit,
                                  app::email_delivery_log>(history));
        mig.stamp(first);
        CHECK(mig.upgrade("head") == strings{second->id});

        check_same_rows(read_rows(s), before);
        CHECK(s.template query<std::int64_t, std::string>(
                  "SELECT id, locale FROM users ORDER BY id") ==
              std::vector<std::tuple<std::int64_t, std::string>>{{1, "en"}, {2, "en"}});
        m::schema_manager<B, adopted::user, app::job, app::lesson, app::llm_call_audit,
                          app::email_delivery_log>
            manager(s, {"schema_migrations"});
        INFO(manager.validate().text());
        CHECK(manager.validate().clean());
        CHECK(m::database_matches_models<adopted::user, app::job, app::lesson, app::llm_call_audit,
                                         app::email_delivery_log>(s));
        // A new user gets the default; the old rows' ids are not reused.
        adopted::user eve{0, "eve@example.org", std::nullopt, false, test::at(2026, 6, 1), "sv"};
        CHECK(s.insert(eve) == 3);
    });
}

TEST_CASE("sqlite: without --destructive, fix leaves the tables only a rebuild repairs alone",
          "[migrate][sqlite-only]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        build_legacy_database(s);
        const auto ddl = [&] {
            return s.template query<std::string, std::string>(
                "SELECT name, sql FROM sqlite_schema WHERE name IN ('users', 'dgs_jobs') "
                "ORDER BY name");
        };
        const auto before = ddl();
        manager_for<B> manager(s, {"schema_migrations"});
        const auto fixed = manager.fix(false);
        REQUIRE(fixed.size() == 2);  // dgs_jobs' index and llm_call_audit's column
        for (const auto& op : fixed) CHECK(op.table != "users");
        CHECK(ddl() == before);  // the default CURRENT_TIMESTAMP and all
        const auto left = manager.validate();
        INFO(left.text());
        // Adding a CHECK is additive in kind, but on SQLite only a rebuild adds one: left, and
        // reported as needing --destructive.
        REQUIRE(left.operations.size() == 1);
        CHECK(left.operations[0].name == "ck_users_email_length");
        CHECK(left.rebuilt_tables == strings{"users"});
        CHECK(left.needs_destructive());
        CHECK_THAT(left.text(), Contains("[needs --destructive]"));
        CHECK_THAT(left.json(), Contains("\"needs_destructive\": true, \"name_only_differences\""));
    });
}

// Was a bug (introspect_sqlite.hpp, read_table, line `c.nullable = notnull == 0;`): SQLite's
// `id INTEGER PRIMARY KEY` is the rowid and can never hold NULL, but PRAGMA table_xinfo says
// notnull = 0 unless NOT NULL is written too, so the column reads as nullable and the models
// (NOT NULL) differ: "forbid NULL in users.id". The way hand-written SQLite schemas spell a
// key (`id INTEGER PRIMARY KEY AUTOINCREMENT`) then makes stamp refuse the database, and only
// a destructive fix (a rebuild, for nothing) clears it. Fix: in read_table (or
// normalize_for_sqlite), make a single-column key whose declared type is exactly INTEGER in a
// rowid table NOT NULL. (Other key columns may hold NULL in SQLite and must stay as read.)
TEST_CASE("sqlite: an INTEGER PRIMARY KEY written without NOT NULL is not drift",
          "[migrate][sqlite-only]") {
    scratch f;
    f.db.visit([&](auto& e) {
        auto s = e.session();
        s.execute_script(R"sql(
            CREATE TABLE users (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                email VARCHAR(255) NOT NULL UNIQUE
                    CONSTRAINT ck_users_email_length CHECK (length("email") <= 255),
                display_name TEXT,
                approved BOOLEAN NOT NULL DEFAULT 0,
                created_at TIMESTAMP NOT NULL
                    DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now') || '000')
            );
            CREATE INDEX ix_users_created_at ON users (created_at);
        )sql");
        // NULL cannot be stored: it asks for the next rowid.
        s.execute_script("INSERT INTO users (id, email) VALUES (NULL, 'a@example.org')");
        CHECK(s.template query<std::int64_t>("SELECT id FROM users") ==
              std::vector<std::tuple<std::int64_t>>{{1}});
        const auto ops = m::diff_with_models<app::user>(s);
        INFO(listing(ops));
        CHECK(ops.empty());
    });
}

TEST_CASE("adoption: constraints PostgreSQL named itself differ until renamed",
          "[migrate][postgres-only]") {
    scratch f;
    const auto first = m::autogenerate<app::user>(f.dir, "users")->id;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        s.execute_script(R"sql(
            CREATE TABLE users (
                id BIGSERIAL PRIMARY KEY,
                email varchar(255) NOT NULL UNIQUE,
                display_name text,
                approved boolean NOT NULL DEFAULT false,
                created_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX ix_users_created_at ON users (created_at);
        )sql");
        m::migrator<B> mig(s, m::load_history(f.dir));
        std::string refused;
        try {
            mig.stamp(first);
        } catch (const retort::programming_error& error) {
            refused = error.what();
        }
        // The same rules under PostgreSQL's names: renames, listed as name-only differences
        // (a later revision drops them by retort's names, so stamp still insists on them).
        CHECK_THAT(refused, Contains("name-only: rename primary key users_pkey on users to "
                                     "pk_users") &&
                                Contains("name-only: rename unique users_email_key on users to "
                                         "uq_users_email") &&
                                !Contains("drop unique") && !Contains("add unique"));
        s.execute_script("ALTER TABLE users RENAME CONSTRAINT users_pkey TO pk_users");
        s.execute_script("ALTER TABLE users RENAME CONSTRAINT users_email_key TO uq_users_email");
        const auto differences = mig.compare(first);
        INFO(listing(differences));
        CHECK(differences.empty());
        mig.stamp(first);
        CHECK(mig.current() == first);
    });
}
