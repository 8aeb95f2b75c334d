// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// The planner without a database: schema snapshots as text, splitting SQL into statements, the
// statements each dialect renders for every kind of change, and their determinism.

#include "../support/models.hpp"
#include "../support/schema_edit.hpp"

#include <retort/migrate/autogenerate.hpp>
#include <retort/migrate/introspect_sqlite.hpp>
#include <retort/migrate/plan.hpp>
#include <retort/migrate/schema_text.hpp>
#include <retort/migrate/sql_script.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <climits>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

using Catch::Matchers::Contains;
using retort::logical_type;
using retort::migrate::plan;
using retort::migrate::render;
using retort::migrate::risk;
using retort::migrate::schema_from_text;
using retort::migrate::split_statements;
using retort::migrate::to_text;
namespace schema = retort::schema;
namespace dialect = retort::dialect;
using statements = std::vector<std::string>;

namespace {

using test::column;
using test::models;
using test::table;

void erase_column(schema::table& t, std::string_view name) {
    auto it = std::find_if(t.columns.begin(), t.columns.end(),
                           [&](const schema::column& c) { return c.name == name; });
    REQUIRE(it != t.columns.end());
    t.columns.erase(it);
}

schema::column make_column(std::string name, logical_type type, bool nullable = false) {
    schema::column c;
    c.name = std::move(name);
    c.type = type;
    c.nullable = nullable;
    return c;
}

/// A table with an int64 key "id" and, for each name in `references`, a nullable
/// "<name>_id" column with a foreign key to that table's id.
schema::table keyed_table(const std::string& name,
                          const std::vector<std::string>& references = {}) {
    schema::table t;
    t.name = name;
    t.columns.push_back(make_column("id", logical_type::int64));
    t.key = {"pk_" + name, {"id"}};
    for (const auto& r : references) {
        t.columns.push_back(make_column(r + "_id", logical_type::int64, true));
        schema::foreign_key fk;
        fk.name = "fk_" + name + "_" + r;
        fk.columns = {r + "_id"};
        fk.referenced_table = r;
        fk.referenced_columns = {"id"};
        t.foreign_keys.push_back(std::move(fk));
    }
    return t;
}

std::string joined(const statements& s) {
    std::string out;
    for (const auto& x : s) out += x + ";\n";
    return out;
}

/// The position of the first statement that starts with `prefix`; fails the test if none does.
std::size_t position(const statements& s, std::string_view prefix) {
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i].compare(0, prefix.size(), prefix) == 0) return i;
    FAIL("no statement starts with " << prefix << " in:\n" << joined(s));
    return s.size();
}

bool any_contains(const statements& s, std::string_view text) {
    return std::any_of(s.begin(), s.end(),
                       [&](const std::string& x) { return x.find(text) != std::string::npos; });
}

/// The configuration_error's message for parsing `text`, or "no error".
std::string snapshot_error(std::string_view text) {
    try {
        (void)schema_from_text(text);
    } catch (const retort::configuration_error& e) {
        return e.what();
    }
    return "no error";
}

/// Checks that `s` is exactly SQLite's rebuild of `after` (from a table of the same name):
/// create under the temporary name, copy, [carry the sequence over], drop, rename, indexes.
void check_rebuild(const statements& s, const schema::table& after, const std::string& copy) {
    INFO(joined(s));
    const std::string fresh = "\"_retort_new_" + after.name + "\"";
    const std::string real = "\"" + after.name + "\"";
    const bool sequence = std::any_of(after.columns.begin(), after.columns.end(),
                                      [](const schema::column& c) { return c.autoincrement; });
    REQUIRE(s.size() == 3 + (copy.empty() ? 0 : 1) + (sequence ? 1 : 0) + after.indexes.size());
    std::size_t i = 0;
    CHECK(s[i++].rfind("CREATE TABLE " + fresh + " (\n", 0) == 0);
    if (!copy.empty()) CHECK(s[i++] == "INSERT INTO " + fresh + " " + copy + " FROM " + real);
    if (sequence) CHECK(s[i++].rfind("UPDATE sqlite_sequence SET seq = ", 0) == 0);
    CHECK(s[i++] == "DROP TABLE " + real);
    CHECK(s[i++] == "ALTER TABLE " + fresh + " RENAME TO " + real);
    for (const auto& ix : after.indexes)
        CHECK(s[i++] == dialect::create_index_sql<dialect::sqlite>(after, ix));
    // Constraint names follow the real table, never the temporary one.
    CHECK_FALSE(s[0].find("_retort_new_" + after.name + "_") != std::string::npos);
    CHECK_FALSE(s[0].find("__retort_new_") != std::string::npos);
}

}  // namespace

// ---- schema_text ---------------------------------------------------------------------------

TEST_CASE("schema text: the models' schema round-trips exactly", "[unit][migrate]") {
    for (const auto& db :
         {models(),
          schema::database_of<app::user, app::job, app::lesson, app::llm_call_audit,
                              app::email_delivery_log, app::all_types, app::membership>()}) {
        const std::string text = to_text(db);
        CHECK(schema_from_text(text) == db);
        CHECK(to_text(schema_from_text(text)) == text);
        CHECK(text.back() == '\n');
    }
    const std::string text = to_text(models());
    // The line format is pinned: a snapshot is committed and reviewed.
    CHECK_THAT(text, Contains("table \"users\"\n"
                              "  column \"id\" int64 0 not-null autoincrement none 0 \"\" 0\n"
                              "  column \"email\" text 255+check not-null - none 0 \"\" 0\n"));
    // checked_max_length is "N+check"; plain max_length<N> (every older snapshot) is "N".
    CHECK_THAT(text, Contains("  column \"job_id\" text 64 not-null - none 0 \"\" 0\n"));
    CHECK_THAT(text, Contains("  column \"status\" enumeration 0 not-null - text 0 \"queued\" 4 "
                              "\"queued\" \"running\" \"done\" \"failed\"\n"));
    CHECK_THAT(text, Contains("  foreign-key \"fk_dgs_jobs_user_id_users\" 1 \"user_id\" "
                              "\"users\" 1 \"id\" cascade no-action\n"));
    CHECK_THAT(text, Contains("  check \"ck_dgs_jobs_status_enum\" "
                              "\"\"\"status\"\" IN ('queued', 'running', 'done', 'failed')\"\n"));
    CHECK(to_text(schema::database{}).empty());
    CHECK(schema_from_text("") == schema::database{});
}

TEST_CASE("schema text: hostile strings, negative defaults, every type, kind and action",
          "[unit][migrate]") {
    schema::database db;
    schema::table t = keyed_table("we\"ird 'table' name");
    t.key.name = "pk \"x\"";
    // every logical type, nullable or not, with and without a length
    for (int i = 0; i <= static_cast<int>(logical_type::enumeration); ++i) {
        auto c = make_column("c" + std::to_string(i), static_cast<logical_type>(i), i % 2 == 1);
        if (c.type == logical_type::text) c.max_length = 4000000000u;
        if (c.type == logical_type::enumeration)
            c.enum_values = {"a b", "it's", "say \"hi\"", "", "--", ";"};
        t.columns.push_back(std::move(c));
    }
    t.columns[0].autoincrement = true;
    // every default kind, with negative and extreme integers and hostile text
    using kind = schema::default_value::kind;
    t.columns.push_back(make_column("d_none", logical_type::int64));
    t.columns.push_back(make_column("d_false", logical_type::boolean));
    t.columns.back().server_default = {kind::boolean, 0, {}};
    t.columns.push_back(make_column("d_true", logical_type::boolean));
    t.columns.back().server_default = {kind::boolean, 1, {}};
    t.columns.push_back(make_column("d_negative", logical_type::int64));
    t.columns.back().server_default = {kind::integer, -42, {}};
    t.columns.push_back(make_column("d_min", logical_type::int64));
    t.columns.back().server_default = {kind::integer, LLONG_MIN, {}};
    t.columns.push_back(make_column("d_max", logical_type::int64));
    t.columns.back().server_default = {kind::integer, LLONG_MAX, {}};
    t.columns.push_back(make_column("d_text", logical_type::text));
    t.columns.back().server_default = {kind::text, 0, "it's \"quoted\"  with  spaces "};
    t.columns.push_back(make_column("d_empty", logical_type::text));
    t.columns.back().server_default = {kind::text, 0, ""};
    t.columns.push_back(make_column("d_expression", logical_type::timestamp));
    t.columns.back().server_default = {kind::expression, 0, "CURRENT_TIMESTAMP"};
    t.columns.push_back(make_column(" spaced  \"name\" ", logical_type::text));
    t.columns.push_back(make_column("tab\there\rcarriage", logical_type::text));
    t.uniques.push_back({"uq \"odd\"", {" spaced  \"name\" ", "c0"}});
    t.indexes.push_back({"ix plain", {"c0"}, false, {}});
    t.indexes.push_back({"ix_partial", {"c6", "c3"}, true, "c6 <> '' AND \"c3\" > -1"});
    t.checks.push_back({"ck \"1\"", "\"c6\" <> 'a \"\" b' AND c3 <> -5 -- ; /* */"});
    t.checks.push_back({"ck_empty", ""});
    db.tables.push_back(t);
    // every foreign-key action, on delete and on update
    schema::table child = keyed_table("child");
    for (int i = 0; i < 5; ++i) {
        schema::foreign_key fk;
        fk.name = "fk_" + std::to_string(i);
        fk.columns = {"id"};
        fk.referenced_table = t.name;
        fk.referenced_columns = {"c0"};
        fk.on_delete = static_cast<retort::fk_action>(i);
        fk.on_update = static_cast<retort::fk_action>((i + 2) % 5);
        child.foreign_keys.push_back(std::move(fk));
    }
    db.tables.push_back(child);
    db.tables.push_back(schema::table{});  // a table with no name, columns or key

    const std::string text = to_text(db);
    INFO(text);
    CHECK(schema_from_text(text) == db);
    CHECK(to_text(schema_from_text(text)) == text);
    CHECK_THAT(text, Contains(" integer -42 "));
    CHECK_THAT(text, Contains(" integer -9223372036854775808 "));
    for (std::string_view word : {"no-action", "restrict", "cascade", "set-null", "set-default"})
        CHECK_THAT(text, Contains(std::string{" "} + std::string{word}));
    for (std::string_view word :
         {"boolean", "int16", "int32", "int64", "float32", "float64", "text", "blob", "timestamp",
          "date", "json", "text_array", "int_array", "enumeration"})
        CHECK_THAT(text, Contains(std::string{" "} + std::string{word} + " "));
}

