// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// Columns of PostgreSQL types retort has no C++ type for, declared with postgres_type<...>: a
// table made by hand as Rails or a DBA would (a native enum, inet, cidr, macaddr, uuid,
// interval, numeric, citext, domains over text and integer, arrays of inet and uuid) validates
// clean against its model; every column is written, read back in the server's own text form,
// compared in WHERE with the type's own semantics, updated, and refused with the server's
// message when a value is not of the type. Raw SQL reads inet, cidr, macaddr and uuid as the
// text PostgreSQL prints, and so are numeric, interval, native enums and citext. A native enum
// gains labels through fix and refuses to lose or reorder one silently. On SQLite the same
// model stores its values as text. Values travel as untyped text, never cast: a varchar(5)
// refuses a longer value instead of cutting it, and a domain's CHECK applies to what is
// stored, not to what is compared with.

#include "../support/test_db.hpp"

#include <retort/migrate/introspect.hpp>
#include <retort/migrate/plan.hpp>
#include <retort/migrate/schema_manager.hpp>
#include <retort/migrate/schema_text.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <vector>

namespace postgres_types_it {

using retort::col;
using retort::postgres_type;

enum class host_state { pending, up, down };
RETORT_ENUM(host_state, pending, up, down);

struct host {
    std::int64_t id{};
    host_state state{};
    std::string state_text;  // the same native enum, read and bound as text
    std::string address;
    std::optional<std::string> network;
    std::string mac;
    std::string token;
    std::string every;
    std::string price;
    double ratio{};
    std::string login;
    std::string contact;
    std::int32_t built{};
    std::vector<std::string> aliases;
    std::vector<std::string> tokens;
    std::vector<std::string> history;  // an array of the native enum
    friend bool operator==(const host&, const host&) = default;
};
RETORT_TABLE(host, "rt_hosts", (id, retort::primary_key), (state, postgres_type<"rt_host_state">),
             (state_text, postgres_type<"rt_host_state">), (address, postgres_type<"inet">),
             (network, postgres_type<"cidr">), (mac, postgres_type<"macaddr">),
             (token, postgres_type<"UUID">), (every, postgres_type<"interval">),
             (price, postgres_type<"numeric(12, 2)">), (ratio, postgres_type<"numeric(6,3)">),
             (login, postgres_type<"citext">), (contact, postgres_type<"rt_email">),
             (built, postgres_type<"rt_year">), (aliases, postgres_type<"inet[]">),
             (tokens, postgres_type<"uuid[]">), (history, postgres_type<"rt_host_state[]">));

const std::string drop_all = "DROP TABLE IF EXISTS rt_hosts; DROP TABLE IF EXISTS rt_tasks; "
                             "DROP TABLE IF EXISTS rt_codes; DROP TABLE IF EXISTS rt_phase; "
                             "DROP TYPE IF EXISTS rt_stage; "
                             "DROP TYPE IF EXISTS rt_host_state; DROP TYPE IF EXISTS rt_phase; "
                             "DROP DOMAIN IF EXISTS rt_email; DROP DOMAIN IF EXISTS rt_year";

// What a Rails migration (or a DBA) writes: the types first, then the table.
const std::string create_types =
    "CREATE EXTENSION IF NOT EXISTS citext; "
    "CREATE TYPE rt_host_state AS ENUM ('pending', 'up', 'down'); "
    "CREATE DOMAIN rt_email AS text CHECK (VALUE LIKE '%@%'); "
    "CREATE DOMAIN rt_year AS integer CHECK (VALUE BETWEEN 1901 AND 2155)";
const std::string create_hosts =
    "CREATE TABLE rt_hosts (id bigint CONSTRAINT pk_rt_hosts PRIMARY KEY, "
    "state rt_host_state NOT NULL, state_text rt_host_state NOT NULL, address inet NOT NULL, "
    "network cidr, mac macaddr NOT NULL, token uuid NOT NULL, every interval NOT NULL, "
    "price numeric(12,2) NOT NULL, ratio numeric(6,3) NOT NULL, login citext NOT NULL, "
    "contact rt_email NOT NULL, built rt_year NOT NULL, aliases inet[] NOT NULL, "
    "tokens uuid[] NOT NULL, history rt_host_state[] NOT NULL)";

host sample() {
    return {1,
            host_state::up,
            "down",
            "10.0.0.1",
            "10.1.0.0/16",
            "08:00:2B:01:02:03",
            "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
            "1 day 2 hours",
            "12.5",
            0.125,
            "Alice@Example.com",
            "alice@example.com",
            2024,
            {"10.0.0.2", "::ffff:1.2.3.4"},
            {"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12"},
            {"pending", "up"}};
}

template <class F>
void on_postgres(F f) {
    test::with_postgres_session(drop_all, f);
}

TEST_CASE("a hand-made table of PostgreSQL's own types validates clean against its model",
          "[postgres-only][types][migrate]") {
    on_postgres([](auto& s) {
        s.execute_script(create_types + "; " + create_hosts);
        retort::migrate::schema_manager<retort::postgres, host> manager(s);
        const auto report = manager.validate();
        INFO(report.text());
        CHECK(report.clean());
        CHECK(manager.fix(true).empty());  // nothing to repair, twice
        CHECK(manager.fix(true).empty());

        // A snapshot of the live schema keeps each column's own type.
        const auto live = retort::migrate::introspect(s);
        CHECK(retort::migrate::schema_from_text(retort::migrate::to_text(live)) == live);
        CHECK_THAT(retort::migrate::to_text(live), Catch::Contains("native \"rt_host_state\""));

        // create_all writes the same table from the model (the types are the database's).
        s.execute_script("DROP TABLE rt_hosts");
        s.template create_all<host>();
        INFO(manager.validate().text());
        CHECK(manager.validate().clean());
    });
}

TEST_CASE("every postgres_type column is written, read back, compared and updated",
          "[postgres-only][types][orm]") {
    on_postgres([](auto& s) {
        s.execute_script(create_types + "; " + create_hosts);
        s.insert(sample());
        auto other = sample();
        other.id = 2;
        other.state = host_state::pending;
        other.state_text = "pending";
        other.address = "192.168.1.20/24";
        other.network = std::nullopt;
        other.login = "bob@example.com";
        other.aliases = {};
        s.insert(other);

        const auto got = s.template get<host>(std::int64_t{1});
        REQUIRE(got);
        CHECK(got->state == host_state::up);
        CHECK(got->state_text == "down");
        CHECK(got->address == "10.0.0.1");  // not 10.0.0.1/32, which inet::text would give
        CHECK(got->network == std::optional<std::string>{"10.1.0.0/16"});
        CHECK(got->mac == "08:00:2b:01:02:03");
        CHECK(got->token == "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        CHECK(got->every == "1 day 02:00:00");
        CHECK(got->price == "12.50");
        CHECK(got->ratio == 0.125);
        CHECK(got->login == "Alice@Example.com");
        CHECK(got->contact == "alice@example.com");
        CHECK(got->built == 2024);
        CHECK(got->aliases == std::vector<std::string>{"10.0.0.2", "::ffff:1.2.3.4"});
        CHECK(got->tokens == std::vector<std::string>{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12"});
        CHECK(got->history == std::vector<std::string>{"pending", "up"});
        CHECK(s.template get<host>(std::int64_t{2})->address == "192.168.1.20/24");

        // Comparisons take the column's type: inet equality, citext without case, enum order.
        auto count = [&](auto condition) {
            return s.template select<host>().where(condition).count();
        };
        CHECK(count(col<&host::address> == "10.0.0.1/32") == 1);
        CHECK(count(col<&host::login> == "ALICE@EXAMPLE.COM") == 1);
        CHECK(count(col<&host::state> == host_state::up) == 1);
        CHECK(count(col<&host::state_text> > "pending") == 1);  // up and down sort after it
        CHECK(count(col<&host::token> == "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11") == 2);
        CHECK(count(col<&host::price> == "12.500") == 2);
        CHECK(count(col<&host::every> == "26 hours") == 2);  // as intervals, not as text
        CHECK(count(col<&host::contact> == "alice@example.com") == 2);
        CHECK(count(col<&host::built> >= 2000) == 2);
        CHECK(count(retort::in(col<&host::state_text>, std::vector<std::string>{"down"})) == 1);
        CHECK(count(retort::in(col<&host::address>,
                               std::vector<std::string>{"10.0.0.1", "10.9.9.9"})) == 1);
        CHECK(count(retort::between(col<&host::address>, "10.0.0.0", "10.255.255.255")) == 1);

        const auto pairs = s.select(col<&host::id>, col<&host::address>, col<&host::state_text>)
                               .order_by(retort::asc(col<&host::id>))
                               .all();
        REQUIRE(pairs.size() == 2);
        CHECK(std::get<1>(pairs[1]) == "192.168.1.20/24");
        CHECK(std::get<2>(pairs[1]) == "pending");
        // Reads are not cast in SQL: DISTINCT and ORDER BY see the column's own type.
        const auto logins =
            s.select(col<&host::login>).distinct().order_by(retort::asc(col<&host::login>)).all();
        CHECK(logins.size() == 2);
        CHECK(s.template select_from<host>(retort::max(col<&host::state_text>)).scalar() ==
              std::optional<std::string>{"down"});  // the enum's order, not the text's

        CHECK(s.template update<host>()
                  .set(col<&host::state>, host_state::down)
                  .set(col<&host::address>, "10.0.0.9")
                  .where(col<&host::id> == std::int64_t{2})
                  .execute() == 1);
        auto changed = *s.template get<host>(std::int64_t{2});
        CHECK(changed.state == host_state::down);
        CHECK(changed.address == "10.0.0.9");
        changed.every = "P1Y2M";
        changed.network = "2001:db8::/32";
        s.update(changed);
        CHECK(s.template get<host>(std::int64_t{2})->every == "1 year 2 mons");
        CHECK(s.template get<host>(std::int64_t{2})->network ==
              std::optional<std::string>{"2001:db8::/32"});
    });
}

TEST_CASE("a value that is not of the column's type is refused with the server's reason",
          "[postgres-only][types][orm]") {
    on_postgres([](auto& s) {
        s.execute_script(create_types + "; " + create_hosts);
        s.insert(sample());
        auto bad = sample();
        bad.id = 2;
        bad.address = "not-an-address";
        CHECK_THROWS_WITH(s.insert(bad), Catch::Contains("inet") && Catch::Contains("not-an-"));
        bad = sample();
        bad.id = 2;
        bad.state_text = "sideways";
        CHECK_THROWS_WITH(s.insert(bad), Catch::Contains("rt_host_state"));
        bad = sample();
        bad.id = 2;
        bad.history = {"up", "sideways"};
        CHECK_THROWS_WITH(s.insert(bad), Catch::Contains("sideways"));
        bad = sample();
        bad.id = 2;
        bad.contact = "nobody";
        CHECK_THROWS_AS(s.insert(bad), retort::check_violation);  // the domain's CHECK
        CHECK_THROWS_WITH(s.template select<host>().where(col<&host::token> == "x' OR 1=1").count(),
                          Catch::Contains("uuid"));
        CHECK(s.template select<host>().count() == 1);  // nothing half-written
    });
}

TEST_CASE("raw SQL reads inet, cidr, macaddr and uuid as PostgreSQL prints them",
          "[postgres-only][types][driver]") {
    on_postgres([](auto& s) {
        // Each value is read twice: decoded by the driver, and as the server's output function
        // prints it (format %s); the two must be the same text.
        const std::vector<std::string> inets{"0.0.0.0",
                                             "255.255.255.255",
                                             "10.0.0.1/8",
                                             "192.168.0.0/16",
                                             "::",
                                             "::1",
                                             "1::",
                                             "1:0:0:2:0:0:0:3",
                                             "1:0:0:2:0:0:3:4",
                                             "2001:db8::1",
                                             "::ffff:1.2.3.4",
                                             "::1.2.3.4",
                                             "::ffff:0:1.2.3.4",
                                             "fe80::1/64",
                                             "1:2:3:4:5:6:7:8",
                                             "0:0:0:0:0:1:0:0",
                                             "::2:3:4:5:6:7:8",
                                             "1:2:3:4:5:6:7:0",
                                             "abcd:ef01::/128",
                                             "::ffff:ffff",
                                             "0:0:0:0:1:0:0:0",
                                             "1:0:2:0:3:0:4:0"};
        for (const auto& [decoded, printed] : s.template query<std::string, std::string>(
                 "SELECT a::inet, format('%s', a::inet) FROM unnest(?::text[]) a", inets))
            CHECK(decoded == printed);
        for (const auto& [decoded, printed] : s.template query<std::string, std::string>(
                 "SELECT a::cidr, format('%s', a::cidr) FROM unnest(?::text[]) a",
                 std::vector<std::string>{"10.0.0.0/8", "10.1.2.3/32", "2001:db8::/32", "::/0"}))
            CHECK(decoded == printed);
        for (const auto& [mac, mac8, uuid] :
             s.template query<std::string, std::string, std::string>(
                 "SELECT '08-00-2B-01-02-03'::macaddr, '08:00:2b:01:02:03:04:05'::macaddr8, "
                 "'{A0EEBC99-9C0B4EF8-BB6D6BB9-BD380A11}'::uuid")) {
            CHECK(mac == "08:00:2b:01:02:03");
            CHECK(mac8 == "08:00:2b:01:02:03:04:05");
            CHECK(uuid == "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        }
        for (const auto& [list] : s.template query<std::vector<std::string>>(
                 "SELECT ARRAY['10.0.0.1'::inet, '::1'::inet]"))
            CHECK(list == std::vector<std::string>{"10.0.0.1", "::1"});

        // numeric and interval as their output functions print them.
        for (const auto& [decoded, printed] : s.template query<std::string, std::string>(
                 "SELECT a::numeric, format('%s', a::numeric) FROM unnest(?::text[]) a",
                 std::vector<std::string>{"0", "12.50", "-12.5", "0.000123", "1e20",
                                          "123456789.0001", "-0.5", "NaN", "Infinity", "-Infinity",
                                          "10000", "0.10000", "99999999999999999999.999999"}))
            CHECK(decoded == printed);
        for (const auto& [decoded, printed] : s.template query<std::string, std::string>(
                 "SELECT a::interval, format('%s', a::interval) FROM unnest(?::text[]) a",
                 std::vector<std::string>{"0", "1 day 2 hours", "-1 day +2 hours", "1 year 2 mons",
                                          "-1 year -2 mons +3 days -04:05:06.5", "00:00:00.000001",
                                          "-00:00:01.25", "100 hours", "1 mon -1 day",
                                          "P1Y2M3DT4H5M6S", "-2 days", "1 day -00:00:00.5"}))
            CHECK(decoded == printed);

        // Types of the database itself are looked up once: an enum and citext read as text.
        s.execute_script("CREATE EXTENSION IF NOT EXISTS citext; "
                         "CREATE TYPE rt_host_state AS ENUM ('pending', 'up', 'down')");
        CHECK(s.template query<std::string>("SELECT 'up'::rt_host_state") ==
              std::vector<std::tuple<std::string>>{{"up"}});
        CHECK(s.template query<std::string>("SELECT 'MiXed'::citext") ==
              std::vector<std::tuple<std::string>>{{"MiXed"}});
        CHECK(s.template query<std::vector<std::string>>(
                  "SELECT ARRAY['up', 'down']::rt_host_state[]") ==
              std::vector<std::tuple<std::vector<std::string>>>{{{"up", "down"}}});
        CHECK_THROWS_WITH(s.template query<std::string>("SELECT point(1, 2)"),
                          Catch::Contains("point") && Catch::Contains("select it ::text"));
    });
}

struct document {
    std::int64_t id{};
    std::string body;
    std::string search;  // tsvector: written as its text, read as tsvectorout prints it
};
RETORT_TABLE(document, "rt_documents", (id, retort::primary_key), (body),
             (search, postgres_type<"tsvector">));
RETORT_CONSTRAINTS(
    document, retort::index<"ix_rt_documents_search", &document::search>.using_method<"gist">());

TEST_CASE("tsvector reads as tsvectorout prints it, and a model writes it from its text",
          "[postgres-only][types][driver]") {
    test::with_postgres_session("DROP TABLE IF EXISTS rt_documents", [](auto& s) {
        // decoded by the driver, and printed by the server's output function: the same text
        for (const auto& [decoded, printed] : s.template query<std::string, std::string>(
                 "SELECT a::tsvector, format('%s', a::tsvector) FROM unnest(?::text[]) a",
                 std::vector<std::string>{"", "a", "a:1A,2B,3C,4 b:5", "'it''s' 'back\\slash'",
                                          "café:16383A", "fat cat cat:3", "'a b':1"}))
            CHECK(decoded == printed);
        const std::string sentence = "The quick brown foxes jumped over the lazy dogs";
        for (const auto& [decoded, printed] : s.template query<std::string, std::string>(
                 "SELECT to_tsvector('english', ?), to_tsvector('english', ?)::text", sentence,
                 sentence))
            CHECK(decoded == printed);

        retort::migrate::schema_manager<retort::postgres, document> manager(s);
        manager.initialize();
        CHECK(manager.validate().clean());
        s.insert(document{1, "fat cats", "fat:2 cat:1"});
        s.execute("INSERT INTO rt_documents (id, body, search) VALUES (2, ?, to_tsvector("
                  "'english', ?))",
                  sentence, sentence);
        const auto first = s.template get<document>(std::int64_t{1});
        REQUIRE(first);
        CHECK(first->search == "'cat':1 'fat':2");
        const auto second = s.template get<document>(std::int64_t{2});
        REQUIRE(second);
        CHECK(second->search == std::get<0>(s.template query<std::string>(
                                    "SELECT search::text FROM rt_documents WHERE id = 2")[0]));
        // compared as a tsvector, whatever order the model's text lists the lexemes in
        CHECK(s.template select<document>()
                  .where(col<&document::search> == std::string{"cat:1 fat:2"})
                  .count() == 1);
        CHECK_THROWS_AS(s.insert(document{3, "x", "a:0"}), retort::error);  // positions start at 1
    });
}

enum class phase { queued, started, done };
RETORT_ENUM(phase, queued, started, done);
struct task {
    std::int64_t id{};
    phase state{};
};
RETORT_TABLE(task, "rt_tasks", (id, retort::primary_key),
             (state, postgres_type<"rt_phase">, retort::server_default<"queued">));

struct task_started {
    std::int64_t id{};
    phase state{};
};
RETORT_TABLE(task_started, "rt_tasks", (id, retort::primary_key),
             (state, postgres_type<"rt_phase">, retort::server_default<"started">));

enum class moved_phase { done, queued, started };
RETORT_ENUM(moved_phase, done, queued, started);
struct moved_task {
    std::int64_t id{};
    moved_phase state{};
};
RETORT_TABLE(moved_task, "rt_tasks", (id, retort::primary_key),
             (state, postgres_type<"rt_phase">, retort::server_default<"queued">));

enum class short_phase { queued };
RETORT_ENUM(short_phase, queued);
struct short_task {
    std::int64_t id{};
    short_phase state{};
};
RETORT_TABLE(short_task, "rt_tasks", (id, retort::primary_key),
             (state, postgres_type<"rt_phase">, retort::server_default<"queued">));

TEST_CASE("a native enum gains labels in place, and never loses or reorders one silently",
          "[postgres-only][types][migrate]") {
    on_postgres([](auto& s) {
        s.execute_script("CREATE TYPE rt_phase AS ENUM ('queued', 'done'); "
                         "CREATE TABLE rt_tasks (id bigint CONSTRAINT pk_rt_tasks PRIMARY KEY, "
                         "state rt_phase NOT NULL DEFAULT 'queued'); "
                         "INSERT INTO rt_tasks (id) VALUES (1)");
        const auto labels = [&] {
            return s.template query<std::string>(
                "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum "
                "WHERE enumtypid = 'rt_phase'::regtype");
        };
        using one_text = std::vector<std::tuple<std::string>>;
        retort::migrate::schema_manager<retort::postgres, task> manager(s);
        const auto report = manager.validate();
        INFO(report.text());
        CHECK_THAT(report.text(), Catch::Contains("change the values of rt_tasks.state"));
        std::string statements;
        for (const auto& sql : manager.fix_sql(true)) statements += sql + ";\n";
        INFO(statements);
        // In the fix's own transaction: nothing runs outside it.
        CHECK_THAT(statements, Catch::StartsWith("BEGIN;") &&
                                   Catch::Contains("ALTER TYPE rt_phase ADD VALUE IF NOT EXISTS "
                                                   "'started' AFTER 'queued'") &&
                                   Catch::EndsWith("COMMIT;\n"));
        CHECK(manager.fix(true).size() == 1);
        INFO(manager.validate().text());
        CHECK(manager.validate().clean());
        CHECK(labels() == one_text{{"queued,started,done"}});
        // Once committed, the label can be a default.
        retort::migrate::schema_manager<retort::postgres, task_started> defaults(s);
        CHECK(defaults.fix(true).size() == 1);
        s.execute_script("INSERT INTO rt_tasks (id) VALUES (2)");
        CHECK(s.template get<task_started>(std::int64_t{2})->state == phase::started);

        // Dropping or moving a label is not something PostgreSQL does in place: the fix stops,
        // naming it, and changes nothing.
        retort::migrate::schema_manager<retort::postgres, short_task> shrink(s);
        CHECK_THROWS_WITH(shrink.fix(true), Catch::Contains("remove the value started from the "
                                                            "enum type rt_phase by hand"));
        retort::migrate::schema_manager<retort::postgres, moved_task> reorder(s);
        CHECK_THROWS_WITH(reorder.fix(true),
                          Catch::Contains("reorder the values of the enum type rt_phase"));
        CHECK(labels() == one_text{{"queued,started,done"}});
        CHECK(s.template query<std::string>("SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef "
                                            "WHERE adrelid = 'rt_tasks'::regclass") ==
              one_text{{"'started'::rt_phase"}});
    });
}

TEST_CASE("a native enum type a model names is made with its labels, where it is missing",
          "[postgres-only][types][migrate]") {
    on_postgres([](auto& s) {
        using one_text = std::vector<std::tuple<std::string>>;
        const auto labels = [&] {
            return s.template query<std::string>(
                "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum "
                "WHERE enumtypid = (SELECT oid FROM pg_type WHERE typname = 'rt_phase')");
        };
        // the planner's CREATE TABLE (fix), and the session's create_all (labels() looks the
        // type up at run time: a prepared 'rt_phase'::regtype keeps a dropped type's OID)
        retort::migrate::schema_manager<retort::postgres, task> manager(s);
        manager.fix(false);
        CHECK(labels() == one_text{{"queued,started,done"}});
        INFO(manager.validate().text());
        CHECK(manager.validate().clean());
        s.insert(task{1, phase::done});
        CHECK(s.template get<task>(std::int64_t{1})->state == phase::done);
        CHECK(s.template select<task>().where(retort::col<&task::state> == phase::done).count() ==
              1);
        s.execute_script("DROP TABLE rt_tasks; DROP TYPE rt_phase");
        s.template create_all<task>();
        CHECK(labels() == one_text{{"queued,started,done"}});
        // a type already there is left as it is: its other labels show as a difference
        s.execute_script("DROP TABLE rt_tasks; DROP TYPE rt_phase; "
                         "CREATE TYPE rt_phase AS ENUM ('queued', 'done')");
        std::string statements;
        for (const auto& sql : manager.fix_sql(false)) statements += sql + ";\n";
        INFO(statements);
        CHECK_THAT(statements, Catch::Contains("CREATE TYPE rt_phase AS ENUM ('queued', "
                                               "'started', 'done'); EXCEPTION WHEN "
                                               "duplicate_object OR unique_violation THEN"));
        manager.fix(false);
        CHECK(labels() == one_text{{"queued,done"}});
        CHECK_THAT(manager.validate().text(),
                   Catch::Contains("change the values of rt_tasks.state"));
        CHECK(manager.fix(true).size() == 1);
        CHECK(labels() == one_text{{"queued,started,done"}});
        CHECK(manager.validate().clean());
    });
}

struct staged_task {
    std::int64_t id{};
    phase state{};
};
RETORT_TABLE(staged_task, "rt_tasks", (id, retort::primary_key),
             (state, postgres_type<"rt_stage">));

// Was a failing plan: a native enum casts to text alone, not to another enum type.
TEST_CASE("a column moves from one native enum type to another with its values",
          "[postgres-only][types][migrate]") {
    on_postgres([](auto& s) {
        retort::migrate::schema_manager<retort::postgres, task>(s).fix(false);
        s.insert(task{1, phase::started});
        s.insert(task{2, phase::done});
        retort::migrate::schema_manager<retort::postgres, staged_task> manager(s);
        std::string statements;
        for (const auto& sql : manager.fix_sql(true)) statements += sql + ";\n";
        INFO(statements);
        CHECK_THAT(statements, Catch::Contains("TYPE rt_stage USING \"state\"::text::rt_stage"));
        manager.fix(true);
        INFO(manager.validate().text());
        CHECK(manager.validate().clean());
        CHECK(s.template query<std::string, std::string>(
                  "SELECT format_type(atttypid, atttypmod), (SELECT string_agg(state::text, ',' "
                  "ORDER BY id) FROM rt_tasks) FROM pg_attribute WHERE attrelid = "
                  "'rt_tasks'::regclass AND attname = 'state'") ==
              std::vector<std::tuple<std::string, std::string>>{{"rt_stage", "started,done"}});
        CHECK(s.template get<staged_task>(std::int64_t{2})->state == phase::done);
    });
}

// Was a wrong answer: a table's row type of the enum's name passed for the enum, and the
// column took the row type.
TEST_CASE("a native enum type's name held by another type is refused, naming it",
          "[postgres-only][types][migrate]") {
    on_postgres([](auto& s) {
        s.execute_script("CREATE TABLE rt_phase (x integer)");
        retort::migrate::schema_manager<retort::postgres, task> manager(s);
        CHECK_THROWS_WITH(manager.fix(false),
                          Catch::Contains("type rt_phase exists and is not an enum type"));
        CHECK_THROWS_WITH(s.template create_all<task>(),
                          Catch::Contains("type rt_phase exists and is not an enum type"));
        CHECK(s.template query<bool>("SELECT to_regclass('rt_tasks') IS NULL") ==
              std::vector<std::tuple<bool>>{{true}});
    });
}

// Was a failure of the second of two processes starting together: it waits on pg_type's
// unique index for the first one's CREATE TYPE and then fails with unique_violation.
TEST_CASE("two sessions making the same native enum type at once both succeed",
          "[postgres-only][types][migrate]") {
    on_postgres([](auto& s) {
        const auto statements = retort::dialect::create_enum_types_sql<retort::dialect::postgres>(
            retort::schema::database_of<task>().tables.at(0));
        REQUIRE(statements.size() == 1);
        auto other_db = retort::engine::from_url(test::postgres_url());
        other_db.visit([&](auto& e) {
            if constexpr (std::is_same_v<typename std::decay_t<decltype(e)>::backend,
                                         retort::postgres>) {
                auto other = e.session();
                other.execute_script("SET lock_timeout = '20s'");
                const auto other_pid =
                    std::get<0>(other.template query<std::int32_t>("SELECT pg_backend_pid()")[0]);
                auto tx = s.begin();
                s.execute_script(statements[0]);  // made, not yet committed
                std::exception_ptr failed;
                std::thread second([&] {
                    try {
                        other.execute_script(statements[0]);
                    } catch (...) {
                        failed = std::current_exception();
                    }
                });
                // Until the second waits on the first's lock (bounded: 20 s at most).
                bool waiting = false;
                for (int i = 0; i < 400 && !waiting; ++i) {
                    waiting = !s.template query<std::int32_t>(
                                    "SELECT pid FROM pg_stat_activity WHERE pid = ? AND "
                                    "wait_event_type = 'Lock'",
                                    other_pid)
                                   .empty();
                    if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(50));
                }
                tx.commit();
                second.join();
                CHECK(waiting);
                CHECK_FALSE(failed);
                if (failed) std::rethrow_exception(failed);
            }
        });
    });
}

struct counted_task {
    std::int64_t id{};
    phase state{};
    std::int64_t n{};
    std::int64_t doubled{};
};
RETORT_TABLE(counted_task, "rt_tasks", (id, retort::primary_key),
             (state, postgres_type<"rt_phase">, retort::server_default<"queued">), (n),
             (doubled, retort::computed<"n * 2">));

// Was a missed difference: the server spells the models' expressions on a temporary copy of
// the table, which names the enum type the models add; that failed, and every expression took
// the live text.
TEST_CASE("a model that adds a native enum type still has its expressions compared",
          "[postgres-only][types][migrate]") {
    on_postgres([](auto& s) {
        s.execute_script("CREATE TABLE rt_tasks (id bigint CONSTRAINT pk_rt_tasks PRIMARY KEY, "
                         "n bigint NOT NULL, doubled bigint GENERATED ALWAYS AS (n * 3) STORED "
                         "NOT NULL)");
        retort::migrate::schema_manager<retort::postgres, counted_task> manager(s);
        const auto report = manager.validate();
        INFO(report.text());
        CHECK(report.operations.size() == 2);
        CHECK_THAT(report.text(), Catch::Contains("add column rt_tasks.state") &&
                                      Catch::Contains("compute rt_tasks.doubled as (n * 2)"));
    });
}

struct code {
    std::int64_t id{};
    std::string short_code;
    std::int32_t year{};
};
RETORT_TABLE(code, "rt_codes", (id, retort::primary_key), (short_code, postgres_type<"varchar(5)">),
             (year, postgres_type<"rt_year">));

// Were wrong answers: values were cast in SQL ($1::varchar(5)), and an explicit cast cuts a
// value to the length instead of refusing it, and applies a domain's CHECK to the values a
// column is compared with.
TEST_CASE("a postgres_type value is refused, not cut, and comparisons take any value",
          "[postgres-only][types][orm]") {
    on_postgres([](auto& s) {
        s.execute_script(create_types + "; CREATE TABLE rt_codes (id bigint CONSTRAINT "
                                        "pk_rt_codes PRIMARY KEY, short_code varchar(5) NOT "
                                        "NULL, year rt_year NOT NULL)");
        s.insert(code{1, "abcde", 2024});
        CHECK_THROWS_WITH(s.insert(code{2, "abcdefghij", 2024}), Catch::Contains("too long"));
        CHECK_THROWS_AS(s.insert(code{2, "abc", 1800}), retort::check_violation);
        CHECK(s.template select<code>().count() == 1);
        auto count = [&](auto condition) {
            return s.template select<code>().where(condition).count();
        };
        CHECK(count(col<&code::short_code> == "abcdeXYZ") == 0);
        CHECK(count(col<&code::year> > 1800) == 1);
        CHECK(count(retort::between(col<&code::year>, 0, 3000)) == 1);
        CHECK(count(retort::like(col<&code::short_code>, "abc%")) == 1);
        CHECK(count(retort::in(col<&code::short_code>, std::vector<std::string>{"abcdeXYZ"})) == 0);
        CHECK_THROWS_WITH(s.template update<code>()
                              .set(col<&code::short_code>, "toolongvalue")
                              .where(col<&code::id> == std::int64_t{1})
                              .execute(),
                          Catch::Contains("too long"));
        CHECK(s.template get<code>(std::int64_t{1})->short_code == "abcde");
    });
}

TEST_CASE("on SQLite a postgres_type column stores its field's values as they are",
          "[sqlite-only][types]") {
    test::temp_sqlite_file file;
    auto db = retort::sqlite_engine(
        retort::sqlite::options_from(retort::parse_database_url("sqlite:///" + file.path)));
    auto s = db.session();
    s.template create_all<host>();
    s.insert(sample());
    const auto got = s.template get<host>(std::int64_t{1});
    REQUIRE(got);
    CHECK(*got == sample());
    CHECK(s.template select<host>().where(col<&host::address> == "10.0.0.1").count() == 1);
    retort::migrate::schema_manager<retort::sqlite, host> manager(s);
    INFO(manager.validate().text());
    CHECK(manager.validate().clean());
    CHECK(manager.fix(true).empty());
}

}  // namespace postgres_types_it

namespace postgres_types_it {

// The spellings a model may write read as the server's own format_type() of a column declared
// with them: checked against a real table, not against a list.
TEST_CASE("postgres_type spellings read as PostgreSQL prints the column's type",
          "[postgres-only][types][migrate]") {
    on_postgres([](auto& s) {
        const std::vector<std::string> spellings{"int",
                                                 "INT4",
                                                 "int2",
                                                 "int8[]",
                                                 "float4",
                                                 "float8",
                                                 "float",
                                                 "float(24)",
                                                 "float(25)",
                                                 "bool",
                                                 "varchar(20)",
                                                 "VARCHAR ( 20 )",
                                                 "char varying(4)",
                                                 "char",
                                                 "character",
                                                 "character(3)",
                                                 "bpchar",
                                                 "bit",
                                                 "bit(3)",
                                                 "varbit(5)",
                                                 "numeric(10)",
                                                 "decimal(10)",
                                                 "dec(5,1)",
                                                 "numeric(12, 2)",
                                                 "numeric",
                                                 "timestamptz",
                                                 "timestamptz(3)",
                                                 "timestamp",
                                                 "timestamp(3)",
                                                 "timestamp(3)[]",
                                                 "time",
                                                 "time(3) with time zone",
                                                 "timetz",
                                                 "interval",
                                                 "interval(3)",
                                                 "interval year to month",
                                                 "integer[3]",
                                                 "int4[][]",
                                                 "pg_catalog.int4",
                                                 "double precision[]",
                                                 "inet",
                                                 "uuid",
                                                 "jsonb",
                                                 "json",
                                                 "money",
                                                 "tsvector"};
        for (const auto& spelling : spellings) {
            INFO(spelling);
            s.execute_script("DROP TABLE IF EXISTS rt_spelling; CREATE TABLE rt_spelling (c " +
                             spelling + ")");
            const auto printed = s.template query<std::string>(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                "WHERE attrelid = 'rt_spelling'::regclass AND attname = 'c'");
            REQUIRE(printed.size() == 1);
            CHECK(retort::migrate::detail::postgres_introspect::canonical_type_spelling(spelling) ==
                  std::get<0>(printed[0]));
        }
        s.execute_script("DROP TABLE IF EXISTS rt_spelling");
    });
}

}  // namespace postgres_types_it

namespace postgres_types_it {

struct device {
    std::int64_t id{};
    std::string address;
    std::string name;
};
RETORT_TABLE(device, "rt_devices", (id, retort::primary_key), (address, postgres_type<"inet">),
             (name));
RETORT_CONSTRAINTS(device, retort::index<"ix_rt_devices_address", &device::address>,
                   retort::index<"ix_rt_devices_name", &device::name>);

struct gist_device {
    std::int64_t id{};
    std::string address;
    std::string name;
};
RETORT_TABLE(gist_device, "rt_devices", (id, retort::primary_key), (address, postgres_type<"inet">),
             (name));
RETORT_CONSTRAINTS(
    gist_device,
    retort::index<"ix_rt_devices_address", &gist_device::address>.using_method<"gist">().with_operator_classes<"inet_ops">(),
    retort::index<"ix_rt_devices_name", &gist_device::name>.with_operator_classes<"text_pattern_ops">());

// Was a wrong answer: a gist index (with the inet_ops operator class) compared equal to the
// btree index a model declared on the same column.
TEST_CASE("index methods and operator classes are compared, declared and created",
          "[postgres-only][types][migrate]") {
    on_postgres([](auto& s) {
        s.execute_script("DROP TABLE IF EXISTS rt_devices; "
                         "CREATE TABLE rt_devices (id bigint CONSTRAINT pk_rt_devices PRIMARY "
                         "KEY, address inet NOT NULL, name text NOT NULL); "
                         "CREATE INDEX ix_rt_devices_address ON rt_devices USING gist "
                         "(address inet_ops); "
                         "CREATE INDEX ix_rt_devices_name ON rt_devices (name text_pattern_ops)");
        retort::migrate::schema_manager<retort::postgres, device> btree(s);
        const auto report = btree.validate();
        INFO(report.text());
        CHECK(report.operations.size() == 4);  // each index dropped and made again
        retort::migrate::schema_manager<retort::postgres, gist_device> gist(s);
        INFO(gist.validate().text());
        CHECK(gist.validate().clean());
        // A snapshot keeps them.
        const auto live = retort::migrate::introspect(s);
        CHECK(retort::migrate::schema_from_text(retort::migrate::to_text(live)) == live);
        // create_all writes them; the btree model's fix turns them back into plain indexes.
        s.execute_script("DROP TABLE rt_devices");
        s.template create_all<gist_device>();
        CHECK(gist.validate().clean());
        CHECK_FALSE(btree.fix(true).empty());
        CHECK(btree.validate().clean());
        CHECK(s.template query<std::string>(
                  "SELECT am.amname::text FROM pg_class c JOIN pg_am am ON am.oid = c.relam "
                  "WHERE c.relname = 'ix_rt_devices_address'") ==
              std::vector<std::tuple<std::string>>{{"btree"}});
        s.execute_script("DROP TABLE rt_devices");
    });
}

TEST_CASE("on SQLite an index's method and operator classes are PostgreSQL's alone",
          "[sqlite-only][types][migrate]") {
    test::temp_sqlite_file file;
    auto db = retort::sqlite_engine(
        retort::sqlite::options_from(retort::parse_database_url("sqlite:///" + file.path)));
    auto s = db.session();
    s.template create_all<gist_device>();
    retort::migrate::schema_manager<retort::sqlite, gist_device> manager(s);
    INFO(manager.validate().text());
    CHECK(manager.validate().clean());
}

}  // namespace postgres_types_it
