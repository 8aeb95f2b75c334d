// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// Live-schema introspection on PostgreSQL: the shared models' tables read back equal to the
// schema built from the models (after normalize_for_postgres), CHECKs and partial-index
// predicates compare by meaning (spelled_by_server), a hand-written legacy table
// reads as PostgreSQL created it, other schemas and retort_version are not listed, and the
// number of catalog queries does not grow with the number of tables.

#include "../support/schema_differences.hpp"
#include "../support/test_db.hpp"

#include <retort/migrate/introspect.hpp>
#include <retort/migrate/introspect_postgres.hpp>
#include <retort/migrate/schema_manager.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

namespace schema = retort::schema;
using retort::migrate::canonical;
using retort::migrate::introspect;
using retort::migrate::normalize_for_postgres;

// ---- helpers ------------------------------------------------------------------------------

/// Runs f(postgres_engine&) on a PostgreSQL engine (the engine's other alternative is skipped).
template <class F>
void on_postgres_engine(retort::engine& db, F f) {
    db.visit([&](auto& e) {
        if constexpr (std::is_same_v<typename std::decay_t<decltype(e)>::backend, retort::postgres>)
            f(e);
    });
}

/// Runs `drop` (DDL, IF EXISTS) when it goes out of scope, so a failed test cleans up too.
struct cleanup {
    retort::postgres_engine& engine;
    std::string drop;
    ~cleanup() {
        try {
            engine.session().execute_script(drop);
        } catch (...) {
        }
    }
};

const schema::column& column_of(const schema::table& t, std::string_view name) {
    const schema::column* c = t.find_column(name);
    REQUIRE(c != nullptr);
    return *c;
}

}  // namespace

TEST_CASE("introspect() reads the models' tables back equal to the models' schema",
          "[postgres-only][introspect]") {
    test::fresh_db f;
    int statements = 0;
    f.db.on_sql([&](std::string_view, std::chrono::nanoseconds) { ++statements; });
    on_postgres_engine(f.db, [&](retort::postgres_engine& e) {
        auto s = e.session();  // opened after on_sql, so the hook sees its statements
        statements = 0;
        const auto live = introspect(s);
        CHECK(statements == 3);

        const auto got = canonical(normalize_for_postgres(live));
        // CHECKs and predicates as the server prints them back (spelled_by_server).
        const auto want = canonical(normalize_for_postgres(retort::migrate::spelled_by_server(
            s,
            schema::database_of<app::user, app::job, app::lesson, app::llm_call_audit,
                                app::email_delivery_log, app::all_types, app::membership>(),
            live)));
        // Tables other tests left behind are not ours to compare.
        schema::database ours;
        for (const auto& t : got.tables)
            if (want.find_table(t.name)) ours.tables.push_back(t);
        INFO(test::schema_differences(ours, want));
        CHECK(ours == want);

        // Spot checks that do not go through normalization.
        const auto* jobs = live.find_table("dgs_jobs");
        REQUIRE(jobs != nullptr);
        const auto& status = column_of(*jobs, "status");
        CHECK(status.type == retort::logical_type::enumeration);
        CHECK(status.enum_values ==
              std::vector<std::string>{"queued", "running", "done", "failed"});
        CHECK(status.server_default ==
              schema::default_value{schema::default_value::kind::text, 0, "queued"});
        CHECK(column_of(*jobs, "job_id").max_length == 64);
        const auto* users = live.find_table("users");
        REQUIRE(users != nullptr);
        CHECK(column_of(*users, "id").autoincrement);
        CHECK(column_of(*users, "id").server_default.type == schema::default_value::kind::none);
        CHECK(column_of(*users, "approved").server_default ==
              schema::default_value{schema::default_value::kind::boolean, 0, {}});
        const auto* logs = live.find_table("email_delivery_logs");
        REQUIRE(logs != nullptr);
        REQUIRE(logs->indexes.size() == 1);
        CHECK(logs->indexes[0].where == "(status = 'failed'::text)");
        REQUIRE(logs->foreign_keys.size() == 1);
        CHECK(logs->foreign_keys[0].on_delete == retort::fk_action::set_null);
    });
    f.db.on_sql({});
}

