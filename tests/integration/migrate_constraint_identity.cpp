// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// Keys, uniques, foreign keys and indexes identified by meaning, against real databases:
//  - a database made by another tool (PostgreSQL's users_pkey, users_email_key; Rails'
//    index_users_on_name, fk_rails_0123abcd) differs from the models by names alone: validate
//    lists renames in their own class, ignore_names lists nothing, fix never adds a second
//    foreign key and converges (a second fix changes nothing), and a key that an unmodelled
//    table's foreign key uses is renamed, not dropped;
//  - an index follows its renamed column, a child's foreign key follows its renamed parent
//    (renamed, never dropped and re-added), and a fix that removes a partial index's
//    predicate converges: each applied, diffed again (empty), every row kept.

#include "../support/migration_models.hpp"

#include <retort/migrate/schema_manager.hpp>

namespace identity {

struct user {
    std::int64_t id{};
    std::string email;
    std::string name;
};
RETORT_TABLE(user, "users", (id, retort::primary_key, retort::autoincrement),
             (email, retort::unique), (name, retort::indexed));

struct diary_entry {
    std::int64_t id{};
    std::int64_t user_id{};
    std::string body;
};
RETORT_TABLE(diary_entry, "diary_entries", (id, retort::primary_key, retort::autoincrement),
             (user_id, retort::references<&user::id>.on_delete(retort::fk_action::cascade)),
             (body));

// An indexed column renamed (defect 1).
namespace column_before {
struct item {
    std::int64_t id{};
    std::string title;
};
RETORT_TABLE(item, "items", (id, retort::primary_key), (title, retort::indexed));
}  // namespace column_before
namespace column_after {
struct item {
    std::int64_t id{};
    std::string heading;
};
RETORT_TABLE(item, "items", (id, retort::primary_key),
             (heading, retort::indexed, retort::renamed_from<"title">));
}  // namespace column_after

// A referenced table renamed (defect 2).
namespace parent_before {
struct owner {
    std::int64_t id{};
    std::string name;
};
RETORT_TABLE(owner, "owners", (id, retort::primary_key), (name));
struct pet {
    std::int64_t id{};
    std::int64_t owner_id{};
};
RETORT_TABLE(pet, "pets", (id, retort::primary_key),
             (owner_id, retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));
}  // namespace parent_before
namespace parent_after {
struct owner {
    std::int64_t id{};
    std::string name;
};
RETORT_TABLE(owner, "people", (id, retort::primary_key), (name));
RETORT_CONSTRAINTS(owner, retort::table_renamed_from<"owners">);
struct pet {
    std::int64_t id{};
    std::int64_t owner_id{};
};
RETORT_TABLE(pet, "pets", (id, retort::primary_key),
             (owner_id, retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));
// A new table whose foreign key names the renamed parent.
struct visit {
    std::int64_t id{};
    std::int64_t person_id{};
};
RETORT_TABLE(visit, "visits", (id, retort::primary_key),
             (person_id, retort::references<&owner::id>));
}  // namespace parent_after

// A partial index whose predicate the models drop (defect 3).
namespace partial_before {
struct task {
    std::int64_t id{};
    std::string state;
    std::int64_t due{};
};
RETORT_TABLE(task, "tasks", (id, retort::primary_key), (state), (due));
RETORT_CONSTRAINTS(task, retort::partial_index<"ix_tasks_open_due", "state = 'open'", &task::due>);
}  // namespace partial_before
namespace partial_after {
struct task {
    std::int64_t id{};
    std::string state;
    std::int64_t due{};
};
RETORT_TABLE(task, "tasks", (id, retort::primary_key), (state), (due));
RETORT_CONSTRAINTS(task, retort::index<"ix_tasks_open_due", &task::due>);
}  // namespace partial_after
// The same columns, another predicate under another name: not a rename.
namespace partial_other {
struct task {
    std::int64_t id{};
    std::string state;
    std::int64_t due{};
};
RETORT_TABLE(task, "tasks", (id, retort::primary_key), (state), (due));
RETORT_CONSTRAINTS(task, retort::partial_index<"ix_tasks_done_due", "state = 'done'", &task::due>);
}  // namespace partial_other

// Expression indexes (lower(email)), unique ones among columns, then changed, then their
// column renamed.
namespace expression_v1 {
struct person {
    std::int64_t id{};
    std::string email;
    std::string last_name;
};
RETORT_TABLE(person, "ex_people", (id, retort::primary_key), (email), (last_name));
RETORT_CONSTRAINTS(
    person, retort::index<"ix_ex_people_email_lower", retort::index_expression<"lower(email)">>,
    retort::unique_index<"ux_ex_people_name_email", &person::last_name,
                         retort::index_expression<"lower(email)">>);
}  // namespace expression_v1
namespace expression_v2 {
struct person {
    std::int64_t id{};
    std::string email;
    std::string last_name;
};
RETORT_TABLE(person, "ex_people", (id, retort::primary_key), (email), (last_name));
RETORT_CONSTRAINTS(
    person, retort::index<"ix_ex_people_email_lower", retort::index_expression<"upper(email)">>,
    retort::unique_index<"ux_ex_people_name_email", &person::last_name,
                         retort::index_expression<"lower(email)">>);
}  // namespace expression_v2
namespace expression_renamed {
struct person {
    std::int64_t id{};
    std::string mail;
    std::string last_name;
};
RETORT_TABLE(person, "ex_people", (id, retort::primary_key), (mail, retort::renamed_from<"email">),
             (last_name));
RETORT_CONSTRAINTS(
    person, retort::index<"ix_ex_people_email_lower", retort::index_expression<"lower(mail)">>,
    retort::unique_index<"ux_ex_people_name_email", &person::last_name,
                         retort::index_expression<"lower(mail)">>);
}  // namespace expression_renamed

}  // namespace identity

