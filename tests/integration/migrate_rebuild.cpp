// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// What a table rebuild must not do to the data (SQLite rebuilds where ALTER TABLE cannot; the
// same properties hold on PostgreSQL, which alters in place): lose a row, fire ON DELETE
// CASCADE on the children of a rebuilt parent, leave a foreign key dangling, reuse an
// AUTOINCREMENT id, lose a trigger. And what must not happen without being asked: a revision
// or a schema fix that drops a column.

#include "../support/migration_models.hpp"

#include <retort/migrate/schema_manager.hpp>

#include <algorithm>

namespace {

namespace m = retort::migrate;
using Catch::Contains;
using namespace migtest;

using strings = std::vector<std::string>;

bool mentions(const strings& statements, std::string_view text) {
    return std::any_of(statements.begin(), statements.end(),
                       [&](const std::string& s) { return s.find(text) != std::string::npos; });
}

template <class S>
std::int64_t count_of(S& s, const std::string& table) {
    return std::get<0>(s.template query<std::int64_t>("SELECT COUNT(*) FROM " + table).at(0));
}

/// SQLite's own verdicts on the file: no foreign key without its parent, foreign keys
/// enforced, no corruption.
template <class S>
void check_sqlite_integrity(S& s) {
    CHECK(s.template query<std::string, std::optional<std::int64_t>, std::string, std::int64_t>(
               "PRAGMA foreign_key_check")
              .empty());
    CHECK(std::get<0>(s.template query<std::int64_t>("PRAGMA foreign_keys").at(0)) == 1);
    CHECK(std::get<0>(s.template query<std::string>("PRAGMA integrity_check").at(0)) == "ok");
}

namespace hand_made {
struct note {
    std::int64_t id{};
    std::string body;
    std::optional<std::string> tag;
    std::int64_t stars{};
};
RETORT_TABLE(note, "notes", (id, retort::primary_key, retort::autoincrement), (body),
             (tag, retort::indexed), (stars, retort::check<"stars >= 0">));

struct label {
    std::int64_t id{};
    std::string name;
};
RETORT_TABLE(label, "labels", (id, retort::primary_key), (name));
}  // namespace hand_made

namespace downgraded {
namespace v1 {
struct profile {
    std::int64_t id{};
    std::string bio;
    std::int64_t age{};
};
RETORT_TABLE(profile, "dg_profiles", (id, retort::primary_key), (bio), (age));
}  // namespace v1
namespace v2 {  // bio dropped
struct profile {
    std::int64_t id{};
    std::int64_t age{};
};
RETORT_TABLE(profile, "dg_profiles", (id, retort::primary_key), (age));
}  // namespace v2
}  // namespace downgraded

// A score and a name narrowed (int64 to int32, 80 characters to 10), a count widened.
namespace narrowed {
namespace v1 {
struct player {
    std::int64_t id{};
    std::int64_t score{};
    std::string name;
    std::int16_t games{};
    std::optional<std::int64_t> n;  // becomes NOT NULL: PL/pgSQL's guard has a variable n
};
RETORT_TABLE(player, "nr_players", (id, retort::primary_key), (score),
             (name, retort::max_length<80>), (games), (n));
}  // namespace v1
namespace v2 {
struct player {
    std::int64_t id{};
    std::int32_t score{};
    std::string name;
    std::int32_t games{};
    std::int64_t n{};
};
RETORT_TABLE(player, "nr_players", (id, retort::primary_key), (score),
             (name, retort::max_length<10>), (games), (n));
}  // namespace v2
}  // namespace narrowed

// An amount with fewer digits before the point, an enum narrowed to a shorter varchar.
namespace narrowed_types {
enum class size_kind { xs, medium };
RETORT_ENUM(size_kind, xs, medium);
namespace v1 {
struct item {
    std::int64_t id{};
    std::string amount;
    size_kind size{};
};
RETORT_TABLE(item, "nt_items", (id, retort::primary_key),
             (amount, retort::postgres_type<"numeric(12,2)">), (size));
}  // namespace v1
namespace v2 {
struct item {
    std::int64_t id{};
    std::string amount;
    std::string size;
};
RETORT_TABLE(item, "nt_items", (id, retort::primary_key),
             (amount, retort::postgres_type<"numeric(8,2)">), (size, retort::max_length<3>));
}  // namespace v2
}  // namespace narrowed_types

}  // namespace

// ---- 2. rebuilds keep the data ------------------------------------------------------------------

