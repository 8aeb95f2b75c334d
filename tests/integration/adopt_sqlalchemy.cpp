// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// Adopting the tables SQLAlchemy 2 made (tests/corpus/sqlalchemy/sqlite.sql, written by
// scripts/generate-sqlalchemy-corpus.py from the seeds' service models) with the retort models
// a user writes for them, nothing adjusted to retort: validate is empty, stamp accepts, every
// model reads and writes a row, fix changes nothing; and each real change to the models is
// still found, applied, converges, and keeps every row.

#include "../support/migration_models.hpp"

#include <retort/migrate/schema_manager.hpp>
#include <retort/migrate/startup.hpp>

#include <boost/pfr.hpp>

#include <fstream>
#include <sstream>

namespace {

namespace m = retort::migrate;
using Catch::Contains;
using migtest::backend_of;
using migtest::is_sqlite;
using migtest::listing;

namespace sa {

struct user {
    std::int64_t id{};
    std::string email;
    std::optional<std::string> display_name;
    bool approved{};
    retort::timestamp created_at{};
};
RETORT_TABLE(user, "users", (id, retort::primary_key, retort::autoincrement),
             (email, retort::max_length<255>, retort::unique),
             (display_name, retort::max_length<120>), (approved, retort::server_default<false>),
             (created_at, retort::server_default_now));

struct job {
    std::string job_id;
    std::int64_t user_id{};
    retort::json request;
    std::string status;
    std::string phase;
    std::optional<std::string> subphase;
    std::optional<std::int32_t> total_steps;
    std::optional<std::int32_t> completed_steps;
    std::optional<double> progress;
    retort::timestamp created_at{};
};
RETORT_TABLE(job, "dgs_jobs", (job_id, retort::primary_key, retort::max_length<64>),
             (user_id, retort::references<&user::id>.on_delete(retort::fk_action::cascade),
              retort::indexed),
             (request), (status, retort::max_length<16>, retort::server_default<"queued">), (phase),
             (subphase), (total_steps), (completed_steps), (progress),
             (created_at, retort::server_default_now));
RETORT_CONSTRAINTS(job, retort::index<"", &job::status, &job::created_at>);

struct lesson {
    std::string lesson_id;
    std::string job_id;
    std::string topic;
    std::string title;
    std::string body;
    std::int32_t position{};
};
RETORT_TABLE(lesson, "dgs_lessons", (lesson_id, retort::primary_key, retort::max_length<64>),
             (job_id, retort::max_length<64>,
              retort::references<&job::job_id>.on_delete(retort::fk_action::cascade)),
             (topic, retort::max_length<200>), (title, retort::max_length<200>), (body),
             (position, retort::server_default<0>));
RETORT_CONSTRAINTS(lesson, retort::unique_together<"", &lesson::topic, &lesson::title>);

struct llm_call_audit {
    std::string id;
    retort::timestamp timestamp_request{};
    std::optional<retort::timestamp> timestamp_response;
    std::string model;
    std::int32_t prompt_tokens{};
    std::int32_t completion_tokens{};
    std::optional<double> cost_usd;
    std::optional<retort::json> response;
};
RETORT_TABLE(llm_call_audit, "llm_call_audit", (id, retort::primary_key, retort::max_length<36>),
             (timestamp_request), (timestamp_response), (model, retort::max_length<100>),
             (prompt_tokens), (completion_tokens), (cost_usd), (response));

struct email_delivery_log {
    std::int64_t id{};
    std::optional<std::int64_t> user_id;
    std::string recipient;
    std::string template_name;
    bool delivered{};
    std::int32_t attempts{};
    std::optional<retort::timestamp> sent_at;
};
RETORT_TABLE(email_delivery_log, "email_delivery_logs",
             (id, retort::primary_key, retort::autoincrement),
             (user_id, retort::references<&user::id>.on_delete(retort::fk_action::set_null)),
             (recipient, retort::max_length<320>),
             (template_name, retort::named<"template">, retort::max_length<64>),
             (delivered, retort::server_default<true>), (attempts, retort::server_default<1>),
             (sent_at, retort::indexed));

}  // namespace sa

// The same users table, as a project changes it afterwards.
namespace changed {
// Asks SQLite to enforce the length of email: a CHECK the SQLAlchemy table does not have.
struct user {
    std::int64_t id{};
    std::string email;
    std::optional<std::string> display_name;
    bool approved{};
    retort::timestamp created_at{};
    std::optional<std::string> locale;  // a new column
};
RETORT_TABLE(user, "users", (id, retort::primary_key, retort::autoincrement),
             (email, retort::checked_max_length<255>, retort::unique),
             (display_name, retort::max_length<120>), (approved, retort::server_default<false>),
             (created_at, retort::server_default_now), (locale));
}  // namespace changed

template <class B, class... Ts>
using manager_of = m::schema_manager<B, Ts...>;

template <class B>
using sa_manager =
    manager_of<B, sa::user, sa::job, sa::lesson, sa::llm_call_audit, sa::email_delivery_log>;

std::string corpus(const std::string& name) {
    std::ifstream in(std::string{RETORT_TEST_CORPUS_DIR} + "/sqlalchemy/" + name);
    REQUIRE(in.good());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

/// The database's DDL as SQLite keeps it: what "changes nothing" is checked against.
template <class S>
std::vector<std::tuple<std::string, std::string>> stored_ddl(S& s) {
    return s.template query<std::string, std::string>(
        "SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name");
}

/// Rows written by SQL as the Python service writes them (defaults from the DDL).
template <class S>
void insert_python_rows(S& s) {
    s.execute_script(R"sql(
        INSERT INTO users (email, display_name) VALUES ('ada@example.org', 'Ada');
        INSERT INTO users (email, approved, created_at)
            VALUES ('bob@example.org', 1, '2026-01-02 03:04:05.250000');
        INSERT INTO dgs_jobs (job_id, user_id, request, phase, progress)
            VALUES ('job-1', 1, '{"topic": "sql", "depth": 2}', 'plan', 0.5);
        INSERT INTO dgs_lessons (lesson_id, job_id, topic, title, body)
            VALUES ('l-1', 'job-1', 'sql', 'Joins', 'text');
        INSERT INTO llm_call_audit (id, timestamp_request, model, prompt_tokens,
                                    completion_tokens, response)
            VALUES ('00000000-0000-0000-0000-000000000001', '2026-01-02 03:04:05', 'm', 10, 20,
                    '[1, 2.50, "x"]');
        INSERT INTO email_delivery_logs (user_id, recipient, template) VALUES (1, 'a@x', 'hello');
    )sql");
}

}  // namespace

TEST_CASE("sqlalchemy corpus, sqlite: the models a user writes validate empty, fix does nothing",
          "[migrate][adopt][sqlite-only]") {
    migtest::scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        s.execute_script(corpus("sqlite.sql"));
        insert_python_rows(s);
        const auto ddl = stored_ddl(s);

        sa_manager<B> manager(s);
        const auto report = manager.validate();
        INFO(report.text());
        CHECK(report.clean());
        CHECK(manager.fix(false).empty());
        CHECK(manager.fix(true).empty());
        CHECK(stored_ddl(s) == ddl);
    });
}