namespace {

namespace m = retort::migrate;
using Catch::Contains;
using namespace migtest;

// Made the way PostgreSQL names what it is not told to name, plus Rails' names for a foreign
// key and an index; audit_notes is no model's and uses the users' key.
constexpr std::string_view postgres_schema = R"sql(
CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name text NOT NULL
);
CREATE INDEX index_users_on_name ON users (name);
CREATE TABLE diary_entries (
    id BIGSERIAL PRIMARY KEY,
    user_id bigint NOT NULL,
    body text NOT NULL,
    CONSTRAINT fk_rails_0123abcd FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE TABLE audit_notes (
    id bigint PRIMARY KEY,
    user_id bigint REFERENCES users (id)
);
)sql";

// SQLite reads an unnamed constraint under retort's names: these are named as PostgreSQL and
// Rails would have named them.
constexpr std::string_view sqlite_schema = R"sql(
CREATE TABLE users (
    id INTEGER NOT NULL CONSTRAINT users_pkey PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL CONSTRAINT users_email_key UNIQUE,
    name TEXT NOT NULL
);
CREATE INDEX index_users_on_name ON users (name);
CREATE TABLE diary_entries (
    id INTEGER NOT NULL CONSTRAINT diary_entries_pkey PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL,
    body TEXT NOT NULL,
    CONSTRAINT fk_rails_0123abcd FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE TABLE audit_notes (
    id INTEGER NOT NULL PRIMARY KEY,
    user_id BIGINT REFERENCES users (id)
);
)sql";

template <class B>
using manager_for = m::schema_manager<B, identity::user, identity::diary_entry>;

template <class B>
void build_foreign_database(retort::basic_session<B>& s) {
    s.execute_script(is_sqlite<B> ? sqlite_schema : postgres_schema);
    s.execute_script("INSERT INTO users (email, name) VALUES ('ada@example.org', 'Ada'), "
                     "('brian@example.org', 'Brian')");
    s.execute_script("INSERT INTO diary_entries (user_id, body) VALUES (1, 'one'), (1, 'two'), "
                     "(2, 'three')");
    s.execute_script("INSERT INTO audit_notes (id, user_id) VALUES (7, 2)");
}

