// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// --ignore-table on one of the models' own tables means the same for every command: the table
// is neither compared, nor created, nor altered, nor dropped (validate, fix, fix --sql,
// initialize, check, revision --autogenerate). Was a bug: validate reported "create table" for
// an ignored model table that was there, and fix then failed on "already exists", printing the
// failing statement twice. Checked through the library and through the migrate command line.

#include "../support/migrate_cli.hpp"

#include <retort/migrate/schema_manager.hpp>

namespace {

namespace m = retort::migrate;
using Catch::Contains;
using namespace migtest;

template <class B>
using v2_manager = m::schema_manager<B, v2::author, v2::book, v2::review>;

cli_result migrate_cli(const scratch& f, std::vector<std::string> args) {
    return run_migrate<v2::author, v2::book, v2::review>(f, std::move(args));
}

std::size_t occurrences(std::string_view text, std::string_view part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string_view::npos; at = text.find(part, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("ignore-table: an ignored model table that is there is neither compared nor created",
          "[migrate]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        CHECK(v2_manager<B>(s).initialize() ==
              std::vector<std::string>{"authors", "books", "reviews"});
        v2_manager<B> ignoring(s, {"reviews"});
        const auto report = ignoring.validate();
        INFO(report.text());
        CHECK(report.clean());
        CHECK(ignoring.fix_sql(true).empty());
        CHECK(ignoring.fix(true).empty());
        CHECK(ignoring.initialize().empty());
    });
    const auto validate = migrate_cli(f, {"validate", "--ignore-table", "reviews"});
    CHECK(validate.exit_code == 0);
    CHECK_THAT(validate.out, Contains("schema matches the models") &&
                                 Contains("not compared (--ignore-table): reviews"));
    const auto fix = migrate_cli(f, {"fix", "--ignore-table", "reviews"});
    INFO(fix.out << fix.err);
    CHECK(fix.exit_code == 0);
    CHECK(fix.err.empty());
    CHECK(migrate_cli(f, {"fix", "--sql", "--ignore-table", "reviews"}).out.empty());
}

TEST_CASE("ignore-table: a missing ignored model table stays missing, a drifted one as it is",
          "[migrate]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        v2_manager<B> ignoring(s, {"reviews"});
        CHECK(ignoring.initialize() == std::vector<std::string>{"authors", "books"});
        CHECK_FALSE(s.table_exists("reviews"));
        CHECK(ignoring.validate().clean());
        CHECK(ignoring.fix(true).empty());
        CHECK_FALSE(s.table_exists("reviews"));

        const auto all = v2_manager<B>(s).validate();
        REQUIRE(all.operations.size() == 1);
        CHECK(all.operations[0].kind == m::change::create_table);
        CHECK(all.operations[0].table == "reviews");

        // A hand-made reviews table, unlike the model's: left as it is, even by --destructive.
        s.execute_script("CREATE TABLE reviews (id BIGINT PRIMARY KEY, note TEXT)");
        CHECK(ignoring.validate().clean());
        CHECK(ignoring.fix(true).empty());
        CHECK(s.template query<std::string>("SELECT note FROM reviews").empty());
        CHECK_FALSE(v2_manager<B>(s).validate().clean());
    });
    const auto fix_sql =
        migrate_cli(f, {"fix", "--sql", "--destructive", "--ignore-table", "reviews"});
    CHECK(fix_sql.exit_code == 0);
    CHECK(fix_sql.out.empty());
    const auto validate = migrate_cli(f, {"validate", "--json"});
    CHECK(validate.exit_code == 1);
    CHECK_THAT(validate.out, Contains("\"table\": \"reviews\""));
}