TEST_CASE("a parent table changed while its children have rows fires no ON DELETE CASCADE",
          "[migrate]") {
    scratch f;
    at_v1_with_rows(f, [&](auto& s, auto& mig) {
        using B = typename std::decay_t<decltype(s)>::backend;
        // Revision 2 changes authors (the parent of books, ON DELETE CASCADE); on SQLite by a
        // rebuild, which drops the old table.
        const strings second = mig.script("+1", m::direction::up);
        if constexpr (is_sqlite<B>) {
            CHECK(mentions(second, "CREATE TABLE \"_retort_new_authors\""));
            CHECK(mentions(second, "DROP TABLE \"authors\""));
        }
        mig.upgrade("+1");
        CHECK(books_v2(s) == expected_books_v1());

        // Revision 3 changes books, the parent of reviews.
        seed_v2(s);
        const strings third = mig.script("+1", m::direction::up);
        if constexpr (is_sqlite<B>) CHECK(mentions(third, "CREATE TABLE \"_retort_new_books\""));
        mig.upgrade("+1");
        CHECK(reviews_v3(s) == expected_reviews_v3());
        CHECK(books_v3(s) == expected_books_v3());
        CHECK(authors(s) == expected_authors());
    });
}

TEST_CASE("sqlite: every rebuild passes foreign_key_check and leaves foreign keys on",
          "[migrate][sqlite-only]") {
    scratch f;
    at_v1_with_rows(f, [&](auto& s, auto& mig) {
        check_sqlite_integrity(s);
        mig.upgrade("+1");
        check_sqlite_integrity(s);
        seed_v2(s);
        mig.upgrade("+1");
        check_sqlite_integrity(s);
        mig.downgrade("-1");
        check_sqlite_integrity(s);
    });
}

TEST_CASE("a revision that would leave a row without its parent is refused", "[migrate]") {
    scratch f;
    const auto first = m::autogenerate<v1::author, v1::book>(f.dir, "initial")->id;
    // A data migration that inserts a book of an author who does not exist. SQLite runs a
    // revision with foreign keys off (a rebuild needs that): its foreign_key_check refuses it.
    auto orphan = m::empty_revision(f.dir, "orphan book");
    std::string text = read_text(orphan.path);
    for (const std::string header : {"-- up: sqlite\n", "-- up: postgresql\n"}) {
        const std::size_t at = text.find(header);
        REQUIRE(at != std::string::npos);
        text.insert(at + header.size(), "INSERT INTO books (id, author_id, title, pages, genre) "
                                        "VALUES (99, 42, 'Orphan', 1, 'fiction');\n");
    }
    write_text(orphan.path, text);
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::migrator<B> mig(s, m::load_history(f.dir));
        mig.upgrade("+1");
        seed_v1(s);
        if constexpr (is_sqlite<B>)
            CHECK_THROWS_WITH(mig.upgrade("head"),
                              Contains(orphan.id) && Contains("1 row(s) without a parent") &&
                                  Contains("books: 1 row(s) whose foreign key finds no parent"));
        else
            CHECK_THROWS_WITH(mig.upgrade("head"),
                              Contains(orphan.id) && Contains("fk_books_author_id_authors"));
        CHECK(mig.current() == first);
        CHECK(books_v1(s) == expected_books_v1());
        if constexpr (is_sqlite<B>) check_sqlite_integrity(s);
    });
}

TEST_CASE("sqlite: a row without its parent from before a rebuild is kept, not blamed on it",
          "[migrate][sqlite-only]") {
    scratch f;
    at_v1_with_rows(f, [&](auto& s, auto& mig) {
        // An orphan slipped in while foreign keys were off: the application's, not the
        // migration's; the rebuild of books copies it like any other row.
        s.execute_script("PRAGMA foreign_keys = OFF");
        s.execute_script("INSERT INTO books (id, author_id, title, pages, genre) "
                         "VALUES (99, 42, 'Orphan', 1, 'fiction')");
        s.execute_script("PRAGMA foreign_keys = ON");
        CHECK(mig.upgrade("+1") == strings{mig.history()[1].id});
        auto books = expected_books_v1();
        books.emplace_back(99, 42, "Orphan", 1, "fiction", std::nullopt);
        CHECK(books_v2(s) == books);
        CHECK(s.template query<std::string, std::optional<std::int64_t>, std::string, std::int64_t>(
                   "PRAGMA foreign_key_check")
                  .size() == 1);
    });
}

TEST_CASE("an AUTOINCREMENT key never reuses an id across a rebuild", "[migrate]") {
    scratch f;
    at_v1_with_rows(f, [&](auto& s, auto& mig) {
        s.execute("DELETE FROM authors WHERE id = ?", std::int64_t{3});  // the highest id
        mig.upgrade("+1");                                               // authors rebuilt
        CHECK(s.insert(v2::author{0, "Eve", "eve@example.org", {}, true, "SE"}) == 4);
        s.insert(v2::book{0, 4, "Ciphers", 10, v2::genre_kind::science, {}});
        s.execute("DELETE FROM books WHERE id = ?", std::int64_t{5});
        mig.upgrade("+1");  // books rebuilt
        CHECK(s.insert(v3::book{0, 4, "Keys", 12, v3::genre_kind::science}) == 6);
    });
}

TEST_CASE("an AUTOINCREMENT key never reuses an id across a rebuild of an emptied table",
          "[migrate]") {
    scratch f;
    at_v1_with_rows(f, [&](auto& s, auto& mig) {
        s.execute_script("DELETE FROM authors");  // and, by cascade, every book
        CHECK(count_of(s, "books") == 0);
        mig.upgrade("+1");
        CHECK(s.insert(v2::author{0, "Eve", "eve@example.org", {}, true, "SE"}) == 4);
    });
}