using entry_row = std::tuple<std::int64_t, std::int64_t, std::string, std::string>;

template <class B>
std::vector<entry_row> all_rows(retort::basic_session<B>& s) {
    return s.template query<std::int64_t, std::int64_t, std::string, std::string>(
        "SELECT d.id, u.id, u.email, d.body FROM diary_entries d JOIN users u ON u.id = d.user_id "
        "ORDER BY d.id");
}

const std::vector<entry_row> expected_rows{{1, 1, "ada@example.org", "one"},
                                           {2, 1, "ada@example.org", "two"},
                                           {3, 2, "brian@example.org", "three"}};

/// The foreign keys a table has, as the catalog counts them.
template <class B>
std::int64_t foreign_key_count(retort::basic_session<B>& s, const std::string& table) {
    if constexpr (is_sqlite<B>)
        return std::get<0>(s.template query<std::int64_t>(
            "SELECT count(DISTINCT id) FROM pragma_foreign_key_list(?)", table)[0]);
    else
        return std::get<0>(s.template query<std::int64_t>(
            "SELECT count(*) FROM pg_catalog.pg_constraint WHERE conrelid = ?::regclass AND "
            "contype = 'f'",
            table)[0]);
}

/// The name of the users' primary key, as the database has it.
template <class B>
std::string users_key_name(retort::basic_session<B>& s) {
    const auto live = m::introspect(s);
    return live.find_table("users")->key.name;
}

bool has_kind(const std::vector<m::operation>& ops, m::change kind) {
    return std::any_of(ops.begin(), ops.end(), [&](const auto& op) { return op.kind == kind; });
}

}  // namespace

TEST_CASE("identity: constraints named by another tool differ by their names only",
          "[migrate][identity]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        build_foreign_database(s);
        manager_for<B> manager(s, {"audit_notes"});
        const auto report = manager.validate();
        INFO(report.text());
        REQUIRE(report.operations.size() == 5);
        for (const auto& op : report.operations) {
            CHECK(m::is_name_only(op));
            CHECK_FALSE(m::drift_report::is_additive_repair(op));
        }
        CHECK(report.name_only_count() == 5);
        CHECK(report.exit_code() == 1);
        CHECK_THAT(report.text(),
                   Contains("5 name-only difference(s)") &&
                       Contains("rename foreign key fk_rails_0123abcd on diary_entries to "
                                "fk_diary_entries_user_id_users") &&
                       Contains("rename primary key users_pkey on users to pk_users") &&
                       Contains("rename unique users_email_key on users to uq_users_email") &&
                       Contains("rename index index_users_on_name on users to ix_users_name") &&
                       !Contains("difference(s) from the models"));
        CHECK_THAT(report.json(), Contains("\"name_only_differences\": 5") &&
                                      Contains("\"risk\": \"name-only\"") &&
                                      Contains("\"name_only\": true") &&
                                      Contains("\"old_name\": \"fk_rails_0123abcd\""));
        // The project keeps the other tool's names: nothing differs.
        manager.ignore_names();
        INFO(manager.validate().text());
        CHECK(manager.validate().clean());
        CHECK(manager.validate().exit_code() == 0);
        retort::migrate::diff_options ignore;
        ignore.ignore_names = true;
        const auto ops = m::diff_with_models<identity::user, identity::diary_entry>(s, ignore);
        for (const auto& op : ops) CHECK(op.table == "audit_notes");  // not a model's
        CHECK(all_rows(s) == expected_rows);
    });
}

