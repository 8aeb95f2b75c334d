// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.

// The SQLite driver against real database files: every storage type through bind and get,
// the statement cache, error mapping, options, and the log hook.

#include <retort/driver/sqlite.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace sqlite = retort::driver::sqlite;
using retort::driver::discard_rows;
using retort::driver::no_parameters;
using namespace std::chrono;
using namespace std::string_literals;

// A database file of its own per test, removed (with its WAL files) afterwards.
class temp_database {
public:
    temp_database() {
        static std::atomic<int> counter{0};
        const auto stamp = steady_clock::now().time_since_epoch().count();
        path_ = std::filesystem::temp_directory_path() /
                ("retort_driver_sqlite_" + std::to_string(stamp) + "_" + std::to_string(counter++) +
                 ".db");
    }
    temp_database(const temp_database&) = delete;
    temp_database& operator=(const temp_database&) = delete;
    ~temp_database() {
        std::error_code ignored;
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
            std::filesystem::remove(path_.string() + suffix, ignored);
    }

    sqlite::options options() const {
        sqlite::options opts;
        opts.path = path_.string();
        return opts;
    }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

template <class T>
T query_one(sqlite::connection& db, std::string_view sql) {
    std::optional<T> value;
    db.execute(sql, no_parameters{}, [&](sqlite::row& r) { value = r.get<T>(0); });
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

// One value of every storage type.
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
    retort::json document;
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
          "unicode \u2713 \u65e5\u672c", "new\nline\ttab", "ctrl\x01\x1f", "[\"nested\"]"},
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
         {"NULL"},
         {-1}},
        {false,
         -1,
         42,
         9007199254740993,
         -0.0f,
         1e300,
         std::string("nul\0inside", 10),
         bytes({0x00}),
         make_timestamp(2038y / January / 19, 3h, 14min, 8s, 1us),
         sys_days{2000y / February / 29},
         retort::json{"{}"},
         {"a", "b"},
         {7}},
    };
}

static_assert(retort::driver::database_connection<sqlite::connection>);

constexpr std::string_view create_everything =
    "CREATE TABLE everything (id INTEGER PRIMARY KEY, b INTEGER, i16 INTEGER, i32 INTEGER, "
    "i64 INTEGER, f32 REAL, f64 REAL, txt TEXT, bl BLOB, ts TEXT, d TEXT, js TEXT, txts TEXT, "
    "ints TEXT)";
constexpr std::string_view insert_everything =
    "INSERT INTO everything (id, b, i16, i32, i64, f32, f64, txt, bl, ts, d, js, txts, ints) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view select_everything =
    "SELECT b, i16, i32, i64, f32, f64, txt, bl, ts, d, js, txts, ints FROM everything "
    "WHERE id = ?";

}  // namespace