TEST_CASE("schema text: renaming hints are left out; blank lines and CRLF are accepted",
          "[unit][migrate]") {
    auto db = models();
    column(table(db, "users"), "display_name").renamed_from = "name";
    const auto back = schema_from_text(to_text(db));
    column(table(db, "users"), "display_name").renamed_from.clear();
    CHECK(back == db);

    std::string crlf;
    for (char c : to_text(db)) {
        if (c == '\n')
            crlf += "\r\n\r\n   \r\n";  // and blank lines between
        else
            crlf += c;
    }
    CHECK(schema_from_text(crlf) == db);
    // extra spaces between values are fine
    CHECK(schema_from_text("table   \"t\"  \n  column  \"a\" text 0 null - none  -3 \"\"  0")
              .tables.at(0)
              .columns.at(0)
              .server_default.integer == -3);
}

TEST_CASE("schema text: a malformed line is a configuration_error naming it", "[unit][migrate]") {
    const std::string table_line = "table \"t\"\n";
    const std::string good = "  column \"a\" text 0 null - none 0 \"\" 0\n";
    REQUIRE(snapshot_error(table_line + good) == "no error");
    struct bad {
        std::string text;
        std::string_view says;
    };
    for (const bad& b : std::vector<bad>{
             {good, "line 1: 'column' comes before any table"},
             {table_line + good + "  colum \"b\"\n", "line 3: unknown item 'colum'"},
             {table_line + "  column \"a\" texty 0 null - none 0 \"\" 0\n",
              "line 2: unknown type 'texty'"},
             {table_line + "  column \"a\" text x null - none 0 \"\" 0\n",
              "line 2: expected a length (N or N+check), found 'x'"},
             {table_line + "  column \"a\" text -1 null - none 0 \"\" 0\n",
              "line 2: expected a length (N or N+check), found '-1'"},
             {table_line + "  column \"a\" text 0 null - none - \"\" 0\n",
              "line 2: expected a number, found '-'"},
             {table_line + "  column \"a\" text 0 nullable - none 0 \"\" 0\n",
              "line 2: unknown word 'nullable'"},
             {table_line + "  column \"a\" text 0 null - sometimes 0 \"\" 0\n",
              "line 2: unknown word 'sometimes'"},
             {table_line + "  column \"a\" text\n", "line 2: a value is missing"},
             {"\n\ntable \"t\n", "line 3: a quoted string is not closed"},
             {table_line + "table \"u\" extra\n", "line 2: unexpected text at the end"},
             {table_line + "  primary-key \"pk\" 3 \"a\"\n", "line 2: a value is missing"},
             {table_line + "  index \"ix\" maybe \"\" 1 \"a\"\n", "line 2: unknown word 'maybe'"},
             {table_line + "  foreign-key \"fk\" 1 \"a\" \"u\" 1 \"id\" cascade sideways\n",
              "line 2: unknown word 'sideways'"},
             {table_line + good + good + "  check \"ck\"\n", "line 4: a value is missing"},
         }) {
        INFO(b.text);
        const std::string message = snapshot_error(b.text);
        CHECK_THAT(message, Contains("schema snapshot line"));
        CHECK_THAT(message, Contains(std::string{b.says}));
    }
}

TEST_CASE("schema text: an out-of-range number is a configuration_error naming the line",
          "[unit][migrate]") {
    // Was a bug: line_reader::number()/signed_number() call std::stoull/std::stoll unguarded, so an
    // overlong number throws std::out_of_range, not a configuration_error naming the line.
    CHECK_THAT(snapshot_error("table \"t\"\n  column \"a\" text 99999999999999999999999 null - "
                              "none 0 \"\" 0\n"),
               Contains("schema snapshot line 2"));
}

TEST_CASE("schema text: a newline inside a string round-trips", "[unit][migrate]") {
    // Was a bug: put_string writes the newline raw, so the string spans two lines and the reader
    // stops at the first one: "a quoted string is not closed". A CHECK written over two
    // lines in a model (check<"a > 0\n AND b > 0">) makes a snapshot that cannot be read.
    schema::database db;
    db.tables.push_back(keyed_table("t"));
    db.tables[0].checks.push_back({"ck_t_id", "id > 0\n    AND id < 10"});
    const std::string text = to_text(db);
    INFO(text);
    CHECK(std::count(text.begin(), text.end(), '\n') == 4);  // one line per item
    CHECK(snapshot_error(text) == "no error");
}

// ---- split_statements ----------------------------------------------------------------------

TEST_CASE("split_statements: ';' ends a statement outside strings, names and comments",
          "[unit][migrate]") {
    CHECK(split_statements("").empty());
    CHECK(split_statements("  \n\t ").empty());
    CHECK(split_statements(";;  ; ").empty());
    CHECK(split_statements("-- only a comment\n/* and; another */\n").empty());
    CHECK(split_statements("SELECT 1") == statements{"SELECT 1"});
    CHECK(split_statements("SELECT 1;\n  SELECT 2  \n") == statements{"SELECT 1", "SELECT 2"});
    CHECK(split_statements("SELECT 1;;SELECT 2;") == statements{"SELECT 1", "SELECT 2"});
    CHECK(split_statements("INSERT INTO t VALUES ('a;b', 'it''s; fine'); SELECT ';'") ==
          statements{"INSERT INTO t VALUES ('a;b', 'it''s; fine')", "SELECT ';'"});
    CHECK(split_statements("CREATE TABLE \"a;b\" (\"c;\"\"d\" int); SELECT [x;y], `p;q` FROM t") ==
          statements{"CREATE TABLE \"a;b\" (\"c;\"\"d\" int)", "SELECT [x;y], `p;q` FROM t"});
    // comments before a statement are dropped, comments inside are kept
    CHECK(split_statements("-- header; with a semicolon\n/* block; */\nSELECT 1 -- a; comment\n"
                           "  + 1; /* x; y */ SELECT /* keep; */ 2;\n-- trailing; comment\n") ==
          statements{"SELECT 1 -- a; comment\n  + 1", "SELECT /* keep; */ 2"});
    // a comment that never ends runs to the end of the text
    CHECK(split_statements("SELECT 1; /* open ; to the end") == statements{"SELECT 1"});
    CHECK(split_statements("SELECT 1 /* open ; to the end") ==
          statements{"SELECT 1 /* open ; to the end"});
}

TEST_CASE("split_statements: PostgreSQL dollar quotes and parameters", "[unit][migrate]") {
    const std::string function = "CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n"
                                 "  NEW.at = now(); RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql";
    CHECK(split_statements(function + ";\nSELECT 1;") == statements{function, "SELECT 1"});
    const std::string tagged = "DO $body$ BEGIN PERFORM 1; RAISE NOTICE '$$;'; END $body$";
    CHECK(split_statements(tagged + "; SELECT 2") == statements{tagged, "SELECT 2"});
    const std::string nested = "DO $a$ SELECT $b$ ; $b$; $x$ ; $a$";
    CHECK(split_statements(nested + "; SELECT 3") == statements{nested, "SELECT 3"});
    // $1 is a parameter, not a tag; a '$' inside a word is not a quote either
    CHECK(split_statements("PREPARE p AS SELECT $1, $2; EXECUTE p(1, 2); SELECT a$b; SELECT $") ==
          statements{"PREPARE p AS SELECT $1, $2", "EXECUTE p(1, 2)", "SELECT a$b", "SELECT $"});
    CHECK(split_statements("SELECT $1;SELECT $12$;") == statements{"SELECT $1", "SELECT $12$"});
}

TEST_CASE("split_statements: a CREATE TRIGGER body is one statement", "[unit][migrate]") {
    const std::string trigger =
        "CREATE TRIGGER trg AFTER INSERT ON t\nBEGIN\n"
        "  UPDATE t SET x = CASE WHEN new.y > 0 THEN 'a;' ELSE CASE new.z WHEN 1 THEN 2 END END;\n"
        "  INSERT INTO log VALUES (1);\nEND";
    CHECK(split_statements(trigger + ";\nSELECT 1;") == statements{trigger, "SELECT 1"});
    const std::string temp = "create temp trigger if not exists t2 before delete on t begin "
                             "select raise(abort, 'no; way'); end";
    CHECK(split_statements("/* c */ " + temp + "; " + temp) == statements{temp, temp});
    // the words only count in a trigger, and only as whole words
    CHECK(split_statements("DROP TRIGGER IF EXISTS trg; UPDATE trigger_log SET a = CASE WHEN b "
                           "THEN 1 END; BEGIN; END; SELECT begin_at FROM t;") ==
          statements{"DROP TRIGGER IF EXISTS trg",
                     "UPDATE trigger_log SET a = CASE WHEN b THEN 1 END", "BEGIN", "END",
                     "SELECT begin_at FROM t"});
}

TEST_CASE("split_statements: PostgreSQL E'' strings with backslash escapes", "[unit][migrate]") {
    // Was a bug: sql_script.hpp only knows '' doubling; in E'it\'s; here' the \' ends the string
    // early, and the ';' inside the literal splits the statement.
    CHECK(split_statements("INSERT INTO t VALUES (E'it\\'s; here'); SELECT 1") ==
          statements{"INSERT INTO t VALUES (E'it\\'s; here')", "SELECT 1"});
}

// ---- render: creating and dropping tables --------------------------------------------------

