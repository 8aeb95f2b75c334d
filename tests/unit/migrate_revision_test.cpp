// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// Revision files without a database: their text format, checksum and history, the revision
// autogenerate plans from the models, and the models' compile-time fingerprint.

#include "../support/models.hpp"
#include "../support/schema_edit.hpp"

#include <retort/migrate/autogenerate.hpp>
#include <retort/migrate/models_hash.hpp>
#include <retort/migrate/revision.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using retort::migrate::direction;
using retort::migrate::revision;
using retort::migrate::revision_source;
namespace fs = std::filesystem;
namespace migrate = retort::migrate;
namespace schema = retort::schema;
using statements = std::vector<std::string>;

namespace {

using test::column;
using test::models;
using test::table;

/// The configuration_error's message for `f()`, or "no error".
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const retort::configuration_error& e) {
        return e.what();
    }
    return "no error";
}

/// A directory of its own under the system's temporary directory, removed with everything in it.
class temp_dir {
public:
    temp_dir() {
        std::random_device random;
        for (int attempt = 0;; ++attempt) {
            path_ =
                fs::temp_directory_path() / ("retort-unit-revisions-" + std::to_string(random()) +
                                             "-" + std::to_string(attempt));
            if (fs::create_directory(path_)) break;
        }
    }
    ~temp_dir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    const fs::path& path() const { return path_; }

    void write(const std::string& name, const std::string& text) const {
        std::ofstream file(path_ / name, std::ios::binary);
        file << text;
        REQUIRE(file.flush());
    }
    /// A revision file named after its id.
    void add_revision(const std::string& id, const std::string& parent) const {
        revision_source src;
        src.id = id;
        src.parent = parent;
        src.message = "revision " + id;
        src.up = {{"sqlite", {"CREATE TABLE \"t_" + id + "\" (\"id\" INTEGER)"}}};
        src.down = {{"sqlite", {"DROP TABLE \"t_" + id + "\""}}};
        write(id + ".sql", migrate::format_revision(src));
    }

private:
    fs::path path_;
};

std::vector<std::string> ids(const std::vector<revision>& history) {
    std::vector<std::string> out;
    for (const auto& r : history) out.push_back(r.id);
    return out;
}

revision_source sample_source() {
    const auto db = models();
    revision_source src;
    src.id = "0002_add_lessons";
    src.parent = "0001_initial";
    src.message = "add lessons; and \"more\"";
    src.notes = {"additive: create table dgs_lessons", "destructive: drop table x"};
    src.up = {{"sqlite", migrate::render<retort::dialect::sqlite>({}, db)},
              {"postgresql", migrate::render<retort::dialect::postgres>({}, db)}};
    src.down = {{"sqlite", migrate::render<retort::dialect::sqlite>(db, {})},
                {"postgresql", migrate::render<retort::dialect::postgres>(db, {})}};
    // a hand-written data migration with a string holding ';' and a trigger
    src.up[0].second.push_back("INSERT INTO \"users\" (\"email\") VALUES ('a;b@example.org')");
    src.up[0].second.push_back(
        "CREATE TRIGGER trg AFTER INSERT ON \"users\"\nBEGIN\n  SELECT 1;\n  SELECT CASE WHEN "
        "1 THEN 2 END;\nEND");
    src.snapshot = db;
    return src;
}

}  // namespace

// ---- revision files ------------------------------------------------------------------------

TEST_CASE("revision: format_revision and parse_revision round-trip", "[unit][migrate]") {
    const revision_source src = sample_source();
    const std::string text = migrate::format_revision(src);
    CHECK_THAT(text, StartsWith("-- retort revision 0002_add_lessons\n"
                                "-- parent: 0001_initial\n"
                                "-- message: add lessons; and \"more\"\n"
                                "--   additive: create table dgs_lessons\n"
                                "--   destructive: drop table x\n"
                                "\n-- up: sqlite\nCREATE TABLE \"all_types\" (\n"));
    CHECK_THAT(text, Contains("\n-- down: sqlite\nDROP TABLE "));
    CHECK_THAT(text, Contains("\n-- up: postgresql\nCREATE TABLE "));
    CHECK_THAT(text, Contains("\n--| table \"users\"\n--|   column \"id\" int64 0 not-null "
                              "autoincrement none 0 \"\" 0\n"));

    const revision r = migrate::parse_revision(text, "dir/0002_add_lessons.sql");
    CHECK(r.id == src.id);
    CHECK(r.parent == src.parent);
    CHECK(r.message == src.message);
    CHECK(r.path == fs::path{"dir/0002_add_lessons.sql"});
    CHECK(r.checksum == migrate::checksum_of(text));
    CHECK(r.snapshot == src.snapshot);
    std::vector<std::string> names;
    for (const auto& [name, sql] : r.sections) names.push_back(name);
    CHECK(names == statements{"down: postgresql", "down: sqlite", "up: postgresql", "up: sqlite"});
    CHECK(r.statements(direction::up, "sqlite") == src.up[0].second);
    CHECK(r.statements(direction::up, "postgresql") == src.up[1].second);
    CHECK(r.statements(direction::down, "sqlite") == src.down[0].second);
    CHECK(r.statements(direction::down, "postgresql") == src.down[1].second);
    CHECK(r.statements(direction::up, "mysql").empty());

    // the first revision: no parent, empty sections, empty snapshot
    revision_source first;
    first.id = "0001_initial";
    first.message = "initial";
    first.up = {{"sqlite", {}}};
    first.down = {{"sqlite", {}}};
    const std::string first_text = migrate::format_revision(first);
    CHECK_THAT(first_text, StartsWith("-- retort revision 0001_initial\n-- parent:\n"));
    const revision f = migrate::parse_revision(first_text);
    CHECK(f.parent.empty());
    CHECK(f.message == "initial");
    CHECK(f.sections.size() == 2);
    CHECK(f.statements(direction::up, "sqlite").empty());
    CHECK(f.statements(direction::down, "sqlite").empty());
    CHECK(f.snapshot == schema::database{});
    // formatting is a function of the source alone
    CHECK(migrate::format_revision(first) == first_text);

    // hand edits: SQL added to a section is kept, with its comments
    std::string edited = text;
    const std::string marker = "\n-- down: sqlite\n";
    edited.insert(edited.find(marker),
                  "\n-- backfill the new column\nUPDATE \"users\" SET \"approved\" = 1;\n");
    const revision e = migrate::parse_revision(edited);
    CHECK(e.statements(direction::up, "sqlite").back() == "UPDATE \"users\" SET \"approved\" = 1");
    CHECK(e.checksum != r.checksum);
}

