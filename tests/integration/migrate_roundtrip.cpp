// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// Introspection and diff together, on both backends: the models compared with the database
// they just created differ in nothing; a change made behind their back is found, with its risk.

#include "../support/test_db.hpp"

#include <retort/migrate/introspect.hpp>

using retort::migrate::change;
using retort::migrate::risk;

namespace {
template <class Session>
std::vector<retort::migrate::operation> drift(Session& s) {
    return retort::migrate::diff_with_models<app::user, app::job, app::lesson, app::llm_call_audit,
                                             app::email_delivery_log, app::all_types,
                                             app::membership>(s);
}

std::string describe(const std::vector<retort::migrate::operation>& ops) {
    std::string out;
    for (const auto& op : ops)
        out += std::string{to_string(op.level)} + ": " + op.description + "\n";
    return out;
}
}  // namespace

TEST_CASE("models compared with the schema they just created differ in nothing",
          "[migrate][introspect]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto ops = drift(s);
        INFO(describe(ops));
        CHECK(ops.empty());
    });
}

TEST_CASE("drift made behind the models' back is found, with its risk", "[migrate][introspect]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        s.execute_script("ALTER TABLE users ADD COLUMN nickname TEXT");
        s.execute_script("CREATE INDEX ix_handmade ON dgs_jobs (phase)");
        s.execute_script("DROP INDEX ix_users_created_at");
        s.execute_script("CREATE TABLE scratch (id INTEGER PRIMARY KEY)");
        auto ops = drift(s);
        INFO(describe(ops));
        REQUIRE(ops.size() == 4);
        CHECK(ops[0].kind ==
              change::drop_index);  // dgs_jobs: the hand-made index is not in the models
        CHECK(ops[0].name == "ix_handmade");
        CHECK(ops[0].level == risk::relaxing);
        CHECK(ops[1].kind == change::drop_table);  // scratch
        CHECK(ops[1].level == risk::destructive);
        CHECK(ops[2].kind == change::drop_column);  // users.nickname
        CHECK(ops[2].name == "nickname");
        CHECK(ops[2].level == risk::destructive);
        CHECK(ops[3].kind == change::add_index);  // users: the models' index is missing
        CHECK(ops[3].name == "ix_users_created_at");
        CHECK(ops[3].level == risk::additive);
        s.execute_script("DROP TABLE scratch");
    });
}

TEST_CASE("what SQLite does not enforce by itself is compared, not assumed",
          "[sqlite-only][migrate][introspect]") {
    test::temp_sqlite_file file;
    auto db = retort::sqlite_engine(
        retort::sqlite::options_from(retort::parse_database_url(test::url_for(file))));
    auto s = db.session();
    // users as a hand-written legacy table: no length CHECK, seconds-only CURRENT_TIMESTAMP
    s.execute_script(R"sql(
        CREATE TABLE users (
            id INTEGER NOT NULL CONSTRAINT pk_users PRIMARY KEY AUTOINCREMENT,
            email VARCHAR(255) NOT NULL,
            display_name TEXT,
            approved BOOLEAN NOT NULL DEFAULT 0,
            created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
            CONSTRAINT uq_users_email UNIQUE (email)
        );
        CREATE INDEX ix_users_created_at ON users (created_at);
    )sql");
    auto ops = retort::migrate::diff_with_models<app::user>(s);
    INFO(describe(ops));
    // CURRENT_TIMESTAMP is retort's `now` (seconds instead of microseconds, both read back):
    // not a difference. The model asks SQLite to enforce email's length (checked_max_length),
    // and VARCHAR(255) alone does not: that is one.
    REQUIRE(ops.size() == 1);
    CHECK(ops[0].kind == change::add_check);
    CHECK(ops[0].name == "ck_users_email_length");
    CHECK(ops[0].level == risk::data_dependent);
}

TEST_CASE("a declared rename survives the comparison and is not a drop", "[migrate][introspect]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        using backend = typename std::remove_cvref_t<decltype(e)>::backend;
        const auto introspected = retort::migrate::introspect(s);
        auto live = retort::migrate::comparable<backend>(introspected);
        auto wanted = retort::migrate::comparable_models<backend>(
            retort::migrate::spelled_by_server(
                s,
                retort::schema::database_of<app::user, app::job, app::lesson, app::llm_call_audit,
                                            app::email_delivery_log, app::all_types,
                                            app::membership>(),
                introspected),
            introspected);
        for (auto& t : wanted.tables)
            for (auto& c : t.columns)
                if (t.name == "users" && c.name == "display_name") {
                    c.name = "full_name";
                    c.renamed_from = "display_name";
                }
        auto ops = retort::migrate::diff(live, wanted);
        INFO(describe(ops));
        REQUIRE(ops.size() == 1);
        CHECK(ops[0].kind == change::rename_column);
        CHECK(ops[0].level == risk::rename);
    });
}