TEST_CASE("render: tables are created referenced first and dropped dependents first",
          "[unit][migrate]") {
    const auto db = models();
    for (const auto& up : {render<dialect::sqlite>({}, db), render<dialect::postgres>({}, db)}) {
        INFO(joined(up));
        CHECK(std::count_if(up.begin(), up.end(), [](const std::string& s) {
                  return s.rfind("CREATE TABLE ", 0) == 0;
              }) == 7);
        const auto users = position(up, "CREATE TABLE \"users\"");
        const auto jobs = position(up, "CREATE TABLE \"dgs_jobs\"");
        CHECK(users < jobs);
        CHECK(jobs < position(up, "CREATE TABLE \"dgs_lessons\""));
        CHECK(users < position(up, "CREATE TABLE \"email_delivery_logs\""));
        // an index right after its table
        CHECK(position(up, "CREATE INDEX \"ix_users_created_at\"") == users + 1);
        CHECK(position(up, "CREATE INDEX \"ix_dgs_jobs_status_created_at\"") == jobs + 1);
        CHECK_FALSE(any_contains(up, "ALTER TABLE"));
    }
    // the referenced table listed last still comes first
    schema::database chain;
    for (const char* name : {"a", "b", "c"}) chain.tables.push_back(keyed_table(name));
    chain.tables[0] = keyed_table("a", {"b"});
    chain.tables[1] = keyed_table("b", {"c"});
    for (const auto& up :
         {render<dialect::sqlite>({}, chain), render<dialect::postgres>({}, chain)}) {
        INFO(joined(up));
        REQUIRE(up.size() == 3);
        CHECK(up[0].rfind("CREATE TABLE \"c\"", 0) == 0);
        CHECK(up[1].rfind("CREATE TABLE \"b\"", 0) == 0);
        CHECK(up[2].rfind("CREATE TABLE \"a\"", 0) == 0);
    }
    for (const auto& down :
         {render<dialect::sqlite>(chain, {}), render<dialect::postgres>(chain, {})})
        CHECK(down == statements{"DROP TABLE \"a\"", "DROP TABLE \"b\"", "DROP TABLE \"c\""});

    for (const auto& down : {render<dialect::sqlite>(db, {}), render<dialect::postgres>(db, {})}) {
        INFO(joined(down));
        REQUIRE(down.size() == 7);
        const auto users = position(down, "DROP TABLE \"users\"");
        const auto jobs = position(down, "DROP TABLE \"dgs_jobs\"");
        CHECK(position(down, "DROP TABLE \"dgs_lessons\"") < jobs);
        CHECK(jobs < users);
        CHECK(position(down, "DROP TABLE \"email_delivery_logs\"") < users);
    }
}

TEST_CASE("render: a foreign-key cycle between new tables on PostgreSQL", "[unit][migrate]") {
    schema::database cycle;
    cycle.tables = {keyed_table("a", {"b"}), keyed_table("b", {"a"})};
    const auto up = render<dialect::postgres>({}, cycle);
    INFO(joined(up));
    REQUIRE(up.size() == 3);
    CHECK(up[0] == "CREATE TABLE \"a\" (\n    \"id\" bigint NOT NULL,\n    \"b_id\" bigint,\n"
                   "    CONSTRAINT \"pk_a\" PRIMARY KEY (\"id\")\n)");
    CHECK(up[1].rfind("CREATE TABLE \"b\"", 0) == 0);
    CHECK_THAT(up[1], Contains("CONSTRAINT \"fk_b_a\" FOREIGN KEY (\"a_id\") REFERENCES \"a\""));
    CHECK(up[2] ==
          "ALTER TABLE \"a\" ADD CONSTRAINT \"fk_a_b\" FOREIGN KEY (\"b_id\") REFERENCES \"b\" "
          "(\"id\")");
    // SQLite accepts the forward reference inline
    const auto lite = render<dialect::sqlite>({}, cycle);
    REQUIRE(lite.size() == 2);
    CHECK_THAT(lite[0], Contains("REFERENCES \"b\""));

    // the closing key is added before the other new foreign keys of the same plan
    schema::database from;
    from.tables = {keyed_table("z")};
    schema::database to = cycle;
    to.tables.push_back(keyed_table("z", {"a"}));
    const auto mixed = render<dialect::postgres>(from, to);
    INFO(joined(mixed));
    REQUIRE(mixed.size() == 5);
    CHECK(mixed[2] == "ALTER TABLE \"z\" ADD COLUMN \"a_id\" bigint");
    CHECK(mixed[3].rfind("ALTER TABLE \"a\" ADD CONSTRAINT \"fk_a_b\"", 0) == 0);
    CHECK(mixed[4].rfind("ALTER TABLE \"z\" ADD CONSTRAINT \"fk_z_a\"", 0) == 0);
}

namespace {

/// For each CREATE TABLE on PostgreSQL, every table its inline REFERENCES name exists already.
void check_references_exist(const statements& s, std::vector<std::string> existing) {
    INFO(joined(s));
    for (const auto& st : s) {
        if (st.rfind("CREATE TABLE \"", 0) == 0) {
            for (std::size_t at = st.find("REFERENCES \""); at != std::string::npos;
                 at = st.find("REFERENCES \"", at + 1)) {
                const std::size_t begin = at + 12;
                const std::string target = st.substr(begin, st.find('"', begin) - begin);
                INFO("referenced: " << target);
                CHECK(std::find(existing.begin(), existing.end(), target) != existing.end());
            }
            existing.push_back(st.substr(14, st.find('"', 14) - 14));
        }
    }
}

}  // namespace

TEST_CASE("render: new tables in a cycle through an existing table are created in a valid order",
          "[unit][migrate]") {
    // Was a bug (plan.hpp, postgres_renderer::render): creations are ranked by
    // dependency_rank(to), the order of the WHOLE target schema, but the foreign keys to defer
    // are chosen by order_by_dependencies(created), over the new tables alone. Here a -> b ->
    // e -> a is a cycle only through the existing table e: in `to`, a is placed first (its key
    // to b deferred there), but among the new tables b comes first and nothing is deferred.
    // The result creates "a" with an inline REFERENCES "b" before "b" exists.
    schema::database from, to;
    from.tables = {keyed_table("e")};
    to.tables = {keyed_table("a", {"b"}), keyed_table("b", {"e"}), keyed_table("e", {"a"})};
    check_references_exist(render<dialect::postgres>(from, to), {"e"});
}

TEST_CASE("render: dropping tables in a foreign-key cycle on PostgreSQL", "[unit][migrate]") {
    // Was a bug (plan.hpp, postgres_renderer): a dropped table is dropped without its foreign keys
    // (diff emits only drop_table), dependents first by dependency_rank(from). In a cycle some
    // dropped table is still referenced by another when it goes: DROP TABLE "b" fails with
    // "cannot drop table b because other objects depend on it" (constraint fk_a_b). This is
    // the down direction of the cycle test above.
    schema::database cycle;
    cycle.tables = {keyed_table("a", {"b"}), keyed_table("b", {"a"})};
    const auto down = render<dialect::postgres>(cycle, {});
    INFO(joined(down));
    // Either a key of the cycle is dropped first, or both tables go in one statement.
    CHECK((any_contains(down, "DROP CONSTRAINT \"fk_a_b\"") ||
           any_contains(down, "DROP CONSTRAINT \"fk_b_a\"") ||
           any_contains(down, "DROP TABLE \"a\", \"b\"") ||
           any_contains(down, "DROP TABLE \"b\", \"a\"")));
}

// ---- render: SQLite ------------------------------------------------------------------------

TEST_CASE("render: SQLite changes a table in place where ALTER TABLE allows it",
          "[unit][migrate]") {
    const auto db = models();
    auto without = [&](std::string_view t, std::string_view c) {
        auto copy = db;
        erase_column(table(copy, t), c);
        return copy;
    };
    // add a nullable column; add a NOT NULL column with a constant default
    CHECK(render<dialect::sqlite>(without("users", "display_name"), db) ==
          statements{"ALTER TABLE \"users\" ADD COLUMN \"display_name\" TEXT"});
    CHECK(render<dialect::sqlite>(without("email_delivery_logs", "status"), db) ==
          statements{"ALTER TABLE \"email_delivery_logs\" ADD COLUMN \"status\" TEXT NOT NULL "
                     "DEFAULT 'pending'"});
    CHECK(render<dialect::sqlite>(without("users", "approved"), db) ==
          statements{"ALTER TABLE \"users\" ADD COLUMN \"approved\" BOOLEAN NOT NULL DEFAULT 0"});
    // drop a plain column
    CHECK(render<dialect::sqlite>(db, without("users", "display_name")) ==
          statements{"ALTER TABLE \"users\" DROP COLUMN \"display_name\""});
    // a declared rename
    auto renamed = db;
    auto& name = column(table(renamed, "users"), "display_name");
    name.name = "full_name";
    name.renamed_from = "display_name";
    CHECK(render<dialect::sqlite>(db, renamed) ==
          statements{"ALTER TABLE \"users\" RENAME COLUMN \"display_name\" TO \"full_name\""});
    // add and drop an index
    auto indexed = db;
    table(indexed, "dgs_lessons").indexes.push_back({"ix_dgs_lessons_topic", {"topic"}, false, {}});
    CHECK(render<dialect::sqlite>(db, indexed) ==
          statements{"CREATE INDEX \"ix_dgs_lessons_topic\" ON \"dgs_lessons\" (\"topic\")"});
    CHECK(render<dialect::sqlite>(indexed, db) ==
          statements{"DROP INDEX \"ix_dgs_lessons_topic\""});
    // several native changes to one table stay native: drop index, rename, add, drop, add index
    auto many = renamed;
    erase_column(table(many, "users"), "approved");
    table(many, "users").columns.push_back(make_column("nickname", logical_type::text, true));
    table(many, "users").indexes.push_back({"ix_users_nickname", {"nickname"}, false, {}});
    const auto s = render<dialect::sqlite>(db, many);
    CHECK(s == statements{"ALTER TABLE \"users\" RENAME COLUMN \"display_name\" TO \"full_name\"",
                          "ALTER TABLE \"users\" ADD COLUMN \"nickname\" TEXT",
                          "ALTER TABLE \"users\" DROP COLUMN \"approved\"",
                          "CREATE INDEX \"ix_users_nickname\" ON \"users\" (\"nickname\")"});
}