TEST_CASE("introspect() reads a hand-written legacy table as PostgreSQL created it",
          "[postgres-only][introspect]") {
    auto db = retort::engine::from_url(test::postgres_url());
    on_postgres_engine(db, [&](retort::postgres_engine& e) {
        const std::string drop = "DROP TABLE IF EXISTS legacy_steps, legacy_jobs, retort_version; "
                                 "DROP SCHEMA IF EXISTS retort_introspect_other CASCADE; "
                                 "DROP TYPE IF EXISTS legacy_kind";
        cleanup guard{e, drop};
        auto s = e.session();
        s.execute_script(drop);
        s.execute_script(
            "CREATE TABLE legacy_jobs (job_id text PRIMARY KEY, request jsonb, "
            "status varchar(32) NOT NULL DEFAULT 'queued', created_at text, "
            "progress double precision CHECK (progress >= 0), tags text[], "
            "UNIQUE (status, created_at)); "
            "CREATE INDEX legacy_jobs_queued ON legacy_jobs (created_at) WHERE status = 'queued'; "
            "CREATE TYPE legacy_kind AS ENUM ('plan', 'write'); "
            "CREATE TABLE legacy_steps (step_id serial PRIMARY KEY, "
            "job_id text REFERENCES legacy_jobs (job_id) ON DELETE CASCADE, "
            "kind legacy_kind NOT NULL, cost numeric(10, 2), attempts integer DEFAULT -1, "
            "at timestamp DEFAULT now(), n bigint GENERATED ALWAYS AS IDENTITY); "
            "CREATE TABLE retort_version (version text); "
            "CREATE SCHEMA retort_introspect_other; "
            "CREATE TABLE retort_introspect_other.hidden_table (id integer PRIMARY KEY)");

        const auto live = introspect(s);
        CHECK(live.find_table("retort_version") == nullptr);
        CHECK(live.find_table("hidden_table") == nullptr);

        const auto* jobs = live.find_table("legacy_jobs");
        REQUIRE(jobs != nullptr);
        using kind = schema::default_value::kind;
        using retort::logical_type;
        std::vector<schema::column> columns{
            {"job_id", logical_type::text, 0, false, false, {}, {}, {}, {}},
            {"request", logical_type::json, 0, true, false, {}, {}, {}, {}},
            {"status", logical_type::text, 32, false, false, {kind::text, 0, "queued"}, {}, {}, {}},
            {"created_at", logical_type::text, 0, true, false, {}, {}, {}, {}},
            {"progress", logical_type::float64, 0, true, false, {}, {}, {}, {}},
            {"tags", logical_type::text_array, 0, true, false, {}, {}, {}, {}},
        };
        schema::table want_jobs{
            "legacy_jobs",
            columns,
            {"legacy_jobs_pkey", {"job_id"}},
            {{"legacy_jobs_status_created_at_key", {"status", "created_at"}}},
            {{"legacy_jobs_queued", {"created_at"}, false, "((status)::text = 'queued'::text)"}},
            {},
            {{"legacy_jobs_progress_check", "(progress >= (0)::double precision)"}}};
        schema::database want{{want_jobs}};
        schema::database got{{*jobs}};
        INFO(test::schema_differences(got, want));
        CHECK(got == want);

        const auto* steps = live.find_table("legacy_steps");
        REQUIRE(steps != nullptr);
        std::vector<schema::column> step_columns{
            {"step_id", logical_type::int32, 0, false, true, {}, {}, {}, {}},
            {"job_id", logical_type::text, 0, true, false, {}, {}, {}, {}},
            {"kind",
             logical_type::enumeration,
             0,
             false,
             false,
             {},
             {"plan", "write"},
             {},
             "legacy_kind"},
            // numeric has no logical type: text, with its own spelling kept
            {"cost", logical_type::text, 0, true, false, {}, {}, {}, "numeric(10,2)"},
            {"attempts", logical_type::int32, 0, true, false, {kind::integer, -1, {}}, {}, {}, {}},
            {"at",
             logical_type::local_timestamp,
             0,
             true,
             false,
             {kind::expression, 0, "now()"},
             {},
             {},
             {}},
            {"n", logical_type::int64, 0, false, true, {}, {}, {}, {}},
        };
        schema::table want_steps{"legacy_steps",
                                 step_columns,
                                 {"legacy_steps_pkey", {"step_id"}},
                                 {},
                                 {},
                                 {{"legacy_steps_job_id_fkey",
                                   {"job_id"},
                                   "legacy_jobs",
                                   {"job_id"},
                                   retort::fk_action::cascade,
                                   retort::fk_action::no_action}},
                                 {}};
        schema::database want2{{want_steps}};
        schema::database got2{{*steps}};
        INFO(test::schema_differences(got2, want2));
        CHECK(got2 == want2);
    });
}

