// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.

// The PostgreSQL driver against a real server (RETORT_TEST_POSTGRES_URL): every storage type
// through binary bind and get, type compatibility, the statement cache, error mapping, lost
// connections, and the log hook.

#include <retort/driver/postgres.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace postgres = retort::driver::postgres;
using retort::driver::discard_rows;
using retort::driver::no_parameters;
using namespace std::chrono;
using namespace std::string_literals;

std::string percent_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

// postgresql://user:password@host:port/dbname, enough for the test server's URL.
postgres::options server_options() {
    const char* url_env = std::getenv("RETORT_TEST_POSTGRES_URL");
    if (url_env == nullptr || *url_env == '\0')
        FAIL("RETORT_TEST_POSTGRES_URL is not set: the PostgreSQL tests need a server");
    std::string_view url = url_env;
    for (const std::string_view scheme : {"postgresql://", "postgres://"})
        if (url.starts_with(scheme)) url.remove_prefix(scheme.size());
    postgres::options opts;
    if (const auto query = url.find('?'); query != std::string_view::npos)
        url = url.substr(0, query);
    if (const auto at = url.rfind('@'); at != std::string_view::npos) {
        const auto credentials = url.substr(0, at);
        const auto colon = credentials.find(':');
        opts.user = percent_decode(credentials.substr(0, colon));
        if (colon != std::string_view::npos)
            opts.password = percent_decode(credentials.substr(colon + 1));
        url.remove_prefix(at + 1);
    }
    const auto slash = url.find('/');
    auto host_port = url.substr(0, slash);
    if (slash != std::string_view::npos) opts.dbname = percent_decode(url.substr(slash + 1));
    int port = 5432;
    if (const auto colon = host_port.rfind(':'); colon != std::string_view::npos) {
        port = std::stoi(std::string(host_port.substr(colon + 1)));
        host_port = host_port.substr(0, colon);
    }
    opts.hosts = {{host_port.empty() ? "localhost" : std::string(host_port), port}};
    return opts;
}

// A table name no other test run uses, so that runs can share a database.
std::string unique_name(std::string_view stem) {
    static std::atomic<int> counter{0};
    return std::string(stem) + "_" +
           std::to_string(system_clock::now().time_since_epoch().count() % 1'000'000'000) + "_" +
           std::to_string(counter++);
}

template <class T>
T query_one(postgres::connection& db, std::string_view sql) {
    std::optional<T> value;
    db.execute(sql, no_parameters{}, [&](postgres::row& r) { value = r.get<T>(0); });
    REQUIRE(value.has_value());
    return *value;
}

retort::timestamp make_timestamp(year_month_day day, hours h, minutes m, seconds s,
                                 microseconds us) {
    return retort::timestamp{sys_days{day}} + h + m + s + us;
}

retort::blob bytes(std::initializer_list<unsigned char> values) {
    retort::blob data;
    for (const auto v : values) data.push_back(static_cast<std::byte>(v));
    return data;
}

struct sample {
    bool boolean;
    std::int16_t i16;
    std::int32_t i32;
    std::int64_t i64;
    float f32;
    double f64;
    std::string text;
    retort::blob data;
    retort::timestamp time;
    retort::date day;
    retort::json document;  // in jsonb's own output form, so that it comes back identical
    std::vector<std::string> texts;
    std::vector<std::int64_t> ints;
};

std::vector<sample> samples() {
    return {
        {false,
         std::numeric_limits<std::int16_t>::min(),
         std::numeric_limits<std::int32_t>::min(),
         std::numeric_limits<std::int64_t>::min(),
         -1.5e38f,
         -1.7976931348623157e308,
         "",
         bytes({0x00, 0xFF, 0x00, 'a', 0x00}),
         make_timestamp(1969y / July / 20, 20h, 17min, 40s, 123456us),
         sys_days{1901y / December / 13},
         retort::json{R"({"a": 1, "b": [true, null, "x\"y"]})"},
         {"", "quote\"", "back\\slash", "comma,", "{brace}", "'); DROP TABLE x;--",
          "unicode \u2713 \u65e5\u672c", "new\nline\ttab", "ctrl\x01\x1f", "NULL", " spaced "},
         {std::numeric_limits<std::int64_t>::min(), 0, std::numeric_limits<std::int64_t>::max()}},
        {true,
         std::numeric_limits<std::int16_t>::max(),
         std::numeric_limits<std::int32_t>::max(),
         std::numeric_limits<std::int64_t>::max(),
         3.25f,
         3.141592653589793,
         "'); DROP TABLE x;--",
         {},
         make_timestamp(2100y / February / 28, 23h, 59min, 59s, 999999us),
         sys_days{2999y / December / 31},
         retort::json{"[]"},
         {},
         {}},
        {true,
         0,
         -1,
         1,
         0.0f,
         5e-324,
         "h\u00e9llo w\u00f6rld \u2713 \U0001D11E 'single' \"double\" \\back",
         bytes({'x'}),
         make_timestamp(1970y / January / 1, 0h, 0min, 0s, 1us),
         sys_days{1970y / January / 1},
         retort::json{"\"just a string\""},
         {"a,b", "{c}"},
         {-1}},
        {false,
         -1,
         42,
         9007199254740993,
         -0.0f,
         1e300,
         "tab\there",
         bytes({0x00}),
         make_timestamp(1066y / October / 14, 9h, 0min, 0s, 42us),
         sys_days{1492y / October / 12},
         retort::json{"{}"},
         {"x"},
         {7}},
    };
}