TEST_CASE("render: SQLite rebuilds a table for what ALTER TABLE cannot do", "[unit][migrate]") {
    const auto db = models();
    struct variant {
        std::string what, table;
        std::function<void(schema::table&)> change;
    };
    const std::vector<variant> variants{
        {"type change", "llm_call_audit",
         [](schema::table& t) { column(t, "prompt_tokens").type = logical_type::int64; }},
        {"NOT NULL", "users", [](schema::table& t) { column(t, "display_name").nullable = false; }},
        {"NULL allowed", "dgs_jobs", [](schema::table& t) { column(t, "phase").nullable = true; }},
        {"new default", "memberships",
         [](schema::table& t) {
             column(t, "role").server_default = {schema::default_value::kind::text, 0, "member"};
         }},
        {"add unique", "memberships",
         [](schema::table& t) {
             t.uniques.push_back({"uq_memberships_role", {"role"}});
         }},
        {"add foreign key", "memberships",
         [](schema::table& t) {
             t.foreign_keys.push_back(
                 {"fk_memberships_user_id_users", {"user_id"}, "users", {"id"}, {}, {}});
         }},
        {"add check", "memberships",
         [](schema::table& t) {
             t.checks.push_back({"ck_memberships_role", "role <> ''"});
         }},
        {"drop check", "llm_call_audit", [](schema::table& t) { t.checks.clear(); }},
        {"longer varchar", "users", [](schema::table& t) { column(t, "email").max_length = 300; }},
        {"enum values", "dgs_jobs",
         [](schema::table& t) {
             column(t, "status").enum_values.push_back("cancelled");
             t.checks.back().expression =
                 "\"status\" IN ('queued', 'running', 'done', 'failed', 'cancelled')";
         }},
        {"primary key", "memberships", [](schema::table& t) { t.key.columns.push_back("role"); }},
        {"drop an indexed column", "users",
         [](schema::table& t) {
             erase_column(t, "created_at");
             t.indexes.clear();
         }},
        {"drop a unique column", "dgs_lessons",
         [](schema::table& t) {
             erase_column(t, "title");
             t.uniques.clear();
         }},
        {"drop a column with a length", "dgs_jobs",
         [](schema::table& t) {
             t.columns.push_back(make_column("note", logical_type::text, true));
             t.columns.back().max_length = 10;
             t.columns.back().length_checked = true;
         }},
        {"check a length", "users",
         [](schema::table& t) { column(t, "display_name").length_checked = true; }},
        {"add NOT NULL without a default", "users",
         [](schema::table& t) {
             t.columns.push_back(make_column("nickname", logical_type::text));
         }},
        {"add a CURRENT_TIMESTAMP default", "memberships",
         [](schema::table& t) {
             t.columns.push_back(make_column("joined_at", logical_type::timestamp));
             t.columns.back().server_default = {schema::default_value::kind::expression, 0,
                                                "CURRENT_TIMESTAMP"};
         }},
        {"add an enum column", "memberships",
         [](schema::table& t) {
             auto c = make_column("state", logical_type::enumeration, true);
             c.enum_values = {"on", "off"};
             t.columns.push_back(c);
             t.checks.push_back({"ck_memberships_state_enum", "\"state\" IN ('on', 'off')"});
         }},
    };
    for (const auto& v : variants) {
        INFO(v.what);
        auto to = db;
        v.change(table(to, v.table));
        auto from = db;
        // "drop a column with a length" is the other way round: the column goes away
        if (v.what == "drop a column with a length") std::swap(from, to);
        if (v.what == "check a length") {
            column(table(from, "users"), "display_name").max_length = 80;
            column(table(to, "users"), "display_name").max_length = 80;
        }
        const schema::table& after = table(to, v.table);
        const schema::table& before = table(from, v.table);
        // copy the columns both sides have
        std::string targets;
        for (const auto& c : after.columns)
            if (before.find_column(c.name))
                targets += (targets.empty() ? "" : ", ") + ("\"" + c.name + "\"");
        check_rebuild(render<dialect::sqlite>(from, to), after,
                      "(" + targets + ") SELECT " + targets);
    }
}

TEST_CASE("render: a plain max_length column is added, dropped and renamed in place on SQLite",
          "[unit][migrate]") {
    // max_length<N> writes no CHECK on SQLite: a fix, which plans from the live schema and so
    // sees every CHECK there is, changes such a column in place.
    const retort::migrate::plan_options live{.concurrent_indexes = false, .checks_from_live = true};
    const auto db = models();
    auto with_note = db;
    table(with_note, "users").columns.push_back(make_column("note", logical_type::text, true));
    column(table(with_note, "users"), "note").max_length = 40;
    CHECK(render<dialect::sqlite>(db, with_note, live) ==
          statements{"ALTER TABLE \"users\" ADD COLUMN \"note\" VARCHAR(40)"});
    CHECK(render<dialect::sqlite>(with_note, db, live) ==
          statements{"ALTER TABLE \"users\" DROP COLUMN \"note\""});
    auto renamed = with_note;
    column(table(renamed, "users"), "note").renamed_from = "note";
    column(table(renamed, "users"), "note").name = "remark";
    CHECK(render<dialect::sqlite>(with_note, renamed, live) ==
          statements{"ALTER TABLE \"users\" RENAME COLUMN \"note\" TO \"remark\""});
    // A revision plans from a snapshot: the table may have the length CHECK an older retort
    // wrote for every max_length (DROP COLUMN would fail on it, RENAME would keep its name),
    // so dropping or renaming rebuilds. Adding is in place: a new column has no old CHECK.
    CHECK(render<dialect::sqlite>(db, with_note) ==
          statements{"ALTER TABLE \"users\" ADD COLUMN \"note\" VARCHAR(40)"});
    CHECK_THAT(joined(render<dialect::sqlite>(with_note, db)),
               Contains("CREATE TABLE \"_retort_new_users\""));
    CHECK_THAT(joined(render<dialect::sqlite>(with_note, renamed)),
               Contains("CREATE TABLE \"_retort_new_users\""));
    // checked_max_length<N> is a CHECK: adding, dropping or renaming it rebuilds.
    auto checked = with_note;
    column(table(checked, "users"), "note").length_checked = true;
    for (const auto& s :
         {render<dialect::sqlite>(db, checked, live), render<dialect::sqlite>(checked, db, live)})
        CHECK_THAT(joined(s), Contains("CREATE TABLE \"_retort_new_users\""));
    auto checked_renamed = checked;
    column(table(checked_renamed, "users"), "note").renamed_from = "note";
    column(table(checked_renamed, "users"), "note").name = "remark";
    CHECK_THAT(joined(render<dialect::sqlite>(checked, checked_renamed, live)),
               Contains("CONSTRAINT \"ck_users_remark_length\" CHECK (length(\"remark\") <= 40)"));
}

TEST_CASE("render: max_length becoming checked_max_length is a SQLite change only",
          "[unit][migrate]") {
    auto db = models();
    column(table(db, "users"), "display_name").max_length = 80;
    auto checked = db;
    column(table(checked, "users"), "display_name").length_checked = true;
    const auto ops = plan(db, checked);
    REQUIRE(ops.size() == 1);
    CHECK(ops[0].level == risk::data_dependent);
    CHECK_FALSE(ops[0].rewrites_table);
    CHECK_THAT(ops[0].description, Contains("check the length of users.display_name on SQLite"));
    const auto back = plan(checked, db);
    REQUIRE(back.size() == 1);
    CHECK(back[0].level == risk::relaxing);
    // VARCHAR(N) already checks it on PostgreSQL: no statement, not even a no-op ALTER TYPE.
    CHECK(render<dialect::postgres>(db, checked).empty());
    CHECK(render<dialect::postgres>(checked, db).empty());
    CHECK_THAT(joined(render<dialect::sqlite>(db, checked)),
               Contains("CONSTRAINT \"ck_users_display_name_length\" CHECK"));
}

TEST_CASE("render: the SQLite rebuild renames natively first and keeps the real names",
          "[unit][migrate]") {
    const auto db = models();
    auto to = db;
    auto& users = table(to, "users");
    auto& name = column(users, "display_name");
    name.name = "full_name";
    name.renamed_from = "display_name";
    name.nullable = false;  // not native: a rebuild
    const auto renamed_then_rebuilt = render<dialect::sqlite>(db, to);
    // The rename runs natively before the rebuild, so SQLite rewrites the triggers, views and
    // indexes that name the column; the rebuild then copies it under its new name.
    REQUIRE_FALSE(renamed_then_rebuilt.empty());
    CHECK(renamed_then_rebuilt[0] ==
          "ALTER TABLE \"users\" RENAME COLUMN \"display_name\" TO \"full_name\"");
    const statements s(renamed_then_rebuilt.begin() + 1, renamed_then_rebuilt.end());
    check_rebuild(s, users,
                  "(\"id\", \"email\", \"full_name\", \"approved\", \"created_at\") SELECT \"id\", "
                  "\"email\", \"full_name\", \"approved\", \"created_at\"");
    CHECK(s[0] ==
          "CREATE TABLE \"_retort_new_users\" (\n"
          "    \"id\" INTEGER NOT NULL CONSTRAINT \"pk_users\" PRIMARY KEY AUTOINCREMENT,\n"
          "    \"email\" VARCHAR(255) NOT NULL,\n"
          "    \"full_name\" TEXT NOT NULL,\n"
          "    \"approved\" BOOLEAN NOT NULL DEFAULT 0,\n"
          "    \"created_at\" TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now') || "
          "'000'),\n"
          "    CONSTRAINT \"uq_users_email\" UNIQUE (\"email\"),\n"
          "    CONSTRAINT \"ck_users_email_length\" CHECK (length(\"email\") <= 255)\n"
          ")");
    CHECK(s[2] == "UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = "
                  "'users') WHERE name = '_retort_new_users'");

    // a rename of a column with a length limit is a rebuild (its CHECK is named after it)
    auto email = db;
    auto& e = column(table(email, "users"), "email");
    e.name = "address";
    e.renamed_from = "email";
    table(email, "users").uniques = {{"uq_users_address", {"address"}}};
    const auto r = render<dialect::sqlite>(db, email);
    INFO(joined(r));
    REQUIRE(r.size() == 7);
    CHECK(r[0] == "ALTER TABLE \"users\" RENAME COLUMN \"email\" TO \"address\"");
    CHECK_THAT(r[1], Contains("CONSTRAINT \"ck_users_address_length\" CHECK (length(\"address\")"));
    CHECK_THAT(r[2], Contains(") SELECT \"id\", \"address\", \"display_name\""));

    // a table whose every column is new copies nothing
    schema::database one, other;
    one.tables = {keyed_table("t")};
    other.tables = {keyed_table("t")};
    other.tables[0].columns[0].name = "key";
    other.tables[0].key.columns = {"key"};
    check_rebuild(render<dialect::sqlite>(one, other), other.tables[0], "");
}

TEST_CASE("render: SQLite creates, then changes, then drops", "[unit][migrate]") {
    auto from = models();
    auto to = from;
    to.tables.erase(to.tables.begin());  // all_types goes
    to.tables.push_back(keyed_table("teams", {"users"}));
    column(table(to, "users"), "display_name").nullable = false;
    table(to, "dgs_lessons").indexes.push_back({"ix_dgs_lessons_topic", {"topic"}, false, {}});
    const auto s = render<dialect::sqlite>(from, to);
    INFO(joined(s));
    const auto create = position(s, "CREATE TABLE \"teams\"");
    const auto index = position(s, "CREATE INDEX \"ix_dgs_lessons_topic\"");
    const auto rebuild = position(s, "CREATE TABLE \"_retort_new_users\"");
    const auto drop = position(s, "DROP TABLE \"all_types\"");
    CHECK(create == 0);
    CHECK(create < index);
    CHECK(index < rebuild);  // changed tables by name
    CHECK(rebuild < drop);
    CHECK(drop == s.size() - 1);
}