TEST_CASE("ignore-table: revision --autogenerate and check leave an ignored model table out",
          "[migrate]") {
    scratch f;
    const auto first = m::autogenerate<v1::author, v1::book>(f.dir, "initial")->id;

    // reviews is new in v2, books changes: both are left as the first revision has them.
    m::autogenerate_options o;
    o.tables.ignored = {"reviews", "books"};
    const auto second = m::autogenerate<v2::author, v2::book, v2::review>(f.dir, "authors", o);
    REQUIRE(second.has_value());
    INFO(listing(second->operations));
    for (const auto& op : second->operations) CHECK(op.table == "authors");
    const auto history = m::load_history(f.dir);
    REQUIRE(history.size() == 2);
    CHECK_FALSE(history[1].snapshot.find_table("reviews"));
    CHECK(*history[1].snapshot.find_table("books") == *history[0].snapshot.find_table("books"));
    CHECK_THAT(read_text(second->path), !Contains("reviews"));

    CHECK(
        m::pending_model_changes<v2::author, v2::book, v2::review>(history, {{"reviews", "books"}})
            .empty());
    CHECK_FALSE(m::pending_model_changes<v2::author, v2::book, v2::review>(history).empty());
    // Nothing left but the ignored tables: no third revision.
    CHECK_FALSE(m::autogenerate<v2::author, v2::book, v2::review>(f.dir, "again", o).has_value());

    const auto check_ignoring =
        migrate_cli(f, {"check", "--ignore-table", "reviews", "--ignore-table", "books"});
    CHECK(check_ignoring.exit_code == 0);
    CHECK_THAT(check_ignoring.out, Contains("not compared (--ignore-table): reviews, books"));
    const auto check = migrate_cli(f, {"check"});
    CHECK(check.exit_code == 1);
    CHECK_THAT(check.out, Contains("create table reviews"));
    const auto without_autogenerate =
        migrate_cli(f, {"revision", "-m", "x", "--ignore-table", "reviews"});
    CHECK(without_autogenerate.exit_code == 2);
    CHECK_THAT(without_autogenerate.err, Contains("add --autogenerate"));

    // Applied, the revisions build authors at v2 and leave books at v1, without reviews.
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::migrator<B> mig(s, history);
        CHECK(mig.upgrade("head") == std::vector<std::string>{first, second->id});
        CHECK_FALSE(s.table_exists("reviews"));
        CHECK(m::schema_manager<B, v2::author, v1::book>(s).validate().clean());
        CHECK(v2_manager<B>(s, {"reviews", "books"}).validate().clean());
    });
}

TEST_CASE("ignore-table: the old name of an ignored renamed table is ignored with it",
          "[migrate]") {
    const m::table_filter filter{{"books"}};
    retort::schema::database models = retort::schema::database_of<v2::author, v2::book>();
    for (auto& t : models.tables)
        if (t.name == "books") {
            t.name = "volumes";
            t.renamed_from = "books";
        }
    const auto f = m::table_filter{{"volumes"}}.with_renames_of(models);
    CHECK_FALSE(f.covers("volumes"));
    CHECK_FALSE(f.covers("books"));
    CHECK(f.covers("authors"));
    CHECK(filter.with_renames_of(models).ignored == std::vector<std::string>{"books"});
    const retort::schema::database base = retort::schema::database_of<v1::author, v1::book>();
    const auto target = m::keep_left_out_as_in(base, models, m::table_filter{{"volumes"}});
    CHECK(target.find_table("books"));
    CHECK_FALSE(target.find_table("volumes"));
    for (const auto& op : m::plan(base, target)) CHECK(op.table == "authors");
}

TEST_CASE("a failing fix statement is printed once, with the database's own details", "[migrate]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::schema_manager<B, v1::author, v1::book>(s).initialize();
        s.insert(v1::author{0, "Ada", "same@example.org"});
        s.insert(v1::author{0, "Ada again", "same@example.org"});
        // v2 makes authors.email UNIQUE: the two rows refuse it.
        try {
            v2_manager<B>(s).fix(true);
            FAIL("a UNIQUE constraint was added over duplicates");
        } catch (const m::migration_error& error) {
            const std::string what = error.what();
            INFO(what);
            REQUIRE_FALSE(error.statement().empty());
            CHECK(occurrences(what, error.statement()) == 1);
            CHECK_THAT(what, Contains("Nothing of the fix was applied"));
            CHECK(error.constraint() == "uq_authors_email");
            if constexpr (is_sqlite<B>)
                CHECK_THAT(what, Contains("UNIQUE constraint failed") && Contains("(SQLite 2067)"));
            else
                CHECK_THAT(what, Contains("(SQLSTATE 23505)"));
        }
        CHECK(authors_v1(s).size() == 2);
    });
    const auto fix = migrate_cli(f, {"fix", "--destructive"});
    INFO(fix.out << fix.err);
    CHECK(fix.exit_code == 3);
    CHECK_THAT(fix.err, Contains("the fix, statement") && Contains("Nothing of the fix"));
    const auto first_line = fix.err.substr(fix.err.find("\n    ") + 5, 40);
    CHECK(occurrences(fix.err, first_line) == 1);
}