TEST_CASE("revision: the checksum covers every byte but ignores CRLF", "[unit][migrate]") {
    const std::string text = migrate::format_revision(sample_source());
    const std::string sum = migrate::checksum_of(text);
    REQUIRE(sum.size() == 16);
    CHECK(sum.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(migrate::checksum_of(text) == sum);
    std::size_t changed = 0, checked = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        std::string copy = text;
        copy[i] = static_cast<char>(copy[i] ^ 0x20);
        if (copy[i] == '\r' || text[i] == '\r') continue;  // not a change (see below)
        ++checked;
        changed += migrate::checksum_of(copy) != sum;
    }
    CHECK(checked > 1000);
    CHECK(changed == checked);
    CHECK(migrate::checksum_of(text + "\n") != sum);
    CHECK(migrate::checksum_of(text.substr(1)) != sum);
    CHECK(migrate::checksum_of("") != migrate::checksum_of(" "));

    std::string crlf;
    for (char c : text) {
        if (c == '\n') crlf += '\r';
        crlf += c;
    }
    CHECK(migrate::checksum_of(crlf) == sum);
    const revision lf = migrate::parse_revision(text), windows = migrate::parse_revision(crlf);
    CHECK(windows.checksum == lf.checksum);
    CHECK(windows.sections == lf.sections);
    CHECK(windows.snapshot == lf.snapshot);
    CHECK(windows.id == lf.id);
    CHECK(windows.parent == lf.parent);
}

TEST_CASE("revision: parse errors name the file and the problem", "[unit][migrate]") {
    CHECK_THAT(error_of([] { migrate::parse_revision(""); }), Contains("not a retort revision"));
    CHECK_THAT(error_of([] { migrate::parse_revision("-- up: sqlite\nSELECT 1;\n"); }),
               Contains("not a retort revision"));
    CHECK_THAT(error_of([] { migrate::parse_revision("-- retort revision \n-- parent:\n"); }),
               Contains("not a retort revision"));
    CHECK_THAT(error_of([] { migrate::parse_revision("-- up: sqlite\n", "m/0001_x.sql"); }),
               StartsWith("m/0001_x.sql: not a retort revision"));
    const std::string sql_first = "-- retort revision 0001_x\n-- parent:\n\n"
                                  "CREATE TABLE t (a int);\n-- up: sqlite\n";
    CHECK_THAT(error_of([&] { migrate::parse_revision(sql_first, "m/0001_x.sql"); }),
               Contains("m/0001_x.sql line 4: SQL before the first '-- up: <dialect>' section"));
    CHECK_THAT(error_of([&] { migrate::parse_revision(sql_first); }),
               StartsWith("revision line 4"));
    // a broken snapshot names the file and the snapshot's line
    const std::string bad_snapshot = "-- retort revision 0001_x\n-- parent:\n-- up: sqlite\n"
                                     "--| table \"t\"\n--|   column \"a\" texty\n";
    const std::string message =
        error_of([&] { migrate::parse_revision(bad_snapshot, "m/0001_x.sql"); });
    CHECK_THAT(message, StartsWith("m/0001_x.sql: schema snapshot line 2"));
    CHECK_THAT(message, Contains("unknown type 'texty'"));
    // comments and blank lines before the first section are fine
    const revision r =
        migrate::parse_revision("-- retort revision 0001_x\n-- parent:\n\n-- a note\n--\n");
    CHECK(r.id == "0001_x");
    CHECK(r.sections.empty());
}