TEST_CASE("sqlite driver: every storage type round-trips through a file", "[sqlite-only][driver]") {
    temp_database file;
    sqlite::connection db{file.options()};
    db.execute_script(create_everything);

    const auto values = samples();
    for (std::size_t i = 0; i < values.size(); ++i) {
        const sample& s = values[i];
        const auto inserted = db.execute(
            insert_everything,
            [&](sqlite::binder& b) {
                b.bind(static_cast<std::int64_t>(i));
                b.bind(s.boolean);
                b.bind(s.i16);
                b.bind(s.i32);
                b.bind(s.i64);
                b.bind(s.f32);
                b.bind(s.f64);
                b.bind(std::string_view(s.text));
                b.bind(s.data);
                b.bind(s.time);
                b.bind(s.day);
                b.bind(s.document);
                b.bind(s.texts);
                b.bind(s.ints);
            },
            discard_rows{});
        CHECK(inserted == 1);
    }

    // Reopen, so that the values come from the file and not from a cache.
    db = sqlite::connection{file.options()};
    for (std::size_t i = 0; i < values.size(); ++i) {
        INFO("sample " << i);
        const sample& s = values[i];
        const auto rows = db.execute(
            select_everything, [&](sqlite::binder& b) { b.bind(static_cast<std::int64_t>(i)); },
            [&](sqlite::row& r) {
                REQUIRE(r.size() == 13);
                CHECK(r.get<bool>(0) == s.boolean);
                CHECK(r.get<std::int16_t>(1) == s.i16);
                CHECK(r.get<std::int32_t>(2) == s.i32);
                CHECK(r.get<std::int64_t>(3) == s.i64);
                CHECK(r.get<float>(4) == s.f32);
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

    // Injection text is data: the table is still there and holds what was bound.
    CHECK(query_one<std::int64_t>(
              db, "SELECT count(*) FROM everything WHERE txt = '''); DROP TABLE x;--'") == 1);
}

TEST_CASE("sqlite driver: typed NULLs bind and read back as NULL", "[sqlite-only][driver]") {
    sqlite::connection db{sqlite::options{.path = ":memory:"}};
    db.execute_script(create_everything);
    using lt = retort::logical_type;
    db.execute(
        insert_everything,
        [](sqlite::binder& b) {
            b.bind(std::int64_t{1});
            for (const auto type :
                 {lt::boolean, lt::int16, lt::int32, lt::int64, lt::float32, lt::float64, lt::text,
                  lt::blob, lt::timestamp, lt::date, lt::json, lt::text_array, lt::int_array})
                b.bind_null(type);
        },
        discard_rows{});
    int rows = 0;
    db.execute(
        select_everything, [](sqlite::binder& b) { b.bind(std::int64_t{1}); },
        [&](sqlite::row& r) {
            ++rows;
            for (int c = 0; c < r.size(); ++c) CHECK(r.is_null(c));
            CHECK_THROWS_WITH(r.get<std::int64_t>(3),
                              Catch::Contains("\"i64\"") && Catch::Contains("NULL"));
            CHECK_THROWS_AS(r.get<std::string>(6), retort::programming_error);
        });
    CHECK(rows == 1);
}

TEST_CASE("sqlite driver: text written by SQLite itself reads as timestamps, dates and arrays",
          "[sqlite-only][driver]") {
    sqlite::connection db{sqlite::options{.path = ":memory:"}};
    const auto at = [&](std::string_view literal) {
        return query_one<retort::timestamp>(db, "SELECT '" + std::string(literal) + "'");
    };
    const auto expected = make_timestamp(2024y / March / 5, 6h, 7min, 8s, 0us);
    CHECK(at("2024-03-05 06:07:08") == expected);
    CHECK(at("2024-03-05T06:07:08Z") == expected);
    CHECK(at("2024-03-05T06:07:08+00:00") == expected);
    CHECK(at("2024-03-05 08:07:08+02:00") == expected);
    CHECK(at("2024-03-05 06:07:08.5") == expected + 500ms);
    CHECK(at("2024-03-05 06:07:08.123") == expected + 123ms);
    CHECK(at("2024-03-05 06:07:08.1234567") == expected + 123456us);
    CHECK(at("2024-03-05 06:07") == expected - 8s);

    const auto now = floor<seconds>(system_clock::now());
    const auto current = query_one<retort::timestamp>(db, "SELECT CURRENT_TIMESTAMP");
    CHECK(current >= now - 5s);
    CHECK(current <= now + 5s);
    CHECK(query_one<retort::date>(db, "SELECT date('1950-06-15')") == sys_days{1950y / June / 15});

    CHECK(query_one<std::vector<std::string>>(db, R"(SELECT json_array('a', 'b"c', '', 'é'))") ==
          std::vector<std::string>{"a", "b\"c", "", "\u00e9"});
    CHECK(
        query_one<std::vector<std::string>>(db, R"(SELECT '[ "\u00e9\ud834\udd1e\n" , "\/" ]')") ==
        std::vector<std::string>{"\u00e9\U0001D11E\n", "/"});
    CHECK(
        query_one<std::vector<std::int64_t>>(db, "SELECT json_array(1, -2, 9223372036854775807)") ==
        std::vector<std::int64_t>{1, -2, 9223372036854775807});
    CHECK(query_one<std::vector<std::int64_t>>(db, "SELECT ' [ ] '").empty());

    // And SQLite's JSON functions read what the binder writes.
    const std::vector<std::string> tricky{"a,b", "c\"d", "e\\f", "", "g\x01h", "\u2713"};
    std::vector<std::string> seen;
    db.execute(
        "SELECT value FROM json_each(?) ORDER BY key", [&](sqlite::binder& b) { b.bind(tricky); },
        [&](sqlite::row& r) { seen.push_back(r.get<std::string>(0)); });
    CHECK(seen == tricky);

    for (const char* bad :
         {"2024-13-01 00:00:00", "2024-02-30 00:00:00", "2024-03-05 24:00:00", "2024-03-05",
          "yesterday", "2024-03-05 06:07:08.", "2024-03-05 06:07:08 Z"})
        CHECK_THROWS_AS(at(bad), retort::programming_error);
    CHECK_THROWS_AS(query_one<std::vector<std::int64_t>>(db, "SELECT '[1.5]'"),
                    retort::programming_error);
    CHECK_THROWS_AS(query_one<std::vector<std::int64_t>>(db, "SELECT '[99999999999999999999]'"),
                    retort::programming_error);
    CHECK_THROWS_AS(query_one<std::vector<std::string>>(db, "SELECT '[\"a\", null]'"),
                    retort::programming_error);
    CHECK_THROWS_AS(query_one<std::vector<std::string>>(db, "SELECT '[\"\\ud800\"]'"),
                    retort::programming_error);
}

TEST_CASE("sqlite driver: reading into an incompatible type names the column",
          "[sqlite-only][driver]") {
    sqlite::connection db{sqlite::options{.path = ":memory:"}};
    db.execute_script("CREATE TABLE t (name TEXT, n INTEGER, r REAL, b BLOB);"
                      "INSERT INTO t VALUES ('alice', 70000, 2.5, x'00')");
    db.execute("SELECT name, n, r, b FROM t", no_parameters{}, [](sqlite::row& r) {
        CHECK_THROWS_AS(r.get<std::int64_t>(0), retort::programming_error);
        CHECK_THROWS_WITH(r.get<std::int64_t>(0), Catch::Contains("\"name\"") &&
                                                      Catch::Contains("int64") &&
                                                      Catch::Contains("TEXT"));
        CHECK_THROWS_WITH(r.get<std::int16_t>(1),
                          Catch::Contains("\"n\"") && Catch::Contains("70000 is out of range"));
        CHECK(r.get<std::int32_t>(1) == 70000);
        CHECK(r.get<double>(1) == 70000.0);
        CHECK_THROWS_WITH(r.get<std::int64_t>(2),
                          Catch::Contains("\"r\"") && Catch::Contains("REAL"));
        CHECK_THROWS_WITH(r.get<bool>(1), Catch::Contains("neither 0 nor 1"));
        CHECK_THROWS_WITH(r.get<std::string>(3),
                          Catch::Contains("\"b\"") && Catch::Contains("BLOB"));
        CHECK_THROWS_WITH(r.get<retort::timestamp>(0),
                          Catch::Contains("\"alice\" is not a valid timestamp"));
        CHECK_THROWS_WITH(r.get<std::string>(4), Catch::Contains("column 4 does not exist"));
    });
    CHECK(query_one<std::int64_t>(db, "SELECT 2.0") == 2);
}

TEST_CASE("sqlite driver: the statement cache prepares each SQL text once",
          "[sqlite-only][driver]") {
    temp_database file;
    sqlite::connection db{file.options()};
    db.execute_script("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    const auto before = db.cached_statements();
    constexpr std::string_view insert = "INSERT INTO t (v) VALUES (?)";
    for (int i = 0; i < 50; ++i)
        db.execute(
            insert, [&](sqlite::binder& b) { b.bind("row " + std::to_string(i)); }, discard_rows{});
    CHECK(db.cached_statements() == before + 1);
    // A string_view over different storage with the same text finds the same statement.
    const std::string copy(insert);
    db.execute(
        std::string_view(copy), [](sqlite::binder& b) { b.bind("x"); }, discard_rows{});
    CHECK(db.cached_statements() == before + 1);
    CHECK(query_one<std::int64_t>(db, "SELECT count(*) FROM t") == 51);
    CHECK(db.cached_statements() == before + 2);
    CHECK(db.last_insert_rowid() == 51);

    db.clear_statement_cache();
    CHECK(db.cached_statements() == 0);
    CHECK(query_one<std::string>(db, "SELECT v FROM t WHERE id = 3") == "row 2");
}

TEST_CASE("sqlite driver: execute returns rows affected or returned", "[sqlite-only][driver]") {
    sqlite::connection db{sqlite::options{.path = ":memory:"}};
    db.execute_script("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
    for (std::int64_t i = 1; i <= 5; ++i)
        db.execute(
            "INSERT INTO t (v) VALUES (?)", [&](sqlite::binder& b) { b.bind(i); }, discard_rows{});
    CHECK(db.execute(
              "UPDATE t SET v = v + 1 WHERE v > ?", [](sqlite::binder& b) { b.bind(2); },
              discard_rows{}) == 3);
    CHECK(db.execute("UPDATE t SET v = 0 WHERE v > 100", no_parameters{}, discard_rows{}) == 0);
    // DDL after a DML statement reports 0, not the count left over from the DML.
    CHECK(db.execute("CREATE TABLE u (x INTEGER)", no_parameters{}, discard_rows{}) == 0);
    std::vector<std::int64_t> returned;
    CHECK(db.execute("INSERT INTO t (v) VALUES (10), (20) RETURNING id", no_parameters{},
                     [&](sqlite::row& r) { returned.push_back(r.get<std::int64_t>(0)); }) == 2);
    CHECK(returned == std::vector<std::int64_t>{6, 7});
    CHECK(db.execute("SELECT v FROM t", no_parameters{}, discard_rows{}) == 7);
    CHECK(db.execute("DELETE FROM t", no_parameters{}, discard_rows{}) == 7);
}

TEST_CASE("sqlite driver: a statement is reset when bind or on_row throws",
          "[sqlite-only][driver]") {
    temp_database file;
    sqlite::connection db{file.options()};
    db.execute_script("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2), (3)");
    const std::string_view select = "SELECT v FROM t ORDER BY v";
    CHECK_THROWS_AS(
        db.execute(select, no_parameters{}, [](sqlite::row&) { throw std::runtime_error("stop"); }),
        std::runtime_error);
    // A statement left mid-step would keep the table locked against DROP.
    db.execute_script(
        "CREATE TABLE keep AS SELECT * FROM t; DROP TABLE t; ALTER TABLE keep RENAME TO t");

    const std::string_view lookup = "SELECT count(*) FROM t WHERE v = ?";
    CHECK_THROWS_AS(db.execute(
                        lookup,
                        [](sqlite::binder& b) {
                            b.bind(std::int64_t{2});
                            throw std::runtime_error("half bound");
                        },
                        discard_rows{}),
                    std::runtime_error);
    CHECK_THROWS_AS(db.execute(lookup, no_parameters{}, discard_rows{}), retort::programming_error);
    std::int64_t count = -1;
    db.execute(
        lookup, [](sqlite::binder& b) { b.bind(std::int64_t{3}); },
        [&](sqlite::row& r) { count = r.get<std::int64_t>(0); });
    CHECK(count == 1);

    // The same SQL run again from inside its own on_row gets a statement of its own.
    std::vector<std::int64_t> outer;
    int inner = 0;
    db.execute(select, no_parameters{}, [&](sqlite::row& r) {
        outer.push_back(r.get<std::int64_t>(0));
        db.execute(select, no_parameters{}, [&](sqlite::row&) { ++inner; });
    });
    CHECK(outer == std::vector<std::int64_t>{1, 2, 3});
    CHECK(inner == 9);
}

TEST_CASE("sqlite driver: a temporary bound by value need not outlive its bind() call",
          "[sqlite-only][driver]") {
    // As the query layer binds a converted value: an rvalue that is destroyed when bind()
    // returns, before execute() steps the statement. Such values are copied (SQLITE_TRANSIENT);
    // values bound by reference or view are not, and live until execute() returns.
    sqlite::connection db{sqlite::options{.path = ":memory:"}};
    std::string got;
    retort::blob got_blob;
    retort::json got_json;
    std::string kept = std::string(50, 'k') + "lvalue";
    db.execute(
        "SELECT ?, ?, ?, ?",
        [&](sqlite::binder& b) {
            b.bind(std::string(100, 'a') + "tail");  // heap-allocated temporary
            b.bind(retort::blob(64, std::byte{7}));
            b.bind(retort::json{std::string(40, ' ') + "{}"});
            b.bind(kept);                     // by reference: alive until execute() returns
            std::string overwrite(200, 'z');  // likely reuses the freed memory
            CHECK(overwrite.size() == 200);
        },
        [&](sqlite::row& r) {
            got = r.get<std::string>(0);
            got_blob = r.get<retort::blob>(1);
            got_json = r.get<retort::json>(2);
            CHECK(r.get<std::string>(3) == kept);
        });
    CHECK(got == std::string(100, 'a') + "tail");
    CHECK(got_blob == retort::blob(64, std::byte{7}));
    CHECK(got_json.text == std::string(40, ' ') + "{}");
}

TEST_CASE("sqlite driver: constraint violations throw their own class with details",
          "[sqlite-only][driver]") {
    temp_database file;
    sqlite::connection db{file.options()};
    db.execute_script(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, age INTEGER,"
        "  CONSTRAINT uq_users_email UNIQUE (email), CONSTRAINT ck_users_age CHECK (age >= 0));"
        "CREATE TABLE posts (id INTEGER PRIMARY KEY,"
        "  user_id INTEGER NOT NULL REFERENCES users (id));"
        "CREATE TABLE pairs (a INTEGER, b INTEGER, UNIQUE (a, b));"
        "INSERT INTO users (id, email, age) VALUES (1, 'a@example.com', 30);"
        "INSERT INTO pairs VALUES (1, 2)");
    const std::string insert_user = "INSERT INTO users (id, email, age) VALUES (?, ?, ?)";
    const auto add_user = [&](std::int64_t id, std::optional<std::string> email, std::int64_t age) {
        db.execute(
            insert_user,
            [&](sqlite::binder& b) {
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
        CHECK(e.sqlite_code() == SQLITE_CONSTRAINT_UNIQUE);
        CHECK(e.details().table == "users");
        CHECK(e.details().column == "email");
        CHECK(e.details().sql == insert_user);
        CHECK(std::string(e.what()) ==
              "retort: UNIQUE constraint failed: users.email (SQLite 2067) in: " + insert_user);
    }
    try {
        add_user(1, "b@example.com", 20);
        FAIL("no exception");
    } catch (const retort::unique_violation& e) {
        CHECK(e.sqlite_code() == SQLITE_CONSTRAINT_PRIMARYKEY);
        CHECK(e.details().table == "users");
        CHECK(e.details().column == "id");
    }
    try {
        add_user(3, std::nullopt, 20);
        FAIL("no exception");
    } catch (const retort::not_null_violation& e) {
        CHECK(e.sqlite_code() == SQLITE_CONSTRAINT_NOTNULL);
        CHECK(e.details().table == "users");
        CHECK(e.details().column == "email");
    }
    try {
        add_user(4, "c@example.com", -1);
        FAIL("no exception");
    } catch (const retort::check_violation& e) {
        CHECK(e.sqlite_code() == SQLITE_CONSTRAINT_CHECK);
        CHECK(e.constraint() == "ck_users_age");
    }
    try {
        db.execute(
            "INSERT INTO posts (user_id) VALUES (?)", [](sqlite::binder& b) { b.bind(99); },
            discard_rows{});
        FAIL("no exception");
    } catch (const retort::foreign_key_violation& e) {
        CHECK(e.sqlite_code() == SQLITE_CONSTRAINT_FOREIGNKEY);
        CHECK_THAT(e.what(), Catch::Contains("FOREIGN KEY constraint failed"));
    }
    try {
        db.execute_script("INSERT INTO pairs VALUES (1, 2)");
        FAIL("no exception");
    } catch (const retort::unique_violation& e) {
        CHECK(e.details().table == "pairs");
        CHECK(e.details().column == "a, b");
    }
    // Another kind of constraint failure is still an integrity_error.
    db.execute_script("CREATE TRIGGER no_bob BEFORE INSERT ON users WHEN NEW.email = 'bob' "
                      "BEGIN SELECT RAISE(ABORT, 'no bob'); END");
    try {
        add_user(5, "bob", 1);
        FAIL("no exception");
    } catch (const retort::integrity_error& e) {
        CHECK(e.sqlite_code() == SQLITE_CONSTRAINT_TRIGGER);
    }
    // The connection carries on.
    add_user(6, "d@example.com", 1);
    CHECK(query_one<std::int64_t>(db, "SELECT count(*) FROM users") == 2);
}

TEST_CASE("sqlite driver: SQL errors are programming errors carrying the SQL",
          "[sqlite-only][driver]") {
    sqlite::connection db{sqlite::options{.path = ":memory:"}};
    const std::string bad = "SELEC 1 FROM nowhere";
    try {
        db.execute(bad, no_parameters{}, discard_rows{});
        FAIL("no exception");
    } catch (const retort::programming_error& e) {
        CHECK_THAT(e.what(), Catch::Contains("syntax error") && Catch::Contains(bad));
        CHECK(e.details().sql == bad);
        CHECK(e.sqlite_code() == SQLITE_ERROR);
    }
    CHECK(db.cached_statements() == 0);
    CHECK_THROWS_WITH(db.execute("SELECT * FROM missing_table", no_parameters{}, discard_rows{}),
                      Catch::Contains("no such table: missing_table") &&
                          Catch::Contains("in: SELECT * FROM missing_table"));
    CHECK_THROWS_AS(db.execute_script("CREATE TABLE t (x); SELECT nope FROM t"),
                    retort::programming_error);
    CHECK_THROWS_WITH(db.execute("SELECT 1; SELECT 2", no_parameters{}, discard_rows{}),
                      Catch::Contains("execute_script"));
    CHECK_NOTHROW(db.execute("SELECT 1; -- a comment", no_parameters{}, discard_rows{}));
    CHECK_THROWS_WITH(db.execute(
                          "SELECT ?, ?", [](sqlite::binder& b) { b.bind(1); }, discard_rows{}),
                      Catch::Contains("takes 2 parameters but 1 argument was given"));
    CHECK_THROWS_WITH(db.execute(
                          "SELECT ?",
                          [](sqlite::binder& b) {
                              b.bind(1);
                              b.bind(2);
                          },
                          discard_rows{}),
                      Catch::Contains("parameter 2 is one too many: the statement takes 1, "
                                      "in: SELECT ?"));
    CHECK_THROWS_AS(db.execute("  -- nothing", no_parameters{}, discard_rows{}),
                    retort::programming_error);
    CHECK_THROWS_AS(db.execute_script("SELECT 1; BOGUS"), retort::programming_error);
}

TEST_CASE("sqlite driver: options are checked and applied", "[sqlite-only][driver]") {
    temp_database file;
    {
        auto opts = file.options();
        opts.journal_mode = "WAL; DROP TABLE users";
        CHECK_THROWS_AS(sqlite::connection{opts}, retort::configuration_error);
        CHECK_THROWS_WITH(sqlite::connection{opts}, Catch::Contains("WAL; DROP TABLE users"));
        CHECK_FALSE(std::filesystem::exists(file.path()));  // refused before opening anything
        opts.journal_mode = "wal";
        opts.synchronous = "SOMETIMES";
        CHECK_THROWS_WITH(sqlite::connection{opts},
                          Catch::Contains("synchronous") && Catch::Contains("SOMETIMES"));
        opts.synchronous = "NORMAL";
        opts.path.clear();
        CHECK_THROWS_AS(sqlite::connection{opts}, retort::configuration_error);
    }
    {
        sqlite::connection db{file.options()};
        CHECK(query_one<std::string>(db, "PRAGMA journal_mode") == "wal");
        CHECK(query_one<std::int64_t>(db, "PRAGMA foreign_keys") == 1);
        CHECK(query_one<std::int64_t>(db, "PRAGMA synchronous") == 1);  // NORMAL
        CHECK(query_one<std::int64_t>(db, "PRAGMA busy_timeout") == 5000);
        CHECK(db.is_open());
        CHECK(db.server_version() == SQLITE_VERSION);
        CHECK(db.native_handle() != nullptr);
        db.execute_script("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)");
    }
    {
        auto opts = file.options();
        opts.journal_mode = "DELETE";
        opts.foreign_keys = false;
        opts.synchronous = "full";
        sqlite::connection db{opts};
        CHECK(query_one<std::string>(db, "PRAGMA journal_mode") == "delete");
        CHECK(query_one<std::int64_t>(db, "PRAGMA foreign_keys") == 0);
        CHECK(query_one<std::int64_t>(db, "PRAGMA synchronous") == 2);
    }
    {
        auto opts = file.options();
        opts.read_only = true;
        sqlite::connection db{opts};
        CHECK(query_one<std::int64_t>(db, "SELECT x FROM t") == 1);
        try {
            db.execute_script("INSERT INTO t VALUES (2)");
            FAIL("no exception");
        } catch (const retort::operational_error& e) {
            CHECK((e.sqlite_code() & 0xFF) == SQLITE_READONLY);
        }
    }
    {
        temp_database missing;
        auto opts = missing.options();
        opts.create = false;
        try {
            sqlite::connection db{opts};
            FAIL("no exception");
        } catch (const retort::connection_error& e) {
            CHECK((e.sqlite_code() & 0xFF) == SQLITE_CANTOPEN);
            CHECK_THAT(e.what(), Catch::Contains(missing.path().string()));
        }
        CHECK_FALSE(std::filesystem::exists(missing.path()));
    }
    {
        temp_database garbage;
        std::ofstream{garbage.path()} << std::string(4096, 'x');
        try {
            sqlite::connection db{garbage.options()};
            FAIL("no exception");
        } catch (const retort::connection_error& e) {
            CHECK(e.sqlite_code() == SQLITE_NOTADB);
        }
    }
    {
        sqlite::connection memory{sqlite::options{.path = ":memory:"}};  // WAL is skipped
        CHECK(query_one<std::string>(memory, "PRAGMA journal_mode") == "memory");
        sqlite::connection moved = std::move(memory);
        CHECK(moved.is_open());
        CHECK_FALSE(
            memory.is_open());  // NOLINT(bugprone-use-after-move): moved-from state is specified
        CHECK_THROWS_AS(memory.execute_script("SELECT 1"), retort::programming_error);
        CHECK(query_one<std::int64_t>(moved, "SELECT 41 + 1") == 42);
    }
}

TEST_CASE("sqlite driver: a lock held by another connection is a busy_error",
          "[sqlite-only][driver]") {
    temp_database file;
    sqlite::connection holder{file.options()};
    holder.execute_script("CREATE TABLE t (x INTEGER)");
    auto opts = file.options();
    opts.busy_timeout_ms = 50;
    sqlite::connection waiter{opts};
    holder.execute_script("BEGIN IMMEDIATE");
    const auto start = steady_clock::now();
    try {
        waiter.execute_script("BEGIN IMMEDIATE");
        FAIL("no exception");
    } catch (const retort::busy_error& e) {
        CHECK((e.sqlite_code() & 0xFF) == SQLITE_BUSY);
    }
    CHECK(steady_clock::now() - start >= 40ms);
    holder.execute_script("ROLLBACK");
    waiter.execute_script("BEGIN IMMEDIATE; INSERT INTO t VALUES (1); COMMIT");
    CHECK(query_one<std::int64_t>(holder, "SELECT count(*) FROM t") == 1);
}

TEST_CASE("sqlite driver: the log hook sees every statement", "[sqlite-only][driver]") {
    struct hook_log {
        std::vector<std::string> sql;
        nanoseconds total{0};
    } seen;
    sqlite::connection db{sqlite::options{.path = ":memory:"}};
    db.set_log_hook(
        [](void* context, std::string_view sql, nanoseconds elapsed) {
            auto& l = *static_cast<hook_log*>(context);
            l.sql.emplace_back(sql);
            l.total += elapsed;
        },
        &seen);
    db.execute_script("CREATE TABLE t (x INTEGER)");
    db.execute(
        "INSERT INTO t VALUES (?)", [](sqlite::binder& b) { b.bind(1); }, discard_rows{});
    CHECK_THROWS(db.execute("SELECT nope FROM t", no_parameters{}, discard_rows{}));
    CHECK(seen.sql == std::vector<std::string>{"CREATE TABLE t (x INTEGER)",
                                               "INSERT INTO t VALUES (?)", "SELECT nope FROM t"});
    CHECK(seen.total > nanoseconds{0});
    db.set_log_hook(nullptr, nullptr);
    db.execute_script("DROP TABLE t");
    CHECK(seen.sql.size() == 3);
}

TEST_CASE("sqlite driver: ISO-8601 and JSON array codecs", "[sqlite-only][driver]") {
    namespace codec = retort::driver::detail;
    const auto text = [](const auto& chars) { return std::string(chars.data(), chars.size()); };
    CHECK(text(codec::format_timestamp(make_timestamp(1999y / December / 31, 23h, 59min, 59s,
                                                      999999us))) == "1999-12-31 23:59:59.999999");
    CHECK(text(codec::format_timestamp(make_timestamp(1900y / January / 1, 0h, 0min, 0s, 5us))) ==
          "1900-01-01 00:00:00.000005");
    CHECK(text(codec::format_date(sys_days{1234y / May / 6})) == "1234-05-06");
    CHECK_THROWS_AS(codec::format_date(sys_days{10000y / January / 1}), retort::programming_error);
    CHECK_THROWS_AS(codec::format_timestamp(retort::timestamp::max()), retort::programming_error);
    CHECK(text(codec::format_date(sys_days{0y / January / 1})) == "0000-01-01");

    std::string out;
    codec::write_json_array(out, std::vector<std::string>{"a", "b\"c", "\\", "\n\x7f", ""});
    CHECK(out == R"(["a","b\"c","\\","\n)"
                 "\x7f"
                 R"(",""])");
    codec::write_json_array(out, std::vector<std::string>{});
    CHECK(out == "[]");
    codec::write_json_array(out, std::vector<std::int64_t>{1, -2});
    CHECK(out == "[1,-2]");
    CHECK(codec::parse_json_int_array("[1,2") == std::nullopt);
    CHECK(codec::parse_json_int_array("[1,]") == std::nullopt);
    CHECK(codec::parse_json_int_array("[1] x") == std::nullopt);
    CHECK(codec::parse_json_string_array(R"(["\q"])") == std::nullopt);
}