void bind_sample(postgres::binder& b, std::int64_t id, const sample& s) {
    b.bind(id);
    b.bind(s.boolean);
    b.bind(s.i16);
    b.bind(s.i32);
    b.bind(s.i64);
    b.bind(s.f32);
    b.bind(s.f64);
    b.bind(s.text);
    b.bind(s.data);
    b.bind(s.time);
    b.bind(s.day);
    b.bind(s.document);
    b.bind(s.texts);
    b.bind(s.ints);
}

static_assert(retort::driver::database_connection<postgres::connection>);

constexpr std::string_view create_everything =
    "CREATE TEMP TABLE everything (id bigint PRIMARY KEY, b boolean, i16 smallint, i32 integer, "
    "i64 bigint, f32 real, f64 double precision, txt text, bl bytea, ts timestamptz, d date, "
    "js jsonb, txts text[], ints bigint[])";
constexpr std::string_view insert_everything =
    "INSERT INTO everything (id, b, i16, i32, i64, f32, f64, txt, bl, ts, d, js, txts, ints) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
constexpr std::string_view select_everything =
    "SELECT b, i16, i32, i64, f32, f64, txt, bl, ts, d, js, txts, ints FROM everything "
    "WHERE id = $1";

}  // namespace

TEST_CASE("postgres driver: every storage type round-trips in binary", "[postgres-only][driver]") {
    postgres::connection db{server_options()};
    db.execute_script(create_everything);
    const auto values = samples();
    for (std::size_t i = 0; i < values.size(); ++i) {
        CHECK(db.execute(
                  insert_everything,
                  [&](postgres::binder& b) {
                      bind_sample(b, static_cast<std::int64_t>(i), values[i]);
                  },
                  discard_rows{}) == 1);
    }
    CHECK(db.cached_statements() == 1);

    for (std::size_t i = 0; i < values.size(); ++i) {
        INFO("sample " << i);
        const sample& s = values[i];
        const auto rows = db.execute(
            select_everything, [&](postgres::binder& b) { b.bind(static_cast<std::int64_t>(i)); },
            [&](postgres::row& r) {
                REQUIRE(r.size() == 13);
                CHECK(r.get<bool>(0) == s.boolean);
                CHECK(r.get<std::int16_t>(1) == s.i16);
                CHECK(r.get<std::int32_t>(2) == s.i32);
                CHECK(r.get<std::int64_t>(3) == s.i64);
                CHECK(r.get<float>(4) == s.f32);
                CHECK(std::signbit(r.get<float>(4)) == std::signbit(s.f32));
                CHECK(r.get<double>(5) == s.f64);
                CHECK(r.get<std::string>(6) == s.text);
                CHECK(r.get<retort::blob>(7) == s.data);
                CHECK(r.get<retort::timestamp>(8) == s.time);
                CHECK(r.get<retort::date>(9) == s.day);
                CHECK(r.get<retort::json>(10) == s.document);
                CHECK(r.get<std::vector<std::string>>(11) == s.texts);
                CHECK(r.get<std::vector<std::int64_t>>(12) == s.ints);
                CHECK(r.column_name(6) == "txt");
            });
        CHECK(rows == 1);
    }

    // The server sees the values themselves, not some encoding of them.
    CHECK(query_one<std::string>(
              db, "SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') "
                  "FROM everything WHERE id = 0") == "1969-07-20 20:17:40.123456");
    CHECK(query_one<std::string>(db, "SELECT d::text FROM everything WHERE id = 0") ==
          "1901-12-13");
    CHECK(query_one<std::string>(db, "SELECT txts[6] FROM everything WHERE id = 0") ==
          "'); DROP TABLE x;--");
    CHECK(query_one<std::int64_t>(db, "SELECT cardinality(txts) FROM everything WHERE id = 1") ==
          0);
    CHECK(query_one<std::int64_t>(db, "SELECT length(bl) FROM everything WHERE id = 0") == 5);
    CHECK(query_one<std::string>(db, "SELECT js->>'a' FROM everything WHERE id = 0") == "1");
    CHECK(query_one<std::int64_t>(
              db, "SELECT count(*) FROM everything WHERE txt = '''); DROP TABLE x;--'") == 1);
}