TEST_CASE("introspect() runs the same few queries for 1,000 tables",
          "[postgres-only][introspect]") {
    auto db = retort::engine::from_url(test::postgres_url());
    int statements = 0;
    db.on_sql([&](std::string_view, std::chrono::nanoseconds) { ++statements; });
    on_postgres_engine(db, [&](retort::postgres_engine& e) {
        constexpr int count = 1000;
        std::string create;
        std::string drop = "DROP TABLE IF EXISTS ";
        for (int i = 0; i < count; ++i) {
            const std::string t = "introspect_bulk_" + std::to_string(i);
            create += "CREATE TABLE " + t +
                      " (id integer PRIMARY KEY, v varchar(20) UNIQUE, w integer CHECK (w > 0), "
                      "at timestamptz DEFAULT now()); CREATE INDEX " +
                      t + "_w ON " + t + " (w);";
            drop += (i ? ", " : "") + t;
        }
        cleanup guard{e, drop};
        auto s = e.session();
        s.execute_script(drop);
        statements = 0;
        const std::size_t before = introspect(s).tables.size();
        const int few_tables_statements = statements;
        s.execute_script("BEGIN;" + create + "COMMIT");

        statements = 0;
        const auto live = introspect(s);  // its speed is a benchmark's business, not a test's
        CHECK(statements == few_tables_statements);
        CHECK(statements == 3);
        CHECK(live.tables.size() == before + count);
        const auto* t = live.find_table("introspect_bulk_999");
        REQUIRE(t != nullptr);
        CHECK(t->columns.size() == 4);
        CHECK(t->uniques.size() == 1);
        CHECK(t->checks.size() == 1);
        CHECK(t->indexes.size() == 1);
    });
    db.on_sql({});
}

TEST_CASE("introspection reads PostgreSQL's spelling of types, defaults and enum checks",
          "[postgres-only][introspect]") {
    namespace pg = retort::migrate::detail::postgres_introspect;
    using retort::logical_type;
    using kind = schema::default_value::kind;
    using pair = std::pair<logical_type, std::size_t>;
    CHECK(pg::logical_type_of_pg("character varying(32)") == pair{logical_type::text, 32});
    CHECK(pg::logical_type_of_pg("character varying") == pair{logical_type::text, 0});
    CHECK(pg::logical_type_of_pg("timestamp(3) without time zone") ==
          pair{logical_type::local_timestamp, 0});
    CHECK(pg::logical_type_of_pg("timestamp(3) with time zone") ==
          pair{logical_type::timestamp, 0});
    CHECK(pg::logical_type_of_pg("integer[]") == pair{logical_type::int_array, 0});
    CHECK(pg::logical_type_of_pg("json") == pair{logical_type::json, 0});
    CHECK(pg::logical_type_of_pg("uuid") == pair{logical_type::text, 0});  // unknown: text
    // Only retort's own spellings are its types; the others stay visible as native types.
    for (const char* own : {"timestamp with time zone", "timestamp without time zone",
                            "timestamp(6) without time zone", "jsonb", "bigint[]", "text[]",
                            "character varying(32)", "double precision"})
        CHECK(pg::is_retort_spelling(own));
    for (const char* other : {"timestamp(3) with time zone", "timestamp(3) without time zone",
                              "json", "integer[]", "smallint[]", "uuid", "numeric(10,2)"})
        CHECK_FALSE(pg::is_retort_spelling(other));

    auto read = [](std::string_view text) {
        schema::default_value d;
        const bool sequence = pg::read_default(text, d);
        return std::pair{sequence, d};
    };
    using dv = schema::default_value;
    CHECK(read("false").second == dv{kind::boolean, 0, {}});
    CHECK(read("0").second == dv{kind::integer, 0, {}});
    CHECK(read("'-1'::integer").second == dv{kind::integer, -1, {}});
    CHECK(read("'pending'::text").second == dv{kind::text, 0, "pending"});
    CHECK(read("'it''s'::character varying").second == dv{kind::text, 0, "it's"});
    CHECK(read("CURRENT_TIMESTAMP").second == dv{kind::expression, 0, "CURRENT_TIMESTAMP"});
    CHECK(read("now()").second == dv{kind::expression, 0, "now()"});
    CHECK(read("'a'::text || 'b'::text").second ==
          dv{kind::expression, 0, "'a'::text || 'b'::text"});
    CHECK(read("nextval('t_id_seq'::regclass)").first);

    CHECK(pg::check_expression("CHECK ((w > 0)) NOT VALID") == "(w > 0)");
    CHECK(pg::enum_values_of_check(
              "(status = ANY (ARRAY['queued'::text, 'it''s'::text, 'done'::text]))") ==
          std::vector<std::string>{"queued", "it's", "done"});
    CHECK(pg::enum_values_of_check("\"st'atus\" IN ('a', 'b')") ==
          std::vector<std::string>{"a", "b"});
    CHECK(pg::enum_values_of_check("(status = 'a'::text)") == std::vector<std::string>{"a"});
}