TEST_CASE("sqlalchemy corpus, sqlite: stamp accepts the database for the models' first revision",
          "[migrate][adopt][sqlite-only]") {
    migtest::scratch f;
    const auto first =
        m::autogenerate<sa::user, sa::job, sa::lesson, sa::llm_call_audit, sa::email_delivery_log>(
            f.dir, "initial")
            ->id;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        s.execute_script(corpus("sqlite.sql"));
        const auto ddl = stored_ddl(s);
        m::migrator<B> mig(s, m::load_history(f.dir));
        INFO(listing(mig.compare(first)));
        CHECK(mig.compare(first).empty());
        mig.stamp(first);
        const auto applied = m::read_applied(s);
        REQUIRE(applied.size() == 1);
        CHECK(applied[0].id == first);
        CHECK(applied[0].how == "stamp");
        // stamp ran no DDL on the tables (it only created its own version table).
        auto now = stored_ddl(s);
        std::erase_if(now, [](const auto& row) { return std::get<0>(row) == "retort_version"; });
        CHECK(now == ddl);
    });
}

TEST_CASE("sqlalchemy corpus, sqlite: every model reads the service's rows and writes its own",
          "[migrate][adopt][sqlite-only]") {
    migtest::scratch f;
    f.db.visit([&](auto& e) {
        auto s = e.session();
        s.execute_script(corpus("sqlite.sql"));
        insert_python_rows(s);

        // What the Python service wrote, read through the models.
        const auto ada = s.template get<sa::user>(std::int64_t{1});
        REQUIRE(ada);
        CHECK(ada->email == "ada@example.org");
        CHECK_FALSE(ada->approved);  // DEFAULT 0
        // DEFAULT CURRENT_TIMESTAMP stores seconds: 'YYYY-MM-DD HH:MM:SS', read as UTC.
        CHECK(ada->created_at > retort::timestamp{} + std::chrono::hours{24 * 365 * 50});
        const auto bob = s.template get<sa::user>(std::int64_t{2});
        REQUIRE(bob);
        CHECK(bob->created_at == test::at(2026, 1, 2, 3, 4, 5, 250000));
        const auto job = s.template get<sa::job>(std::string{"job-1"});
        REQUIRE(job);
        CHECK(job->request.text == R"({"topic": "sql", "depth": 2})");
        CHECK(job->status == "queued");
        CHECK(job->progress == 0.5);
        const auto lesson = s.template get<sa::lesson>(std::string{"l-1"});
        REQUIRE(lesson);
        CHECK(lesson->position == 0);  // DEFAULT '0' on an INTEGER column: the integer 0
        const auto audit =
            s.template get<sa::llm_call_audit>(std::string{"00000000-0000-0000-0000-000000000001"});
        REQUIRE(audit);
        CHECK(audit->timestamp_request == test::at(2026, 1, 2, 3, 4, 5));
        REQUIRE(audit->response);
        // A JSON column (NUMERIC affinity) keeps a document's text: only a document that is a
        // bare number could be re-spelled, never a JSON array or object.
        CHECK(audit->response->text == "[1, 2.50, \"x\"]");
        const auto log = s.template get<sa::email_delivery_log>(std::int64_t{1});
        REQUIRE(log);
        CHECK(log->delivered);
        CHECK(log->attempts == 1);  // DEFAULT '1'
        CHECK(log->template_name == "hello");

        // Rows written through the models; the rowid alias generates the keys.
        sa::user carol{0, "carol@example.org", std::nullopt, true, test::at(2026, 5, 6, 7, 8, 9)};
        s.insert(carol);
        CHECK(carol.id == 3);
        sa::job j{"job-2",
                  carol.id,
                  retort::json{R"({"a": [1, 2]})"},
                  "running",
                  "write",
                  "draft",
                  3,
                  1,
                  0.25,
                  test::at(2026, 5, 6)};
        s.insert(j);
        s.insert(sa::lesson{"l-2", "job-2", "sql", "Indexes", "body", 2});
        s.insert(sa::llm_call_audit{"id-2", test::at(2026, 5, 6), std::nullopt, "m", 1, 2, 0.001,
                                    retort::json{"{}"}});
        sa::email_delivery_log mail{0, carol.id, "c@x", "welcome", false, 2, test::at(2026, 5, 7)};
        s.insert(mail);
        CHECK(mail.id == 2);
        const auto j2 = s.template get<sa::job>(std::string{"job-2"});
        REQUIRE(j2);
        CHECK(boost::pfr::eq(*j2, j));
        // The Python side's view of a row retort wrote: the same text and numbers.
        CHECK(s.template query<std::string, double>(
                  "SELECT request, progress FROM dgs_jobs WHERE job_id = 'job-2'") ==
              std::vector<std::tuple<std::string, double>>{{R"({"a": [1, 2]})", 0.25}});
    });
}