TEST_CASE("identity: fix never duplicates a foreign key, and a second fix changes nothing",
          "[migrate][identity]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        build_foreign_database(s);
        manager_for<B> manager(s, {"audit_notes"});
        // Additive: a rename is no addition, and the key is there by meaning: nothing to do.
        CHECK(manager.fix(false).empty());
        CHECK(manager.fix(false).empty());
        CHECK(foreign_key_count(s, "diary_entries") == 1);
        CHECK(manager.validate().name_only_count() == 5);
        // Names ignored, even a destructive fix keeps them.
        manager.ignore_names();
        CHECK(manager.fix(true).empty());
        CHECK(users_key_name(s) == "users_pkey");
        manager.ignore_names(false);
        // Destructive: the renames, once.
        const auto applied = manager.fix(true);
        CHECK(applied.size() == 5);
        INFO(manager.validate().text());
        CHECK(manager.validate().clean());
        CHECK(manager.fix(true).empty());
        CHECK(manager.fix(false).empty());
        CHECK(foreign_key_count(s, "diary_entries") == 1);
        CHECK(users_key_name(s) == "pk_users");
        CHECK(all_rows(s) == expected_rows);
        // the key still cascades
        s.execute_script("DELETE FROM users WHERE id = 1");
        CHECK(std::get<0>(
                  s.template query<std::int64_t>("SELECT count(*) FROM diary_entries")[0]) == 1);
    });
}

TEST_CASE("identity: a key another table's foreign key uses is renamed, not dropped",
          "[migrate][identity]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        build_foreign_database(s);
        manager_for<B> manager(s, {"audit_notes"});
        const auto sql = manager.fix_sql(true);
        std::string all;
        for (const auto& x : sql) all += x + ";\n";
        INFO(all);
        if constexpr (!is_sqlite<B>) {
            CHECK_THAT(all, Contains("ALTER TABLE \"users\" RENAME CONSTRAINT \"users_pkey\" TO "
                                     "\"pk_users\"") &&
                                Contains("ALTER INDEX \"index_users_on_name\" RENAME TO "
                                         "\"ix_users_name\"") &&
                                !Contains("DROP CONSTRAINT") && !Contains("ADD CONSTRAINT") &&
                                !Contains("DROP INDEX"));
        }
        CHECK_FALSE(manager.fix(true).empty());
        CHECK(users_key_name(s) == "pk_users");
        CHECK(foreign_key_count(s, "audit_notes") == 1);
        CHECK(std::get<0>(s.template query<std::int64_t>(
                  "SELECT count(*) FROM audit_notes a JOIN users u ON u.id = a.user_id")[0]) == 1);
        CHECK(all_rows(s) == expected_rows);
        CHECK(manager.validate().clean());
    });
}

TEST_CASE("identity: an index follows its renamed column", "[migrate][identity]") {
    scratch f;
    m::autogenerate<identity::column_before::item>(f.dir, "items");
    const auto renamed = m::autogenerate<identity::column_after::item>(f.dir, "heading");
    REQUIRE(renamed);
    INFO(renamed->text);
    CHECK(has_kind(renamed->operations, m::change::rename_column));
    CHECK(has_kind(renamed->operations, m::change::rename_index));
    CHECK_FALSE(has_kind(renamed->operations, m::change::drop_index));
    CHECK_FALSE(has_kind(renamed->operations, m::change::add_index));
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::migrator<B> mig(s, m::load_history(f.dir));
        REQUIRE(mig.upgrade("+1").size() == 1);
        s.execute_script("INSERT INTO items (id, title) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        REQUIRE(mig.upgrade("head").size() == 1);
        const auto drift = m::diff_with_models<identity::column_after::item>(s);
        INFO(listing(drift));
        CHECK(drift.empty());
        CHECK(s.template query<std::int64_t, std::string>(
                  "SELECT id, heading FROM items ORDER BY id") ==
              std::vector<std::tuple<std::int64_t, std::string>>{{1, "a"}, {2, "b"}, {3, "c"}});
        const auto live = m::introspect(s);
        REQUIRE(live.find_table("items")->indexes.size() == 1);
        CHECK(live.find_table("items")->indexes[0].name == "ix_items_heading");
        CHECK(live.find_table("items")->indexes[0].columns == std::vector<std::string>{"heading"});
        // and back
        REQUIRE(mig.downgrade("-1").size() == 1);
        const auto back = m::diff_with_models<identity::column_before::item>(s);
        INFO(listing(back));
        CHECK(back.empty());
        CHECK(std::get<0>(s.template query<std::int64_t>("SELECT count(*) FROM items")[0]) == 3);
    });
}