namespace native_enum {
enum class mood { calm, busy };
RETORT_ENUM(mood, calm, busy);
struct person {
    std::int64_t id{};
    mood state{};
};
RETORT_TABLE(person, "retort_native_enum_people", (id, retort::primary_key), (state));
}  // namespace native_enum

// Was a wrong answer: a native enum column (CREATE TYPE ... AS ENUM) compared equal to a
// RETORT_ENUM field (text plus a CHECK), while the driver could not read its values. Now it
// is a type change, which fix --destructive makes, after which the model reads the rows.
TEST_CASE("a native PostgreSQL enum is not the model's text enum until converted",
          "[postgres-only][introspect][migrate]") {
    auto db = retort::engine::from_url(test::postgres_url());
    on_postgres_engine(db, [&](retort::postgres_engine& e) {
        const std::string drop =
            "DROP TABLE IF EXISTS retort_native_enum_people; DROP TYPE IF EXISTS native_mood";
        cleanup guard{e, drop};
        auto s = e.session();
        s.execute_script(drop);
        s.execute_script("CREATE TYPE native_mood AS ENUM ('calm', 'busy'); "
                         "CREATE TABLE retort_native_enum_people (id bigint PRIMARY KEY, "
                         "state native_mood NOT NULL); "
                         "INSERT INTO retort_native_enum_people VALUES (1, 'busy')");
        const auto ops = retort::migrate::diff_with_models<native_enum::person>(s);
        std::string listed;
        for (const auto& op : ops) listed += op.description + "\n";
        INFO(listed);
        CHECK_THAT(listed, Catch::Contains("change type of retort_native_enum_people.state from "
                                           "native_mood to text holding an enum's values"));
        retort::migrate::schema_manager<retort::postgres, native_enum::person> manager(s);
        CHECK_FALSE(manager.validate().clean());
        CHECK(manager.fix(false).size() < ops.size());  // the type change waits
        CHECK_FALSE(manager.fix(true).empty());
        INFO(manager.validate().text());
        CHECK(manager.validate().clean());
        const auto person = s.get<native_enum::person>(std::int64_t{1});
        REQUIRE(person);
        CHECK(person->state == native_enum::mood::busy);
        CHECK_THROWS_AS(s.execute_script("INSERT INTO retort_native_enum_people VALUES (2, 'x')"),
                        retort::check_violation);
    });
}

namespace partitioned {
struct event {
    std::int64_t id{};
    retort::date day{};
    std::string kind;
};
RETORT_TABLE(event, "retort_part_events", (id, retort::primary_key), (day, retort::primary_key),
             (kind));
}  // namespace partitioned