TEST_CASE("revision: load_history orders the chain by parent and names its problems",
          "[unit][migrate]") {
    {
        const temp_dir dir;
        CHECK(migrate::load_history(dir.path()).empty());
        // a directory that is not there is an error (a mistyped --dir must not read as "no
        // revisions"), except for the first `revision`, which creates it
        CHECK_THROWS_WITH(migrate::load_history(dir.path() / "missing"),
                          Catch::Contains("no migrations directory"));
        CHECK(migrate::load_history(dir.path() / "missing", true).empty());
        // the chain follows the parents, not the file names
        dir.add_revision("0001_a", "");
        dir.add_revision("0003_c", "0001_a");
        dir.add_revision("0002_b", "0003_c");
        dir.write("README.md", "not a revision");
        dir.write("0004_notes.txt", "-- retort revision 0004_notes\n-- parent: 0002_b\n");
        fs::create_directory(dir.path() / "0005_dir.sql");
        const auto history = migrate::load_history(dir.path());
        CHECK(ids(history) == statements{"0001_a", "0003_c", "0002_b"});
        CHECK(history[1].parent == "0001_a");
        CHECK(history[2].path == dir.path() / "0002_b.sql");
        CHECK(history[2].statements(direction::up, "sqlite") ==
              statements{"CREATE TABLE \"t_0002_b\" (\"id\" INTEGER)"});
        CHECK(migrate::next_revision_number(history) == "0004");
    }
    {
        const temp_dir dir;  // two revisions with one parent
        dir.add_revision("0001_a", "");
        dir.add_revision("0002_b", "0001_a");
        dir.add_revision("0002_x", "0001_a");
        const std::string message = error_of([&] { migrate::load_history(dir.path()); });
        CHECK_THAT(message, Contains("revisions 0002_b and 0002_x both follow 0001_a"));
        CHECK_THAT(message, Contains("branched"));
    }
    {
        const temp_dir dir;  // two bases
        dir.add_revision("0001_a", "");
        dir.add_revision("0001_b", "");
        CHECK_THAT(error_of([&] { migrate::load_history(dir.path()); }),
                   Contains("revisions 0001_a and 0001_b both follow the base"));
    }
    {
        const temp_dir dir;  // a parent that is not there
        dir.add_revision("0001_a", "");
        dir.add_revision("0003_c", "0002_gone");
        const std::string message = error_of([&] { migrate::load_history(dir.path()); });
        CHECK_THAT(message, Contains("revision 0003_c follows 0002_gone, which is not in "));
        CHECK_THAT(message, Contains(dir.path().string()));
    }
    {
        const temp_dir dir;  // a cycle and no base
        dir.add_revision("0001_a", "0002_b");
        dir.add_revision("0002_b", "0001_a");
        CHECK_THAT(error_of([&] { migrate::load_history(dir.path()); }),
                   Contains("do not form one chain from the base"));
    }
    {
        const temp_dir dir;  // a file renamed without its header
        dir.add_revision("0001_a", "");
        fs::rename(dir.path() / "0001_a.sql", dir.path() / "0001_first.sql");
        const std::string message = error_of([&] { migrate::load_history(dir.path()); });
        CHECK_THAT(message, Contains("0001_first.sql: the file is named 0001_first but says it "
                                     "is revision 0001_a"));
    }
    {
        const temp_dir dir;  // not a revision at all
        dir.write("0001_a.sql", "CREATE TABLE t (a int);\n");
        CHECK_THAT(error_of([&] { migrate::load_history(dir.path()); }),
                   Contains("0001_a.sql line 1: SQL before the first"));
    }
}

TEST_CASE("revision: next_revision_number and slug_of", "[unit][migrate]") {
    auto history = [](std::vector<std::string> names) {
        std::vector<revision> out;
        for (auto& n : names) out.emplace_back().id = std::move(n);
        return out;
    };
    CHECK(migrate::next_revision_number({}) == "0001");
    CHECK(migrate::next_revision_number(history({"0001_a", "0002_b"})) == "0003");
    CHECK(migrate::next_revision_number(history({"0005_e", "0002_b"})) == "0006");
    CHECK(migrate::next_revision_number(history({"0009_x"})) == "0010");
    CHECK(migrate::next_revision_number(history({"0099_x"})) == "0100");
    CHECK(migrate::next_revision_number(history({"9999_x"})) == "10000");
    CHECK(migrate::next_revision_number(history({"hand_written"})) == "0001");
    CHECK(migrate::next_revision_number(history({"12"})) == "0013");

    CHECK(migrate::slug_of("Add lessons table") == "add_lessons_table");
    CHECK(migrate::slug_of("  Hello,   World!! ") == "hello_world");
    CHECK(migrate::slug_of("v2: users.email -> varchar(300)") == "v2_users_email_varchar_300");
    CHECK(migrate::slug_of("") == "revision");
    CHECK(migrate::slug_of("!!! ...") == "revision");
    CHECK(migrate::slug_of("a\nb\tc") == "a_b_c");
    const std::string long_slug =
        migrate::slug_of("this message is far longer than forty bytes, surely it is cut");
    CHECK(long_slug == "this_message_is_far_longer_than_forty_by");
    CHECK(long_slug.size() == 40);
    CHECK(migrate::slug_of("abcdefghij abcdefghij abcdefghij abcdef  xyz") ==
          "abcdefghij_abcdefghij_abcdefghij_abcdef");  // no '_' left at the cut
    const std::string non_ascii = migrate::slug_of("Gr\xc3\xb6\xc3\x9f"
                                                   "e \xe2\x9c\x93 done");
    CHECK(non_ascii == "gr_e_done");
    CHECK(non_ascii.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") ==
          std::string::npos);
}