TEST_CASE("sqlite: a trigger on a rebuilt table is recreated and still fires",
          "[migrate][sqlite-only]") {
    scratch f;
    write_history(f.dir);
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::migrator<B> mig(s, m::load_history(f.dir));
        mig.upgrade("+1");
        s.execute_script("CREATE TABLE author_audit (author_id INTEGER, action TEXT)");
        s.execute_script("CREATE TRIGGER authors_audit AFTER INSERT ON authors BEGIN "
                         "INSERT INTO author_audit (author_id, action) VALUES (new.id, 'insert'); "
                         "END");
        seed_v1(s);
        const auto trigger = s.template query<std::string>(
            "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'authors_audit'");
        REQUIRE(trigger.size() == 1);

        mig.upgrade("+1");  // rebuilds authors: DROP TABLE drops its triggers
        const auto after = s.template query<std::string, std::string>(
            "SELECT tbl_name, sql FROM sqlite_schema WHERE type = 'trigger'");
        REQUIRE(after.size() == 1);
        CHECK(std::get<0>(after[0]) == "authors");
        CHECK(std::get<1>(after[0]) == std::get<0>(trigger[0]));
        s.insert(v2::author{0, "Eve", "eve@example.org", {}, true, "SE"});
        const auto audit = s.template query<std::int64_t, std::string>(
            "SELECT author_id, action FROM author_audit ORDER BY author_id");
        CHECK(audit == std::vector<std::tuple<std::int64_t, std::string>>{
                           {1, "insert"}, {2, "insert"}, {3, "insert"}, {4, "insert"}});
        check_sqlite_integrity(s);
    });
}

// SQLite re-parses every view and trigger of the schema when a table is renamed, and the
// rebuild renames its new table while the old name does not exist: the runner renames under
// legacy_alter_table, so that views on the table, and triggers elsewhere that name it, do not
// stop the rebuild (they failed it with "error in view ...: no such table" before).
TEST_CASE("sqlite: a view on a rebuilt table does not stop the rebuild", "[migrate][sqlite-only]") {
    scratch f;
    at_v1_with_rows(f, [&](auto& s, auto& mig) {
        s.execute_script("CREATE VIEW author_names AS SELECT id, name FROM authors");
        CHECK_NOTHROW(mig.upgrade("+1"));
        CHECK(s.template query<std::int64_t, std::string>(
                   "SELECT id, name FROM author_names ORDER BY id")
                  .size() == 3);
    });
}

TEST_CASE("sqlite: a trigger elsewhere that names a rebuilt table does not stop the rebuild",
          "[migrate][sqlite-only]") {
    scratch f;
    at_v1_with_rows(f, [&](auto& s, auto& mig) {
        s.execute_script("CREATE TABLE author_events (author_id INTEGER)");
        s.execute_script("CREATE TRIGGER author_events_touch AFTER INSERT ON author_events BEGIN "
                         "UPDATE authors SET email = lower(email) WHERE id = new.author_id; END");
        CHECK_NOTHROW(mig.upgrade("+1"));
        CHECK(authors_v1(s) == expected_authors_v1());
    });
}

// ---- 3. nothing destructive without the flag --------------------------------------------------

TEST_CASE("autogenerate refuses a revision that drops a column unless allowed, naming it",
          "[migrate]") {
    scratch f;
    m::autogenerate<v1::author, v1::book>(f.dir, "initial");
    m::autogenerate<v2::author, v2::book, v2::review>(f.dir, "authors and reviews");
    CHECK_THROWS_AS((m::autogenerate<v3::author, v3::book, v3::review>(f.dir, "cleanup")),
                    retort::programming_error);
    CHECK_THROWS_WITH((m::autogenerate<v3::author, v3::book, v3::review>(f.dir, "cleanup")),
                      Contains("would lose data") &&
                          Contains("drop column books.legacy_code and its data") &&
                          Contains("--destructive"));
    CHECK(m::load_history(f.dir).size() == 2);  // nothing written
    const auto pending =
        m::pending_model_changes<v3::author, v3::book, v3::review>(m::load_history(f.dir));
    CHECK(m::has_destructive(pending));

    m::autogenerate_options destructive;
    destructive.allow_destructive = true;
    const auto r = m::autogenerate<v3::author, v3::book, v3::review>(f.dir, "cleanup", destructive);
    REQUIRE(r.has_value());
    CHECK_THAT(r->text, Contains("destructive: drop column books.legacy_code"));
    CHECK(m::load_history(f.dir).size() == 3);
}