// The partitions of a partitioned table are the parent's storage, not tables of their own:
// they are neither listed nor reported as tables to drop.
TEST_CASE("a partitioned table is one table, its partitions are not listed",
          "[postgres-only][introspect][migrate]") {
    auto db = retort::engine::from_url(test::postgres_url());
    on_postgres_engine(db, [&](retort::postgres_engine& e) {
        const std::string drop = "DROP TABLE IF EXISTS retort_part_events";
        cleanup guard{e, drop};
        auto s = e.session();
        s.execute_script(drop);
        s.execute_script(
            "CREATE TABLE retort_part_events (id bigint NOT NULL, day date NOT NULL, "
            "kind text NOT NULL, CONSTRAINT pk_retort_part_events PRIMARY KEY (id, day)) "
            "PARTITION BY RANGE (day); "
            "CREATE TABLE retort_part_events_2026 PARTITION OF retort_part_events "
            "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01'); "
            "CREATE TABLE retort_part_events_2027 PARTITION OF retort_part_events "
            "FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')");
        const auto live = introspect(s);
        CHECK(live.find_table("retort_part_events") != nullptr);
        CHECK(live.find_table("retort_part_events_2026") == nullptr);
        CHECK(live.find_table("retort_part_events_2027") == nullptr);
        retort::migrate::table_filter ours;
        ours.only = {"retort_part_*"};
        retort::migrate::schema_manager<retort::postgres, partitioned::event> manager(s, ours);
        INFO(manager.validate().text());
        CHECK(manager.validate().clean());
        s.template insert(partitioned::event{
            1, retort::date{std::chrono::year{2027} / std::chrono::March / 1}, "launch"});
        CHECK(s.template query<std::string>(
                  "SELECT tableoid::regclass::text FROM retort_part_events") ==
              std::vector<std::tuple<std::string>>{{"retort_part_events_2027"}});
    });
}

// ---- CHECKs and partial-index predicates compared by meaning --------------------------------
// PostgreSQL prints them back rewritten; spelled_by_server() gives the models' the same
// spelling, so a live database compares by what they say, not by name alone.

namespace spelled_v1 {
struct book {
    std::int64_t id{};
    std::string state;
    double rating{};
    std::int32_t pages{};
};
RETORT_TABLE(book, "spelled_books", (id, retort::primary_key), (state),
             (rating, retort::check<"rating >= 0 AND rating <= 5">), (pages));
RETORT_CONSTRAINTS(book, retort::table_check<"ck_spelled_books_pages", "pages > 0">,
                   retort::partial_index<"ix_spelled_books_open", "state = 'open'", &book::pages>);
}  // namespace spelled_v1
// The same rules, written another way: the same meaning.
namespace spelled_same {
struct book {
    std::int64_t id{};
    std::string state;
    double rating{};
    std::int32_t pages{};
};
RETORT_TABLE(book, "spelled_books", (id, retort::primary_key), (state),
             (rating, retort::check<"(rating >= 0) and (rating <= 5)">), (pages));
RETORT_CONSTRAINTS(
    book, retort::table_check<"ck_spelled_books_pages", "(PAGES > 0)">,
    retort::partial_index<"ix_spelled_books_open", "(state = 'open')", &book::pages>);
}  // namespace spelled_same
// Other rules under the same names: the CHECKs and the predicate changed.
namespace spelled_v2 {
struct book {
    std::int64_t id{};
    std::string state;
    double rating{};
    std::int32_t pages{};
};
RETORT_TABLE(book, "spelled_books", (id, retort::primary_key), (state),
             (rating, retort::check<"rating >= 0 AND rating <= 10">), (pages));
RETORT_CONSTRAINTS(book, retort::table_check<"ck_spelled_books_pages", "pages >= 0">,
                   retort::partial_index<"ix_spelled_books_open", "state = 'done'", &book::pages>);
}  // namespace spelled_v2
// A CHECK calling a function the database does not have: the server cannot spell it.
namespace spelled_unknown {
struct book {
    std::int64_t id{};
    std::string state;
    double rating{};
    std::int32_t pages{};
};
RETORT_TABLE(book, "spelled_books", (id, retort::primary_key), (state),
             (rating, retort::check<"rating >= 0 AND rating <= 5">), (pages));
RETORT_CONSTRAINTS(book, retort::table_check<"ck_spelled_books_pages", "retort_no_such(pages)">,
                   retort::partial_index<"ix_spelled_books_open", "state = 'open'", &book::pages>);
}  // namespace spelled_unknown