TEST_CASE("sqlalchemy corpus, sqlite: real changes are found, applied, converge, keep every row",
          "[migrate][adopt][sqlite-only]") {
    migtest::scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        s.execute_script(corpus("sqlite.sql"));
        insert_python_rows(s);
        const auto users_before = s.template query<std::int64_t, std::string,
                                                   std::optional<std::string>, bool, std::string>(
            "SELECT id, email, display_name, approved, created_at FROM users ORDER BY id");

        manager_of<B, changed::user, sa::job, sa::lesson, sa::llm_call_audit,
                   sa::email_delivery_log>
            manager(s);
        const auto report = manager.validate();
        INFO(report.text());
        // Exactly the two changes, nothing that only SQLAlchemy's spelling differs in.
        REQUIRE(report.operations.size() == 2);
        const auto what = migtest::sorted_descriptions(report.operations);
        CHECK_THAT(what[0], Contains("add check ck_users_email_length"));
        CHECK_THAT(what[1], Contains("add column users.locale"));

        // The CHECK needs a rebuild of users (SQLite cannot add one to a table), so without
        // --destructive the whole table waits, its new column too; and the report says so.
        CHECK(report.rebuilt_tables == std::vector<std::string>{"users"});
        CHECK(report.needs_destructive());
        for (const auto& op : report.operations) CHECK(report.needs_destructive(op));
        CHECK_THAT(report.text(), Contains("add column users.locale TEXT  [needs --destructive]"));
        CHECK(manager.fix_sql(false).empty());
        CHECK(manager.fix(false).empty());
        CHECK(manager.fix(true).size() == 2);
        const auto after = manager.validate();
        INFO(after.text());
        CHECK(after.clean());
        CHECK(manager.fix(true).empty());

        CHECK(s.template query<std::int64_t, std::string, std::optional<std::string>, bool,
                               std::string>("SELECT id, email, display_name, approved, created_at "
                                            "FROM users ORDER BY id") == users_before);
        CHECK(s.template query<std::int64_t>("SELECT count(*) FROM dgs_jobs") ==
              std::vector<std::tuple<std::int64_t>>{{1}});
        // The length is now enforced.
        CHECK_THROWS_AS(
            s.execute_script("INSERT INTO users (email) VALUES ('" + std::string(256, 'x') + "')"),
            retort::check_violation);
    });
}