TEST_CASE("schema_manager fix() drops a column the models lack only when destructive",
          "[migrate]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        e.template create_all<v3::author, v3::book, v3::review>();
        auto s = e.session();
        for (const auto& [id, name, email, bio, active, country] : expected_authors())
            s.insert(v3::author{id, name, email, bio, active, country});
        s.execute_script("ALTER TABLE authors ADD COLUMN nickname TEXT");
        s.execute_script("UPDATE authors SET nickname = 'n' || CAST(id AS TEXT)");
        s.execute_script("DROP INDEX ix_books_title");  // an additive repair beside it

        m::schema_manager<B, v3::author, v3::book, v3::review> manager(s);
        const auto report = manager.validate();
        INFO(report.text());
        REQUIRE(report.operations.size() == 2);
        CHECK(report.operations[0].kind == m::change::drop_column);
        CHECK(report.operations[0].name == "nickname");
        CHECK(report.operations[1].kind == m::change::add_index);
        CHECK(report.exit_code() == 1);
        CHECK(report.needs_destructive());
        CHECK_THAT(report.text(),
                   Contains("destructive: drop column authors.nickname and its data  "
                            "[needs --destructive]"));
        CHECK_THAT(report.json(), Contains("\"exit_code\": 1, \"needs_destructive\": true") &&
                                      Contains("\"name\": \"nickname\""));

        CHECK(ddl_among(manager.fix_sql(false)) ==
              strings{"CREATE INDEX \"ix_books_title\" ON \"books\" (\"title\")"});

        const auto fixed = manager.fix(false);
        REQUIRE(fixed.size() == 1);
        CHECK(fixed[0].kind == m::change::add_index);
        const auto left = manager.validate();
        INFO(left.text());
        REQUIRE(left.operations.size() == 1);
        CHECK(left.operations[0].name == "nickname");
        CHECK(left.needs_destructive());
        const auto nicknames = s.template query<std::int64_t, std::string>(
            "SELECT id, nickname FROM authors ORDER BY id");
        CHECK(nicknames == std::vector<std::tuple<std::int64_t, std::string>>{
                               {1, "n1"}, {2, "n2"}, {3, "n3"}, {4, "n4"}});

        CHECK(mentions(manager.fix_sql(true), "DROP COLUMN \"nickname\""));
        const auto dropped = manager.fix(true);
        REQUIRE(dropped.size() == 1);
        CHECK(dropped[0].kind == m::change::drop_column);
        CHECK(manager.validate().clean());
        CHECK(manager.validate().exit_code() == 0);
        CHECK_FALSE(manager.validate().needs_destructive());
        CHECK(authors(s) == expected_authors());
        CHECK_THROWS(s.execute_script("SELECT nickname FROM authors"));
    });
}

// ---- what a rebuild refuses to do silently ----------------------------------------------------

TEST_CASE("sqlite: a rebuild refuses to lose a column added by hand, even one the models add",
          "[migrate][sqlite-only]") {
    scratch f;
    at_v1_with_rows(f, [&](auto& s, auto& mig) {
        // v2 adds authors.bio (by a rebuild); here it was added by hand first, and filled.
        s.execute_script("ALTER TABLE authors ADD COLUMN bio TEXT");
        s.execute("UPDATE authors SET bio = 'precious ' || id");
        try {
            mig.upgrade("+1");
            FAIL("the rebuild should have refused");
        } catch (const m::migration_error& error) {
            CHECK_THAT(std::string{error.what()},
                       Contains("authors.bio") && Contains("added by hand"));
        }
        CHECK(m::read_applied(s).size() == 1);
        CHECK(s.template query<std::string>("SELECT bio FROM authors ORDER BY id") ==
              std::vector<std::tuple<std::string>>{{"precious 1"}, {"precious 2"}, {"precious 3"}});
        check_sqlite_integrity(s);
    });
}

TEST_CASE("sqlite: a rebuild refuses to drop what the schema value cannot describe",
          "[migrate][sqlite-only]") {
    scratch f;
    at_v1_with_rows(f, [&](auto& s, auto& mig) {
        // authors made again by hand, the same but for a COLLATE NOCASE on its name
        auto ddl = std::get<0>(s.template query<std::string>(
            "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'authors'")[0]);
        const std::string column = "\"name\" VARCHAR(40) NOT NULL";
        REQUIRE(ddl.find(column) != std::string::npos);
        ddl.insert(ddl.find(column) + column.size(), " COLLATE NOCASE");
        ddl.replace(ddl.find("\"authors\""), 9, "\"authors_nocase\"");
        s.execute_script("PRAGMA foreign_keys = OFF");
        s.execute_script(ddl);
        s.execute_script("INSERT INTO authors_nocase SELECT * FROM authors; DROP TABLE authors; "
                         "ALTER TABLE authors_nocase RENAME TO authors");
        s.execute_script("PRAGMA foreign_keys = ON");
        try {
            mig.upgrade("+1");
            FAIL("the rebuild should have refused");
        } catch (const m::migration_error& error) {
            CHECK_THAT(std::string{error.what()}, Contains("COLLATE"));
        }
        CHECK(m::read_applied(s).size() == 1);
        CHECK(std::get<0>(s.template query<std::int64_t>(
                  "SELECT count(*) FROM authors WHERE name = 'ADA'")[0]) == 1);  // still NOCASE
        check_sqlite_integrity(s);
    });
}

