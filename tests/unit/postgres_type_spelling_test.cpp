// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// A model's postgres_type<"..."> is compared with the live column's format_type() spelling:
// the aliases PostgreSQL accepts, cases and spaces a user may write all read as it prints them,
// and a spelling retort writes itself is no native type at all.

#include <retort/migrate/introspect_postgres.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <utility>

namespace {

using retort::migrate::detail::postgres_introspect::canonical_type_spelling;

TEST_CASE("postgres_type spellings read as format_type() prints them", "[unit][migrate]") {
    const std::pair<const char*, const char*> cases[] = {
        {"inet", "inet"},
        {"INET", "inet"},
        {"  uuid ", "uuid"},
        {"int4", "integer"},
        {"INT", "integer"},
        {"int8[]", "bigint[]"},
        {"float8", "double precision"},
        {"bool", "boolean"},
        {"varchar(20)", "character varying(20)"},
        {"VARCHAR ( 20 )", "character varying(20)"},
        {"character   varying(20)[]", "character varying(20)[]"},
        {"numeric(12, 2)", "numeric(12,2)"},
        {"decimal(12,2)", "numeric(12,2)"},
        {"timestamptz", "timestamp with time zone"},
        {"timestamptz(3)", "timestamp(3) with time zone"},
        {"timestamptz[]", "timestamp with time zone[]"},
        {"timestamp", "timestamp without time zone"},
        {"timestamp(3)", "timestamp(3) without time zone"},
        {"timestamp(3)[]", "timestamp(3) without time zone[]"},
        {"timestamp(6) without time zone", "timestamp(6) without time zone"},
        {"time", "time without time zone"},
        {"timetz", "time with time zone"},
        {"public.job_status", "job_status"},
        {"other.job_status", "other.job_status"},
        {"\"JobStatus\"", "\"JobStatus\""},
        {"\"Job  Status\"", "\"Job  Status\""},
        {"double precision", "double precision"},
        {"bit varying(5)", "bit varying(5)"},
        {"varbit(5)", "bit varying(5)"},
        {"char", "character(1)"},
        {"character", "character(1)"},
        {"character(3)", "character(3)"},
        {"bpchar", "bpchar"},
        {"bit", "bit(1)"},
        {"numeric(10)", "numeric(10,0)"},
        {"decimal(10)", "numeric(10,0)"},
        {"dec(5,1)", "numeric(5,1)"},
        {"numeric", "numeric"},
        {"float(24)", "real"},
        {"float(25)", "double precision"},
        {"integer[3]", "integer[]"},
        {"int4[][]", "integer[]"},
        {"pg_catalog.int4", "integer"},
        {"\"public\".mood", "mood"},
        {"serial", "integer"},
        {"bigserial", "bigint"},
        {"char varying(4)", "character varying(4)"},
        {"time(3) with time zone", "time(3) with time zone"},
        {"interval", "interval"},
        {"interval(3)", "interval(3)"},
        {"timestamp(3) with time zone[]", "timestamp(3) with time zone[]"},
    };
    for (const auto& [written, printed] : cases) {
        INFO(written);
        CHECK(canonical_type_spelling(written) == printed);
        CHECK(canonical_type_spelling(printed) == printed);  // what the server prints stays
    }
}

TEST_CASE("a postgres_type retort writes itself compares as retort's own type", "[unit][migrate]") {
    retort::schema::database models;
    auto& t = models.tables.emplace_back();
    t.name = "t";
    const auto add = [&](const char* name, retort::logical_type type, const char* spelling) {
        retort::schema::column c;
        c.name = name;
        c.type = type;
        c.native_type = spelling;
        t.columns.push_back(c);
    };
    add("a", retort::logical_type::int64, "int4");
    add("b", retort::logical_type::text, "varchar(20)");
    add("c", retort::logical_type::text, "INET");
    const auto n = retort::migrate::normalize_for_postgres(models).tables[0];
    CHECK(n.columns[0].type == retort::logical_type::int32);
    CHECK(n.columns[0].native_type.empty());
    CHECK(n.columns[1].max_length == 20);
    CHECK(n.columns[1].native_type.empty());
    CHECK(n.columns[2].type == retort::logical_type::text);
    CHECK(n.columns[2].native_type == "inet");
}

}  // namespace