TEST_CASE("live CHECKs and partial-index predicates compare by meaning, not by name",
          "[postgres-only][introspect][migrate]") {
    namespace m = retort::migrate;
    test::with_postgres_session("DROP TABLE IF EXISTS spelled_books", [](auto& s) {
        m::schema_manager<retort::postgres, spelled_v1::book>(s).initialize();
        s.execute_script("INSERT INTO spelled_books (id, state, rating, pages) VALUES "
                         "(1, 'open', 4.5, 10), (2, 'done', 0, 3)");
        const auto before = introspect(s);

        // the models' own text differs from the server's; the meaning does not
        CHECK(m::schema_manager<retort::postgres, spelled_v1::book>(s).validate().clean());
        CHECK(m::schema_manager<retort::postgres, spelled_same::book>(s).validate().clean());

        // Was a wrong answer: every CHECK and predicate compared as one opaque text, so these
        // changes under the same names were reported as no difference at all.
        m::schema_manager<retort::postgres, spelled_v2::book> changed(s);
        const auto report = changed.validate();
        INFO(report.text());
        CHECK_THAT(report.text(), Catch::Contains("drop check ck_spelled_books_pages"));
        CHECK_THAT(report.text(), Catch::Contains("add check ck_spelled_books_pages"));
        CHECK_THAT(report.text(), Catch::Contains("add check ck_spelled_books_rating"));
        CHECK_THAT(report.text(), Catch::Contains("drop index ix_spelled_books_open"));
        CHECK_THAT(report.text(), Catch::Contains("add index ix_spelled_books_open"));
        CHECK(report.operations.size() == 6);
        CHECK(changed.fix(true).size() == 6);
        INFO(changed.validate().text());
        CHECK(changed.validate().clean());
        const auto after = introspect(s);
        const auto* t = after.find_table("spelled_books");
        REQUIRE(t != nullptr);
        REQUIRE(t->indexes.size() == 1);
        CHECK_THAT(t->indexes[0].where, Catch::Contains("done"));
        CHECK(s.template query<std::int64_t>("SELECT count(*) FROM spelled_books") ==
              std::vector<std::tuple<std::int64_t>>{{2}});
        CHECK_THROWS_AS(s.execute("INSERT INTO spelled_books (id, state, rating, pages) VALUES "
                                  "(3, 'x', 7, -1)"),
                        retort::check_violation);
        CHECK(before != after);
    });
}

TEST_CASE("spelled_by_server leaves nothing behind, inside or outside a transaction, and falls "
          "back to names where the server refuses",
          "[postgres-only][introspect][migrate]") {
    namespace m = retort::migrate;
    test::with_postgres_session("DROP TABLE IF EXISTS spelled_books", [](auto& s) {
        m::schema_manager<retort::postgres, spelled_v1::book>(s).initialize();
        const auto live = introspect(s);
        const auto temporary_tables = [&] {
            return std::get<0>(s.template query<std::int64_t>(
                "SELECT count(*) FROM pg_catalog.pg_class WHERE relnamespace = "
                "pg_catalog.pg_my_temp_schema()")[0]);
        };

        // A CHECK the server refuses on the table it made keeps the model's text, whether the
        // live database has a rule of its name or not: it shows as a difference (it used to
        // take the live rule's text, and a changed CHECK passed unseen).
        const auto models = retort::schema::database_of<spelled_unknown::book>();
        auto spelled = m::spelled_by_server(s, models, live);
        const auto& ck = spelled.tables[0].checks;
        const auto named = [&](std::string_view n) {
            return *std::find_if(ck.begin(), ck.end(), [&](const auto& c) { return c.name == n; });
        };
        const auto& live_checks = live.find_table("spelled_books")->checks;
        const auto live_pages =
            std::find_if(live_checks.begin(), live_checks.end(),
                         [](const auto& c) { return c.name == "ck_spelled_books_pages"; });
        REQUIRE(live_pages != live_checks.end());
        CHECK(named("ck_spelled_books_pages").expression == "retort_no_such(pages)");
        CHECK(m::schema_manager<retort::postgres, spelled_unknown::book>(s).validate().text().find(
                  "add check ck_spelled_books_pages") != std::string::npos);
        CHECK(named("ck_spelled_books_rating").expression ==
              "((rating >= (0)::double precision) AND (rating <= (5)::double precision))");
        auto unknown_elsewhere = models;
        unknown_elsewhere.tables[0].name = "spelled_elsewhere";
        CHECK(m::spelled_by_server(s, unknown_elsewhere, live).tables[0].checks == [&] {
            auto c = unknown_elsewhere.tables[0].checks;
            for (auto& x : c)
                if (x.name == "ck_spelled_books_rating")
                    x.expression = named("ck_spelled_books_rating").expression;
            return c;
        }());
        CHECK(temporary_tables() == 0);

        // Inside an open transaction: a savepoint, and the transaction goes on unharmed.
        auto tx = s.begin();
        s.execute("INSERT INTO spelled_books (id, state, rating, pages) VALUES (9, 'open', 1, 1)");
        CHECK(m::spelled_by_server(s, retort::schema::database_of<spelled_v1::book>(), live)
                  .tables[0]
                  .indexes[0]
                  .where == "(state = 'open'::text)");
        CHECK(m::spelled_by_server(s, models, live).tables[0].checks == spelled.tables[0].checks);
        CHECK(s.connection().in_transaction());
        CHECK(temporary_tables() == 0);
        tx.commit();
        CHECK(s.template query<std::int64_t>("SELECT count(*) FROM spelled_books") ==
              std::vector<std::tuple<std::int64_t>>{{1}});
    });
}