// ---- render: PostgreSQL --------------------------------------------------------------------

TEST_CASE("render: PostgreSQL alters columns in place", "[unit][migrate]") {
    const auto db = models();
    auto to = db;
    column(table(to, "llm_call_audit"), "prompt_tokens").type = logical_type::int64;
    CHECK(render<dialect::postgres>(db, to) ==
          statements{"ALTER TABLE \"llm_call_audit\" ALTER COLUMN \"prompt_tokens\" TYPE bigint "
                     "USING \"prompt_tokens\"::bigint"});
    to = db;
    column(table(to, "users"), "email").max_length = 300;
    // between text types no USING: the implicit cast refuses a value too long to fit
    CHECK(render<dialect::postgres>(db, to) ==
          statements{"ALTER TABLE \"users\" ALTER COLUMN \"email\" TYPE varchar(300)"});
    to = db;
    column(table(to, "dgs_jobs"), "progress").type = logical_type::float32;
    CHECK(render<dialect::postgres>(db, to) ==
          statements{"ALTER TABLE \"dgs_jobs\" ALTER COLUMN \"progress\" TYPE real USING "
                     "\"progress\"::real"});

    // narrowing: the rows that would not fit are counted first, and named
    to = db;
    column(table(to, "users"), "email").max_length = 10;
    CHECK(render<dialect::postgres>(db, to) ==
          statements{
              "DO $retort$ #variable_conflict use_column DECLARE n bigint; BEGIN SELECT count(*) "
              "INTO n FROM \"users\" "
              "WHERE char_length(rtrim(\"email\"::text, ' ')) > 10; IF n > 0 THEN RAISE EXCEPTION "
              "'retort: "
              "users.email: % row(s) longer than 10 characters', n USING ERRCODE = "
              "'22001', HINT = 'change or delete those rows first'; END IF; END $retort$",
              "ALTER TABLE \"users\" ALTER COLUMN \"email\" TYPE varchar(10)"});
    auto hostile = db;  // a name that holds the dollar tag, a quote and a percent sign
    table(hostile, "llm_call_audit").name = "a$retort$'%";
    to = hostile;
    column(table(to, "a$retort$'%"), "prompt_tokens").type = logical_type::int16;
    const auto guarded = render<dialect::postgres>(hostile, to);
    REQUIRE(guarded.size() == 2);
    CHECK(guarded[0].rfind("DO $retort0$ #variable_conflict use_column DECLARE n bigint; BEGIN "
                           "SELECT count(*) INTO n FROM "
                           "\"a$retort$'%\" WHERE \"prompt_tokens\" NOT BETWEEN -32768 AND 32767; "
                           "IF n > 0 THEN RAISE EXCEPTION 'retort: a$retort$''%%.prompt_tokens: % "
                           "row(s) not an integer from -32768 to 32767', n",
                           0) == 0);
    CHECK(guarded[0].ends_with(" $retort0$"));

    // a numeric with fewer digits before the point (rounded to its digits after it), and an
    // enum to a shorter varchar: counted too
    to = db;
    column(table(to, "dgs_jobs"), "progress").native_type = "numeric(4,3)";
    const auto numeric = render<dialect::postgres>(db, to);
    REQUIRE(numeric.size() == 2);
    CHECK_THAT(numeric[0], Contains("WHERE abs(round(\"progress\"::numeric, 3)) >= 10; IF n > 0 "
                                    "THEN RAISE EXCEPTION 'retort: dgs_jobs.progress: % row(s) "
                                    "with more than 1 digit(s) before the point', n USING "
                                    "ERRCODE = '22003'"));
    auto wide = db;
    column(table(wide, "dgs_jobs"), "progress").native_type = "numeric(4,3)";
    to = wide;
    column(table(to, "dgs_jobs"), "progress").native_type = "numeric(6,3)";  // wider: no guard
    CHECK(render<dialect::postgres>(wide, to).size() == 1);
    to = db;
    column(table(to, "dgs_jobs"), "status").type = logical_type::text;
    column(table(to, "dgs_jobs"), "status").enum_values.clear();
    column(table(to, "dgs_jobs"), "status").max_length = 3;
    const auto shorter = render<dialect::postgres>(db, to);
    CHECK(std::any_of(shorter.begin(), shorter.end(), [](const std::string& sql) {
        return sql.find("WHERE char_length(rtrim(\"status\"::text, ' ')) > 3; IF n > 0 THEN "
                        "RAISE EXCEPTION 'retort: dgs_jobs.status: % row(s) longer than 3 "
                        "characters'") != std::string::npos;
    }));

    to = db;
    column(table(to, "users"), "display_name").nullable = false;
    CHECK(render<dialect::postgres>(db, to) ==
          statements{"DO $retort$ #variable_conflict use_column DECLARE n bigint; BEGIN SELECT "
                     "count(*) INTO n FROM \"users\" "
                     "WHERE \"display_name\" IS NULL; IF n > 0 THEN RAISE EXCEPTION 'retort: "
                     "users.display_name: % row(s) NULL', n USING ERRCODE = '23502', HINT = "
                     "'change or delete those rows first'; END IF; END $retort$",
                     "ALTER TABLE \"users\" ALTER COLUMN \"display_name\" SET NOT NULL"});
    CHECK(render<dialect::postgres>(to, db) ==
          statements{"ALTER TABLE \"users\" ALTER COLUMN \"display_name\" DROP NOT NULL"});

    using kind = schema::default_value::kind;
    to = db;
    column(table(to, "users"), "approved").server_default = {kind::boolean, 1, {}};
    column(table(to, "users"), "display_name").server_default = {kind::text, 0, "it's"};
    column(table(to, "llm_call_audit"), "prompt_tokens").server_default = {kind::integer, -1, {}};
    CHECK(render<dialect::postgres>(db, to) ==
          statements{"ALTER TABLE \"llm_call_audit\" ALTER COLUMN \"prompt_tokens\" SET DEFAULT -1",
                     "ALTER TABLE \"users\" ALTER COLUMN \"display_name\" SET DEFAULT 'it''s'",
                     "ALTER TABLE \"users\" ALTER COLUMN \"approved\" SET DEFAULT true"});
    to = db;
    column(table(to, "users"), "created_at").server_default = {};
    CHECK(render<dialect::postgres>(db, to) ==
          statements{"ALTER TABLE \"users\" ALTER COLUMN \"created_at\" DROP DEFAULT"});
    CHECK(render<dialect::postgres>(to, db) ==
          statements{"ALTER TABLE \"users\" ALTER COLUMN \"created_at\" SET DEFAULT "
                     "CURRENT_TIMESTAMP"});

    // add, rename and drop columns; the key
    to = db;
    auto& name = column(table(to, "users"), "display_name");
    name.name = "full_name";
    name.renamed_from = "display_name";
    table(to, "users").columns.push_back(make_column("nickname", logical_type::text, true));
    erase_column(table(to, "llm_call_audit"), "response");
    table(to, "memberships").key.columns.push_back("role");
    CHECK(render<dialect::postgres>(db, to) ==
          statements{
              "ALTER TABLE \"llm_call_audit\" DROP COLUMN \"response\"",
              "ALTER TABLE \"memberships\" DROP CONSTRAINT \"pk_memberships\"",
              "ALTER TABLE \"memberships\" ADD CONSTRAINT \"pk_memberships\" PRIMARY KEY "
              "(\"user_id\", \"team\", \"role\")",
              "ALTER TABLE \"users\" RENAME COLUMN \"display_name\" TO \"full_name\"",
              "ALTER TABLE \"users\" ADD COLUMN \"nickname\" text",
          });
}

TEST_CASE("render: a change of enum values on PostgreSQL swaps the CHECK only", "[unit][migrate]") {
    const auto db = models();
    auto to = db;
    auto& jobs = table(to, "dgs_jobs");
    column(jobs, "status").enum_values.push_back("cancelled");
    auto& check = jobs.checks.back();
    REQUIRE(check.name == "ck_dgs_jobs_status_enum");
    check.expression = "\"status\" IN ('queued', 'running', 'done', 'failed', 'cancelled')";
    const statements swap{
        "ALTER TABLE \"dgs_jobs\" DROP CONSTRAINT \"ck_dgs_jobs_status_enum\"",
        "ALTER TABLE \"dgs_jobs\" ADD CONSTRAINT \"ck_dgs_jobs_status_enum\" CHECK (\"status\" IN "
        "('queued', 'running', 'done', 'failed', 'cancelled'))"};
    CHECK(render<dialect::postgres>(db, to) == swap);
    const auto back = render<dialect::postgres>(to, db);
    REQUIRE(back.size() == 2);
    CHECK_FALSE(any_contains(back, "ALTER COLUMN"));
}

TEST_CASE("render: PostgreSQL phases keep foreign keys valid", "[unit][migrate]") {
    const auto db = models();
    auto to = db;
    // a changed foreign key (dropped and re-added), a new column with a new foreign key to a
    // new table, a column in a table listed after it, a new check and unique
    table(to, "dgs_jobs").foreign_keys.front().on_delete = retort::fk_action::restrict;
    auto& members = table(to, "memberships");
    members.columns.push_back(make_column("team_id", logical_type::int64, true));
    members.foreign_keys.push_back(
        {"fk_memberships_team_id_teams", {"team_id"}, "teams", {"id"}, {}, {}});
    members.checks.push_back({"ck_memberships_role", "role <> ''"});
    members.uniques.push_back({"uq_memberships_team_id", {"team_id"}});
    table(to, "users").columns.push_back(make_column("nickname", logical_type::text, true));
    to.tables.push_back(keyed_table("teams"));
    to.tables.erase(to.tables.begin());  // all_types
    const auto s = render<dialect::postgres>(db, to);
    INFO(joined(s));
    REQUIRE(s.size() == 9);
    CHECK(s[0] == "ALTER TABLE \"dgs_jobs\" DROP CONSTRAINT \"fk_dgs_jobs_user_id_users\"");
    CHECK(s[1].rfind("CREATE TABLE \"teams\"", 0) == 0);
    CHECK(s[2] == "ALTER TABLE \"memberships\" ADD COLUMN \"team_id\" bigint");
    CHECK(s[3] == "ALTER TABLE \"users\" ADD COLUMN \"nickname\" text");
    CHECK(s[4] == "ALTER TABLE \"memberships\" ADD CONSTRAINT \"uq_memberships_team_id\" UNIQUE "
                  "(\"team_id\")");
    CHECK(s[5] ==
          "ALTER TABLE \"memberships\" ADD CONSTRAINT \"ck_memberships_role\" CHECK (role <> '')");
    CHECK(s[6] == "ALTER TABLE \"dgs_jobs\" ADD CONSTRAINT \"fk_dgs_jobs_user_id_users\" FOREIGN "
                  "KEY (\"user_id\") REFERENCES \"users\" (\"id\") ON DELETE RESTRICT");
    CHECK(s[7] == "ALTER TABLE \"memberships\" ADD CONSTRAINT \"fk_memberships_team_id_teams\" "
                  "FOREIGN KEY (\"team_id\") REFERENCES \"teams\" (\"id\")");
    CHECK(s[8] == "DROP TABLE \"all_types\"");
}