// ---- autogenerate --------------------------------------------------------------------------

TEST_CASE("autogenerate: plan_revision writes the first revision and then nothing",
          "[unit][migrate]") {
    const auto db = models();
    const auto first = migrate::plan_revision({}, db, "Initial schema\nwith details");
    REQUIRE(first);
    CHECK(first->id == "0001_initial_schema_with_details");
    CHECK(first->path.empty());  // nothing written
    CHECK(first->operations.size() == db.tables.size());
    const revision r = migrate::parse_revision(first->text);
    CHECK(r.id == first->id);
    CHECK(r.parent.empty());
    CHECK(r.message == "Initial schema");
    CHECK(r.snapshot == db);
    CHECK(r.statements(direction::up, "sqlite") ==
          migrate::render<retort::dialect::sqlite>({}, db));
    CHECK(r.statements(direction::up, "postgresql") ==
          migrate::render<retort::dialect::postgres>({}, db));
    CHECK(r.statements(direction::down, "postgresql") ==
          migrate::render<retort::dialect::postgres>(db, {}));
    CHECK_THAT(first->text, Contains("--   additive: create table users\n"));

    const std::vector<revision> history{r};
    CHECK_FALSE(migrate::plan_revision(history, db, "again"));
    // the models listed in another order, with a renaming hint that already happened
    auto same = schema::database_of<app::membership, app::all_types, app::email_delivery_log,
                                    app::llm_call_audit, app::lesson, app::job, app::user>();
    column(table(same, "users"), "email").renamed_from = "mail";
    CHECK_FALSE(migrate::plan_revision(history, same, "again"));
    CHECK(migrate::pending_model_changes<app::user, app::job, app::lesson, app::llm_call_audit,
                                         app::email_delivery_log, app::all_types, app::membership>(
              history)
              .empty());

    migrate::autogenerate_options empty;
    empty.allow_empty = true;
    const auto data = migrate::plan_revision(history, db, "backfill", empty);
    REQUIRE(data);
    CHECK(data->id == "0002_backfill");
    const revision d = migrate::parse_revision(data->text);
    CHECK(d.parent == r.id);
    CHECK(d.sections.size() == 4);
    for (const auto& [name, sql] : d.sections) CHECK(migrate::split_statements(sql).empty());
    CHECK(d.snapshot == db);
}

namespace spelled {
struct token {
    std::int64_t id{};
    std::string value;
    std::string price;
};
RETORT_TABLE(token, "tokens", (id, retort::primary_key), (value, retort::postgres_type<"UUID">),
             (price, retort::postgres_type<"NUMERIC(12,2)">));
}  // namespace spelled

TEST_CASE("check: a native type spelled otherwise than PostgreSQL prints it is no change",
          "[unit][migrate]") {
    // Was a wrong answer: `check` exited 1 right after `revision --autogenerate` wrote the
    // models' revision, because it compared "UUID" with the snapshot's "uuid".
    const auto first = migrate::plan_revision({}, schema::database_of<spelled::token>(), "tokens");
    REQUIRE(first);
    const std::vector<revision> history{migrate::parse_revision(first->text)};
    CHECK_FALSE(migrate::plan_revision(history, schema::database_of<spelled::token>(), "again"));
    const auto pending = migrate::pending_model_changes<spelled::token>(history);
    std::string listing;
    for (const auto& op : pending) listing += op.description + "\n";
    INFO(listing);
    CHECK(pending.empty());
}

