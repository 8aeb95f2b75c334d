// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// retort::local_timestamp (timestamp without time zone) on the backend RETORT_TEST_BACKEND
// names: round trips through models and raw SQL, typed comparisons, values other programs wrote
// (SQLAlchemy's DATETIME text, PostgreSQL's timestamp literals), the reads refused with the
// wrong type or a zone, PostgreSQL's introspection of its spellings, and a timestamptz column
// migrated to it.

#include "../support/test_db.hpp"

#include <retort/migrate/introspect.hpp>
#include <retort/migrate/plan.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

namespace local_timestamp_it {

using namespace std::chrono;
using retort::col;
using retort::local_timestamp;

struct event {
    std::int64_t id{};
    std::string name;
    local_timestamp starts_at{};
    std::optional<local_timestamp> ends_at;
    local_seconds reminder{};  // another precision, converted
};
RETORT_TABLE(event, "lt_events", (id, retort::primary_key, retort::autoincrement), (name),
             (starts_at, retort::indexed), (ends_at), (reminder, retort::server_default_now));

local_timestamp local(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0,
                      int us = 0) {
    return local_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm} + seconds{ss} +
           microseconds{us};
}

/// A fresh database holding lt_events only, dropped again at the end.
struct events_db {
    test::temp_sqlite_file file;
    retort::engine db;
    events_db() : db(retort::engine::from_url(test::url_for(file))) {
        db.visit([](auto& e) {
            e.template drop_all<event>();
            e.template create_all<event>();
        });
    }
    ~events_db() {
        try {
            db.visit([](auto& e) { e.template drop_all<event>(); });
        } catch (...) {
        }
    }
};

/// Whether the engine `visit` passed (as `decltype(e)`) is PostgreSQL's.
template <class Engine>
constexpr bool is_postgres =
    std::is_same_v<typename std::decay_t<Engine>::backend, retort::postgres>;

/// The one value the query returns.
template <class T, class Session>
T only_value(Session& s, std::string_view sql) {
    const auto rows = s.template query<T>(sql);
    REQUIRE(rows.size() == 1);
    return std::get<0>(rows[0]);
}

event make_event(std::string name, local_timestamp starts,
                 std::optional<local_timestamp> ends = std::nullopt) {
    event e;
    e.name = std::move(name);
    e.starts_at = starts;
    e.ends_at = ends;
    e.reminder = floor<seconds>(starts) - minutes{15};
    return e;
}