TEST_CASE("postgres driver: typed NULLs bind and read back as NULL", "[postgres-only][driver]") {
    postgres::connection db{server_options()};
    db.execute_script(create_everything);
    using lt = retort::logical_type;
    db.execute(
        insert_everything,
        [](postgres::binder& b) {
            b.bind(std::int64_t{1});
            for (const auto type :
                 {lt::boolean, lt::int16, lt::int32, lt::int64, lt::float32, lt::float64, lt::text,
                  lt::blob, lt::timestamp, lt::date, lt::json, lt::text_array, lt::int_array})
                b.bind_null(type);
        },
        discard_rows{});
    int rows = 0;
    db.execute(
        select_everything, [](postgres::binder& b) { b.bind(std::int64_t{1}); },
        [&](postgres::row& r) {
            ++rows;
            for (int c = 0; c < r.size(); ++c) CHECK(r.is_null(c));
            CHECK_THROWS_WITH(r.get<std::int64_t>(3),
                              Catch::Contains("\"i64\"") && Catch::Contains("NULL"));
        });
    CHECK(rows == 1);
    // NULL or not, the statement text is the same, and the signature too: one statement.
    CHECK(db.cached_statements() == 2);
}

TEST_CASE("postgres driver: compatible column types read into each storage type",
          "[postgres-only][driver]") {
    postgres::connection db{server_options()};
    db.execute(
        "SELECT 7::smallint AS s, 70000::integer AS i, 1.5::real AS r, 'v'::varchar(3) AS v, "
        "'ab'::char(4) AS c, 'pg_class'::name AS n, '{\"k\": [1, 2]}'::json AS j, "
        "'2001-02-03 04:05:06.789'::timestamp AS t, '{1,-2}'::int4[] AS a4, '{3}'::int2[] AS a2, "
        "'{x,\"y z\"}'::varchar[] AS av, 'plain'::text AS p",
        no_parameters{}, [](postgres::row& r) {
            CHECK(r.get<std::int64_t>(0) == 7);
            CHECK(r.get<std::int16_t>(0) == 7);
            CHECK(r.get<std::int64_t>(1) == 70000);
            CHECK_THROWS_WITH(r.get<std::int16_t>(1),
                              Catch::Contains("\"i\"") && Catch::Contains("70000 is out of range"));
            CHECK(r.get<double>(2) == 1.5);
            CHECK(r.get<double>(1) == 70000.0);
            CHECK(r.get<std::string>(3) == "v");
            CHECK(r.get<std::string>(4) == "ab  ");
            CHECK(r.get<std::string>(5) == "pg_class");
            CHECK(r.get<retort::json>(6).text == R"({"k": [1, 2]})");
            const auto wall_time = make_timestamp(2001y / February / 3, 4h, 5min, 6s, 789000us);
            CHECK(r.get<retort::local_timestamp>(7) ==
                  retort::local_timestamp{wall_time.time_since_epoch()});
            CHECK(r.get<std::vector<std::int64_t>>(8) == std::vector<std::int64_t>{1, -2});
            CHECK(r.get<std::vector<std::int64_t>>(9) == std::vector<std::int64_t>{3});
            CHECK(r.get<std::vector<std::string>>(10) == std::vector<std::string>{"x", "y z"});
            CHECK(r.column_type(11) == 25);

            // Incompatible reads name the column and its type.
            CHECK_THROWS_AS(r.get<std::int64_t>(11), retort::programming_error);
            CHECK_THROWS_WITH(r.get<std::int64_t>(11), Catch::Contains("\"p\"") &&
                                                           Catch::Contains("int64") &&
                                                           Catch::Contains("OID 25"));
            CHECK_THROWS_WITH(r.get<std::string>(6),
                              Catch::Contains("\"j\"") && Catch::Contains("OID 114"));
            CHECK_THROWS_AS(r.get<bool>(0), retort::programming_error);
            CHECK_THROWS_AS(r.get<retort::date>(7), retort::programming_error);
            CHECK_THROWS_AS(r.get<std::vector<std::string>>(8), retort::programming_error);
            CHECK_THROWS_WITH(r.get<std::string>(12), Catch::Contains("column 12 does not exist"));
        });
    db.execute("SELECT '(1,2)'::point AS pt", no_parameters{}, [](postgres::row& r) {
        CHECK_THROWS_WITH(r.get<std::string>(0),
                          Catch::Contains("\"pt\"") && Catch::Contains("unsupported (OID 600)"));
    });
    CHECK_THROWS_WITH(query_one<std::vector<std::string>>(db, "SELECT '{{a},{b}}'::text[]"),
                      Catch::Contains("one-dimensional"));
    CHECK_THROWS_WITH(query_one<std::vector<std::string>>(db, "SELECT '{a,NULL}'::text[]"),
                      Catch::Contains("NULL element"));
    CHECK(query_one<std::vector<std::string>>(db, "SELECT '[0:1]={a,b}'::text[]") ==
          std::vector<std::string>{"a", "b"});
    CHECK_THROWS_AS(query_one<float>(db, "SELECT 1e300::float8"), retort::programming_error);
    CHECK(std::isnan(query_one<double>(db, "SELECT 'NaN'::float8")));
    CHECK(query_one<double>(db, "SELECT '-Infinity'::float8") ==
          -std::numeric_limits<double>::infinity());
}