TEST_CASE("sqlite: fix leaves a rebuild of a STRICT table as a step by hand and makes the rest",
          "[migrate][sqlite-only]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        if constexpr (is_sqlite<B>) {
            auto s = e.session();
            // Made by hand: STRICT, a collation, a column the models lack, no index on tag and
            // no CHECK on stars (which only a rebuild adds).
            s.execute_script(R"sql(
                CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL COLLATE NOCASE,
                    tag TEXT, stars INTEGER NOT NULL, legacy TEXT) STRICT;
                INSERT INTO notes VALUES (1, 'hello', 'a', 2, 'old'), (2, 'world', NULL, 5, NULL);
            )sql");
            m::schema_manager<B, hand_made::note, hand_made::label> manager(s);
            const auto report = manager.validate();
            INFO(report.text());
            REQUIRE(report.operations.size() == 4);
            const std::string hand = "[by hand: rebuilding notes would drop its STRICT]";
            CHECK_THAT(report.text(), Contains("add check ck_notes_stars on notes") &&
                                          Contains(hand) && Contains("drop column notes.legacy"));
            // The CHECK needs a rebuild, so every repair of notes is left: one may need
            // another (an index on a column only a rebuild adds).
            for (const auto& op : report.operations) {
                INFO(op.description);
                CHECK(report.by_hand(op).empty() == (op.kind == m::change::create_table));
                CHECK_FALSE(report.needs_destructive(op));
                CHECK(report.left_by_fix(op, true).empty() == (op.kind == m::change::create_table));
            }
            CHECK_THAT(report.json(),
                       Contains("\"by_hand\": \"rebuilding notes would drop its STRICT\""));
            CHECK(report.exit_code() == 1);

            // Nothing changes notes, with or without --destructive; labels is made.
            CHECK_FALSE(mentions(manager.fix_sql(true), "notes"));
            const auto fixed = manager.fix(false);
            REQUIRE(fixed.size() == 1);
            CHECK(fixed[0].kind == m::change::create_table);
            CHECK(manager.fix(true).empty());  // converged: what is left is by hand

            const auto left = manager.validate();
            INFO(left.text());
            REQUIRE(left.operations.size() == 3);
            for (const auto& op : left.operations) CHECK(left.by_hand(op) == report.by_hand(op));
            CHECK_THAT(left.text(), Contains(hand));
            CHECK_FALSE(left.needs_destructive());
            CHECK(left.exit_code() == 1);

            // The table is what it was: its rows, its collation, STRICT.
            CHECK(
                s.template query<std::int64_t, std::string, std::int64_t>(
                    "SELECT id, body, stars FROM notes WHERE body = 'HELLO'") ==
                std::vector<std::tuple<std::int64_t, std::string, std::int64_t>>{{1, "hello", 2}});
            CHECK(count_of(s, "notes") == 2);
            CHECK_THROWS(s.execute("INSERT INTO notes (id, body, stars) VALUES (3, 'x', 'many')"));
            CHECK(s.template query<std::string>("SELECT legacy FROM notes WHERE id = 1") ==
                  std::vector<std::tuple<std::string>>{{"old"}});
            check_sqlite_integrity(s);

            // A STRICT table whose repairs need no rebuild is repaired as any other: labels
            // made again as retort made it, STRICT.
            auto ddl = std::get<0>(s.template query<std::string>(
                "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'labels'")[0]);
            ddl.replace(ddl.find("\"labels\""), 8, "\"strict_labels\"");
            ddl.replace(ddl.find("BIGINT"), 6, "INT");  // STRICT's name of it (not a rowid alias)
            s.execute_script(ddl + " STRICT");
            s.execute_script("DROP TABLE labels; ALTER TABLE strict_labels RENAME TO labels");
            m::schema_manager<B, hand_made::label> labels(s, std::vector<std::string>{"notes"});
            CHECK(labels.validate().clean());
            s.execute_script("ALTER TABLE labels ADD COLUMN extra TEXT");
            REQUIRE(labels.validate().operations.size() == 1);
            CHECK(labels.validate().needs_destructive());
            CHECK(labels.fix(true).size() == 1);
            CHECK(labels.validate().clean());
        }
    });
}

// Was a downgrade that failed on a table with rows (NOT NULL constraint failed: ...bio).
TEST_CASE("a downgrade brings a dropped NOT NULL column back nullable, on a table with rows",
          "[migrate]") {
    scratch f;
    m::autogenerate<downgraded::v1::profile>(f.dir, "profiles");
    m::autogenerate_options destructive;
    destructive.allow_destructive = true;
    const auto r = m::autogenerate<downgraded::v2::profile>(f.dir, "drop bio", destructive);
    REQUIRE(r.has_value());
    CHECK_THAT(r->text, Contains("--   downgrade: dg_profiles.bio comes back nullable and NULL in "
                                 "every row (the upgrade drops it; its values are not restored)"));
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::migrator<B> mig(s, m::load_history(f.dir));
        mig.upgrade("+1");
        s.execute("INSERT INTO dg_profiles (id, bio, age) VALUES (1, 'kept?', 30), (2, 'b', 40)");
        mig.upgrade("head");
        CHECK(mig.downgrade("-1").size() == 1);
        CHECK(s.template query<std::optional<std::string>, std::int64_t>(
                  "SELECT bio, age FROM dg_profiles ORDER BY id") ==
              std::vector<std::tuple<std::optional<std::string>, std::int64_t>>{
                  {std::nullopt, 30}, {std::nullopt, 40}});
        mig.upgrade("head");  // and up again
        CHECK(count_of(s, "dg_profiles") == 2);
    });
}