TEST_CASE("autogenerate: data loss is refused unless allowed", "[unit][migrate]") {
    const auto db = models();
    const std::vector<revision> history{
        migrate::parse_revision(migrate::plan_revision({}, db, "initial")->text)};
    auto to = db;
    auto& users = table(to, "users");
    users.columns.erase(users.columns.begin() + 2);  // display_name
    try {
        (void)migrate::plan_revision(history, to, "drop display name");
        FAIL("no programming_error");
    } catch (const retort::programming_error& e) {
        const std::string message = e.what();
        CHECK_THAT(message, Contains("would lose data"));
        CHECK_THAT(message, Contains("drop column users.display_name"));
        CHECK_THAT(message, Contains("renamed_from"));
    }
    migrate::autogenerate_options options;
    options.allow_destructive = true;
    const auto r = migrate::plan_revision(history, to, "drop display name", options);
    REQUIRE(r);
    CHECK(r->id == "0002_drop_display_name");
    CHECK_THAT(r->text,
               Contains("\n--   destructive: drop column users.display_name and its data\n"));
    const revision parsed = migrate::parse_revision(r->text);
    CHECK(parsed.parent == "0001_initial");
    CHECK(parsed.statements(direction::up, "postgresql") ==
          statements{"ALTER TABLE \"users\" DROP COLUMN \"display_name\""});
    CHECK(parsed.statements(direction::down, "postgresql") ==
          statements{"ALTER TABLE \"users\" ADD COLUMN \"display_name\" text"});
    CHECK(parsed.snapshot == to);

    // a declared rename loses nothing and is undone as a rename
    auto renamed = db;
    auto& name = column(table(renamed, "users"), "display_name");
    name.name = "full_name";
    name.renamed_from = "display_name";
    const auto rename = migrate::plan_revision(history, renamed, "rename");
    REQUIRE(rename);
    const revision rr = migrate::parse_revision(rename->text);
    for (const char* d : {"sqlite", "postgresql"}) {
        CHECK(rr.statements(direction::up, d) ==
              statements{"ALTER TABLE \"users\" RENAME COLUMN \"display_name\" TO \"full_name\""});
        CHECK(rr.statements(direction::down, d) ==
              statements{"ALTER TABLE \"users\" RENAME COLUMN \"full_name\" TO \"display_name\""});
    }
    name.renamed_from.clear();
    CHECK(rr.snapshot == renamed);  // without the hint
}

TEST_CASE("autogenerate: write_revision and autogenerate write the file once", "[unit][migrate]") {
    const temp_dir dir;
    const auto first = migrate::autogenerate<app::user>(dir.path() / "migrations", "users");
    REQUIRE(first);
    CHECK(first->path == dir.path() / "migrations" / "0001_users.sql");
    CHECK_FALSE(migrate::autogenerate<app::user>(dir.path() / "migrations", "users"));
    const auto second =
        migrate::autogenerate<app::user, app::job>(dir.path() / "migrations", "jobs");
    REQUIRE(second);
    const auto history = migrate::load_history(dir.path() / "migrations");
    CHECK(ids(history) == statements{"0001_users", "0002_jobs"});
    CHECK(history[1].checksum == migrate::checksum_of(second->text));
    auto again = *second;
    CHECK_THAT(error_of([&] { migrate::write_revision(dir.path() / "migrations", again); }),
               Contains("exists already"));
    const auto empty = migrate::empty_revision(dir.path() / "migrations", "Backfill jobs");
    CHECK(empty.id == "0003_backfill_jobs");
    CHECK(migrate::load_history(dir.path() / "migrations").back().parent == "0002_jobs");
}

TEST_CASE("autogenerate: a revision with a multi-line CHECK parses back", "[unit][migrate]") {
    // Was a bug: the newline reaches the file raw twice: in the header note ("--   additive: add
    // check ... (a > 0\n AND ...)"), whose second line is then "SQL before the first
    // section", and in the snapshot (see "schema text: a newline inside a string").
    auto db = models();
    table(db, "users").checks.push_back({"ck_users_id", "id > 0\n    AND id < 1000000"});
    const auto r = migrate::plan_revision({}, db, "initial");
    REQUIRE(r);
    CHECK(error_of([&] { migrate::parse_revision(r->text); }) == "no error");
    // the CHECK added to an existing table: its note spans two lines as well
    const std::vector<revision> history{
        migrate::parse_revision(migrate::plan_revision({}, models(), "initial")->text)};
    const auto add = migrate::plan_revision(history, db, "add check");
    REQUIRE(add);
    CHECK(error_of([&] { migrate::parse_revision(add->text); }) == "no error");
}

// ---- models_hash ---------------------------------------------------------------------------