TEST_CASE("postgres driver: numeric reads as double and, when integral, as int64",
          "[postgres-only][driver]") {
    postgres::connection db{server_options()};
    CHECK(query_one<std::int64_t>(db, "SELECT 0::numeric") == 0);
    CHECK(query_one<std::int64_t>(db, "SELECT 10000::numeric") == 10000);
    CHECK(query_one<std::int64_t>(db, "SELECT 100.00::numeric") == 100);
    CHECK(query_one<std::int64_t>(db, "SELECT 123456789012::numeric") == 123456789012);
    CHECK(query_one<std::int64_t>(db, "SELECT -98765432109876::numeric") == -98765432109876);
    CHECK(query_one<std::int64_t>(db, "SELECT 9223372036854775807::numeric") ==
          std::numeric_limits<std::int64_t>::max());
    CHECK(query_one<std::int64_t>(db, "SELECT -9223372036854775808::numeric") ==
          std::numeric_limits<std::int64_t>::min());
    CHECK(query_one<std::int32_t>(db, "SELECT sum(x) FROM (VALUES (1), (2)) AS v (x)") == 3);
    CHECK_THROWS_WITH(query_one<std::int64_t>(db, "SELECT 9223372036854775808::numeric AS big"),
                      Catch::Contains("\"big\"") && Catch::Contains("64 bits"));
    CHECK_THROWS_WITH(query_one<std::int64_t>(db, "SELECT 1.5::numeric"),
                      Catch::Contains("fractional"));
    CHECK_THROWS_AS(query_one<std::int64_t>(db, "SELECT 'NaN'::numeric"),
                    retort::programming_error);
    CHECK_THROWS_AS(query_one<std::int16_t>(db, "SELECT 40000::numeric"),
                    retort::programming_error);

    CHECK(query_one<double>(db, "SELECT 0.000123::numeric") == 0.000123);
    CHECK(query_one<double>(db, "SELECT -1234.5678::numeric") == -1234.5678);
    CHECK(query_one<double>(db, "SELECT 12345678901234567890.125::numeric") ==
          12345678901234567890.125);
    CHECK(query_one<double>(db, "SELECT 1e-20::numeric") == 1e-20);
    CHECK(query_one<double>(db, "SELECT 0::numeric") == 0.0);
    CHECK(query_one<double>(db, "SELECT 0.1::numeric") == 0.1);
    CHECK(query_one<double>(db, "SELECT ('1e-400')::numeric") == 0.0);
    CHECK(query_one<float>(db, "SELECT 2.5::numeric") == 2.5f);
    CHECK(std::isnan(query_one<double>(db, "SELECT 'NaN'::numeric")));
    CHECK(query_one<double>(db, "SELECT 'Infinity'::numeric") ==
          std::numeric_limits<double>::infinity());
    CHECK_THROWS_AS(query_one<double>(db, "SELECT 1e400::numeric"), retort::programming_error);
}

TEST_CASE("postgres driver: infinite timestamps and dates map to the extremes",
          "[postgres-only][driver]") {
    postgres::connection db{server_options()};
    CHECK(query_one<retort::timestamp>(db, "SELECT 'infinity'::timestamptz") ==
          retort::timestamp::max());
    CHECK(query_one<retort::timestamp>(db, "SELECT '-infinity'::timestamptz") ==
          retort::timestamp::min());
    CHECK(query_one<retort::date>(db, "SELECT 'infinity'::date") == retort::date::max());
    std::string text;
    db.execute(
        "SELECT $1::text, $2::text",
        [](postgres::binder& b) {
            b.bind(retort::timestamp::max());
            b.bind(retort::date::min());
        },
        [&](postgres::row& r) { text = r.get<std::string>(0) + " " + r.get<std::string>(1); });
    CHECK(text == "infinity -infinity");
    CHECK(query_one<retort::timestamp>(db, "SELECT '2000-01-01 00:00:00+00'::timestamptz") ==
          retort::timestamp{sys_days{2000y / January / 1}});
}