TEST_CASE("a narrowing revision counts the rows that would not fit and changes nothing",
          "[migrate]") {
    // Was a wrong answer on SQLite: int64 to int32 kept 3000000000, validate then said the
    // schema matched, and reading the row failed. PostgreSQL refuses it itself (22003).
    scratch f;
    m::autogenerate<narrowed::v1::player>(f.dir, "players");
    m::autogenerate_options narrowing;
    narrowing.allow_destructive = true;
    const auto narrow = m::autogenerate<narrowed::v2::player>(f.dir, "narrow", narrowing);
    REQUIRE(narrow);
    // A revision serves both backends: it names types in retort's words; validate, with a
    // database in view, in that database's.
    CHECK_THAT(narrow->text, Contains("change type of nr_players.score from int64 to int32"));
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::migrator<B> mig(s, m::load_history(f.dir));
        REQUIRE(mig.upgrade("+1").size() == 1);
        const std::string drift = m::schema_manager<B, narrowed::v2::player>(s).validate().text();
        INFO(drift);
        if constexpr (is_sqlite<B>)  // SQLite's INTEGER keeps any 64-bit integer: no change
            CHECK_THAT(drift,
                       Contains("change type of nr_players.name from VARCHAR(80) to VARCHAR(10)"));
        else
            CHECK_THAT(drift, Contains("change type of nr_players.score from bigint to integer") &&
                                  Contains("change type of nr_players.name from varchar(80) to "
                                           "varchar(10)"));
        s.execute_script("INSERT INTO nr_players (id, score, name, games, n) VALUES "
                         "(1, 3000000000, 'short', 32767, 1), (2, -3000000000, 'a much longer "
                         "name', 1, 2), (3, 7, 'fits', 2, 3)");
        try {
            mig.upgrade("head");
            FAIL("the narrowing revision ran");
        } catch (const m::migration_error& e) {
            INFO(e.what());
            if constexpr (is_sqlite<B>)
                CHECK_THAT(std::string{e.what()},
                           Contains("rebuilding nr_players would narrow column(s) holding values "
                                    "the new types cannot hold:\n"
                                    "  nr_players.score: 2 row(s) not an integer from "
                                    "-2147483648 to 2147483647\n"
                                    "  nr_players.name: 1 row(s) longer than 10 characters\n"
                                    "Change or delete those rows first."));
            else  // counted before the server's own refusal, which gives no count
                CHECK_THAT(std::string{e.what()},
                           Contains("retort: nr_players.score: 2 row(s) not an integer from "
                                    "-2147483648 to 2147483647") ||
                               Contains("retort: nr_players.name: 1 row(s) longer than 10 "
                                        "characters"));
            CHECK_THAT(std::string{e.what()},
                       Contains("Nothing of revision 0002_narrow was applied"));
        }
        CHECK(mig.current() == "0001_players");
        CHECK(
            s.template query<std::int64_t, std::int64_t, std::string>(
                "SELECT id, score, name FROM nr_players ORDER BY id") ==
            std::vector<std::tuple<std::int64_t, std::int64_t, std::string>>{
                {1, 3000000000, "short"}, {2, -3000000000, "a much longer name"}, {3, 7, "fits"}});
        // Once the rows fit, it runs; the widened count kept its value.
        s.execute_script("UPDATE nr_players SET score = 0, name = 'longer' WHERE id IN (1, 2)");
        REQUIRE(mig.upgrade("head").size() == 1);
        CHECK(s.template query<std::int32_t, std::int32_t>(
                  "SELECT score, games FROM nr_players WHERE id = 1") ==
              std::vector<std::tuple<std::int32_t, std::int32_t>>{{0, 32767}});
    });
}