// The cases the round trips cover: fractions or none, around 2000 (PostgreSQL's epoch) and
// 1970 (the clocks' epoch), and far from both.
const std::vector<local_timestamp>& sample_times() {
    static const std::vector<local_timestamp> times{local(2026, 12, 6, 18, 0, 0, 123'456),
                                                    local(2026, 1, 2, 3, 4, 5),
                                                    local(2000, 1, 1),
                                                    local(1999, 12, 31, 23, 59, 59, 999'999),
                                                    local(1970, 1, 1),
                                                    local(1969, 12, 31, 23, 59, 59, 500'000),
                                                    local(1901, 7, 4, 12, 30, 0, 1),
                                                    local(9999, 12, 31, 23, 59, 59, 999'999),
                                                    local(1, 1, 1, 0, 0, 0, 7)};
    return times;
}

}  // namespace local_timestamp_it

using namespace local_timestamp_it;

TEST_CASE("local_timestamp: model fields round-trip, with and without a value",
          "[local_timestamp]") {
    events_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        std::vector<event> events;
        for (const auto t : sample_times()) {
            events.push_back(make_event("e", t, t - hours{1}));
            events.push_back(make_event("open", t));
        }
        s.insert_many(events);
        for (const auto& want : events) {
            const auto got = s.template get<event>(want.id);
            REQUIRE(got);
            INFO(want.id);
            CHECK(got->starts_at == want.starts_at);
            CHECK(got->ends_at == want.ends_at);
            CHECK(got->reminder == want.reminder);
        }
        // update writes the new value, NULL included.
        auto first = events.front();
        first.starts_at = local(2030, 6, 1, 9, 30, 0, 250'000);
        first.ends_at.reset();
        CHECK(s.update(first));
        const auto got = s.template get<event>(first.id);
        REQUIRE(got);
        CHECK(got->starts_at == first.starts_at);
        CHECK_FALSE(got->ends_at);
    });
}

TEST_CASE("local_timestamp: typed where compares wall times", "[local_timestamp]") {
    events_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        for (const auto t : sample_times()) s.insert(make_event("e", t));
        s.insert(make_event("with end", local(2026, 3, 1), local(2026, 3, 1, 12)));

        const auto after_2000 = s.template select<event>()
                                    .where(col<&event::starts_at> >= local(2000, 1, 1))
                                    .order_by(col<&event::starts_at>)
                                    .all();
        REQUIRE(after_2000.size() == 5);
        CHECK(after_2000[0].starts_at == local(2000, 1, 1));
        CHECK(after_2000[1].starts_at == local(2026, 1, 2, 3, 4, 5));
        CHECK(after_2000[4].starts_at == local(9999, 12, 31, 23, 59, 59, 999'999));

        CHECK(
            s.template select<event>().where(col<&event::starts_at> < local(1970, 1, 1)).count() ==
            3);
        CHECK(s.template select<event>()
                  .where(col<&event::starts_at> == local(1969, 12, 31, 23, 59, 59, 500'000))
                  .count() == 1);
        CHECK(s.template select<event>()
                  .where(retort::between(col<&event::starts_at>, local(1969, 12, 31),
                                         local(2000, 1, 1)))
                  .count() == 4);
        // A coarser local_time compares too (it converts without loss).
        CHECK(s.template select<event>()
                  .where(col<&event::starts_at> > local_seconds{local_days{2026y / 12 / 6}})
                  .count() == 2);
        CHECK(s.template select<event>()
                  .where(col<&event::ends_at> > local(2026, 3, 1, 11, 59, 59, 999'999))
                  .count() == 1);
        CHECK(s.template select<event>().where(retort::is_null(col<&event::ends_at>)).count() ==
              static_cast<std::int64_t>(sample_times().size()));
        CHECK(s.template select_from<event>(retort::max(col<&event::starts_at>)).scalar() ==
              std::optional{local(9999, 12, 31, 23, 59, 59, 999'999)});
    });
}

TEST_CASE("local_timestamp: raw SQL binds it and reads it into tuples", "[local_timestamp]") {
    events_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        const std::optional<local_timestamp> none;
        s.execute("INSERT INTO lt_events (name, starts_at, ends_at, reminder) VALUES (?, ?, ?, ?)",
                  std::string{"raw"}, local(1999, 12, 31, 23, 59, 59, 999'999), none,
                  local_seconds{local_days{1999y / 12 / 31}});
        s.execute("INSERT INTO lt_events (name, starts_at, ends_at, reminder) VALUES (?, ?, ?, ?)",
                  std::string{"raw2"}, local(1960, 5, 6, 7, 8, 9, 10),
                  std::optional{local(1960, 5, 6, 8)}, local_seconds{});
        const auto rows = s.template query<std::string, local_timestamp,
                                           std::optional<local_timestamp>, local_seconds>(
            "SELECT name, starts_at, ends_at, reminder FROM lt_events WHERE starts_at < ? "
            "ORDER BY starts_at",
            local(2000, 1, 1));
        REQUIRE(rows.size() == 2);
        CHECK(rows[0] == std::tuple{std::string{"raw2"}, local(1960, 5, 6, 7, 8, 9, 10),
                                    std::optional{local(1960, 5, 6, 8)}, local_seconds{}});
        CHECK(rows[1] == std::tuple{std::string{"raw"}, local(1999, 12, 31, 23, 59, 59, 999'999),
                                    none, local_seconds{local_days{1999y / 12 / 31}}});
    });
}

TEST_CASE("local_timestamp: values written by other programs read back", "[local_timestamp]") {
    events_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        // What SQLAlchemy writes, and what a hand-written INSERT holds, on either backend.
        s.execute_script("INSERT INTO lt_events (name, starts_at, ends_at, reminder) VALUES "
                         "('a', '2026-01-02 03:04:05', '2026-12-06 18:00:00.123456', "
                         "'2026-01-02 03:04:05')");
        auto a = s.template select<event>().where(col<&event::name> == "a").one();
        CHECK(a.starts_at == local(2026, 1, 2, 3, 4, 5));
        CHECK(a.ends_at == local(2026, 12, 6, 18, 0, 0, 123'456));
        CHECK(a.reminder == floor<seconds>(local(2026, 1, 2, 3, 4, 5)));
        // The database's clock: its wall time in UTC, the zone of SQLite's CURRENT_TIMESTAMP
        // and of retort's PostgreSQL sessions.
        const auto now = only_value<local_timestamp>(
            s, is_postgres<decltype(e)> ? "SELECT LOCALTIMESTAMP" : "SELECT CURRENT_TIMESTAMP");
        const auto utc_wall_time =
            local_timestamp{floor<microseconds>(system_clock::now()).time_since_epoch()};
        CHECK(abs(now - utc_wall_time) < minutes{1});
        if constexpr (is_postgres<decltype(e)>) {
            const auto [literal, cast] = s.template query<local_timestamp, local_timestamp>(
                "SELECT '2026-01-02 03:04:05'::timestamp, "
                "'1969-07-20 20:17:40.5'::timestamp(3) without time zone")[0];
            CHECK(literal == local(2026, 1, 2, 3, 4, 5));
            CHECK(cast == local(1969, 7, 20, 20, 17, 40, 500'000));
        } else {
            s.execute_script("INSERT INTO lt_events (name, starts_at, ends_at, reminder) VALUES "
                             "('b', '2026-01-02T03:04:05.5', '2026-01-02', '2026-01-02 03:04')");
            auto b = s.template select<event>().where(col<&event::name> == "b").one();
            CHECK(b.starts_at == local(2026, 1, 2, 3, 4, 5, 500'000));
            CHECK(b.ends_at == local(2026, 1, 2));
            CHECK(b.reminder == floor<seconds>(local(2026, 1, 2, 3, 4)));
            CHECK(only_value<local_timestamp>(s, "SELECT '2026-01-02 03:04:05.123456789'") ==
                  local(2026, 1, 2, 3, 4, 5, 123'456));
        }
    });
}

TEST_CASE("local_timestamp on SQLite: text with a zone or malformed is refused, naming it",
          "[local_timestamp][sqlite-only]") {
    events_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        using Catch::Contains;
        CHECK_THROWS_WITH(
            s.template query<local_timestamp>("SELECT '2026-01-02 03:04:05+02:00' AS at"),
            Contains("cannot read column \"at\" as local_timestamp") &&
                Contains("\"2026-01-02 03:04:05+02:00\" names a time zone") &&
                Contains("read it into retort::timestamp"));
        CHECK_THROWS_WITH(s.template query<local_timestamp>("SELECT '2026-01-02T03:04:05Z' AS at"),
                          Contains("names a time zone"));
        CHECK_THROWS_WITH(s.template query<local_timestamp>("SELECT '2026-01-02 25:00' AS at"),
                          Contains("the text \"2026-01-02 25:00\" is not a valid local_timestamp"));
        CHECK_THROWS_WITH(s.template query<local_timestamp>("SELECT 1767323045 AS at"),
                          Contains("\"at\" as local_timestamp: it holds INTEGER"));
        // The same zoned text is an instant: retort::timestamp reads it, and naive text as UTC,
        // as it always did.
        CHECK(only_value<retort::timestamp>(s, "SELECT '2026-01-02 03:04:05+02:00'") ==
              retort::timestamp{local(2026, 1, 2, 1, 4, 5).time_since_epoch()});
        CHECK(only_value<retort::timestamp>(s, "SELECT '2026-01-02 03:04:05'") ==
              retort::timestamp{local(2026, 1, 2, 3, 4, 5).time_since_epoch()});
        // Stored as SQLAlchemy stores it.
        s.insert(make_event("stored", local(2026, 12, 6, 18)));
        CHECK(s.template query<std::string, std::string>(
                  "SELECT starts_at, typeof(starts_at) FROM lt_events")[0] ==
              std::tuple{std::string{"2026-12-06 18:00:00.000000"}, std::string{"text"}});
    });
}

TEST_CASE("local_timestamp on PostgreSQL: timestamptz and infinity are refused, naming them",
          "[local_timestamp][postgres-only]") {
    events_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        using Catch::Contains;
        CHECK_THROWS_WITH(s.template query<local_timestamp>("SELECT now() AS at"),
                          Contains("cannot read column \"at\" as local_timestamp") &&
                              Contains("its type is timestamptz (OID 1184), a point in time") &&
                              Contains("read it into retort::timestamp"));
        CHECK_THROWS_WITH(s.template query<retort::timestamp>("SELECT LOCALTIMESTAMP AS wall"),
                          Contains("cannot read column \"wall\" as timestamp") &&
                              Contains("its type is timestamp without time zone (OID 1114)") &&
                              Contains("read it into retort::local_timestamp"));
        CHECK_THROWS_WITH(
            s.template query<local_timestamp>("SELECT 'infinity'::timestamp AS forever"),
            Contains("cannot read column \"forever\" as local_timestamp: it is infinity"));
        CHECK_THROWS_WITH(
            s.template query<local_timestamp>("SELECT '-infinity'::timestamp AS never"),
            Contains("cannot read column \"never\" as local_timestamp: it is -infinity"));
        CHECK_THROWS_WITH(s.template query<local_timestamp>("SELECT '2026-01-02'::date AS d"),
                          Contains("its type is date (OID 1082)"));
        // Converted in SQL, either way, the reads work.
        CHECK(only_value<local_timestamp>(
                  s, "SELECT '2026-01-02 03:04:05+02'::timestamptz AT TIME ZONE 'UTC'") ==
              local(2026, 1, 2, 1, 4, 5));
        CHECK(only_value<retort::timestamp>(
                  s, "SELECT '2026-01-02 03:04:05'::timestamp AT TIME ZONE 'Europe/Paris'") ==
              retort::timestamp{local(2026, 1, 2, 2, 4, 5).time_since_epoch()});
        // max() is an ordinary time to PostgreSQL (year 294276 is its limit), not infinity;
        // min() is past its range and is refused before it is sent.
        s.execute("INSERT INTO lt_events (name, starts_at, reminder) VALUES (?, ?, ?)",
                  std::string{"far"}, local_timestamp::max(), local_seconds{});
        CHECK(only_value<local_timestamp>(s, "SELECT starts_at FROM lt_events") ==
              local_timestamp::max());
        CHECK(only_value<bool>(s, "SELECT isfinite(starts_at) FROM lt_events"));
        CHECK_THROWS_WITH(
            s.execute("INSERT INTO lt_events (name, starts_at, reminder) VALUES (?, ?, ?)",
                      std::string{"past"}, local_timestamp::min(), local_seconds{}),
            Contains("the local_timestamp is too far in the past for PostgreSQL"));
    });
}

TEST_CASE("local_timestamp on PostgreSQL: introspection reads timestamp's spellings",
          "[local_timestamp][postgres-only][introspect]") {
    events_db f;
    f.db.visit([](auto& e) {
        if constexpr (is_postgres<decltype(e)>) {
            auto s = e.session();
            s.execute_script("DROP TABLE IF EXISTS lt_spellings; "
                             "CREATE TABLE lt_spellings (id integer PRIMARY KEY, plain timestamp, "
                             "rails timestamp(6) without time zone, millis timestamp(3), "
                             "zoned timestamptz)");
            const auto live = retort::migrate::introspect(s);
            s.execute_script("DROP TABLE lt_spellings");
            const auto* t = live.find_table("lt_spellings");
            REQUIRE(t != nullptr);
            using retort::logical_type;
            CHECK(t->find_column("plain")->type == logical_type::local_timestamp);
            CHECK(t->find_column("plain")->native_type.empty());
            CHECK(t->find_column("rails")->type == logical_type::local_timestamp);
            CHECK(t->find_column("rails")->native_type.empty());
            // Another precision rounds what it stores: a real difference from the models.
            CHECK(t->find_column("millis")->type == logical_type::local_timestamp);
            CHECK(t->find_column("millis")->native_type == "timestamp(3) without time zone");
            CHECK(t->find_column("zoned")->type == logical_type::timestamp);
            CHECK(t->find_column("zoned")->native_type.empty());

            // The models' table reads back equal to the models.
            const auto ops = retort::migrate::diff_with_models<event>(s);
            std::string described;
            for (const auto& op : ops) described += op.description + "\n";
            INFO(described);
            CHECK(ops.empty());
        }
    });
}

TEST_CASE("local_timestamp on PostgreSQL: timestamptz -> timestamp keeps instants as UTC wall "
          "time",
          "[local_timestamp][postgres-only][migrate]") {
    events_db f;
    f.db.visit([](auto& e) {
        if constexpr (is_postgres<decltype(e)>) {
            auto s = e.session();
            s.execute_script("DROP TABLE IF EXISTS lt_migrated; "
                             "CREATE TABLE lt_migrated (id integer PRIMARY KEY, at timestamptz)");
            const auto instant = [](int y, unsigned m, unsigned d, int hh, int mm, int us) {
                return retort::timestamp{local(y, m, d, hh, mm, 0, us).time_since_epoch()};
            };
            s.execute("INSERT INTO lt_migrated VALUES (1, ?), (2, ?), (3, ?), (4, NULL)",
                      instant(2026, 7, 1, 23, 30, 123'456), instant(1969, 12, 31, 23, 59, 0),
                      instant(2000, 1, 1, 0, 0, 0));

            auto before =
                retort::migrate::comparable<retort::postgres>(retort::migrate::introspect(s));
            auto after = before;
            for (auto& t : after.tables)
                for (auto& c : t.columns)
                    if (t.name == "lt_migrated" && c.name == "at")
                        c.type = retort::logical_type::local_timestamp;
            const auto up = retort::migrate::render<retort::dialect::postgres>(before, after);
            REQUIRE(up.size() == 1);
            CHECK(up[0] == R"(ALTER TABLE "lt_migrated" ALTER COLUMN "at" TYPE timestamp )"
                           R"(USING "at" AT TIME ZONE 'UTC')");
            // The session's zone is not what decides: the statement names UTC.
            s.execute_script("SET TimeZone = 'America/New_York'");
            for (const auto& sql : up) s.execute_script(sql);
            s.execute_script("SET TimeZone = 'UTC'");
            const auto rows = s.template query<std::int64_t, std::optional<local_timestamp>>(
                "SELECT id, at FROM lt_migrated ORDER BY id");
            REQUIRE(rows.size() == 4);
            CHECK(std::get<1>(rows[0]) == local(2026, 7, 1, 23, 30, 0, 123'456));
            CHECK(std::get<1>(rows[1]) == local(1969, 12, 31, 23, 59));
            CHECK(std::get<1>(rows[2]) == local(2000, 1, 1));
            CHECK_FALSE(std::get<1>(rows[3]));

            // And back: the wall times are taken as UTC again.
            const auto down = retort::migrate::render<retort::dialect::postgres>(after, before);
            s.execute_script("SET TimeZone = 'Asia/Tokyo'");
            for (const auto& sql : down) s.execute_script(sql);
            s.execute_script("SET TimeZone = 'UTC'");
            CHECK(only_value<retort::timestamp>(s, "SELECT at FROM lt_migrated WHERE id = 1") ==
                  instant(2026, 7, 1, 23, 30, 123'456));
            s.execute_script("DROP TABLE lt_migrated");
        }
    });
}
