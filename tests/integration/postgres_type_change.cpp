// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// A column type change is labelled with what PostgreSQL does: for each pair of types, the
// planner's rewrites_table is compared with whether the server gave the table a new file
// (pg_class.relfilenode) when it ran the ALTER, and the row is still there afterwards. The list
// of binary-coercible casts the label is decided by is checked against the server's pg_cast.

#include "../support/test_db.hpp"

#include <retort/migrate/detail/postgres_type_change.hpp>
#include <retort/migrate/introspect.hpp>

#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

namespace {

namespace m = retort::migrate;

template <class F>
void on_postgres(F f) {
    test::with_postgres_session(
        "DROP TABLE IF EXISTS rt_tc_from, rt_tc_to; DROP TYPE IF EXISTS rt_tc_mood", f);
}

struct type_change {
    std::string from, to, value;
};

}  // namespace

TEST_CASE("type changes: rewrites_table is what the server does, for each pair of types",
          "[postgres-only][types][migrate]") {
    const std::vector<type_change> changes = {
        {"citext", "text", "Abc"},
        {"text", "citext", "Abc"},
        {"cidr", "inet", "10.0.0.0/8"},
        {"inet", "text", "10.0.0.1"},
        {"varchar(10)", "varchar(20)", "abc"},
        {"varchar(20)", "varchar(10)", "abc"},
        {"varchar(10)", "text", "abc"},
        {"text", "varchar(5)", "abc"},
        {"numeric(10,2)", "numeric(12,2)", "1.5"},
        {"numeric(10,2)", "numeric(10,3)", "1.5"},
        {"numeric(10,2)", "numeric", "1.5"},
        {"timestamp(3)", "timestamp(6)", "2026-01-02 03:04:05.123"},
        {"timestamp(6)", "timestamp(3)", "2026-01-02 03:04:05.123"},
        {"integer", "bigint", "5"},
        {"xml", "text", "<a/>"},
        {"bit(3)", "bit varying", "101"},
        {"bit varying(3)", "bit varying(8)", "101"},
        {"rt_tc_mood", "text", "a"},
        {"varchar(5)[]", "varchar(10)[]", "{abc}"},
    };
    on_postgres([&](auto& s) {
        s.execute_script("CREATE EXTENSION IF NOT EXISTS citext; "
                         "CREATE TYPE rt_tc_mood AS ENUM ('a', 'b')");
        for (const auto& change : changes) {
            INFO(change.from << " -> " << change.to);
            s.execute_script("DROP TABLE IF EXISTS rt_tc_from, rt_tc_to; "
                             "CREATE TABLE rt_tc_from (id integer PRIMARY KEY, c " +
                             change.from + "); CREATE TABLE rt_tc_to (id integer PRIMARY KEY, c " +
                             change.to + ")");
            // The value as a literal of the column's type (the test's own constants).
            s.execute_script("INSERT INTO rt_tc_from VALUES (1, '" + change.value + "')");

            // The plan: the live table, and the same table with the other column's type.
            const auto live = m::comparable<retort::postgres>(m::introspect(s));
            const auto* from = live.find_table("rt_tc_from");
            const auto* to = live.find_table("rt_tc_to");
            REQUIRE(from);
            REQUIRE(to);
            retort::schema::table target = *from;
            target.columns[1] = to->columns[1];
            const auto ops =
                m::diff(retort::schema::database{{*from}}, retort::schema::database{{target}});
            REQUIRE(ops.size() == 1);
            CHECK(ops[0].kind == m::change::alter_column_type);
            // Out of or into citext, comparisons change case-sensitivity: never additive.
            if (change.from == "citext" || change.to == "citext")
                CHECK(ops[0].level == m::risk::data_dependent);
            if (change.from == "varchar(10)" && change.to == "varchar(20)")
                CHECK(ops[0].level == m::risk::additive);

            // What the server does.
            const auto file = [&] {
                return s.template query<std::int64_t>(
                    "SELECT relfilenode::bigint FROM pg_class WHERE oid = 'rt_tc_from'::regclass");
            };
            const auto before = file();
            s.execute_script("ALTER TABLE rt_tc_from ALTER COLUMN c TYPE " + change.to);
            const bool rewritten = file() != before;
            CHECK(ops[0].rewrites_table == rewritten);
            CHECK(s.template query<std::int64_t>("SELECT count(*) FROM rt_tc_from") ==
                  std::vector<std::tuple<std::int64_t>>{{1}});
        }
    });
}

TEST_CASE("type changes: the binary-coercible casts retort knows are the server's",
          "[postgres-only][types][migrate]") {
    on_postgres([](auto& s) {
        s.execute_script("CREATE EXTENSION IF NOT EXISTS citext");
        std::set<std::string> names;
        std::set<std::tuple<std::string, std::string>> known;
        for (const auto& [source, target] : m::detail::binary_coercible_casts) {
            names.emplace(source);
            names.emplace(target);
            known.emplace(std::string{source}, std::string{target});
        }
        std::set<std::tuple<std::string, std::string>> server;
        for (auto& [source, target] : s.template query<std::string, std::string>(
                 "SELECT format_type(castsource, NULL), format_type(casttarget, NULL) "
                 "FROM pg_cast WHERE castmethod = 'b'")) {
            if (names.count(source) && names.count(target)) server.emplace(source, target);
        }
        CHECK(server == known);
    });
}
