// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// One risk vocabulary: every difference has one class (additive, data-dependent, relaxing,
// rename, name-only, destructive), and `revision`, `validate`, `validate --json`, `fix` and
// `fix --sql` print the same class for it and agree on whether `fix` leaves it to
// --destructive, operation by operation, on both backends. Was: a column rename was
// `additive:` in a revision, `[needs --destructive]` in validate and `"additive_repair": false`
// in the JSON.

#include "../support/migrate_cli.hpp"

#include <retort/migrate/schema_manager.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace {

namespace m = retort::migrate;
using Catch::Contains;
using namespace migtest;

template <class B>
using v2_manager = m::schema_manager<B, v2::author, v2::book, v2::review>;

cli_result migrate_v2(const scratch& f, std::vector<std::string> args) {
    return run_migrate<v2::author, v2::book, v2::review>(f, std::move(args));
}

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

/// The object of `validate --json` whose description is `description`, up to that field.
std::string json_entry(const std::string& json, const std::string& description) {
    const std::string key = "\"description\": " + json_string(description);
    const auto at = json.find(key);
    if (at == std::string::npos) return {};
    const auto start = json.rfind("{\"change\": ", at);
    if (start == std::string::npos) return {};
    return json.substr(start, at + key.size() - start);
}

/// The line of `text` that starts with `start`, or "" when none does.
std::string line_starting(const std::string& text, const std::string& start) {
    std::size_t at = 0;
    while (at < text.size()) {
        const auto end = std::min(text.find('\n', at), text.size());
        const std::string line = text.substr(at, end - at);
        if (line.rfind(start, 0) == 0) return line;
        at = end + 1;
    }
    return {};
}

}  // namespace

TEST_CASE("risk classes: revision, validate, --json, fix and fix --sql agree on every difference",
          "[migrate]") {
    scratch f;
    // v1's tables, and what another tool added: a column, an index, a table, and the index the
    // models name ix_books_title under another name.
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        m::schema_manager<B, v1::author, v1::book>(s).initialize();
        s.execute_script("ALTER TABLE authors ADD COLUMN nickname TEXT");
        s.execute_script("CREATE INDEX books_by_genre ON books (genre)");
        s.execute_script("CREATE INDEX books_title_idx ON books (title)");
        s.execute_script("CREATE TABLE leftovers (id INTEGER PRIMARY KEY)");
    });

    // The v1 -> v2 revision, planned from the models alone, in a directory of its own.
    const auto revisions = fresh_directory();
    m::autogenerate<v1::author, v1::book>(revisions, "initial");
    const auto revision =
        m::autogenerate<v2::author, v2::book, v2::review>(revisions, "authors and reviews");
    REQUIRE(revision);
    std::filesystem::remove_all(revisions);

    m::drift_report report;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        report = v2_manager<B>(s).validate();
    });
    INFO(report.text());
    std::set<std::string> classes;
    for (const auto& op : report.operations) classes.insert(std::string{to_string(op.level)});
    CHECK(classes == std::set<std::string>{"additive", "data-dependent", "relaxing", "rename",
                                           "name-only", "destructive"});

    const auto validate = migrate_v2(f, {"validate"});
    const auto json = migrate_v2(f, {"validate", "--json"});
    const auto dry = migrate_v2(f, {"fix", "--sql"});
    INFO(validate.out << json.out << dry.out << dry.err);
    CHECK(validate.exit_code == 1);
    CHECK(dry.exit_code == 1);
    CHECK_THAT(json.out, Contains("\"needs_destructive\": true, \"name_only_differences\": 1"));
    CHECK_THAT(json.out, !Contains("additive_repair"));

    std::size_t in_revision = 0;
    std::vector<std::string> left;
    for (const auto& op : report.operations) {
        const std::string name{to_string(op.level)};
        const bool needs_destructive = report.needs_destructive(op);
        INFO(name << ": " << op.description << (needs_destructive ? " [needs --destructive]" : ""));
        if (needs_destructive) left.push_back(op.description);

        const std::string line = line_starting(validate.out, "  " + name + ": " + op.description);
        REQUIRE_FALSE(line.empty());
        CHECK((line.find("[needs --destructive]") != std::string::npos) == needs_destructive);

        const std::string entry = json_entry(json.out, op.description);
        REQUIRE_FALSE(entry.empty());
        CHECK_THAT(entry, Contains("\"risk\": " + json_string(name)));
        CHECK_THAT(entry, Contains(std::string{"\"needs_destructive\": "} +
                                   (needs_destructive ? "true" : "false")));

        const bool left_out = dry.out.find("-- left out (needs --destructive): " + op.description +
                                           "\n") != std::string::npos;
        CHECK(left_out == needs_destructive);

        // The revision names types in retort's words, validate in the database's: the same
        // operation is the same change of the same object.
        for (const auto& planned : revision->operations)
            if (planned.kind == op.kind && planned.table == op.table && planned.name == op.name) {
                ++in_revision;
                CHECK(planned.level == op.level);
                CHECK_THAT(revision->text, Contains(name + ": " + planned.description));
            }
    }
    // Every difference v1 -> v2 makes is in validate too (the same change of the same object,
    // under the same class, checked above), but for ix_books_title: the revision adds it,
    // validate finds it under another name (name-only).
    std::string unmatched;
    for (const auto& planned : revision->operations)
        if (std::none_of(report.operations.begin(), report.operations.end(), [&](const auto& op) {
                return planned.kind == op.kind && planned.table == op.table &&
                       planned.name == op.name;
            }))
            unmatched += std::string{to_string(planned.level)} + ": " + planned.description + "\n";
    CHECK(unmatched == "additive: add index ix_books_title on books (title)\n");
    CHECK(in_revision + 1 == revision->operations.size());
    CHECK_THAT(revision->text, Contains("rename: rename column books.pages to page_count"));
    CHECK_THAT(
        validate.out,
        Contains("  rename: rename column books.pages to page_count  [needs --destructive]"));

    // fix makes exactly the untagged ones, and leaves exactly the tagged ones.
    const auto fixed = migrate_v2(f, {"fix"});
    INFO(fixed.out << fixed.err);
    CHECK(fixed.exit_code == 1);
    for (const auto& op : report.operations)
        if (!report.needs_destructive(op))
            CHECK_THAT(fixed.out, Contains("fixed: " + op.description));
    m::drift_report after;
    f.db.visit([&](auto& e) {
        using B = backend_of<decltype(e)>;
        auto s = e.session();
        after = v2_manager<B>(s).validate();
    });
    std::sort(left.begin(), left.end());
    CHECK(sorted_descriptions(after.operations) == left);
    for (const auto& op : after.operations) CHECK(after.needs_destructive(op));

    CHECK(migrate_v2(f, {"fix", "--destructive"}).exit_code == 0);
    CHECK(migrate_v2(f, {"validate"}).exit_code == 0);
}