TEST_CASE("postgres driver: the statement cache prepares once per SQL and signature",
          "[postgres-only][driver]") {
    postgres::connection db{server_options()};
    db.execute_script("CREATE TEMP TABLE t (id bigserial PRIMARY KEY, v text)");
    const auto server_count = [&] {
        return query_one<std::int64_t>(
            db, "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'retort\\_%'");
    };
    CHECK(db.cached_statements() == 0);
    constexpr std::string_view insert = "INSERT INTO t (v) VALUES ($1)";
    for (int i = 0; i < 50; ++i)
        db.execute(
            insert, [&](postgres::binder& b) { b.bind("row " + std::to_string(i)); },
            discard_rows{});
    CHECK(db.cached_statements() == 1);
    const std::string copy(insert);
    db.execute(
        std::string_view(copy), [](postgres::binder& b) { b.bind("x"); }, discard_rows{});
    CHECK(db.cached_statements() == 1);

    // Another parameter type is another prepared statement for the same text.
    db.execute(
        insert, [](postgres::binder& b) { b.bind(std::int64_t{5}); }, discard_rows{});
    CHECK(db.cached_statements() == 2);
    db.execute(
        insert, [](postgres::binder& b) { b.bind_null(retort::logical_type::text); },
        discard_rows{});
    CHECK(db.cached_statements() == 2);
    CHECK(query_one<std::int64_t>(db, "SELECT count(*) FROM t") == 53);
    CHECK(query_one<std::string>(db, "SELECT v FROM t WHERE id = 52") == "5");
    CHECK(db.cached_statements() == 4);
    CHECK(server_count() == 5);  // the four, and the count itself

    // A statement that fails to prepare is not kept, and the connection carries on.
    CHECK_THROWS_AS(db.execute("SELECT nope FROM t", no_parameters{}, discard_rows{}),
                    retort::programming_error);
    CHECK(db.cached_statements() == 5);

    db.clear_statement_cache();
    CHECK(db.cached_statements() == 0);
    CHECK(server_count() == 1);  // only the count just prepared
    CHECK(query_one<std::string>(db, "SELECT v FROM t WHERE id = 3") == "row 2");
}

TEST_CASE("postgres driver: execute returns rows affected or returned", "[postgres-only][driver]") {
    postgres::connection db{server_options()};
    db.execute_script("CREATE TEMP TABLE t (id bigserial PRIMARY KEY, v bigint)");
    for (std::int64_t i = 1; i <= 5; ++i)
        db.execute(
            "INSERT INTO t (v) VALUES ($1)", [&](postgres::binder& b) { b.bind(i); },
            discard_rows{});
    CHECK(db.execute(
              "UPDATE t SET v = v + 1 WHERE v > $1",
              [](postgres::binder& b) { b.bind(std::int64_t{2}); }, discard_rows{}) == 3);
    CHECK(db.execute("UPDATE t SET v = 0 WHERE v > 100", no_parameters{}, discard_rows{}) == 0);
    CHECK(db.execute("CREATE TEMP TABLE u (x int)", no_parameters{}, discard_rows{}) == 0);
    std::vector<std::int64_t> returned;
    CHECK(db.execute("INSERT INTO t (v) VALUES (10), (20) RETURNING id", no_parameters{},
                     [&](postgres::row& r) { returned.push_back(r.get<std::int64_t>(0)); }) == 2);
    CHECK(returned == std::vector<std::int64_t>{6, 7});
    CHECK(db.execute("SELECT v FROM t", no_parameters{}, discard_rows{}) == 7);
    CHECK(db.execute("DELETE FROM t", no_parameters{}, discard_rows{}) == 7);

    // on_row may use the connection: the result is complete before the first callback.
    db.execute_script("INSERT INTO t (v) VALUES (1), (2), (3)");
    std::vector<std::int64_t> doubled;
    db.execute("SELECT v FROM t ORDER BY v", no_parameters{}, [&](postgres::row& r) {
        db.execute(
            "SELECT $1 * 2", [&](postgres::binder& b) { b.bind(r.get<std::int64_t>(0)); },
            [&](postgres::row& inner) { doubled.push_back(inner.get<std::int64_t>(0)); });
    });
    CHECK(doubled == std::vector<std::int64_t>{2, 4, 6});
}