TEST_CASE("identity: a child's foreign key follows its renamed parent, never re-added",
          "[migrate][identity]") {
    scratch f;
    m::autogenerate<identity::parent_before::owner, identity::parent_before::pet>(f.dir, "pets");
    const auto renamed =
        m::autogenerate<identity::parent_after::owner, identity::parent_after::pet>(f.dir,
                                                                                    "people");
    REQUIRE(renamed);
    INFO(renamed->text);
    CHECK(has_kind(renamed->operations, m::change::rename_table));
    CHECK(has_kind(renamed->operations, m::change::rename_foreign_key));
    CHECK_FALSE(has_kind(renamed->operations, m::change::drop_foreign_key));
    CHECK_FALSE(has_kind(renamed->operations, m::change::add_foreign_key));
    // PostgreSQL renames the key: no row of pets is checked again.
    CHECK_THAT(renamed->text,
               Contains("ALTER TABLE \"pets\" RENAME CONSTRAINT "
                        "\"fk_pets_owner_id_owners\" TO \"fk_pets_owner_id_people\""));
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::migrator<B> mig(s, m::load_history(f.dir));
        REQUIRE(mig.upgrade("+1").size() == 1);
        s.execute_script("INSERT INTO owners (id, name) VALUES (1, 'Ada'), (2, 'Brian')");
        s.execute_script("INSERT INTO pets (id, owner_id) VALUES (10, 1), (11, 2), (12, 2)");
        REQUIRE(mig.upgrade("head").size() == 1);
        const auto drift =
            m::diff_with_models<identity::parent_after::owner, identity::parent_after::pet>(s);
        INFO(listing(drift));
        CHECK(drift.empty());
        CHECK(foreign_key_count(s, "pets") == 1);
        CHECK(std::get<0>(s.template query<std::int64_t>(
                  "SELECT count(*) FROM pets JOIN people ON people.id = pets.owner_id")[0]) == 3);
        s.execute_script("DELETE FROM people WHERE id = 2");  // still cascades
        CHECK(std::get<0>(s.template query<std::int64_t>("SELECT count(*) FROM pets")[0]) == 1);
        REQUIRE(mig.downgrade("-1").size() == 1);
        const auto back =
            m::diff_with_models<identity::parent_before::owner, identity::parent_before::pet>(s);
        INFO(listing(back));
        CHECK(back.empty());
    });
}

TEST_CASE("identity: fix leaves what a renamed table or column needs to the rename",
          "[migrate][identity]") {
    // Was a wrong answer: the column of a renamed table was reported fixed while no statement
    // ran (the repair looked for the table under its new name), and an index on a renamed
    // column made the whole additive fix fail.
    namespace before = identity::parent_before;
    namespace after = identity::parent_after;
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::schema_manager<B, before::owner, before::pet, identity::column_before::item>(s)
            .initialize();
        s.execute_script("ALTER TABLE owners DROP COLUMN name");  // people.name: NOT NULL, no rows
        s.execute_script("DROP INDEX ix_items_title");
        s.execute_script("INSERT INTO items (id, title) VALUES (1, 'a'), (2, 'b')");
        m::schema_manager<B, after::owner, after::pet, after::visit, identity::column_after::item>
            manager(s);
        const auto report = manager.validate();
        INFO(report.text());
        const auto op_of = [&](m::change kind) -> const m::operation& {
            const auto it = std::find_if(report.operations.begin(), report.operations.end(),
                                         [&](const m::operation& op) { return op.kind == kind; });
            REQUIRE(it != report.operations.end());
            return *it;
        };
        const m::operation& column = op_of(m::change::add_column);
        CHECK(column.table == "people");
        CHECK(report.waits_for_rename(column));
        CHECK(report.left_by_fix(column, false) == "needs --destructive");
        const m::operation& visits = op_of(m::change::create_table);
        CHECK(visits.table == "visits");
        CHECK(report.waits_for_rename(visits));  // its key into people is written with it
        const m::operation& index = op_of(m::change::add_index);
        CHECK(index.name == "ix_items_heading");
        CHECK(report.waits_for_rename(index));
        CHECK(report.left_by_fix(index, false) == "needs --destructive");
        CHECK_THAT(report.text(),
                   Contains("add column people.name") && Contains("[needs --destructive]"));

        CHECK(manager.fix_sql(false).empty());
        CHECK(manager.fix(false).empty());
        CHECK(manager.validate().operations.size() == report.operations.size());

        CHECK_FALSE(manager.fix(true).empty());
        const auto after_fix = manager.validate();
        INFO(after_fix.text());
        CHECK(after_fix.clean());
        CHECK(foreign_key_count(s, "pets") == 1);
        CHECK(s.template query<std::int64_t, std::string>(
                  "SELECT id, heading FROM items ORDER BY id") ==
              std::vector<std::tuple<std::int64_t, std::string>>{{1, "a"}, {2, "b"}});
    });
}