namespace spelled_varchar {
struct ticket {
    std::int64_t id{};
    std::string status;
};
RETORT_TABLE(ticket, "spelled_tickets", (id, retort::primary_key),
             (status, retort::check<"status IN ('open', 'done')">));
RETORT_CONSTRAINTS(
    ticket, retort::partial_index<"ix_spelled_tickets_open", "status = 'open'", &ticket::id>,
    retort::index<"ix_spelled_tickets_lower", retort::index_expression<"lower(status)">>,
    // a cast to the column's own type: PostgreSQL stores the element as the column itself
    retort::index<"ix_spelled_tickets_id", retort::index_expression<"(id)::bigint">>);
}  // namespace spelled_varchar

// A model whose expression smuggles in a second statement.
namespace spelled_hostile {
struct book {
    std::int64_t id{};
    std::string state;
    double rating{};
    std::int32_t pages{};
};
RETORT_TABLE(book, "spelled_books", (id, retort::primary_key), (state), (rating), (pages));
RETORT_CONSTRAINTS(
    book,
    retort::table_check<"ck_spelled_books_pages", "pages > 0); COMMIT; DROP TABLE spelled_books; "
                                                  "SELECT (1">);
}  // namespace spelled_hostile

// The same, hidden from a splitter that does not nest comments.
namespace spelled_hostile_nested {
struct book {
    std::int64_t id{};
    std::string state;
    double rating{};
    std::int32_t pages{};
};
RETORT_TABLE(book, "spelled_books", (id, retort::primary_key), (state), (rating), (pages));
RETORT_CONSTRAINTS(
    book,
    retort::table_check<"ck_spelled_books_pages", "pages > 0 /* /* */ ` */); COMMIT; DROP TABLE "
                                                  "spelled_books; SELECT (1 /* ` */">);
}  // namespace spelled_hostile_nested

TEST_CASE("a varchar column made by another tool: its CHECK and predicate compare equal",
          "[postgres-only][introspect][migrate]") {
    namespace m = retort::migrate;
    test::with_postgres_session("DROP TABLE IF EXISTS spelled_tickets", [](auto& s) {
        // PostgreSQL prints `((status)::text = 'open'::text)` over varchar, `(status = ...)`
        // over text; the model's `std::string` is text, which a live varchar compares equal to.
        s.execute_script(
            "CREATE TABLE spelled_tickets (id bigint NOT NULL, status character varying NOT "
            "NULL, CONSTRAINT pk_spelled_tickets PRIMARY KEY (id), CONSTRAINT "
            "ck_spelled_tickets_status CHECK (status IN ('open', 'done')));"
            "CREATE INDEX ix_spelled_tickets_open ON spelled_tickets (id) WHERE status = 'open';"
            "CREATE INDEX ix_spelled_tickets_lower ON spelled_tickets (lower(status));"
            "CREATE INDEX ix_spelled_tickets_id ON spelled_tickets (id)");
        m::schema_manager<retort::postgres, spelled_varchar::ticket> manager(s);
        const auto report = manager.validate();
        INFO(report.text());
        CHECK(report.clean());
        CHECK(manager.fix(true).empty());
        // the live element over varchar carries a cast the model's text does not
        const auto live = introspect(s);
        const auto& ix = live.find_table("spelled_tickets")->indexes;
        const auto lower = std::find_if(ix.begin(), ix.end(), [](const auto& i) {
            return i.name == "ix_spelled_tickets_lower";
        });
        REQUIRE(lower != ix.end());
        CHECK(lower->columns == std::vector<std::string>{"lower(status::text)"});
        CHECK(lower->expressions == std::vector<bool>{true});
    });
}