TEST_CASE("postgres driver: constraint violations throw their own class with details",
          "[postgres-only][driver]") {
    postgres::connection db{server_options()};
    db.execute_script(
        "CREATE TEMP TABLE users (id bigint PRIMARY KEY, email text NOT NULL, age int,"
        "  CONSTRAINT uq_users_email UNIQUE (email), CONSTRAINT ck_users_age CHECK (age >= 0));"
        "CREATE TEMP TABLE posts (id bigserial PRIMARY KEY,"
        "  user_id bigint NOT NULL CONSTRAINT fk_posts_user REFERENCES users (id));"
        "CREATE TEMP TABLE spans (lo int, hi int, CONSTRAINT ex_spans EXCLUDE USING btree (lo WITH "
        "=));"
        "INSERT INTO users VALUES (1, 'a@example.com', 30);"
        "INSERT INTO spans VALUES (1, 2)");
    const std::string insert_user = "INSERT INTO users (id, email, age) VALUES ($1, $2, $3)";
    const auto add_user = [&](std::int64_t id, std::optional<std::string> email, std::int32_t age) {
        db.execute(
            insert_user,
            [&](postgres::binder& b) {
                b.bind(id);
                if (email)
                    b.bind(*email);
                else
                    b.bind_null(retort::logical_type::text);
                b.bind(age);
            },
            discard_rows{});
    };
    try {
        add_user(2, "a@example.com", 20);
        FAIL("no exception");
    } catch (const retort::unique_violation& e) {
        CHECK(e.sqlstate() == "23505");
        CHECK(e.constraint() == "uq_users_email");
        CHECK(e.details().table == "users");
        CHECK(e.details().column == "email");
        CHECK(e.details().sql == insert_user);
        CHECK(std::string(e.what()) == "retort: duplicate key value violates unique constraint "
                                       "\"uq_users_email\" (SQLSTATE 23505) in: " +
                                           insert_user);
    }
    try {
        add_user(3, std::nullopt, 20);
        FAIL("no exception");
    } catch (const retort::not_null_violation& e) {
        CHECK(e.sqlstate() == "23502");
        CHECK(e.details().table == "users");
        CHECK(e.details().column == "email");
    }
    try {
        add_user(4, "c@example.com", -1);
        FAIL("no exception");
    } catch (const retort::check_violation& e) {
        CHECK(e.sqlstate() == "23514");
        CHECK(e.constraint() == "ck_users_age");
        CHECK(e.details().table == "users");
    }
    try {
        db.execute(
            "INSERT INTO posts (user_id) VALUES ($1)",
            [](postgres::binder& b) { b.bind(std::int64_t{99}); }, discard_rows{});
        FAIL("no exception");
    } catch (const retort::foreign_key_violation& e) {
        CHECK(e.sqlstate() == "23503");
        CHECK(e.constraint() == "fk_posts_user");
        CHECK(e.details().table == "posts");
        CHECK(e.details().column == "user_id");
    }
    try {
        db.execute_script("INSERT INTO spans VALUES (1, 3)");
        FAIL("no exception");
    } catch (const retort::integrity_error& e) {
        CHECK(e.sqlstate() == "23P01");  // exclusion_violation: no subclass of its own
        CHECK(e.constraint() == "ex_spans");
    }
    add_user(5, "d@example.com", 1);
    CHECK(query_one<std::int64_t>(db, "SELECT count(*) FROM users") == 2);
}

TEST_CASE("postgres driver: SQL errors are programming errors and leave the connection usable",
          "[postgres-only][driver]") {
    postgres::connection db{server_options()};
    const std::string bad = "SELEC 1";
    try {
        db.execute(bad, no_parameters{}, discard_rows{});
        FAIL("no exception");
    } catch (const retort::programming_error& e) {
        CHECK(e.sqlstate() == "42601");
        CHECK_THAT(e.what(), Catch::Contains("syntax error") && Catch::Contains("in: " + bad));
        CHECK(e.details().sql == bad);
    }
    CHECK(db.cached_statements() == 0);
    CHECK_THROWS_WITH(
        db.execute("SELECT * FROM no_such_table_anywhere", no_parameters{}, discard_rows{}),
        Catch::Contains("42P01"));
    CHECK_THROWS_AS(db.execute(
                        "SELECT 10 / $1", [](postgres::binder& b) { b.bind(0); }, discard_rows{}),
                    retort::programming_error);  // 22012 division_by_zero
    CHECK_THROWS_AS(
        db.execute(
            "SELECT $1::int", [](postgres::binder& b) { b.bind("nul\0"s); }, discard_rows{}),
        retort::programming_error);
    // Prepared before it failed at run time, the statement stays cached and runs again.
    std::int32_t quotient = 0;
    db.execute(
        "SELECT 10 / $1", [](postgres::binder& b) { b.bind(2); },
        [&](postgres::row& r) { quotient = r.get<std::int32_t>(0); });
    CHECK(quotient == 5);

    // Inside a transaction: the error aborts it, ROLLBACK recovers.
    db.execute_script("BEGIN");
    CHECK_THROWS_AS(db.execute("SELECT 1 / 0", no_parameters{}, discard_rows{}),
                    retort::programming_error);
    CHECK_THROWS_WITH(db.execute("SELECT 1", no_parameters{}, discard_rows{}),
                      Catch::Contains("25P02"));
    db.execute_script("ROLLBACK");
    CHECK(query_one<std::int32_t>(db, "SELECT 1") == 1);

    // COPY is refused without leaving the connection in COPY mode.
    db.execute_script("CREATE TEMP TABLE c (x int)");
    CHECK_THROWS_WITH(db.execute_script("COPY c FROM STDIN"), Catch::Contains("COPY"));
    CHECK_THROWS_WITH(db.execute("COPY c TO STDOUT", no_parameters{}, discard_rows{}),
                      Catch::Contains("COPY"));
    CHECK(query_one<std::int32_t>(db, "SELECT 2") == 2);
    CHECK(db.is_open());
}