TEST_CASE("render: concurrent index builds on PostgreSQL go last, for existing tables only",
          "[unit][migrate]") {
    const auto db = models();
    auto to = db;
    table(to, "dgs_lessons").indexes.push_back({"ix_dgs_lessons_topic", {"topic"}, false, {}});
    table(to, "users").indexes.push_back({"ix_users_email_partial", {"email"}, true, "approved"});
    table(to, "users").columns.push_back(make_column("nickname", logical_type::text, true));
    auto teams = keyed_table("teams");
    teams.indexes.push_back({"ix_teams_id", {"id"}, false, {}});
    to.tables.push_back(teams);

    retort::migrate::plan_options concurrent;
    concurrent.concurrent_indexes = true;
    const auto s = render<dialect::postgres>(db, to, concurrent);
    INFO(joined(s));
    REQUIRE(s.size() == 5);
    CHECK(s[0].rfind("CREATE TABLE \"teams\"", 0) == 0);
    CHECK(s[1] == "CREATE INDEX \"ix_teams_id\" ON \"teams\" (\"id\")");  // a new table: empty
    CHECK(s[2] == "ALTER TABLE \"users\" ADD COLUMN \"nickname\" text");
    CHECK(s[3] == "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"ix_dgs_lessons_topic\" ON "
                  "\"dgs_lessons\" (\"topic\")");
    CHECK(s[4] == "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"ix_users_email_partial\" ON "
                  "\"users\" (\"email\") WHERE approved");

    const auto plain = render<dialect::postgres>(db, to);
    INFO(joined(plain));
    CHECK_FALSE(any_contains(plain, "CONCURRENTLY"));
    CHECK_FALSE(any_contains(plain, "IF NOT EXISTS"));
    CHECK(plain[1] == "CREATE INDEX \"ix_teams_id\" ON \"teams\" (\"id\")");
    CHECK(plain[3] == "CREATE INDEX \"ix_dgs_lessons_topic\" ON \"dgs_lessons\" (\"topic\")");
    // SQLite has no such thing
    CHECK_FALSE(any_contains(render<dialect::sqlite>(db, to), "CONCURRENTLY"));
}

TEST_CASE("render: only real concurrent index builds move to the end", "[unit][migrate]") {
    // Was a bug (plan.hpp, postgres_renderer::render): the statements to run after the commit are
    // picked by s.find(" CONCURRENTLY "), on the whole rendered text and even when
    // concurrent_indexes is off. A default, CHECK or name holding " CONCURRENTLY " moves its
    // statement to the end: here CREATE TABLE lands after the CREATE INDEX on that table.
    // Fix: mark the concurrent statements while rendering (e.g. collect them in their own
    // vector) instead of searching the text.
    auto t = keyed_table("t");
    t.columns.push_back(make_column("note", logical_type::text));
    t.columns.back().server_default = {schema::default_value::kind::text, 0, "a CONCURRENTLY b"};
    t.indexes.push_back({"ix_t_note", {"note"}, false, {}});
    schema::database to;
    to.tables = {t};
    const auto s = render<dialect::postgres>({}, to);
    INFO(joined(s));
    REQUIRE(s.size() == 2);
    CHECK(s[0].rfind("CREATE TABLE", 0) == 0);
}

TEST_CASE("render: reversed() plans the way back, a rename as a rename", "[unit][migrate]") {
    const auto db = models();
    auto to = db;
    auto& name = column(table(to, "users"), "display_name");
    name.name = "full_name";
    name.renamed_from = "display_name";
    table(to, "users").columns.push_back(make_column("nickname", logical_type::text, true));
    auto [back_from, back_to] = retort::migrate::reversed(db, to);
    for (const auto& t : back_from.tables)
        for (const auto& c : t.columns) CHECK(c.renamed_from.empty());
    auto& back_users = table(back_to, "users");
    CHECK(column(back_users, "display_name").renamed_from == "full_name");
    const statements down{"ALTER TABLE \"users\" RENAME COLUMN \"full_name\" TO \"display_name\"",
                          "ALTER TABLE \"users\" DROP COLUMN \"nickname\""};
    CHECK(render<dialect::sqlite>(back_from, back_to) == down);
    CHECK(render<dialect::postgres>(back_from, back_to) == down);
    // and forward again
    const auto [again_from, again_to] = retort::migrate::reversed(back_from, back_to);
    CHECK(render<dialect::postgres>(again_from, again_to) == render<dialect::postgres>(db, to));
    // no rename: nothing but the plain reverse
    auto added = db;
    table(added, "users").columns.push_back(make_column("nickname", logical_type::text, true));
    const auto [f, b] = retort::migrate::reversed(db, added);
    CHECK(f == added);
    CHECK(b == db);
}

TEST_CASE("render: hostile names are quoted, and every statement survives splitting",
          "[unit][migrate]") {
    schema::database from;
    auto odd = keyed_table("odd \"name\"; --");
    odd.columns.push_back(make_column("a \"b\"", logical_type::text, true));
    odd.columns.back().server_default = {schema::default_value::kind::text, 0, "it's; /* */"};
    odd.checks.push_back({"ck \"x\"", "\"a \"\"b\"\"\" <> ';'"});
    odd.indexes.push_back({"ix \"a\"", {"a \"b\""}, false, "\"a \"\"b\"\"\" <> '$$'"});
    from.tables = {odd};
    auto to = from;
    auto& c = to.tables[0].columns.back();
    c.name = "c";
    c.renamed_from = "a \"b\"";
    // the index and the check follow their column (both backends rename the column inside)
    to.tables[0].indexes[0].columns = {"c"};
    to.tables[0].indexes[0].where = "\"c\" <> '$$'";
    to.tables[0].checks[0].expression = "\"c\" <> ';'";
    const statements rename{"ALTER TABLE \"odd \"\"name\"\"; --\" RENAME COLUMN \"a \"\"b\"\"\" "
                            "TO \"c\""};
    CHECK(render<dialect::postgres>(from, to) == rename);

    // what format_revision writes (statement, ';', newline) splits back into the statements
    auto all = models();
    all.tables.push_back(odd);
    all.tables.push_back(keyed_table("cycle_a", {"cycle_b"}));
    all.tables.push_back(keyed_table("cycle_b", {"cycle_a"}));
    auto changed = all;
    column(table(changed, "users"), "display_name").nullable = false;
    table(changed, "odd \"name\"; --").checks.clear();
    for (const auto& s :
         {render<dialect::sqlite>({}, all), render<dialect::postgres>({}, all),
          render<dialect::sqlite>(all, changed), render<dialect::postgres>(all, changed),
          render<dialect::sqlite>(all, {}), render<dialect::postgres>(all, {})}) {
        REQUIRE_FALSE(s.empty());
        CHECK(split_statements(joined(s)) == s);
    }
}

// ---- determinism ---------------------------------------------------------------------------

namespace {

/// The same schema, listed backwards: tables, constraints and indexes in reverse order.
schema::database shuffled(schema::database db) {
    std::reverse(db.tables.begin(), db.tables.end());
    for (auto& t : db.tables) {
        std::reverse(t.uniques.begin(), t.uniques.end());
        std::reverse(t.indexes.begin(), t.indexes.end());
        std::reverse(t.foreign_keys.begin(), t.foreign_keys.end());
        std::reverse(t.checks.begin(), t.checks.end());
    }
    return db;
}

}  // namespace

TEST_CASE("render: the same input gives byte-identical output, whatever the listing order",
          "[unit][migrate]") {
    const auto from = models();
    auto to = from;
    to.tables.erase(to.tables.begin());
    column(table(to, "users"), "display_name").nullable = false;
    table(to, "users").checks.push_back({"ck_users_a", "approved IN (0, 1)"});
    table(to, "users").checks.push_back({"ck_users_b", "id > 0"});
    table(to, "dgs_jobs").indexes.push_back({"ix_dgs_jobs_phase", {"phase"}, false, {}});
    table(to, "dgs_lessons").foreign_keys.front().on_update = retort::fk_action::cascade;
    auto cycle_a = keyed_table("cycle_a", {"cycle_b"});
    cycle_a.indexes.push_back({"ix_cycle_a_b", {"cycle_b_id"}, false, {}});
    cycle_a.indexes.push_back({"ix_cycle_a_a", {"id"}, false, {}});
    to.tables.push_back(cycle_a);
    to.tables.push_back(keyed_table("cycle_b", {"cycle_a", "users"}));

    retort::migrate::plan_options concurrent;
    concurrent.concurrent_indexes = true;
    const auto lite = render<dialect::sqlite>(from, to);
    const auto pg = render<dialect::postgres>(from, to, concurrent);
    CHECK(render<dialect::sqlite>(from, to) == lite);
    CHECK(render<dialect::postgres>(from, to, concurrent) == pg);
    CHECK(render<dialect::sqlite>(shuffled(from), shuffled(to)) == lite);
    CHECK(render<dialect::postgres>(shuffled(from), shuffled(to), concurrent) == pg);
    CHECK(to_text(retort::migrate::snapshot_of(shuffled(to))) ==
          to_text(retort::migrate::snapshot_of(to)));

    // the whole revision file, both directions and dialects, and the snapshot
    const std::vector<retort::migrate::revision> base{
        retort::migrate::parse_revision(retort::migrate::plan_revision({}, from, "base")->text)};
    retort::migrate::autogenerate_options options;
    options.allow_destructive = true;
    options.concurrent_indexes = true;
    const auto first = retort::migrate::plan_revision(base, to, "Change things", options);
    REQUIRE(first);
    const auto second = retort::migrate::plan_revision(base, to, "Change things", options);
    const auto reordered =
        retort::migrate::plan_revision(base, shuffled(to), "Change things", options);
    CHECK(first->text == second->text);
    CHECK(first->text == reordered->text);
    CHECK(first->operations == reordered->operations);
    // a base listed in another order plans the same revision
    const std::vector<retort::migrate::revision> base_shuffled{retort::migrate::parse_revision(
        retort::migrate::plan_revision({}, shuffled(from), "base")->text)};
    CHECK(base_shuffled[0].checksum == base[0].checksum);
    CHECK(retort::migrate::plan_revision(base_shuffled, to, "Change things", options)->text ==
          first->text);
}