TEST_CASE("table filter: glob patterns match whole names, * any run, ? one character",
          "[migrate][unit]") {
    using m::glob_match;
    static_assert(glob_match("celery_*", "celery_taskmeta"));
    CHECK(glob_match("reviews", "reviews"));
    CHECK_FALSE(glob_match("reviews", "reviews_old"));
    CHECK_FALSE(glob_match("reviews", "Reviews"));  // quoted names are case-sensitive
    CHECK(glob_match("*", ""));
    CHECK(glob_match("*", "anything"));
    CHECK(glob_match("tmp_??", "tmp_01"));
    CHECK_FALSE(glob_match("tmp_??", "tmp_1"));
    CHECK(glob_match("*_archive_*", "books_archive_2024"));
    CHECK(glob_match("a*b*c", "aXbYbZc"));
    CHECK_FALSE(glob_match("a*b*c", "aXbYbZ"));
    CHECK(glob_match("**x", "yyx"));
    CHECK_FALSE(glob_match("", "x"));
    // Each pattern is matched in time linear in name size times pattern size: a hostile
    // pattern over a long name ends.
    CHECK_FALSE(glob_match("*a*a*a*a*a*a*a*a*b", std::string(200, 'a')));
}

TEST_CASE("table filter: a shared database is validated for the models' tables only", "[migrate]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        CHECK(v2_manager<B>(s).initialize().size() == 3);
        // Tables of other services in the same database.
        s.execute_script("CREATE TABLE celery_taskmeta (id BIGINT PRIMARY KEY, status TEXT)");
        s.execute_script("CREATE TABLE celery_tasksetmeta (id BIGINT PRIMARY KEY)");
        s.execute_script("CREATE TABLE django_session (session_key TEXT PRIMARY KEY)");

        const auto all = v2_manager<B>(s).validate();
        CHECK(all.operations.size() == 3);  // three tables the models would drop

        m::table_filter shared;
        shared.models_only = true;
        v2_manager<B> models_only(s, shared);
        INFO(models_only.validate().text());
        CHECK(models_only.validate().clean());
        CHECK(models_only.fix(true).empty());
        CHECK(s.table_exists("django_session"));

        // Patterns: the others' tables by prefix, or only this service's.
        v2_manager<B> patterns(s, {"celery_*", "django_*"});
        CHECK(patterns.validate().clean());
        m::table_filter ours;
        ours.only = {"authors", "book?", "rev*"};
        v2_manager<B> only(s, ours);
        CHECK(only.validate().clean());
        // A model table the filter leaves out is not created either.
        s.execute_script("DROP TABLE reviews");
        CHECK(only.validate().operations.size() == 1);
        m::table_filter without_reviews;
        without_reviews.only = {"authors", "books"};
        v2_manager<B> not_reviews(s, without_reviews);
        CHECK(not_reviews.validate().clean());
        CHECK(not_reviews.initialize().empty());
        CHECK_FALSE(s.table_exists("reviews"));
        CHECK(models_only.initialize() == std::vector<std::string>{"reviews"});
    });
    const auto validate = migrate_cli(f, {"validate", "--models-only"});
    INFO(validate.out << validate.err);
    CHECK(validate.exit_code == 0);
    CHECK_THAT(validate.out, Contains("schema matches the models") &&
                                 Contains("tables the models do not name (--models-only)"));
    const auto by_pattern =
        migrate_cli(f, {"validate", "--ignore-table", "celery_*", "--ignore-table", "django_*"});
    CHECK(by_pattern.exit_code == 0);
    const auto only = migrate_cli(f, {"validate", "--only-table", "celery_*"});
    CHECK(only.exit_code == 1);  // the celery tables are not the models'
    CHECK_THAT(only.out, Contains("drop table celery_taskmeta") &&
                             Contains("compared only (--only-table): celery_*"));
    const auto refused = migrate_cli(f, {"upgrade", "--models-only"});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err, Contains("upgrade does not take --models-only"));
}