TEST_CASE("postgres driver: timeouts and lock waits map to their classes",
          "[postgres-only][driver]") {
    postgres::connection db{server_options()};
    db.execute_script("SET statement_timeout = '50ms'");
    try {
        db.execute("SELECT pg_sleep(5)", no_parameters{}, discard_rows{});
        FAIL("no exception");
    } catch (const retort::timeout_error& e) {
        CHECK(e.sqlstate() == "57014");
    }
    db.execute_script("SET statement_timeout = 0");

    const std::string table = unique_name("retort_driver_lock");
    db.execute_script("CREATE TABLE " + table + " (x int)");
    postgres::connection other{server_options()};
    db.execute_script("BEGIN; LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
    other.execute_script("SET lock_timeout = '50ms'");
    try {
        other.execute("SELECT count(*) FROM " + table, no_parameters{}, discard_rows{});
        FAIL("no exception");
    } catch (const retort::busy_error& e) {
        CHECK(e.sqlstate() == "55P03");
    }
    db.execute_script("ROLLBACK; DROP TABLE " + table);
}

TEST_CASE("postgres driver: connection failures are connection errors without the password",
          "[postgres-only][driver]") {
    auto opts = server_options();
    const std::string wrong = "Wrong-Pa55word-" + unique_name("x");
    opts.password = wrong;
    try {
        postgres::connection db{opts};
        FAIL("no exception");
    } catch (const retort::connection_error& e) {
        const std::string message = e.what();
        CHECK(message.find(wrong) == std::string::npos);
        CHECK_THAT(message,
                   Catch::Contains(opts.hosts[0].host + ":" + std::to_string(opts.hosts[0].port) +
                                   "/" + opts.dbname));
        CHECK_THAT(message, Catch::Contains("\"" + opts.user + "\""));
        CHECK_THAT(message, Catch::Contains("password authentication failed"));
    }

    auto closed = server_options();
    closed.hosts = {{"127.0.0.1", 1}};  // nothing listens there: refused at once
    const auto start = steady_clock::now();
    CHECK_THROWS_AS(postgres::connection{closed}, retort::connection_error);
    CHECK(steady_clock::now() - start < 3s);

    auto unknown = server_options();
    unknown.extra.emplace_back("no_such_option", "1");
    CHECK_THROWS_WITH(postgres::connection{unknown}, Catch::Contains("no_such_option"));
    CHECK_THROWS_AS(postgres::connection{unknown}, retort::configuration_error);
    auto bad_port = server_options();
    bad_port.hosts[0].port = 70000;
    CHECK_THROWS_AS(postgres::connection{bad_port}, retort::configuration_error);
}

TEST_CASE("postgres driver: timestamps are UTC whatever the server's default time zone",
          "[postgres-only][driver]") {
    auto opts = server_options();
    opts.extra.emplace_back("options", "-c TimeZone=Asia/Tokyo");
    postgres::connection db{opts};
    CHECK(query_one<std::string>(db, "SELECT current_setting('TimeZone')") == "UTC");
    db.execute_script("CREATE TEMP TABLE local_times (naive timestamp, aware timestamptz)");
    const auto time = make_timestamp(2024y / June / 30, 23h, 30min, 0s, 250us);
    db.execute(
        "INSERT INTO local_times VALUES ($1, $1)", [&](postgres::binder& b) { b.bind(time); },
        discard_rows{});
    db.execute("SELECT naive, aware, naive::text, naive = aware FROM local_times", no_parameters{},
               [&](postgres::row& r) {
                   // The instant went into the timestamp column as its UTC wall time.
                   CHECK(r.get<retort::local_timestamp>(0) ==
                         retort::local_timestamp{time.time_since_epoch()});
                   CHECK_THROWS_WITH(r.get<retort::timestamp>(0),
                                     Catch::Contains("retort::local_timestamp"));
                   CHECK(r.get<retort::timestamp>(1) == time);
                   CHECK(r.get<std::string>(2) == "2024-06-30 23:30:00.00025");
                   CHECK(r.get<bool>(3));
               });
}

TEST_CASE("postgres driver: options reach the server", "[postgres-only][driver]") {
    auto opts = server_options();
    opts.application_name = "retort-driver-test";
    opts.extra.emplace_back("options", "-c search_path=pg_catalog");
    postgres::connection db{opts};
    CHECK(query_one<std::string>(db, "SELECT current_setting('application_name')") ==
          "retort-driver-test");
    CHECK(query_one<std::string>(db, "SELECT current_setting('client_encoding')") == "UTF8");
    CHECK(query_one<std::string>(db, "SELECT current_setting('search_path')") == "pg_catalog");
    const auto version = db.server_version();
    CHECK(version ==
          query_one<std::string>(
              db, "SELECT regexp_replace(current_setting('server_version'), ' .*', '')"));
    CHECK(db.native_handle() != nullptr);

    postgres::connection moved = std::move(db);
    CHECK(moved.is_open());
    CHECK_FALSE(db.is_open());  // NOLINT(bugprone-use-after-move): moved-from state is specified
    CHECK_THROWS_AS(db.execute_script("SELECT 1"), retort::programming_error);
    CHECK(query_one<std::int32_t>(moved, "SELECT 42") == 42);
}

TEST_CASE("postgres driver: a terminated backend makes the next execute a connection_error",
          "[postgres-only][driver]") {
    postgres::connection victim{server_options()};
    postgres::connection killer{server_options()};
    const auto pid = query_one<std::int32_t>(victim, "SELECT pg_backend_pid()");
    CHECK(victim.cached_statements() == 1);
    bool terminated = false;
    killer.execute(
        "SELECT pg_terminate_backend($1, 5000)", [&](postgres::binder& b) { b.bind(pid); },
        [&](postgres::row& r) { terminated = r.get<bool>(0); });
    REQUIRE(terminated);
    try {
        victim.execute("SELECT pg_backend_pid()", no_parameters{}, discard_rows{});
        FAIL("no exception");
    } catch (const retort::connection_error& e) {
        CHECK_THAT(e.what(), Catch::Contains("connection") && Catch::Contains("lost"));
    }
    CHECK_FALSE(victim.is_open());
    CHECK(victim.cached_statements() == 0);
    CHECK_THROWS_AS(victim.execute_script("SELECT 1"), retort::connection_error);
}

TEST_CASE("postgres driver: a cached statement survives its table changing shape",
          "[postgres-only][driver]") {
    postgres::connection db{server_options()};
    db.execute_script("CREATE TEMP TABLE shape (a int); INSERT INTO shape VALUES (1)");
    constexpr std::string_view select = "SELECT * FROM shape";
    int columns = 0;
    db.execute(select, no_parameters{}, [&](postgres::row& r) { columns = r.size(); });
    CHECK(columns == 1);
    db.execute_script("ALTER TABLE shape ADD COLUMN b text DEFAULT 'x'");
    db.execute(select, no_parameters{}, [&](postgres::row& r) {
        columns = r.size();
        CHECK(r.get<std::string>(1) == "x");
    });
    CHECK(columns == 2);
    CHECK(db.cached_statements() == 1);

    // DEALLOCATE ALL behind the driver's back: the next run prepares again.
    db.execute_script("DEALLOCATE ALL");
    CHECK(query_one<std::int32_t>(db, "SELECT count(*)::int FROM shape") == 1);
    db.execute(select, no_parameters{}, [&](postgres::row& r) { columns = r.size(); });
    CHECK(columns == 2);
}

TEST_CASE("postgres driver: the log hook sees every statement", "[postgres-only][driver]") {
    struct hook_log {
        std::vector<std::string> sql;
        nanoseconds total{0};
    } seen;
    postgres::connection db{server_options()};
    db.set_log_hook(
        [](void* context, std::string_view sql, nanoseconds elapsed) {
            auto& l = *static_cast<hook_log*>(context);
            l.sql.emplace_back(sql);
            l.total += elapsed;
        },
        &seen);
    db.execute_script("CREATE TEMP TABLE t (x int)");
    db.execute(
        "INSERT INTO t VALUES ($1)", [](postgres::binder& b) { b.bind(1); }, discard_rows{});
    CHECK_THROWS(db.execute("SELECT nope FROM t", no_parameters{}, discard_rows{}));
    CHECK(seen.sql == std::vector<std::string>{"CREATE TEMP TABLE t (x int)",
                                               "INSERT INTO t VALUES ($1)", "SELECT nope FROM t"});
    CHECK(seen.total > nanoseconds{0});
    db.set_log_hook(nullptr, nullptr);
    db.execute_script("DROP TABLE t");
    CHECK(seen.sql.size() == 3);
}