TEST_CASE("identity: a fix that removes a partial index's predicate converges",
          "[migrate][identity]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::schema_manager<B, identity::partial_before::task>(s).initialize();
        s.execute_script("INSERT INTO tasks (id, state, due) VALUES (1, 'open', 5), "
                         "(2, 'done', 6), (3, 'open', 7)");
        m::schema_manager<B, identity::partial_after::task> manager(s);
        const auto before = manager.validate();
        INFO(before.text());
        REQUIRE_FALSE(before.clean());
        CHECK_FALSE(manager.fix(true).empty());
        INFO(manager.validate().text());
        CHECK(manager.validate().clean());
        CHECK(manager.fix(true).empty());
        const auto live = m::introspect(s);
        REQUIRE(live.find_table("tasks")->indexes.size() == 1);
        CHECK(live.find_table("tasks")->indexes[0].where.empty());
        CHECK(s.template query<std::int64_t, std::string, std::int64_t>(
                  "SELECT id, state, due FROM tasks ORDER BY id") ==
              std::vector<std::tuple<std::int64_t, std::string, std::int64_t>>{
                  {1, "open", 5}, {2, "done", 6}, {3, "open", 7}});
    });
}

// Was a wrong answer (rule_identity.hpp, pair_rules): PostgreSQL's predicates compared as one
// opaque text, so a single partial index under another name was paired as a rename whatever
// its WHERE: `state = 'open'` live against `state = 'done'` in the models read as name-only,
// and fix renamed it and kept the live predicate. Predicates now compare as the server prints
// them (spelled_by_server): the index is dropped and the model's created.
TEST_CASE("identity: a partial index with another predicate is not a rename",
          "[migrate][identity]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::schema_manager<B, identity::partial_before::task>(s).initialize();
        s.execute_script("INSERT INTO tasks (id, state, due) VALUES (1, 'open', 5), "
                         "(2, 'done', 6)");
        m::schema_manager<B, identity::partial_other::task> manager(s);
        const auto report = manager.validate();
        INFO(report.text());
        for (const auto& op : report.operations) CHECK_FALSE(m::is_name_only(op));
        REQUIRE(report.operations.size() == 2);
        CHECK(manager.fix(true).size() == 2);
        INFO(manager.validate().text());
        CHECK(manager.validate().clean());
        const auto live = m::introspect(s);
        REQUIRE(live.find_table("tasks")->indexes.size() == 1);
        CHECK(live.find_table("tasks")->indexes[0].name == "ix_tasks_done_due");
        CHECK_THAT(live.find_table("tasks")->indexes[0].where, Catch::Contains("done"));
        CHECK(s.template query<std::int64_t>("SELECT count(*) FROM tasks") ==
              std::vector<std::tuple<std::int64_t>>{{2}});
    });
}