namespace hashed {

struct owner {
    std::int64_t id{};
};
RETORT_TABLE(owner, "owners", (id, retort::primary_key));

struct other_owner {
    std::int64_t id{};
};
RETORT_TABLE(other_owner, "other_owners", (id, retort::primary_key));

// The base model and variants that each change one thing.
#define HASHED_ITEM(Name, Qty)                                                                     \
    struct Name {                                                                                  \
        std::int64_t id{};                                                                         \
        std::string name;                                                                          \
        Qty qty{};                                                                                 \
        std::int64_t owner_id{};                                                                   \
    }

HASHED_ITEM(item, std::optional<std::int32_t>);
RETORT_TABLE(item, "items", (id, retort::primary_key),
             (name, retort::unique, retort::max_length<40>),
             (qty, retort::server_default<1>, retort::check<"qty > 0">),
             (owner_id, retort::indexed,
              retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));

HASHED_ITEM(same_item, std::optional<std::int32_t>);  // another struct, same schema
RETORT_TABLE(same_item, "items", (id, retort::primary_key),
             (name, retort::unique, retort::max_length<40>),
             (qty, retort::server_default<1>, retort::check<"qty > 0">),
             (owner_id, retort::indexed,
              retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));

HASHED_ITEM(renamed_item, std::optional<std::int32_t>);  // only a renaming hint added
RETORT_TABLE(renamed_item, "items", (id, retort::primary_key),
             (name, retort::unique, retort::max_length<40>, retort::renamed_from<"title">),
             (qty, retort::server_default<1>, retort::check<"qty > 0">),
             (owner_id, retort::indexed,
              retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));

HASHED_ITEM(type_item, std::optional<std::int64_t>);  // int32 -> int64
RETORT_TABLE(type_item, "items", (id, retort::primary_key),
             (name, retort::unique, retort::max_length<40>),
             (qty, retort::server_default<1>, retort::check<"qty > 0">),
             (owner_id, retort::indexed,
              retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));

HASHED_ITEM(not_null_item, std::int32_t);  // NOT NULL
RETORT_TABLE(not_null_item, "items", (id, retort::primary_key),
             (name, retort::unique, retort::max_length<40>),
             (qty, retort::server_default<1>, retort::check<"qty > 0">),
             (owner_id, retort::indexed,
              retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));

HASHED_ITEM(length_item, std::optional<std::int32_t>);  // max_length 41
RETORT_TABLE(length_item, "items", (id, retort::primary_key),
             (name, retort::unique, retort::max_length<41>),
             (qty, retort::server_default<1>, retort::check<"qty > 0">),
             (owner_id, retort::indexed,
              retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));

HASHED_ITEM(default_item, std::optional<std::int32_t>);  // default 2
RETORT_TABLE(default_item, "items", (id, retort::primary_key),
             (name, retort::unique, retort::max_length<40>),
             (qty, retort::server_default<2>, retort::check<"qty > 0">),
             (owner_id, retort::indexed,
              retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));

HASHED_ITEM(sql_default_item, std::optional<std::int32_t>);  // default as SQL
RETORT_TABLE(sql_default_item, "items", (id, retort::primary_key),
             (name, retort::unique, retort::max_length<40>),
             (qty, retort::server_default_sql<"1">, retort::check<"qty > 0">),
             (owner_id, retort::indexed,
              retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));

HASHED_ITEM(check_item, std::optional<std::int32_t>);  // another check
RETORT_TABLE(check_item, "items", (id, retort::primary_key),
             (name, retort::unique, retort::max_length<40>),
             (qty, retort::server_default<1>, retort::check<"qty >= 0">),
             (owner_id, retort::indexed,
              retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));

HASHED_ITEM(unindexed_item, std::optional<std::int32_t>);  // no index
RETORT_TABLE(unindexed_item, "items", (id, retort::primary_key),
             (name, retort::unique, retort::max_length<40>),
             (qty, retort::server_default<1>, retort::check<"qty > 0">),
             (owner_id, retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));

HASHED_ITEM(not_unique_item, std::optional<std::int32_t>);  // no unique
RETORT_TABLE(not_unique_item, "items", (id, retort::primary_key), (name, retort::max_length<40>),
             (qty, retort::server_default<1>, retort::check<"qty > 0">),
             (owner_id, retort::indexed,
              retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));

HASHED_ITEM(set_null_item, std::optional<std::int32_t>);  // ON DELETE SET NULL
RETORT_TABLE(set_null_item, "items", (id, retort::primary_key),
             (name, retort::unique, retort::max_length<40>),
             (qty, retort::server_default<1>, retort::check<"qty > 0">),
             (owner_id, retort::indexed,
              retort::references<&owner::id>.on_delete(retort::fk_action::set_null)));

HASHED_ITEM(on_update_item, std::optional<std::int32_t>);  // ON UPDATE CASCADE as well
RETORT_TABLE(
    on_update_item, "items", (id, retort::primary_key),
    (name, retort::unique, retort::max_length<40>),
    (qty, retort::server_default<1>, retort::check<"qty > 0">),
    (owner_id, retort::indexed,
     retort::references<&owner::id>.on_delete(retort::fk_action::cascade).on_update(retort::fk_action::cascade)));

HASHED_ITEM(retargeted_item, std::optional<std::int32_t>);  // references another table
RETORT_TABLE(retargeted_item, "items", (id, retort::primary_key),
             (name, retort::unique, retort::max_length<40>),
             (qty, retort::server_default<1>, retort::check<"qty > 0">),
             (owner_id, retort::indexed,
              retort::references<&other_owner::id>.on_delete(retort::fk_action::cascade)));

HASHED_ITEM(table_item, std::optional<std::int32_t>);  // another table name
RETORT_TABLE(table_item, "item", (id, retort::primary_key),
             (name, retort::unique, retort::max_length<40>),
             (qty, retort::server_default<1>, retort::check<"qty > 0">),
             (owner_id, retort::indexed,
              retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));

HASHED_ITEM(column_name_item, std::optional<std::int32_t>);  // a column named differently
RETORT_TABLE(column_name_item, "items", (id, retort::primary_key),
             (name, retort::unique, retort::max_length<40>),
             (qty, retort::named<"quantity">, retort::server_default<1>, retort::check<"qty > 0">),
             (owner_id, retort::indexed,
              retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));

HASHED_ITEM(indexed_pair_item, std::optional<std::int32_t>);  // a table-level index
RETORT_TABLE(indexed_pair_item, "items", (id, retort::primary_key),
             (name, retort::unique, retort::max_length<40>),
             (qty, retort::server_default<1>, retort::check<"qty > 0">),
             (owner_id, retort::indexed,
              retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));
RETORT_CONSTRAINTS(indexed_pair_item,
                   retort::index<"", &indexed_pair_item::name, &indexed_pair_item::qty>);

HASHED_ITEM(table_check_item, std::optional<std::int32_t>);  // a table-level check
RETORT_TABLE(table_check_item, "items", (id, retort::primary_key),
             (name, retort::unique, retort::max_length<40>),
             (qty, retort::server_default<1>, retort::check<"qty > 0">),
             (owner_id, retort::indexed,
              retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));
RETORT_CONSTRAINTS(table_check_item, retort::table_check<"ck_items_name", "name <> ''">);

HASHED_ITEM(two_checks_item, std::optional<std::int32_t>);  // two unnamed table checks
RETORT_TABLE(two_checks_item, "items", (id, retort::primary_key),
             (name, retort::unique, retort::max_length<40>),
             (qty, retort::server_default<1>, retort::check<"qty > 0">),
             (owner_id, retort::indexed,
              retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));
RETORT_CONSTRAINTS(two_checks_item, retort::table_check<"", "name <> ''">,
                   retort::table_check<"", "qty < 100">);

HASHED_ITEM(swapped_checks_item, std::optional<std::int32_t>);  // the same two, swapped
RETORT_TABLE(swapped_checks_item, "items", (id, retort::primary_key),
             (name, retort::unique, retort::max_length<40>),
             (qty, retort::server_default<1>, retort::check<"qty > 0">),
             (owner_id, retort::indexed,
              retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));
RETORT_CONSTRAINTS(swapped_checks_item, retort::table_check<"", "qty < 100">,
                   retort::table_check<"", "name <> ''">);

struct reordered_item {  // the same columns, declared in another order
    std::int64_t owner_id{};
    std::optional<std::int32_t> qty{};
    std::string name;
    std::int64_t id{};
};
RETORT_TABLE(reordered_item, "items",
             (owner_id, retort::indexed,
              retort::references<&owner::id>.on_delete(retort::fk_action::cascade)),
             (qty, retort::server_default<1>, retort::check<"qty > 0">),
             (name, retort::unique, retort::max_length<40>), (id, retort::primary_key));

struct spelled_item {  // `unique` and `indexed` written as unnamed table constraints
    std::int64_t id{};
    std::string name;
    std::optional<std::int32_t> qty{};
    std::int64_t owner_id{};
};
RETORT_TABLE(spelled_item, "items", (id, retort::primary_key), (name, retort::max_length<40>),
             (qty, retort::server_default<1>, retort::check<"qty > 0">),
             (owner_id, retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));
RETORT_CONSTRAINTS(spelled_item, retort::unique_together<"", &spelled_item::name>,
                   retort::index<"", &spelled_item::owner_id>);

struct autoincrement_item {  // the key generated by the database
    std::int64_t id{};
    std::string name;
    std::optional<std::int32_t> qty{};
    std::int64_t owner_id{};
};
RETORT_TABLE(autoincrement_item, "items", (id, retort::primary_key, retort::autoincrement),
             (name, retort::unique, retort::max_length<40>),
             (qty, retort::server_default<1>, retort::check<"qty > 0">),
             (owner_id, retort::indexed,
              retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));

HASHED_ITEM(fk_named_item, std::optional<std::int32_t>);  // the foreign key named
RETORT_TABLE(
    fk_named_item, "items", (id, retort::primary_key),
    (name, retort::unique, retort::max_length<40>),
    (qty, retort::server_default<1>, retort::check<"qty > 0">),
    (owner_id, retort::indexed,
     retort::references<&owner::id, "FK_Items_Owner">.on_delete(retort::fk_action::cascade)));

HASHED_ITEM(key_named_item, std::optional<std::int32_t>);  // the primary key named
RETORT_TABLE(key_named_item, "items", (id, retort::primary_key),
             (name, retort::unique, retort::max_length<40>),
             (qty, retort::server_default<1>, retort::check<"qty > 0">),
             (owner_id, retort::indexed,
              retort::references<&owner::id>.on_delete(retort::fk_action::cascade)));
RETORT_CONSTRAINTS(key_named_item, retort::key_name<"PK_Items">);

HASHED_ITEM(table_fk_item, std::optional<std::int32_t>);  // the key's action at table level
RETORT_TABLE(table_fk_item, "items", (id, retort::primary_key),
             (name, retort::unique, retort::max_length<40>),
             (qty, retort::server_default<1>, retort::check<"qty > 0">),
             (owner_id, retort::indexed));
RETORT_CONSTRAINTS(table_fk_item,
                   retort::foreign_key<"", &table_fk_item::owner_id>.references<&owner::id>());
HASHED_ITEM(table_fk_cascade_item, std::optional<std::int32_t>);
RETORT_TABLE(table_fk_cascade_item, "items", (id, retort::primary_key),
             (name, retort::unique, retort::max_length<40>),
             (qty, retort::server_default<1>, retort::check<"qty > 0">),
             (owner_id, retort::indexed));
RETORT_CONSTRAINTS(
    table_fk_cascade_item,
    retort::foreign_key<"", &table_fk_cascade_item::owner_id>.references<&owner::id>().on_delete(
        retort::fk_action::cascade));

#undef HASHED_ITEM

enum class color { red, green };
RETORT_ENUM(color, red, green);
enum class more_color { red, green, blue };
RETORT_ENUM(more_color, red, green, blue);

struct painted {
    std::int64_t id{};
    color paint{};
};
RETORT_TABLE(painted, "painted", (id, retort::primary_key), (paint));

struct repainted {  // one enum value more
    std::int64_t id{};
    more_color paint{};
};
RETORT_TABLE(repainted, "painted", (id, retort::primary_key), (paint));

}  // namespace hashed