// Was a plan failing half-way on PostgreSQL ("cannot drop ... because other objects depend on
// it", naming a table the plan never mentioned): a foreign key of a table left out of the
// comparison, into one that is compared, is seen, and a repair that would break it is refused
// before anything runs.
TEST_CASE("table filter: a repair that would break a foreign key of a table not compared is "
          "refused before it runs",
          "[migrate]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        CHECK(v2_manager<B>(s).initialize().size() == 3);
        // Another service's table refers to a column, and a table, the models do not have.
        s.execute_script("ALTER TABLE authors ADD COLUMN code TEXT");
        s.execute_script("CREATE UNIQUE INDEX ux_authors_code ON authors (code)");
        s.execute_script("CREATE TABLE old_codes (code TEXT PRIMARY KEY)");
        s.execute_script("CREATE TABLE loans (id BIGINT PRIMARY KEY, "
                         "author_code TEXT CONSTRAINT fk_loans_author REFERENCES authors (code), "
                         "old_code TEXT CONSTRAINT fk_loans_old REFERENCES old_codes (code))");

        m::table_filter filter;
        filter.ignored = {"loans"};
        v2_manager<B> manager(s, filter);
        const auto report = manager.validate();
        INFO(report.text());
        CHECK_THAT(report.text(),
                   Contains("drop column authors.code and its data  [needs --destructive]  "
                            "[blocked: loans.fk_loans_author references it, and is not "
                            "compared]") &&
                       Contains("[blocked: loans.fk_loans_old references it"));
        CHECK_THAT(report.json(), Contains("\"blocked_by\": \"loans.fk_loans_author\""));
        CHECK(report.blocked_by(report.operations.front()).size() +
                  report.blocked_by(report.operations.back()).size() >
              0);
        // What fix --sql prints for it: --destructive alone would not make it.
        for (const auto& op : report.operations)
            if (op.kind == m::change::drop_column) {
                CHECK(report.left_by_fix(op, false) ==
                      "needs --destructive, and blocked: loans.fk_loans_author references it, "
                      "and is not compared");
                CHECK(report.left_by_fix(op, true) ==
                      "blocked: loans.fk_loans_author references it, and is not compared");
            }

        // The additive fix has nothing to break; the destructive one stops and names the keys.
        CHECK(manager.fix(false).empty());
        CHECK_THROWS_WITH(manager.fix(true),
                          Contains("the fix would break foreign keys of tables it does not "
                                   "compare, so nothing was done") &&
                              Contains("loans.fk_loans_author references it") &&
                              Contains("drop table old_codes"));
        CHECK_THROWS_AS(manager.fix_sql(true), retort::foreign_key_violation);
        CHECK(s.table_exists("old_codes"));
        CHECK(s.template query<std::int64_t>("SELECT count(*) FROM authors WHERE code IS NULL")
                  .size() == 1);  // the column is still there

        // With the referring table compared too, the same repair drops it first and runs.
        v2_manager<B> everything(s);
        CHECK_FALSE(everything.fix(true).empty());
        CHECK(everything.validate().clean());
        CHECK_FALSE(s.table_exists("loans"));
        CHECK_FALSE(s.table_exists("old_codes"));
    });
}

TEST_CASE("migrate fix: exits 1 while differences are left, and --sql lists them as comments",
          "[migrate]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        v2_manager<B>(s).initialize();
        s.execute_script("ALTER TABLE authors ADD COLUMN nickname TEXT");  // fix drops it
        s.execute_script("DROP INDEX ix_books_title");                     // fix adds it
    });
    const auto dry = migrate_cli(f, {"fix", "--sql"});
    INFO(dry.out << dry.err);
    CHECK(dry.exit_code == 1);
    CHECK_THAT(dry.out, Contains("CREATE INDEX \"ix_books_title\"") &&
                            Contains("-- left out (needs --destructive): drop column "
                                     "authors.nickname and its data\n"));
    const auto additive = migrate_cli(f, {"fix"});
    INFO(additive.out << additive.err);
    CHECK(additive.exit_code == 1);
    CHECK_THAT(additive.out, Contains("fixed: add index ix_books_title") && Contains("left:") &&
                                 Contains("drop column authors.nickname"));
    const auto dry_destructive = migrate_cli(f, {"fix", "--sql", "--destructive"});
    INFO(dry_destructive.out << dry_destructive.err);
    CHECK(dry_destructive.exit_code == 0);
    CHECK_THAT(dry_destructive.out, Contains("DROP COLUMN \"nickname\""));
    CHECK_THAT(dry_destructive.out, !Contains("left out"));
    CHECK(migrate_cli(f, {"fix", "--destructive"}).exit_code == 0);
    const auto clean = migrate_cli(f, {"fix"});
    CHECK(clean.exit_code == 0);
    CHECK(clean.out.empty());
    CHECK(migrate_cli(f, {"fix", "--sql"}).out.empty());
}