TEST_CASE("identity: expression indexes are created, read back equal, and enforced",
          "[migrate][identity][expression-index]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::schema_manager<B, identity::expression_v1::person> manager(s);
        manager.initialize();
        const auto report = manager.validate();
        INFO(report.text());
        CHECK(report.clean());
        CHECK(manager.fix(true).empty());
        const auto live = m::introspect(s);
        const auto* t = live.find_table("ex_people");
        REQUIRE(t != nullptr);
        REQUIRE(t->indexes.size() == 2);
        // SQLite's DDL text and pg_get_indexdef's agree here (a text column: no cast)
        const std::string lower_email = "lower(email)";
        for (const auto& ix : t->indexes) {
            INFO(ix.name);
            if (ix.name == "ix_ex_people_email_lower") {
                CHECK(ix.columns == std::vector<std::string>{lower_email});
                CHECK(ix.expressions == std::vector<bool>{true});
            } else {
                CHECK(ix.columns == std::vector<std::string>{"last_name", lower_email});
                CHECK(ix.expressions == std::vector<bool>{false, true});
                CHECK(ix.unique);
            }
        }
        // the unique one holds over the expression: the same address in other letters
        s.execute("INSERT INTO ex_people (id, email, last_name) VALUES (1, 'Ada@x.org', 'L')");
        CHECK_THROWS_AS(
            s.execute("INSERT INTO ex_people (id, email, last_name) VALUES (2, 'ada@X.ORG', 'L')"),
            retort::unique_violation);
        s.execute("INSERT INTO ex_people (id, email, last_name) VALUES (3, 'ada@X.ORG', 'M')");
    });
}

TEST_CASE("identity: a changed index expression is found, repaired, and converges",
          "[migrate][identity][expression-index]") {
    scratch f;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::schema_manager<B, identity::expression_v1::person>(s).initialize();
        s.execute("INSERT INTO ex_people (id, email, last_name) VALUES (1, 'a@x', 'L'), "
                  "(2, 'b@x', 'M')");
        m::schema_manager<B, identity::expression_v2::person> manager(s);
        const auto report = manager.validate();
        INFO(report.text());
        REQUIRE(report.operations.size() == 2);
        CHECK(has_kind(report.operations, m::change::drop_index));
        CHECK(has_kind(report.operations, m::change::add_index));
        CHECK_THAT(report.text(), Catch::Contains("upper("));
        CHECK(manager.fix(true).size() == 2);
        INFO(manager.validate().text());
        CHECK(manager.validate().clean());
        CHECK(manager.fix(true).empty());
        CHECK(std::get<0>(s.template query<std::int64_t>("SELECT count(*) FROM ex_people")[0]) ==
              2);
    });
}

TEST_CASE("identity: an index expression follows its renamed column",
          "[migrate][identity][expression-index]") {
    scratch f;
    m::autogenerate<identity::expression_v1::person>(f.dir, "people");
    const auto renamed = m::autogenerate<identity::expression_renamed::person>(f.dir, "mail");
    REQUIRE(renamed);
    INFO(renamed->text);
    CHECK(has_kind(renamed->operations, m::change::rename_column));
    CHECK_FALSE(has_kind(renamed->operations, m::change::drop_index));
    CHECK_FALSE(has_kind(renamed->operations, m::change::add_index));
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::migrator<B> mig(s, m::load_history(f.dir));
        REQUIRE(mig.upgrade("+1").size() == 1);
        s.execute("INSERT INTO ex_people (id, email, last_name) VALUES (1, 'a@x', 'L')");
        REQUIRE(mig.upgrade("head").size() == 1);
        const auto drift = m::diff_with_models<identity::expression_renamed::person>(s);
        INFO(listing(drift));
        CHECK(drift.empty());
        CHECK_THROWS_AS(
            s.execute("INSERT INTO ex_people (id, mail, last_name) VALUES (2, 'A@X', 'L')"),
            retort::unique_violation);
        REQUIRE(mig.downgrade("-1").size() == 1);
        const auto back = m::diff_with_models<identity::expression_v1::person>(s);
        INFO(listing(back));
        CHECK(back.empty());
    });
}
