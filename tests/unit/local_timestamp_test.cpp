// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// retort::local_timestamp without a database: its logical type and conversions, the typed
// comparisons it allows, the SQLite text it is written as and the texts read back, its DDL,
// its snapshot text, and the PostgreSQL statements that change a column to or from it.

#include <retort/dialect/ddl.hpp>
#include <retort/dialect/postgres.hpp>
#include <retort/dialect/sqlite.hpp>
#include <retort/driver/detail/iso8601.hpp>
#include <retort/migrate/plan.hpp>
#include <retort/migrate/schema_text.hpp>
#include <retort/query/expr.hpp>
#include <retort/schema/from_model.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace local_timestamp_test {

using namespace std::chrono;
using retort::local_timestamp;
using retort::logical_type;
namespace iso = retort::driver::detail;
namespace schema = retort::schema;

struct meeting {
    std::int64_t id{};
    local_timestamp starts_at{};
    std::optional<local_timestamp> ends_at;
    local_seconds reminder{};
    retort::timestamp created_at{};
};
RETORT_TABLE(meeting, "meetings", (id, retort::primary_key, retort::autoincrement), (starts_at),
             (ends_at), (reminder), (created_at));

local_timestamp local(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0,
                      int us = 0) {
    return local_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm} + seconds{ss} +
           microseconds{us};
}

std::string text_of(local_timestamp t) {
    const auto text = iso::format_local_timestamp(t);
    return {text.data(), text.size()};
}

// ---- the type ------------------------------------------------------------------------------

// Appended: the logical types that were there keep their numbers (and so their meaning).
static_assert(static_cast<int>(logical_type::timestamp) == 8);
static_assert(static_cast<int>(logical_type::enumeration) == 13);
static_assert(static_cast<int>(logical_type::local_timestamp) == 14);
static_assert(retort::logical_type_count == 15);
static_assert(retort::to_string(logical_type::local_timestamp) == "local_timestamp");
static_assert(retort::to_string(logical_type::enumeration) == "enumeration");

static_assert(retort::storage_type<local_timestamp>);
static_assert(retort::logical_type_of<local_timestamp>() == logical_type::local_timestamp);
static_assert(retort::logical_type_of<std::optional<local_timestamp>>() ==
              logical_type::local_timestamp);
static_assert(retort::logical_type_of<local_seconds>() == logical_type::local_timestamp);
static_assert(retort::logical_type_of<local_time<nanoseconds>>() == logical_type::local_timestamp);
static_assert(retort::logical_type_of<retort::timestamp>() == logical_type::timestamp);
// local_days is not guessed to be a midnight: it has no column mapping.
static_assert(!retort::column_value<local_days>);

// A wall time compares with wall times only, an instant with instants only.
using retort::query::compatible_value;
static_assert(compatible_value<local_timestamp, local_timestamp>());
static_assert(compatible_value<std::optional<local_timestamp>, local_timestamp>());
static_assert(compatible_value<local_timestamp, local_seconds>());
static_assert(!compatible_value<local_timestamp, retort::timestamp>());
static_assert(!compatible_value<retort::timestamp, local_timestamp>());
static_assert(!compatible_value<local_timestamp, std::string>());