TEST_CASE("spelled_by_server names pg_temp whatever search_path says, and refuses a second "
          "statement",
          "[postgres-only][introspect][migrate]") {
    namespace m = retort::migrate;
    test::with_postgres_session("DROP TABLE IF EXISTS spelled_books", [](auto& s) {
        m::schema_manager<retort::postgres, spelled_v1::book>(s).initialize();
        const auto live = introspect(s);
        auto elsewhere = retort::schema::database_of<spelled_v1::book>();
        elsewhere.tables[0].checks[0].name = "ck_only_in_the_models";
        const auto spelled_text = [&] {
            const auto spelled = m::spelled_by_server(s, elsewhere, live);
            for (const auto& c : spelled.tables[0].checks)
                if (c.name == "ck_only_in_the_models") return c.expression;
            return std::string{};
        };
        const std::string want = spelled_text();
        CHECK_THAT(want, Catch::Contains("::"));  // the server's spelling, not the model's

        // pg_temp listed last: an unqualified ALTER TABLE would reach the real table
        s.execute_script("SET search_path = public, pg_temp");
        CHECK(spelled_text() == want);
        CHECK(introspect(s) == live);
        s.execute_script("RESET search_path");

        // a temporary table of the same name left on the connection: nothing spelled, nothing
        // broken, the user's table untouched
        s.execute_script("CREATE TEMPORARY TABLE spelled_books (x integer)");
        CHECK(spelled_text() == elsewhere.tables[0].checks[0].expression);
        // ... and the rules the live table has compare by name: they take its text
        {
            const auto lent =
                m::spelled_by_server(s, retort::schema::database_of<spelled_v1::book>(), live);
            const auto& live_checks = live.find_table("spelled_books")->checks;
            REQUIRE(lent.tables[0].checks.size() == live_checks.size());
            for (const auto& c : lent.tables[0].checks) {
                const auto l = std::find_if(live_checks.begin(), live_checks.end(),
                                            [&](const auto& x) { return x.name == c.name; });
                REQUIRE(l != live_checks.end());
                CHECK(c.expression == l->expression);
            }
        }
        CHECK(s.template query<std::int64_t>("SELECT count(*) FROM pg_temp.spelled_books") ==
              std::vector<std::tuple<std::int64_t>>{{0}});
        s.execute_script("DROP TABLE pg_temp.spelled_books");

        // an expression holding a second statement is an error that names it; nothing ran
        m::schema_manager<retort::postgres, spelled_hostile::book> hostile(s);
        CHECK_THROWS_WITH(hostile.validate(), Catch::Contains("more than one SQL statement"));
        CHECK(s.table_exists("spelled_books"));
        CHECK_FALSE(s.connection().in_transaction());
        // ... also where the statement splitter reads it as one (PostgreSQL nests comments,
        // the splitter does not): the server refuses the second statement, nothing commits
        m::schema_manager<retort::postgres, spelled_hostile_nested::book> nested(s);
        CHECK_THROWS_WITH(nested.validate(), Catch::Contains("more than one SQL statement"));
        CHECK(s.table_exists("spelled_books"));
        CHECK_FALSE(s.connection().in_transaction());
        auto tx = s.begin();
        CHECK_THROWS_WITH(nested.validate(), Catch::Contains("more than one SQL statement"));
        CHECK(s.connection().in_transaction());
        tx.rollback();
        CHECK(s.table_exists("spelled_books"));
    });
}