TEST_CASE("postgres: a shorter numeric or an enum to a shorter varchar counts the rows first",
          "[migrate][postgres-only]") {
    // The server refused with "numeric field overflow" / "value too long", and no count.
    scratch f;
    m::autogenerate<narrowed_types::v1::item>(f.dir, "items");
    m::autogenerate_options narrowing;
    narrowing.allow_destructive = true;
    REQUIRE(m::autogenerate<narrowed_types::v2::item>(f.dir, "narrow", narrowing));
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        if constexpr (!is_sqlite<B>) {
            auto s = e.session();
            m::migrator<B> mig(s, m::load_history(f.dir));
            REQUIRE(mig.upgrade("+1").size() == 1);
            s.execute_script("INSERT INTO nt_items (id, amount, size) VALUES (1, 1234567.89, "
                             "'xs'), (2, 999999.994, 'xs'), (3, 999999.995, 'xs')");
            const auto refusal = [&] {
                try {
                    mig.upgrade("head");
                } catch (const m::migration_error& e) {
                    return std::string{e.what()};
                }
                return std::string{"ran"};
            };
            // numeric(12,2) keeps 999999.994 as 999999.99, which fits, and 999999.995 as
            // 1000000.00, which does not
            CHECK_THAT(refusal(), Contains("retort: nt_items.amount: 2 row(s) with more than 6 "
                                           "digit(s) before the point"));
            s.execute_script("UPDATE nt_items SET amount = 1 WHERE id <> 2; "
                             "UPDATE nt_items SET size = 'medium' WHERE id = 3");
            CHECK_THAT(refusal(),
                       Contains("retort: nt_items.size: 1 row(s) longer than 3 characters"));
            CHECK(mig.current() == "0001_items");
            s.execute_script("UPDATE nt_items SET size = 'xs'");
            REQUIRE(mig.upgrade("head").size() == 1);
            CHECK(s.template query<std::string>("SELECT amount::text FROM nt_items WHERE id = 2") ==
                  std::vector<std::tuple<std::string>>{{"999999.99"}});
        }
    });
}

TEST_CASE("a revision that forbids NULL counts the rows holding NULL and changes nothing",
          "[migrate]") {
    // SQLite refused the rebuild's copy with "NOT NULL constraint failed: _retort_new_...",
    // naming no row; PostgreSQL's guard counted them already.
    scratch f;
    m::autogenerate<narrowed::v1::player>(f.dir, "players");
    m::autogenerate_options narrowing;
    narrowing.allow_destructive = true;
    REQUIRE(m::autogenerate<narrowed::v2::player>(f.dir, "narrow", narrowing));
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::migrator<B> mig(s, m::load_history(f.dir));
        REQUIRE(mig.upgrade("+1").size() == 1);
        s.execute_script("INSERT INTO nr_players (id, score, name, games, n) VALUES "
                         "(1, 5, 'a', 1, NULL), (2, 6, 'b', 2, NULL), (3, 7, 'c', 3, 4)");
        try {
            mig.upgrade("head");
            FAIL("the revision ran");
        } catch (const m::migration_error& e) {
            INFO(e.what());
            CHECK_THAT(std::string{e.what()}, Contains("nr_players.n: 2 row(s) NULL") &&
                                                  Contains("Nothing of revision 0002_narrow "
                                                           "was applied"));
            if constexpr (is_sqlite<B>) {
                const std::string what = e.what();
                CHECK_THAT(what, Contains("rebuilding nr_players would copy rows the new table "
                                          "refuses:\n  nr_players.n: 2 row(s) NULL\nChange or "
                                          "delete those rows first (SQLite: ") &&
                                     Contains("NOT NULL constraint failed"));
                // SQLite's own details are kept, and the statement is printed once.
                CHECK(e.sqlite_code() != 0);
                const std::string copy = "INSERT INTO \"_retort_new_nr_players\"";
                CHECK(what.find(copy) != std::string::npos);
                CHECK(what.find(copy) == what.rfind(copy));
            }
        }
        CHECK(mig.current() == "0001_players");
        CHECK(count_of(s, "nr_players") == 3);
        s.execute_script("UPDATE nr_players SET n = 0 WHERE n IS NULL");
        CHECK(mig.upgrade("head").size() == 1);
    });
}

TEST_CASE("a revision adding a CHECK changes nothing while rows fail it; SQLite counts them",
          "[migrate]") {
    // SQLite named the CHECK and no row; the count is taken when the copy is refused, so a
    // rebuild whose rows all pass costs nothing more.
    scratch f;
    write_history(f.dir);  // v3 adds CHECK (page_count >= 0) to books
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::migrator<B> mig(s, m::load_history(f.dir));
        mig.upgrade("+2");
        s.insert(v2::author{0, "Ann", "ann@example.org", {}, true, "SE"});
        s.execute_script("INSERT INTO books (author_id, title, page_count, genre) VALUES "
                         "(1, 'a', -1, 'poetry'), (1, 'b', -2, 'poetry'), (1, 'c', 3, 'poetry')");
        try {
            mig.upgrade("head");
            FAIL("the revision ran");
        } catch (const m::migration_error& e) {
            INFO(e.what());
            if constexpr (is_sqlite<B>)
                CHECK_THAT(std::string{e.what()},
                           Contains("rebuilding books would copy rows the new table refuses:\n"
                                    "  books: 2 row(s) failing CHECK ") &&
                               Contains("(page_count >= 0)\nChange or delete those rows first "
                                        "(SQLite: "));
            CHECK_THAT(std::string{e.what()}, Contains("was applied"));
        }
        CHECK(count_of(s, "books") == 3);
        s.execute_script("DELETE FROM books WHERE page_count < 0");
        CHECK(mig.upgrade("head").size() == 1);
    });
}