TEST_CASE("local_timestamp: other local_time precisions convert to microseconds",
          "[unit][local_timestamp]") {
    using traits = retort::value_traits<local_time<nanoseconds>>;
    const local_time<nanoseconds> t{nanoseconds{1'700'000'000'123'456'789LL}};
    CHECK(traits::to_storage(t).time_since_epoch().count() == 1'700'000'000'123'456LL);
    // Before the epoch the conversion floors, like sys_time's.
    CHECK(traits::to_storage(local_time<nanoseconds>{nanoseconds{-1'500}})
              .time_since_epoch()
              .count() == -2);
    using sec = retort::value_traits<local_seconds>;
    CHECK(sec::to_storage(local_seconds{seconds{5}}) == local(1970, 1, 1, 0, 0, 5));
    CHECK(sec::from_storage(local(1970, 1, 1, 0, 0, 5, 999'999)) == local_seconds{seconds{5}});
}

TEST_CASE("local_timestamp: the model's columns", "[unit][local_timestamp]") {
    const auto t = schema::table_of<meeting>();
    REQUIRE(t.columns.size() == 5);
    CHECK(t.columns[1].type == logical_type::local_timestamp);
    CHECK_FALSE(t.columns[1].nullable);
    CHECK(t.columns[2].type == logical_type::local_timestamp);
    CHECK(t.columns[2].nullable);
    CHECK(t.columns[3].type == logical_type::local_timestamp);
    CHECK(t.columns[4].type == logical_type::timestamp);

    // What SQLAlchemy declares on SQLite; PostgreSQL's timestamp (without time zone).
    CHECK(retort::dialect::sqlite::type_name(t.columns[1]) == "DATETIME");
    CHECK(retort::dialect::postgres::type_name(t.columns[1]) == "timestamp");
    const auto sqlite_ddl = retort::dialect::create_table_sql<retort::dialect::sqlite>(t);
    CHECK_THAT(sqlite_ddl, Catch::Contains("\"starts_at\" DATETIME NOT NULL"));
    CHECK_THAT(sqlite_ddl, Catch::Contains("\"ends_at\" DATETIME") &&
                               !Catch::Contains("\"ends_at\" DATETIME NOT NULL"));
    CHECK_THAT(sqlite_ddl, Catch::Contains("\"created_at\" TIMESTAMP NOT NULL"));
    const auto pg_ddl = retort::dialect::create_table_sql<retort::dialect::postgres>(t);
    CHECK_THAT(pg_ddl, Catch::Contains("\"starts_at\" timestamp NOT NULL"));
    CHECK_THAT(pg_ddl, Catch::Contains("\"created_at\" timestamp with time zone NOT NULL"));
}

// ---- SQLite text ---------------------------------------------------------------------------

TEST_CASE("local_timestamp text: written as SQLAlchemy writes a naive DATETIME",
          "[unit][local_timestamp]") {
    CHECK(text_of(local(2026, 12, 6, 18, 0, 0, 123'456)) == "2026-12-06 18:00:00.123456");
    CHECK(text_of(local(2026, 1, 2, 3, 4, 5)) == "2026-01-02 03:04:05.000000");
    CHECK(text_of(local(1999, 12, 31, 23, 59, 59, 999'999)) == "1999-12-31 23:59:59.999999");
    CHECK(text_of(local(1969, 12, 31, 23, 59, 59, 500'000)) == "1969-12-31 23:59:59.500000");
    CHECK(text_of(local(1901, 7, 4, 12)) == "1901-07-04 12:00:00.000000");
    CHECK(text_of(local(0, 1, 1)) == "0000-01-01 00:00:00.000000");
    CHECK(text_of(local(9999, 12, 31, 23, 59, 59, 999'999)) == "9999-12-31 23:59:59.999999");
    // Five-digit and negative years would break the text's ordering.
    CHECK_THROWS_AS(iso::format_local_timestamp(local(10000, 1, 1)), retort::programming_error);
    CHECK_THROWS_AS(iso::format_local_timestamp(local(-1, 12, 31)), retort::programming_error);
    CHECK_THROWS_AS(iso::format_local_timestamp(local_timestamp::max()), retort::programming_error);
    // The extremes are refused before any calendar arithmetic, which would overflow on them.
    CHECK_THROWS_AS(iso::format_local_timestamp(local_timestamp::min()), retort::programming_error);
    CHECK_THROWS_AS(iso::format_timestamp(retort::timestamp::min()), retort::programming_error);
    CHECK_THROWS_AS(iso::format_timestamp(retort::timestamp::max()), retort::programming_error);
}

TEST_CASE("local_timestamp text: the forms read back", "[unit][local_timestamp]") {
    const auto parse = [](std::string_view text) { return iso::parse_local_timestamp(text); };
    CHECK(parse("2026-12-06 18:00:00.123456") == local(2026, 12, 6, 18, 0, 0, 123'456));
    CHECK(parse("2026-01-02") == local(2026, 1, 2));
    CHECK(parse("2026-01-02 03:04") == local(2026, 1, 2, 3, 4));
    CHECK(parse("2026-01-02T03:04") == local(2026, 1, 2, 3, 4));
    CHECK(parse("2026-01-02 03:04:05") == local(2026, 1, 2, 3, 4, 5));
    CHECK(parse("2026-01-02T03:04:05") == local(2026, 1, 2, 3, 4, 5));
    CHECK(parse("2026-01-02t03:04:05") == local(2026, 1, 2, 3, 4, 5));
    CHECK(parse("2026-01-02T03:04:05.5") == local(2026, 1, 2, 3, 4, 5, 500'000));
    CHECK(parse("2026-01-02 03:04:05.12") == local(2026, 1, 2, 3, 4, 5, 120'000));
    CHECK(parse("2026-01-02 03:04:05.000001") == local(2026, 1, 2, 3, 4, 5, 1));
    // Digits past the microsecond are cut off, up to nanoseconds.
    CHECK(parse("2026-01-02 03:04:05.1234567") == local(2026, 1, 2, 3, 4, 5, 123'456));
    CHECK(parse("2026-01-02 03:04:05.123456789") == local(2026, 1, 2, 3, 4, 5, 123'456));
    CHECK(parse("1969-12-31 23:59:59.999999") == local(1969, 12, 31, 23, 59, 59, 999'999));
    CHECK(parse("0000-01-01 00:00:00.000000") == local(0, 1, 1));
    CHECK(parse("2024-02-29 12:00") == local(2024, 2, 29, 12));
}

TEST_CASE("local_timestamp text: zones and malformed text are refused", "[unit][local_timestamp]") {
    const auto parse = [](std::string_view text) { return iso::parse_local_timestamp(text); };
    for (std::string_view zoned :
         {"2026-01-02 03:04:05Z", "2026-01-02T03:04:05.5z", "2026-01-02 03:04:05+02:00",
          "2026-01-02 03:04:05.123456-0800", "2026-01-02 03:04+01", "2026-01-02T03:04:05+00:00"}) {
        INFO(zoned);
        CHECK_FALSE(parse(zoned));
        CHECK(iso::names_a_zone(zoned));
        CHECK(iso::parse_timestamp(zoned));  // an instant: retort::timestamp reads it
    }
    for (std::string_view bad : {"",
                                 "2026",
                                 "2026-01",
                                 "2026-1-2",
                                 "2026-01-02 ",
                                 "2026-01-02 3:04",
                                 "2026-01-02 03",
                                 "2026-01-02 03:04:05.",
                                 "2026-01-02 03:04:05.1234567890",
                                 "2026-13-01",
                                 "2023-02-29 00:00",
                                 "2026-01-02 24:00",
                                 "2026-01-02 23:60",
                                 "2026-01-02 23:59:60",
                                 "2026-01-02X03:04",
                                 "2026-01-02 03:04:05 ",
                                 " 2026-01-02",
                                 "2026-01-02Z",
                                 "2026-01-02 03:04:05+2",
                                 "2026-01-02 03:04:05+25:00",
                                 "yesterday"}) {
        INFO(bad);
        CHECK_FALSE(parse(bad));
        CHECK_FALSE(iso::names_a_zone(bad));
    }
}

TEST_CASE("retort::timestamp still reads text without a zone as UTC", "[unit][local_timestamp]") {
    // Unchanged by local_timestamp: naive text is the wall time in UTC, a date alone is not a
    // timestamp, and any number of fraction digits is accepted.
    const auto utc = [](int y, unsigned m, unsigned d, int hh, int mm, int ss, int us) {
        return retort::timestamp{local(y, m, d, hh, mm, ss, us).time_since_epoch()};
    };
    CHECK(iso::parse_timestamp("2026-01-02 03:04:05") == utc(2026, 1, 2, 3, 4, 5, 0));
    CHECK(iso::parse_timestamp("2026-01-02T03:04:05.5") == utc(2026, 1, 2, 3, 4, 5, 500'000));
    CHECK(iso::parse_timestamp("2026-01-02 03:04:05+02:00") == utc(2026, 1, 2, 1, 4, 5, 0));
    CHECK(iso::parse_timestamp("2026-01-02 03:04:05.1234567890") ==
          utc(2026, 1, 2, 3, 4, 5, 123'456));
    CHECK_FALSE(iso::parse_timestamp("2026-01-02"));
}

// ---- snapshots and migrations --------------------------------------------------------------

schema::column column(std::string name, logical_type type, bool nullable = false) {
    schema::column c;
    c.name = std::move(name);
    c.type = type;
    c.nullable = nullable;
    return c;
}

schema::database events_with(logical_type at_type) {
    schema::table t;
    t.name = "events";
    t.columns = {column("id", logical_type::int64), column("at", at_type, true)};
    t.key = {"pk_events", {"id"}};
    return schema::database{{t}};
}

TEST_CASE("local_timestamp: snapshot text names the type and reads it back",
          "[unit][local_timestamp]") {
    const auto db = schema::database_of<meeting>();
    const std::string text = retort::migrate::to_text(db);
    CHECK_THAT(text, Catch::Contains("column \"starts_at\" local_timestamp 0 not-null"));
    CHECK_THAT(text, Catch::Contains("column \"created_at\" timestamp 0 not-null"));
    CHECK(retort::migrate::schema_from_text(text) == db);
    CHECK_THROWS_AS(retort::migrate::schema_from_text(
                        "table \"t\"\n  column \"a\" local_timestamps 0 null - none 0 \"\" 0\n"),
                    retort::configuration_error);
}

TEST_CASE("local_timestamp: PostgreSQL converts from and to timestamptz at UTC",
          "[unit][local_timestamp]") {
    using retort::migrate::render;
    using pg = retort::dialect::postgres;
    const auto instants = events_with(logical_type::timestamp);
    const auto wall_times = events_with(logical_type::local_timestamp);
    CHECK(
        render<pg>(instants, wall_times) ==
        std::vector<std::string>{
            R"(ALTER TABLE "events" ALTER COLUMN "at" TYPE timestamp USING "at" AT TIME ZONE 'UTC')"});
    CHECK(
        render<pg>(wall_times, instants) ==
        std::vector<std::string>{
            R"(ALTER TABLE "events" ALTER COLUMN "at" TYPE timestamp with time zone USING "at" AT TIME ZONE 'UTC')"});
    // Other changes cast as before.
    CHECK(render<pg>(wall_times, events_with(logical_type::date)) ==
          std::vector<std::string>{
              R"(ALTER TABLE "events" ALTER COLUMN "at" TYPE date USING "at"::date)"});

    const auto ops = retort::migrate::plan(wall_times, events_with(logical_type::date));
    REQUIRE(ops.size() == 1);
    CHECK(ops[0].level == retort::migrate::risk::destructive);  // the time of day is lost
    const auto across = retort::migrate::plan(instants, wall_times);
    REQUIRE(across.size() == 1);
    CHECK(across[0].description == "change type of events.at from timestamp to local_timestamp");
}

}  // namespace local_timestamp_test