// ---- fixes from review: ordering and column changes on PostgreSQL --------------------------

TEST_CASE("render: PostgreSQL drops a foreign key before the unique it uses", "[unit][migrate]") {
    schema::database from, to;
    auto authors = keyed_table("authors");
    authors.columns.push_back(make_column("email", logical_type::text));
    authors.uniques = {{"uq_authors_email", {"email"}}};
    auto books = keyed_table("books");
    books.columns.push_back(make_column("author_email", logical_type::text));
    books.foreign_keys.push_back(
        {"fk_books_author_email_authors", {"author_email"}, "authors", {"email"}, {}, {}});
    from.tables = {authors, books};
    authors.uniques.clear();
    books.foreign_keys.clear();
    to.tables = {authors, books};
    const auto s = render<dialect::postgres>(from, to);
    INFO(joined(s));
    REQUIRE(s.size() == 2);
    CHECK(s[0] == "ALTER TABLE \"books\" DROP CONSTRAINT \"fk_books_author_email_authors\"");
    CHECK(s[1] == "ALTER TABLE \"authors\" DROP CONSTRAINT \"uq_authors_email\"");
}

TEST_CASE("render: a new table's key to an existing table is added after that table changes",
          "[unit][migrate]") {
    schema::database from, to;
    from.tables = {keyed_table("users")};
    auto users = keyed_table("users");
    users.columns.push_back(make_column("handle", logical_type::text));
    users.uniques = {{"uq_users_handle", {"handle"}}};
    auto profiles = keyed_table("profiles");
    profiles.columns.push_back(make_column("handle", logical_type::text));
    profiles.foreign_keys.push_back(
        {"fk_profiles_handle_users", {"handle"}, "users", {"handle"}, {}, {}});
    to.tables = {users, profiles};
    const auto s = render<dialect::postgres>(from, to);
    INFO(joined(s));
    const auto create = position(s, "CREATE TABLE \"profiles\"");
    const auto column = position(s, "ALTER TABLE \"users\" ADD COLUMN \"handle\"");
    const auto unique = position(s, "ALTER TABLE \"users\" ADD CONSTRAINT \"uq_users_handle\"");
    const auto key = position(s, "ALTER TABLE \"profiles\" ADD CONSTRAINT");
    CHECK_THAT(s[create], !Contains("REFERENCES"));
    CHECK(create < key);
    CHECK(column < unique);
    CHECK(unique < key);
}

TEST_CASE("render: a PostgreSQL type change takes the default off and puts it back",
          "[unit][migrate]") {
    schema::database from, to;
    auto t = keyed_table("accounts");
    auto state = make_column("active", logical_type::text);
    state.server_default = {schema::default_value::kind::text, 0, "yes"};
    t.columns.push_back(state);
    from.tables = {t};
    t.columns[1].type = logical_type::boolean;
    t.columns[1].server_default = {schema::default_value::kind::boolean, 1, {}};
    to.tables = {t};
    const auto s = render<dialect::postgres>(from, to);
    INFO(joined(s));
    REQUIRE(s.size() >= 3);
    CHECK(s[0] == "ALTER TABLE \"accounts\" ALTER COLUMN \"active\" DROP DEFAULT");
    CHECK(
        s[1] ==
        "ALTER TABLE \"accounts\" ALTER COLUMN \"active\" TYPE boolean USING \"active\"::boolean");
    CHECK(s[2] == "ALTER TABLE \"accounts\" ALTER COLUMN \"active\" SET DEFAULT true");
}

TEST_CASE("render: autoincrement added to a key is an identity that starts after the keys",
          "[unit][migrate]") {
    schema::database from, to;
    from.tables = {keyed_table("events")};
    to = from;
    to.tables[0].columns[0].autoincrement = true;
    const auto ops = retort::migrate::plan(from, to);
    REQUIRE(ops.size() == 1);
    CHECK(ops[0].kind == retort::migrate::change::alter_column_identity);
    const auto pg = render<dialect::postgres>(from, to);
    INFO(joined(pg));
    REQUIRE(pg.size() == 2);
    CHECK(pg[0] ==
          "ALTER TABLE \"events\" ALTER COLUMN \"id\" ADD GENERATED BY DEFAULT AS IDENTITY");
    CHECK(pg[1] ==
          "SELECT setval(pg_get_serial_sequence('\"events\"', 'id'), COALESCE(MAX(\"id\"), "
          "0) + 1, false) FROM \"events\"");
    CHECK(render<dialect::postgres>(to, from) ==
          statements{"ALTER TABLE \"events\" ALTER COLUMN \"id\" DROP IDENTITY IF EXISTS"});
    // SQLite has no ALTER for it: the table is rebuilt
    CHECK(any_contains(render<dialect::sqlite>(from, to), "CREATE TABLE \"_retort_new_events\""));
}

TEST_CASE("render: PostgreSQL moves the foreign keys off a primary key that changes",
          "[unit][migrate]") {
    schema::database from, to;
    auto users = keyed_table("users");
    users.columns.push_back(make_column("tenant", logical_type::int64));
    users.uniques = {{"uq_users_id", {"id"}}};
    from.tables = {users, keyed_table("orders", {"users"})};
    users.key.columns = {"tenant", "id"};
    to.tables = {users, keyed_table("orders", {"users"})};
    const auto s = render<dialect::postgres>(from, to);
    INFO(joined(s));
    const auto drop_fk = position(s, "ALTER TABLE \"orders\" DROP CONSTRAINT \"fk_orders_users\"");
    const auto drop_pk = position(s, "ALTER TABLE \"users\" DROP CONSTRAINT \"pk_users\"");
    const auto add_pk = position(s, "ALTER TABLE \"users\" ADD CONSTRAINT \"pk_users\"");
    const auto add_fk = position(s, "ALTER TABLE \"orders\" ADD CONSTRAINT \"fk_orders_users\"");
    CHECK(drop_fk < drop_pk);
    CHECK(drop_pk < add_pk);
    CHECK(add_pk < add_fk);
}

TEST_CASE("a table declared renamed is renamed, with the rules named after it", "[unit][migrate]") {
    using retort::migrate::change;
    schema::database from, to;
    auto users = keyed_table("users");
    users.columns.push_back(make_column("email", logical_type::text));
    users.uniques = {{"uq_users_email", {"email"}}};
    users.indexes = {{"ix_users_email", {"email"}, false, {}}};
    from.tables = {users, keyed_table("orders", {"users"})};
    auto accounts = users;
    accounts.name = "accounts";
    accounts.renamed_from = "users";
    accounts.key.name = "pk_accounts";
    accounts.uniques = {{"uq_accounts_email", {"email"}}};
    accounts.indexes = {{"ix_accounts_email", {"email"}, false, {}}};
    auto orders = keyed_table("orders", {"accounts"});
    orders.foreign_keys[0].name = "fk_orders_accounts";
    to.tables = {accounts, orders};

    const auto ops = retort::migrate::plan(from, to);
    REQUIRE_FALSE(ops.empty());
    CHECK(std::none_of(ops.begin(), ops.end(), [](const auto& op) {
        return op.kind == change::drop_table || op.kind == change::create_table;
    }));
    CHECK(std::count_if(ops.begin(), ops.end(),
                        [](const auto& op) { return op.kind == change::rename_table; }) == 1);

    const auto pg = render<dialect::postgres>(from, to);
    INFO(joined(pg));
    CHECK(pg[0] == "ALTER TABLE \"users\" RENAME TO \"accounts\"");
    CHECK(
        position(pg, "ALTER TABLE \"accounts\" RENAME CONSTRAINT \"pk_users\" TO \"pk_accounts\"") <
        position(pg, "ALTER TABLE \"orders\" ADD CONSTRAINT \"fk_orders_accounts\""));
    position(pg, "ALTER TABLE \"accounts\" RENAME CONSTRAINT \"uq_users_email\" TO "
                 "\"uq_accounts_email\"");
    position(pg, "ALTER INDEX \"ix_users_email\" RENAME TO \"ix_accounts_email\"");
    CHECK_FALSE(any_contains(pg, "DROP TABLE"));

    const auto lite = render<dialect::sqlite>(from, to);
    INFO(joined(lite));
    CHECK(lite[0] == "ALTER TABLE \"users\" RENAME TO \"accounts\"");
    // constraint names live in the table's DDL: the renamed table is rebuilt under new ones
    CHECK(any_contains(lite, "CONSTRAINT \"pk_accounts\""));
    CHECK(any_contains(lite, "INSERT INTO \"_retort_new_accounts\""));

    // the way back renames it back
    const auto [back_from, back_to] = retort::migrate::reversed(from, to);
    const auto back = render<dialect::postgres>(back_from, back_to);
    INFO(joined(back));
    CHECK(back[0] == "ALTER TABLE \"accounts\" RENAME TO \"users\"");
    CHECK_FALSE(any_contains(back, "DROP TABLE"));
}

TEST_CASE("render: PostgreSQL drops a dropped table's foreign keys before the rules they use",
          "[unit][migrate]") {
    schema::database from, to;
    auto authors = keyed_table("authors");
    authors.columns.push_back(make_column("email", logical_type::text));
    authors.uniques = {{"uq_authors_email", {"email"}}};
    auto books = keyed_table("books");
    books.columns.push_back(make_column("author_email", logical_type::text));
    books.foreign_keys.push_back(
        {"fk_books_author_email_authors", {"author_email"}, "authors", {"email"}, {}, {}});
    from.tables = {authors, books};
    authors.uniques.clear();
    to.tables = {authors};
    const auto s = render<dialect::postgres>(from, to);
    INFO(joined(s));
    REQUIRE(s.size() == 3);
    CHECK(s[0] == "ALTER TABLE \"books\" DROP CONSTRAINT \"fk_books_author_email_authors\"");
    CHECK(s[1] == "ALTER TABLE \"authors\" DROP CONSTRAINT \"uq_authors_email\"");
    CHECK(s[2] == "DROP TABLE \"books\"");
}