// The same service on PostgreSQL, as SQLAlchemy 2 made it there (tests/corpus/sqlalchemy/
// postgresql.sql): SERIAL keys (integer), JSON (not jsonb), the server's names for keys,
// uniques and foreign keys and SQLAlchemy's ix_<table>_<column> for indexes; the models a user
// writes for it name nothing but the one index SQLAlchemy's model names.
namespace sa_pg {
RETORT_NAMING(retort::naming::sqlalchemy_names);
using retort::postgres_type;

struct user {
    std::int32_t id{};
    std::string email;
    std::optional<std::string> display_name;
    bool approved{};
    retort::timestamp created_at{};
};
RETORT_TABLE(user, "users", (id, retort::primary_key, retort::autoincrement),
             (email, retort::max_length<255>, retort::unique),
             (display_name, retort::max_length<120>), (approved, retort::server_default<false>),
             (created_at, retort::server_default_now));

struct job {
    std::string job_id;
    std::int32_t user_id{};
    retort::json request;
    std::string status;
    std::string phase;
    std::optional<std::string> subphase;
    std::optional<std::int32_t> total_steps;
    std::optional<std::int32_t> completed_steps;
    std::optional<double> progress;
    retort::timestamp created_at{};
};
RETORT_TABLE(job, "dgs_jobs", (job_id, retort::primary_key, retort::max_length<64>),
             (user_id, retort::references<&user::id>.on_delete(retort::fk_action::cascade),
              retort::indexed),
             (request, postgres_type<"json">),
             (status, retort::max_length<16>, retort::server_default<"queued">), (phase),
             (subphase), (total_steps), (completed_steps), (progress),
             (created_at, retort::server_default_now));
RETORT_CONSTRAINTS(job,
                   retort::index<"ix_dgs_jobs_status_created_at", &job::status, &job::created_at>);

struct lesson {
    std::string lesson_id;
    std::string job_id;
    std::string topic;
    std::string title;
    std::string body;
    std::int32_t position{};
};
RETORT_TABLE(lesson, "dgs_lessons", (lesson_id, retort::primary_key, retort::max_length<64>),
             (job_id, retort::max_length<64>,
              retort::references<&job::job_id>.on_delete(retort::fk_action::cascade)),
             (topic, retort::max_length<200>), (title, retort::max_length<200>), (body),
             (position, retort::server_default<0>));
RETORT_CONSTRAINTS(lesson, retort::unique_together<"", &lesson::topic, &lesson::title>);

struct llm_call_audit {
    std::string id;
    retort::timestamp timestamp_request{};
    std::optional<retort::timestamp> timestamp_response;
    std::string model;
    std::int32_t prompt_tokens{};
    std::int32_t completion_tokens{};
    std::optional<double> cost_usd;
    std::optional<retort::json> response;
};
RETORT_TABLE(llm_call_audit, "llm_call_audit", (id, retort::primary_key, retort::max_length<36>),
             (timestamp_request), (timestamp_response), (model, retort::max_length<100>),
             (prompt_tokens), (completion_tokens), (cost_usd), (response, postgres_type<"json">));

struct email_delivery_log {
    std::int32_t id{};
    std::optional<std::int32_t> user_id;
    std::string recipient;
    std::string template_name;
    bool delivered{};
    std::int32_t attempts{};
    std::optional<retort::timestamp> sent_at;
};
RETORT_TABLE(email_delivery_log, "email_delivery_logs",
             (id, retort::primary_key, retort::autoincrement),
             (user_id, retort::references<&user::id>.on_delete(retort::fk_action::set_null)),
             (recipient, retort::max_length<320>),
             (template_name, retort::named<"template">, retort::max_length<64>),
             (delivered, retort::server_default<true>), (attempts, retort::server_default<1>),
             (sent_at, retort::indexed));
}  // namespace sa_pg

