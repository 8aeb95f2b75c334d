// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.

// Unit tests: counting the `?` placeholders of raw SQL (session/detail/raw_sql.hpp), which
// shares its scan with the `?` -> `$n` numbering, and the one wording of a count mismatch.

#include <retort/driver/detail/parameter_count.hpp>
#include <retort/error.hpp>
#include <retort/session/detail/raw_sql.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

using retort::detail::count_placeholders;
using retort::detail::number_placeholders_counted;

TEST_CASE("raw sql: placeholders are counted", "[unit][raw-sql]") {
    CHECK(count_placeholders("") == 0);
    CHECK(count_placeholders("SELECT 1") == 0);
    CHECK(count_placeholders("?") == 1);
    CHECK(count_placeholders("SELECT ?::text") == 1);
    CHECK(count_placeholders("SELECT * FROM t WHERE a = ? AND b = ?") == 2);
    CHECK(count_placeholders("INSERT INTO t VALUES (?,?,?,?,?,?,?,?,?,?,?)") == 11);
    CHECK(count_placeholders("SELECT ? - ?, ? / ?") == 4);
    CHECK(count_placeholders("?)") == 1);
    CHECK(count_placeholders("(?") == 1);
}

TEST_CASE("raw sql: question marks that are not placeholders are not counted", "[unit][raw-sql]") {
    CHECK(count_placeholders("SELECT '?' , ?") == 1);
    CHECK(count_placeholders("SELECT 'it''s ?', ?") == 1);
    CHECK(count_placeholders(R"(SELECT E'it\'s ?', ?)") == 1);
    CHECK(count_placeholders(R"(SELECT "we?ird" FROM t WHERE x = ?)") == 1);
    CHECK(count_placeholders(R"(SELECT "a""?" , ?)") == 1);
    CHECK(count_placeholders("SELECT ? -- why?\n, ?") == 2);
    CHECK(count_placeholders("SELECT ? -- trailing ?") == 1);
    CHECK(count_placeholders("SELECT /* ? */ ? /* ?? */, ?") == 2);
    CHECK(count_placeholders("SELECT /* a /* b */ ? */ ?") == 1);
    CHECK(count_placeholders("SELECT 1 /* unterminated ?") == 0);
    CHECK(count_placeholders("SELECT 'open ?") == 0);
    CHECK(count_placeholders("SELECT $$ ? $$, ?") == 1);
    CHECK(count_placeholders("SELECT $fn$ it's ? $fn$, ?") == 1);
    // `??` is one literal `?` (PostgreSQL's jsonb operators), never a placeholder.
    CHECK(count_placeholders("SELECT doc ?? 'k' FROM t WHERE id = ?") == 1);
    CHECK(count_placeholders("doc ??| ? AND doc ??& ?") == 2);
    CHECK(count_placeholders("??") == 0);
    CHECK(count_placeholders("???") == 1);        // `??` then a placeholder
    CHECK(count_placeholders("SELECT $1") == 0);  // not retort's syntax: left for the server
}

TEST_CASE("raw sql: the count comes with the numbered text, from the same scan",
          "[unit][raw-sql]") {
    const auto numbered = number_placeholders_counted("SELECT doc ?? ? FROM t /* ? */ WHERE a = ?");
    CHECK(numbered.text == "SELECT doc ? $1 FROM t /* ? */ WHERE a = $2");
    CHECK(numbered.placeholders == 2);
    const auto none = number_placeholders_counted("SELECT '?'");
    CHECK(none.text == "SELECT '?'");
    CHECK(none.placeholders == 0);
    for (const std::string_view sql :
         {"", "?", "SELECT ?, '?', \"?\", ?? -- ?\n, $$?$$, ?", "???? ?", "E'\\'?' ?"})
        CHECK(number_placeholders_counted(sql).placeholders == count_placeholders(sql));
}

TEST_CASE("raw sql: a count mismatch reads the same on every backend", "[unit][raw-sql]") {
    const auto message_of = [](int takes, int given, std::string_view sql) {
        try {
            retort::driver::detail::throw_parameter_count(takes, given, sql);
        } catch (const retort::programming_error& e) {
            CHECK(e.details().sql == sql);
            return std::string(e.what());
        }
        return std::string("no exception");
    };
    CHECK(message_of(1, 2, "SELECT ?::text") ==
          "retort: the SQL takes 1 parameter but 2 arguments were given, in: SELECT ?::text");
    CHECK(message_of(2, 1, "SELECT ?, ?") ==
          "retort: the SQL takes 2 parameters but 1 argument was given, in: SELECT ?, ?");
    CHECK(message_of(0, 1, "SELECT 1") ==
          "retort: the SQL takes 0 parameters but 1 argument was given, in: SELECT 1");
    CHECK(message_of(3, 0, "SELECT ?, ?, ?") ==
          "retort: the SQL takes 3 parameters but 0 arguments were given, in: SELECT ?, ?, ?");
}