TEST_CASE("migrate fix --sql: values that do not fit the models are left, and exit 1",
          "[migrate][sqlite-only]") {
    scratch f;
    bool sqlite = false;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        v2_manager<B>(s).initialize();
        if constexpr (is_sqlite<B>) {
            sqlite = true;
            s.execute_script("INSERT INTO authors (id, name, email) VALUES (1, 'a', 'a@x')");
            s.execute_script("INSERT INTO books (id, author_id, title, page_count, genre) "
                             "VALUES (1, 1, 't', 3000000000, 'poetry')");
        }
    });
    if (!sqlite) return;
    const auto dry = migrate_cli(f, {"fix", "--sql", "--destructive"});
    INFO(dry.out << dry.err);
    CHECK(dry.exit_code == 1);
    CHECK_THAT(dry.out, Contains("-- left out (rows to change or delete): books.page_count: 1 "
                                 "row(s) not an integer from -2147483648 to 2147483647\n"));
    const auto validate = migrate_cli(f, {"validate"});
    CHECK(validate.exit_code == 1);
    CHECK_THAT(validate.out, !Contains("schema matches the models"));
}

TEST_CASE("migrate fix --sql: a line break in a description cannot end its comment",
          "[migrate][unit]") {
    CHECK(retort::cli::detail::sql_comment("drop check c (x > 0\nOR 1 = 1);\r\nDROP TABLE t") ==
          "-- drop check c (x > 0 OR 1 = 1);  DROP TABLE t\n");
}

TEST_CASE("migrate upgrade says when the models differ from the newest revision", "[migrate]") {
    scratch f;
    const auto none = migrate_cli(f, {"upgrade"});
    INFO(none.out << none.err);
    CHECK(none.exit_code == 0);
    CHECK_THAT(none.out, Contains("there are no revisions yet: `revision --autogenerate -m "
                                  "\"...\"` writes the first one from the models"));
    CHECK_THAT(none.out, !Contains("newest revision"));
    m::autogenerate<v1::author, v1::book>(f.dir, "initial");
    const auto behind = migrate_cli(f, {"upgrade", "head"});
    INFO(behind.out << behind.err);
    CHECK(behind.exit_code == 0);  // a deploy that only applies revisions goes on
    CHECK_THAT(behind.out,
               Contains("applied 0001_initial") &&
                   Contains("the models differ from the newest revision (") &&
                   Contains("`revision --autogenerate -m \"...\"` writes the next one"));
    m::autogenerate_options destructive;
    destructive.allow_destructive = true;
    REQUIRE(m::autogenerate<v2::author, v2::book, v2::review>(f.dir, "v2", destructive));
    const auto level = migrate_cli(f, {"upgrade", "head"});
    INFO(level.out << level.err);
    CHECK(level.exit_code == 0);
    CHECK_THAT(level.out, Contains("applied 0002_v2"));
    CHECK_THAT(level.out, !Contains("differ"));
}

TEST_CASE("migrate upgrade: the tables --ignore-table leaves out are not models ahead",
          "[migrate]") {
    scratch f;
    m::autogenerate<v2::author, v2::book>(f.dir, "without reviews");
    const auto ahead = migrate_cli(f, {"upgrade"});
    INFO(ahead.out << ahead.err);
    CHECK_THAT(ahead.out, Contains("the models differ from the newest revision (1 change(s))"));
    const auto ignored = migrate_cli(f, {"upgrade", "--ignore-table", "reviews"});
    INFO(ignored.out << ignored.err);
    CHECK(ignored.exit_code == 0);
    CHECK_THAT(ignored.out, Contains("nothing to do") && !Contains("differ"));
}