TEST_CASE("models_hash: a compile-time fingerprint of the schema", "[unit][migrate]") {
    using migrate::models_hash;
    using namespace hashed;
    constexpr auto base = models_hash<owner, item>();
    // the order the models are listed in, and the C++ names, do not matter
    static_assert(models_hash<item, owner>() == base);
    static_assert(models_hash<owner, same_item>() == base);
    static_assert(models_hash<app::user, app::job, app::lesson, app::llm_call_audit,
                              app::email_delivery_log, app::all_types, app::membership>() ==
                  models_hash<app::membership, app::all_types, app::email_delivery_log,
                              app::llm_call_audit, app::lesson, app::job, app::user>());
    // a renaming hint changes no schema, nor the order columns are declared in, nor writing a
    // field's `unique`/`indexed` as the same unnamed table constraint
    static_assert(models_hash<owner, renamed_item>() == base);
    static_assert(models_hash<owner, reordered_item>() == base);
    static_assert(models_hash<owner, spelled_item>() == base);
    static_assert(models_hash<owner, autoincrement_item>() != base);
    // a constraint's name is part of the schema; so is a table-level key's action
    static_assert(models_hash<owner, fk_named_item>() != base);
    static_assert(models_hash<owner, key_named_item>() != base);
    static_assert(models_hash<owner, table_fk_item>() !=
                  models_hash<owner, table_fk_cascade_item>());
    // unnamed table checks are named by their place: swapping two renames both
    static_assert(models_hash<owner, two_checks_item>() !=
                  models_hash<owner, swapped_checks_item>());
    // every part of the schema does
    static_assert(models_hash<owner, type_item>() != base);
    static_assert(models_hash<owner, not_null_item>() != base);
    static_assert(models_hash<owner, length_item>() != base);
    static_assert(models_hash<owner, default_item>() != base);
    static_assert(models_hash<owner, sql_default_item>() != base);
    static_assert(models_hash<owner, check_item>() != base);
    static_assert(models_hash<owner, unindexed_item>() != base);
    static_assert(models_hash<owner, not_unique_item>() != base);
    static_assert(models_hash<owner, set_null_item>() != base);
    static_assert(models_hash<owner, on_update_item>() != base);
    static_assert(models_hash<owner, table_item>() != base);
    static_assert(models_hash<owner, column_name_item>() != base);
    static_assert(models_hash<owner, indexed_pair_item>() != base);
    static_assert(models_hash<owner, table_check_item>() != base);
    static_assert(models_hash<other_owner, retargeted_item>() != models_hash<other_owner, item>());
    static_assert(models_hash<owner, other_owner, retargeted_item>() !=
                  models_hash<owner, other_owner, item>());
    // a model more or less
    static_assert(models_hash<item>() != base);
    static_assert(models_hash<owner, other_owner, item>() != base);
    static_assert(models_hash<>() != base);
    // enum values are part of the schema
    static_assert(models_hash<painted>() != models_hash<repainted>());

    // where it changes the hash, it changes the schema value too (and the reverse)
    CHECK(schema::database_of<owner, renamed_item>().tables[1].columns[1].renamed_from == "title");
    auto renamed = migrate::snapshot_of(schema::database_of<owner, renamed_item>());
    CHECK(renamed == migrate::snapshot_of(schema::database_of<owner, item>()));
    CHECK(schema::database_of<owner, set_null_item>() != schema::database_of<owner, item>());

    const std::string text = migrate::models_hash_text<owner, item>();
    REQUIRE(text.size() == 16);
    std::uint64_t parsed = 0;
    for (char c : text)
        parsed = parsed * 16 + static_cast<std::uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
    CHECK(parsed == base);
    CHECK(migrate::models_hash_text<item, owner>() == text);
}