TEST_CASE("sqlite: only the copy a rebuild writes is explained, not an edited one",
          "[migrate][unit]") {
    using rebuild = m::detail::sqlite_rebuild<retort::sqlite>;
    const auto copy = rebuild::plain_copy_of(
        R"(INSERT INTO "_retort_new_t" ("a", "b c") SELECT "a", "old b" FROM "t")");
    REQUIRE(copy);
    CHECK(copy->target == "_retort_new_t");
    CHECK(copy->source == "t");
    CHECK(copy->columns ==
          std::vector<std::pair<std::string, std::string>>{{"a", "a"}, {"b c", "old b"}});
    for (const char* edited :
         {R"(INSERT INTO "_retort_new_t" ("a") SELECT coalesce("a", 0) FROM "t")",
          R"(INSERT INTO "_retort_new_t" ("a") SELECT "a" FROM "t" WHERE "a" > 0)",
          R"(INSERT INTO "_retort_new_t" ("a", "b") SELECT "a" FROM "t")",
          R"(INSERT INTO "other" ("a") SELECT "a" FROM "t")"})
        CHECK_FALSE(rebuild::plain_copy_of(edited));
}

TEST_CASE("sqlite: validate reports values the models' narrower types cannot hold",
          "[migrate][sqlite-only]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        if constexpr (is_sqlite<B>) {
            using manager = m::schema_manager<B, narrowed::v2::player>;
            manager(s).initialize();
            s.execute_script("INSERT INTO nr_players (id, score, name, games, n) VALUES "
                             "(1, 3000000000, 'short', 1, 0), (2, 5, 'x', 'many', 0), "
                             "(3, 4, 'eleven char', 2, 0), (4, 1, 'ok', 3, 0)");
            manager check(s);
            const auto report = check.validate();
            INFO(report.text());
            CHECK(report.operations.empty());
            CHECK_FALSE(report.clean());
            CHECK(report.exit_code() == 1);
            CHECK(report.misfits ==
                  std::vector<m::misfit>{
                      {"nr_players", "score", "not an integer from -2147483648 to 2147483647", 1},
                      {"nr_players", "name", "longer than 10 characters", 1},
                      {"nr_players", "games", "not an integer from -2147483648 to 2147483647", 1}});
            CHECK_THAT(report.text(),
                       Contains("3 column(s) hold values that do not fit the models' types") &&
                           Contains("  nr_players.score: 1 row(s) not an integer from "
                                    "-2147483648 to 2147483647\n"));
            CHECK_THAT(report.json(), Contains("\"misfits\": [{\"table\": \"nr_players\", "
                                               "\"column\": \"score\", \"rows\": 1, "));
            CHECK(check.fix(true).empty());  // no fix changes a row
            CHECK(check.fix_sql(true).empty());
            CHECK(count_of(s, "nr_players") == 4);
            s.execute_script("DELETE FROM nr_players WHERE id < 4");
            CHECK(check.validate().clean());
            CHECK(check.validate().text() == "schema matches the models\n");
        }
    });
}

TEST_CASE("sqlite: a failed rebuild leaves the connection's pragmas as they were",
          "[migrate][sqlite-only]") {
    scratch f;
    at_v1_with_rows(f, [&](auto& s, auto& mig) {
        // a trigger whose body names a column that does not exist: SQLite accepts it until
        // something makes it compile, which the rebuild does before committing
        s.execute_script("CREATE TRIGGER broken AFTER INSERT ON authors BEGIN "
                         "UPDATE authors SET name = new.nosuch WHERE id = new.id; END");
        try {
            mig.upgrade("+1");
            FAIL("the trigger probe should have failed");
        } catch (const m::migration_error& error) {
            CHECK_THAT(std::string{error.what()}, Contains("nosuch"));
        }
        CHECK(m::read_applied(s).size() == 1);
        CHECK(std::get<0>(s.template query<std::int64_t>("PRAGMA legacy_alter_table")[0]) == 0);
        CHECK(std::get<0>(s.template query<std::int64_t>("PRAGMA foreign_keys")[0]) == 1);
        CHECK(count_of(s, "authors") == 3);
    });
}

TEST_CASE("a revision that ends its own transaction is refused before anything runs", "[migrate]") {
    scratch f;
    write_history(f.dir);
    auto bad = m::empty_revision(f.dir, "aborts");
    std::string text = read_text(bad.path);
    for (const std::string header : {"-- up: sqlite\n", "-- up: postgresql\n"})
        text.insert(text.find(header) + header.size(),
                    "UPDATE authors SET country = 'XX';\nABORT;\nUPDATE authors SET bio = 'x';\n");
    write_text(bad.path, text);
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        upgrade_with_rows(s, f.dir);  // revisions 1 to 3, not the one that aborts
        m::migrator<B> mig(s, m::load_history(f.dir));
        CHECK_THROWS_WITH(mig.upgrade("head"), Contains("transaction statement"));
        CHECK(m::read_applied(s).size() == 3);
        CHECK(std::get<0>(s.template query<std::int64_t>(
                  "SELECT count(*) FROM authors WHERE country = 'XX'")[0]) == 0);
    });
}