TEST_CASE("sqlalchemy corpus, postgres: validate empty under SQLAlchemy's names, stamp, rows",
          "[migrate][adopt][naming][postgres-only]") {
    const auto dir = migtest::fresh_directory();
    const auto first =
        m::autogenerate<sa_pg::user, sa_pg::job, sa_pg::lesson, sa_pg::llm_call_audit,
                        sa_pg::email_delivery_log>(dir, "initial")
            ->id;
    const std::string drop =
        "DROP TABLE IF EXISTS dgs_lessons, dgs_jobs, email_delivery_logs, llm_call_audit, users, "
        "retort_version CASCADE";
    test::with_postgres_session(drop, [&](auto& s) {
        s.execute_script(corpus("postgresql.sql"));
        s.execute_script(R"sql(
                INSERT INTO users (email, display_name) VALUES ('ada@example.org', 'Ada');
                INSERT INTO dgs_jobs (job_id, user_id, request, phase, progress)
                    VALUES ('job-1', 1, '{"topic": "sql", "depth": 2}', 'plan', 0.5);
                INSERT INTO dgs_lessons (lesson_id, job_id, topic, title, body)
                    VALUES ('l-1', 'job-1', 'sql', 'Joins', 'text');
                INSERT INTO email_delivery_logs (user_id, recipient, template)
                    VALUES (1, 'a@x', 'hello');
            )sql");
        manager_of<retort::postgres, sa_pg::user, sa_pg::job, sa_pg::lesson, sa_pg::llm_call_audit,
                   sa_pg::email_delivery_log>
            manager(s);
        const auto report = manager.validate();
        INFO(report.text());
        CHECK(report.clean());
        CHECK(manager.fix(true).empty());
        CHECK(manager.fix(true).empty());

        const auto history = m::load_history(dir);
        m::migrator<retort::postgres> mig(
            s, history,
            m::options_for_models<sa_pg::user, sa_pg::job, sa_pg::lesson, sa_pg::llm_call_audit,
                                  sa_pg::email_delivery_log>(history));
        INFO(listing(mig.compare(first)));
        CHECK(mig.compare(first).empty());
        mig.stamp(first);

        const auto job = s.template get<sa_pg::job>(std::string{"job-1"});
        REQUIRE(job);
        CHECK(job->request.text == R"({"topic": "sql", "depth": 2})");
        CHECK(job->status == "queued");
        sa_pg::user bob{0, "bob@example.org", std::nullopt, true, test::at(2026, 5, 6)};
        s.insert(bob);
        CHECK(bob.id == 2);
        sa_pg::job j{"job-2",
                     bob.id,
                     retort::json{R"({"a": [1, 2]})"},
                     "running",
                     "write",
                     "draft",
                     3,
                     1,
                     0.25,
                     test::at(2026, 5, 6)};
        s.insert(j);
        const auto j2 = s.template get<sa_pg::job>(std::string{"job-2"});
        REQUIRE(j2);
        CHECK(boost::pfr::eq(*j2, j));
        sa_pg::email_delivery_log mail{0, bob.id, "b@x", "welcome", false, 2, std::nullopt};
        s.insert(mail);
        CHECK(mail.id == 2);
    });
    std::filesystem::remove_all(dir);
}