// Was a false change: a revision compared the models' postgres_type spelling as written, so
// `numeric(12, 2)` after `numeric(12,2)` planned a table rewrite, and a native-typed change
// rebuilt the table on SQLite, where the column is TEXT either way.
TEST_CASE("revisions: native type spellings are PostgreSQL's, and SQLite renders no change for "
          "them",
          "[unit][migrate]") {
    schema::database from;
    auto prices = keyed_table("prices");
    prices.columns.push_back(make_column("amount", logical_type::text));
    prices.columns.back().native_type = "numeric(12, 2)";
    from.tables.push_back(prices);
    const std::vector<retort::migrate::revision> base{
        retort::migrate::parse_revision(retort::migrate::plan_revision({}, from, "base")->text)};
    CHECK(base[0].snapshot.tables[0].columns.back().native_type == "numeric(12,2)");

    schema::database respelled = from;
    respelled.tables[0].columns.back().native_type = "NUMERIC(12,2)";
    CHECK_FALSE(retort::migrate::plan_revision(base, respelled, "same type").has_value());

    schema::database wider = from;
    wider.tables[0].columns.back().native_type = "decimal(14,2)";
    retort::migrate::autogenerate_options options;
    options.allow_destructive = true;
    const auto changed = retort::migrate::plan_revision(base, wider, "wider", options);
    REQUIRE(changed);
    const auto parsed = retort::migrate::parse_revision(changed->text);
    const auto pg = parsed.statements(retort::migrate::direction::up, "postgresql");
    REQUIRE(pg.size() == 1);
    // No USING: an explicit cast could cut a value (to character(n), bit(n)); the implicit
    // one refuses what does not fit.
    CHECK(pg[0] == "ALTER TABLE \"prices\" ALTER COLUMN \"amount\" TYPE numeric(14,2)");
    CHECK(parsed.statements(retort::migrate::direction::up, "sqlite").empty());
    CHECK(parsed.statements(retort::migrate::direction::down, "sqlite").empty());
}

namespace expr_index {
struct person {
    std::int64_t id{};
    std::string email;
    std::string last_name;
};
RETORT_TABLE(person, "people", (id, retort::primary_key), (email), (last_name));
RETORT_CONSTRAINTS(person,
                   retort::index<"ix_people_email_lower", retort::index_expression<"lower(email)">>,
                   retort::unique_index<"ux_people_name_email", &person::last_name,
                                        retort::index_expression<"lower(email)">>);
}  // namespace expr_index

TEST_CASE("expression indexes: declared, rendered, written to snapshots and read back",
          "[unit][migrate]") {
    const auto db = schema::database_of<expr_index::person>();
    const auto& t = db.tables[0];
    REQUIRE(t.indexes.size() == 2);
    const auto& lower = *std::find_if(t.indexes.begin(), t.indexes.end(), [](const auto& i) {
        return i.name == "ix_people_email_lower";
    });
    CHECK(lower.columns == std::vector<std::string>{"lower(email)"});
    CHECK(lower.expressions == std::vector<bool>{true});
    const auto& mixed = *std::find_if(t.indexes.begin(), t.indexes.end(), [](const auto& i) {
        return i.name == "ux_people_name_email";
    });
    CHECK(mixed.expressions == std::vector<bool>{false, true});

    // an element is a quoted column or an expression in parentheses, on both dialects
    CHECK(
        dialect::create_index_sql<dialect::postgres>(t, mixed) ==
        R"sql(CREATE UNIQUE INDEX "ux_people_name_email" ON "people" ("last_name", (lower(email))))sql");
    CHECK(dialect::create_index_sql<dialect::sqlite>(t, lower) ==
          R"sql(CREATE INDEX "ix_people_email_lower" ON "people" ((lower(email))))sql");

    // a column named like an expression stays a column
    schema::index odd{"ix_odd", {"lower(email)"}};
    CHECK(dialect::create_index_sql<dialect::sqlite>(t, odd) ==
          R"sql(CREATE INDEX "ix_odd" ON "people" ("lower(email)"))sql");

    // snapshots say which elements are expressions, and refuse a malformed list
    const std::string text = to_text(db);
    CHECK_THAT(text, Contains("expressions"));
    CHECK(schema_from_text(text) == db);
    auto as_column = db;
    for (auto& i : as_column.tables[0].indexes) i.expressions.clear();
    CHECK(schema_from_text(to_text(as_column)) != db);
    std::string bad = text;
    bad.replace(bad.find("\"expression\""), 12, "\"formula\"");
    CHECK_THROWS_AS(schema_from_text(bad), retort::configuration_error);
    // a list that names no expression, a second list, an empty expression: each would read
    // back unequal to the schema it stands for
    const std::string head = "table \"t\"\n  column \"a\" text 0 not-null - none 0 \"\" 0\n";
    CHECK_THAT(snapshot_error(head + "  index \"ix\" plain \"\" 1 \"a\" expressions 1 \"column\""),
               Contains("only when one is an expression"));
    CHECK_THAT(snapshot_error(head + "  index \"ix\" plain \"\" 1 \"lower(a)\" expressions 1 "
                                     "\"expression\" expressions 1 \"expression\""),
               Contains("once"));
    CHECK_THAT(snapshot_error(head + "  index \"ix\" plain \"\" 1 \"lower(a)\" using \"gin\" 0 "
                                     "using \"gist\" 0"),
               Contains("one access method"));
    CHECK_THAT(
        snapshot_error(head + "  index \"ix\" plain \"\" 1 \"\" expressions 1 \"expression\""),
        Contains("expression is empty"));
    CHECK(snapshot_error(head + "  index \"ix\" plain \"\" 1 \"lower(a)\" expressions 1 "
                                "\"expression\"") == "no error");

    // changing the expression is a changed index; the same one is none
    auto changed = db;
    for (auto& i : changed.tables[0].indexes)
        if (i.name == "ix_people_email_lower") i.columns = {"upper(email)"};
    const auto ops = plan(db, changed);
    REQUIRE(ops.size() == 2);
    CHECK(plan(db, db).empty());
}

TEST_CASE("expression indexes: SQLite's DDL elements read as written", "[unit][migrate]") {
    using retort::migrate::detail::sqlite_introspect::index_elements;
    CHECK(index_elements(R"sql(CREATE INDEX "ix" ON "people" ((lower(email))))sql") ==
          std::vector<std::string>{"lower(email)"});
    CHECK(index_elements("CREATE UNIQUE INDEX ix ON people (last_name, lower(email), "
                         "(a + b) ) WHERE x > (1)") ==
          std::vector<std::string>{"last_name", "lower(email)", "a + b"});
    CHECK(index_elements("CREATE INDEX ix ON t (substr(a, 1, 2), b)") ==
          std::vector<std::string>{"substr(a, 1, 2)", "b"});
    CHECK(index_elements("CREATE INDEX ix ON t (").empty());
    CHECK(index_elements("CREATE INDEX ix ON t ((lower(a)) DESC, b COLLATE NOCASE ASC, "
                         "lower(c) collate \"x\")") ==
          std::vector<std::string>{"lower(a)", "b", "lower(c)"});
}

retort::schema::column column_named(std::string name) {
    retort::schema::column c;
    c.name = std::move(name);
    return c;
}

TEST_CASE("SQLite expressions compare without the quotes RENAME COLUMN adds", "[unit][migrate]") {
    using retort::migrate::detail::sqlite_introspect::without_needless_quotes;
    retort::schema::table cols;
    cols.name = "t";
    for (const char* n : {"mail", "Mail_2", "x", "y", "order", "a b", "text", "status"})
        cols.columns.push_back(column_named(n));
    CHECK(without_needless_quotes(R"sql(lower("mail"))sql", cols) == "lower(mail)");
    CHECK(without_needless_quotes(R"sql("Mail_2" > 0 AND [x] < `y`)sql", cols) ==
          "Mail_2 > 0 AND x < y");
    // a keyword, a name needing quotes, a name of no column (SQLite's double-quoted string
    // literal) and string literals keep theirs
    CHECK(without_needless_quotes(R"sql("order" > 0 AND "a b" = '"c"')sql", cols) ==
          R"sql("order" > 0 AND "a b" = '"c"')sql");
    CHECK(without_needless_quotes(R"sql(status = "active")sql", cols) ==
          R"sql(status = "active")sql");
    CHECK(without_needless_quotes(R"sql("t"."mail" + "2x")sql", cols) ==
          R"sql("t".mail + "2x")sql");
    // an unquoted name is kept apart from the words beside it
    CHECK(without_needless_quotes(R"sql(CAST(x AS"text"))sql", cols) == "CAST(x AS text)");
    CHECK(without_needless_quotes(R"sql("mail"IS NULL)sql", cols) == "mail IS NULL");
    CHECK(without_needless_quotes("", cols) == "");

    retort::schema::table t;
    t.name = "people";
    t.columns = {column_named("id"), column_named("mail")};
    t.checks = {{"ck_people_mail", R"sql(length("mail") <= 5)sql"}};
    t.indexes = {{"ix_people_mail",
                  {"id", R"sql(lower("mail"))sql"},
                  false,
                  R"sql("mail" <> '')sql",
                  {},
                  {},
                  {false, true}}};
    const auto n = retort::migrate::normalize_for_sqlite(retort::schema::database{{t}});
    CHECK(n.tables[0].checks[0].expression == "length(mail) <= 5");
    CHECK(n.tables[0].indexes[0].columns == std::vector<std::string>{"id", "lower(mail)"});
    CHECK(n.tables[0].indexes[0].where == "mail <> ''");
}

TEST_CASE("SQLite cannot drop a column an index expression uses", "[unit][migrate]") {
    retort::schema::table t;
    t.name = "people";
    t.columns = {column_named("id"), column_named("email"), column_named("note")};
    t.indexes = {{"ix_people_email_lower", {"lower(email)"}, false, {}, {}, {}, {true}}};
    const retort::schema::database db{{t}};
    const retort::migrate::detail::sqlite_renderer r{db, db, true};
    CHECK_FALSE(r.can_drop(t, *t.find_column("email")));
    CHECK(r.can_drop(t, *t.find_column("note")));
}
