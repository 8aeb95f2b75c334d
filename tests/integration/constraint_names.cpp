// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// A unique violation names its constraint the same way on both backends, so one handler
// (`if (e.constraint() == "uq_users_email")`) works on either. PostgreSQL reports the name
// itself; SQLite's message names only the columns, and the driver reads the name from the live
// schema. Was a bug: constraint() was empty on SQLite.

#include "../support/test_db.hpp"

#include <retort/migrate/introspect.hpp>

#include <algorithm>

namespace names {

struct account {
    std::int64_t id{};
    std::string email;
    std::string handle;
    std::string region;
    std::string badge;
    std::string nickname;
};
RETORT_TABLE(account, "cn_accounts", (id, retort::primary_key, retort::autoincrement),
             (email, retort::unique), (handle), (region), (badge), (nickname));
RETORT_CONSTRAINTS(
    account, retort::unique_together<"", &account::handle, &account::region>,
    retort::unique_together<"one_badge_per_region", &account::badge, &account::region>,
    retort::unique_index<"ux_cn_accounts_nickname", &account::nickname>);

struct code {
    std::string code;
    std::string label;
};
RETORT_TABLE(code, "cn_codes", (code, retort::primary_key), (label));

struct seat {
    std::int64_t room{};
    std::int32_t number{};
    std::string holder;
};
RETORT_TABLE(seat, "cn_seats", (room), (number), (holder));
RETORT_CONSTRAINTS(seat, retort::composite_key<&seat::room, &seat::number>);

// Every kind of constraint and index under a name of the model's own, mixed case included
// (as a database another tool made has them), and a foreign key over two columns.
struct job_run {
    std::int64_t job_id{};
    std::int32_t shard{};
    std::string state;
};
RETORT_TABLE(job_run, "cn_job_runs", (job_id), (shard), (state));
RETORT_CONSTRAINTS(job_run, retort::composite_key<&job_run::job_id, &job_run::shard>,
                   retort::key_name<"PK_JobRuns">,
                   retort::unique_together<"UQ_JobRuns_State", &job_run::state, &job_run::shard>,
                   retort::index<"IX_JobRuns_State", &job_run::state>,
                   retort::table_check<"CK_JobRuns_State", "state <> ''">);

struct step {
    std::int64_t id{};
    std::int64_t job_id{};
    std::int32_t shard{};
    std::optional<std::int64_t> owner_id;
};
RETORT_TABLE(step, "cn_steps", (id, retort::primary_key, retort::autoincrement), (job_id), (shard),
             (owner_id, retort::references<&account::id, "FK_Steps_Owner">.on_delete(
                            retort::fk_action::set_null)));
RETORT_CONSTRAINTS(step,
                   retort::foreign_key<"FK_Steps_JobRun", &step::job_id, &step::shard>
                       .references<&job_run::job_id, &job_run::shard>()
                       .on_delete(retort::fk_action::cascade));

// One open ticket per account: unique among the rows the predicate holds for.
struct ticket {
    std::int64_t id{};
    std::int64_t account_id{};
    std::string state;
};
RETORT_TABLE(ticket, "cn_tickets", (id, retort::primary_key, retort::autoincrement), (account_id),
             (state));
RETORT_CONSTRAINTS(
    ticket, retort::unique_partial_index<"UX_Tickets_Open", "state = 'open'", &ticket::account_id>);

// Three tables whose foreign keys share one name (legal: a foreign key's name is its
// table's), two of them in a cycle, whose keys PostgreSQL adds after the tables.
struct node_a;
struct node_b {
    std::int64_t id{};
    std::optional<std::int64_t> a_id;
};
struct node_a {
    std::int64_t id{};
    std::optional<std::int64_t> b_id;
};
RETORT_TABLE(node_a, "cn_node_a", (id, retort::primary_key),
             (b_id, retort::references<&node_b::id, "FK_Parent">));
RETORT_TABLE(node_b, "cn_node_b", (id, retort::primary_key),
             (a_id, retort::references<&node_a::id, "FK_Parent">));
struct node_c {
    std::int64_t id{};
    std::optional<std::int64_t> a_id;
};
RETORT_TABLE(node_c, "cn_node_c", (id, retort::primary_key),
             (a_id, retort::references<&node_a::id, "FK_Parent">));

// The same tables as a model that names nothing writes them: the convention's names.
namespace conventional {
struct job_run {
    std::int64_t job_id{};
    std::int32_t shard{};
    std::string state;
};
RETORT_TABLE(job_run, "cn_job_runs", (job_id), (shard), (state));
RETORT_CONSTRAINTS(job_run, retort::composite_key<&job_run::job_id, &job_run::shard>,
                   retort::unique_together<"", &job_run::state, &job_run::shard>,
                   retort::index<"", &job_run::state>,
                   retort::table_check<"CK_JobRuns_State", "state <> ''">);
}  // namespace conventional

}  // namespace names

namespace {

/// A database holding the three models, dropped again at the end.
struct names_db {
    test::temp_sqlite_file file;
    retort::engine db{retort::engine::from_url(test::url_for(file))};
    names_db() {
        db.visit([](auto& e) {
            e.template drop_all<names::account, names::code, names::seat>();
            e.template create_all<names::account, names::code, names::seat>();
        });
    }
    ~names_db() {
        try {
            db.visit(
                [](auto& e) { e.template drop_all<names::account, names::code, names::seat>(); });
        } catch (...) {
        }
    }
};

/// The constraint() of the unique_violation `write` throws; "(no violation)" if none.
template <class Write>
std::string violated(Write&& write) {
    try {
        write();
    } catch (const retort::unique_violation& e) {
        INFO(e.what());
        CHECK_FALSE(e.details().table.empty());
        return e.constraint();
    }
    return "(no violation)";
}

names::account account(std::string email, std::string handle, std::string badge,
                       std::string nickname) {
    return {0, std::move(email), std::move(handle), "eu", std::move(badge), std::move(nickname)};
}

}  // namespace

TEST_CASE("unique violations name the same constraint on both backends", "[orm][errors]") {
    names_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto first = account("a@example.org", "ada", "gold", "ace");
        s.insert(first);
        s.insert(names::code{"X1", "first"});
        s.insert(names::seat{7, 12, "ada"});

        // A single-column UNIQUE, two UNIQUE constraints over two columns (the convention's
        // name and a name of the model's own), a unique index.
        CHECK(violated([&] { s.insert(account("a@example.org", "b", "b", "b")); }) ==
              "uq_cn_accounts_email");
        CHECK(violated([&] { s.insert(account("b@example.org", "ada", "b", "b")); }) ==
              "uq_cn_accounts_handle_region");
        CHECK(violated([&] { s.insert(account("b@example.org", "b", "gold", "b")); }) ==
              "one_badge_per_region");
        CHECK(violated([&] { s.insert(account("b@example.org", "b", "b", "ace")); }) ==
              "ux_cn_accounts_nickname");
        // Primary keys: a generated integer key, a text key, a composite key.
        CHECK(violated([&] {
                  s.execute("INSERT INTO cn_accounts (id, email, handle, region, badge, nickname) "
                            "VALUES (?, 'c@example.org', 'c', 'eu', 'c', 'c')",
                            first.id);
              }) == "pk_cn_accounts");
        CHECK(violated([&] { s.insert(names::code{"X1", "again"}); }) == "pk_cn_codes");
        CHECK(violated([&] { s.insert(names::seat{7, 12, "brian"}); }) == "pk_cn_seats");
        // An UPDATE into an existing key names it too.
        auto second = account("b@example.org", "b", "b", "b");
        s.insert(second);
        second.email = first.email;
        CHECK(violated([&] { s.update(second); }) == "uq_cn_accounts_email");
        CHECK(s.template select<names::account>().count() == 2);
    });
}

TEST_CASE("sqlite: naming a violation leaves the transaction and a running query undisturbed",
          "[errors][sqlite-only]") {
    names_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        {
            auto tx = s.begin();
            s.insert(names::code{"A", "kept"});
            CHECK(violated([&] { s.insert(names::code{"A", "again"}); }) == "pk_cn_codes");
            s.insert(names::code{"B", "kept too"});
            tx.commit();
        }
        CHECK(s.template select<names::code>().count() == 2);

        // Violations from inside a query that is still being stepped: it steps on to its end.
        std::vector<std::string> constraints;
        const auto rows = s.template select<names::code>().for_each([&](const names::code& c) {
            constraints.push_back(violated([&] { s.insert(names::code{c.code, "copy"}); }));
        });
        CHECK(rows == 2);
        CHECK(constraints == std::vector<std::string>{"pk_cn_codes", "pk_cn_codes"});
    });
}

TEST_CASE("sqlite: a hand-written table's unique violations take the names introspection gives",
          "[errors][sqlite-only]") {
    test::temp_sqlite_file file;
    auto db = retort::engine::from_url("sqlite:///" + file.path);
    db.visit([](auto& e) {
        auto s = e.session();
        s.execute_script(R"sql(
        CREATE TABLE "odd ""t""" (
            k TEXT PRIMARY KEY,                  -- UNIQUE here is a comment
            a TEXT UNIQUE,
            b INTEGER CONSTRAINT "b must be positive" CHECK (b > 0) UNIQUE,
            c TEXT DEFAULT 'CONSTRAINT x UNIQUE',
            d TEXT, e TEXT,
            /* CONSTRAINT fake UNIQUE (d, e), */
            CONSTRAINT [named (d e)] UNIQUE (D, e COLLATE NOCASE)
        );
        CREATE UNIQUE INDEX "ix lower c" ON "odd ""t""" (lower(c));
    )sql");
        s.execute(
            "INSERT INTO \"odd \"\"t\"\"\" (k, a, b, c, d, e) VALUES ('k', 'a', 1, 'c', 'd', 'e')");
        const auto insert = [&](std::string k, std::string a, int b, std::string c, std::string d) {
            return violated([&] {
                s.execute(
                    "INSERT INTO \"odd \"\"t\"\"\" (k, a, b, c, d, e) VALUES (?, ?, ?, ?, ?, 'e')",
                    k, a, b, c, d);
            });
        };
        CHECK(insert("k", "x", 2, "x", "x") == "pk_odd \"t\"");
        CHECK(insert("k2", "a", 2, "x", "x") == "uq_odd \"t\"_a");
        CHECK(insert("k2", "x", 1, "x", "x") ==
              "uq_odd \"t\"_b");  // the CONSTRAINT named the CHECK
        CHECK(insert("k2", "x", 2, "x", "d") == "named (d e)");
        CHECK(insert("k2", "x", 2, "C", "x") == "ix lower c");  // SQLite names an expression index

        // The same names as the schema introspection reads (what `migrate validate` compares).
        const auto live = retort::migrate::introspect(s);
        const auto* t = live.find_table("odd \"t\"");
        REQUIRE(t != nullptr);
        CHECK(t->key.name == "pk_odd \"t\"");
        std::vector<std::string> uniques;
        for (const auto& u : t->uniques) uniques.push_back(u.name);
        std::sort(uniques.begin(), uniques.end());
        CHECK(uniques ==
              std::vector<std::string>{"named (d e)", "uq_odd \"t\"_a", "uq_odd \"t\"_b"});
    });
}

TEST_CASE("explicit names: every constraint and index keeps the name the model gives it",
          "[migrate][names]") {
    test::temp_sqlite_file file;
    retort::engine db{retort::engine::from_url(test::url_for(file))};
    db.visit([](auto& e) {
        const auto drop = [&] {
            e.template drop_all<names::step, names::job_run, names::account>();
        };
        drop();
        e.template create_all<names::account, names::job_run, names::step>();
        auto s = e.session();

        // Introspection reads the names as written, mixed case and all.
        const auto live = retort::migrate::introspect(s);
        const auto* runs = live.find_table("cn_job_runs");
        const auto* steps = live.find_table("cn_steps");
        REQUIRE(runs);
        REQUIRE(steps);
        CHECK(runs->key.name == "PK_JobRuns");
        REQUIRE(runs->uniques.size() == 1);
        CHECK(runs->uniques[0].name == "UQ_JobRuns_State");
        REQUIRE(runs->indexes.size() == 1);
        CHECK(runs->indexes[0].name == "IX_JobRuns_State");
        REQUIRE(runs->checks.size() == 1);
        CHECK(runs->checks[0].name == "CK_JobRuns_State");
        std::vector<std::string> fks;
        for (const auto& fk : steps->foreign_keys)
            fks.push_back(fk.name + ": " + std::to_string(fk.columns.size()) + " -> " +
                          fk.referenced_table);
        std::sort(fks.begin(), fks.end());
        CHECK(fks == std::vector<std::string>{"FK_Steps_JobRun: 2 -> cn_job_runs",
                                              "FK_Steps_Owner: 1 -> cn_accounts"});
        // ... and the models compare equal with what they made.
        const auto same =
            retort::migrate::diff_with_models<names::account, names::job_run, names::step>(s);
        std::string listed;
        for (const auto& op : same) listed += op.description + "\n";
        INFO(listed);
        CHECK(same.empty());

        // The composite key is enforced, and its ON DELETE CASCADE runs.
        s.insert(names::job_run{1, 2, "queued"});
        names::step ok{0, 1, 2, std::nullopt};
        s.insert(ok);
        CHECK_THROWS_AS(s.insert(names::step{0, 1, 3, std::nullopt}),
                        retort::foreign_key_violation);
        s.execute("DELETE FROM cn_job_runs WHERE job_id = 1");
        CHECK(s.template select<names::step>().count() == 0);

        // A model that names nothing differs from these names only: the same rules, renamed.
        const auto renamed =
            retort::migrate::diff_with_models<names::account, names::conventional::job_run>(s);
        std::vector<std::string> what;
        listed.clear();
        for (const auto& op : renamed) listed += op.description + "\n";
        INFO(listed);
        for (const auto& op : renamed)
            if (op.table == "cn_job_runs") {
                CHECK(retort::migrate::is_name_only(op));
                what.push_back(op.old_name + " -> " + op.name);
            }
        std::sort(what.begin(), what.end());
        CHECK(what == std::vector<std::string>{"IX_JobRuns_State -> ix_cn_job_runs_state",
                                               "PK_JobRuns -> pk_cn_job_runs",
                                               "UQ_JobRuns_State -> uq_cn_job_runs_state_shard"});
        drop();
    });
}

TEST_CASE("a unique partial index is unique among the rows its predicate holds for",
          "[migrate][names]") {
    test::temp_sqlite_file file;
    retort::engine db{retort::engine::from_url(test::url_for(file))};
    db.visit([](auto& e) {
        e.template drop_all<names::ticket>();
        e.template create_all<names::ticket>();
        auto s = e.session();
        s.insert(names::ticket{0, 7, "open"});
        s.insert(names::ticket{0, 7, "closed"});
        s.insert(names::ticket{0, 7, "closed"});
        s.insert(names::ticket{0, 8, "open"});
        CHECK(violated([&] { s.insert(names::ticket{0, 7, "open"}); }) == "UX_Tickets_Open");
        const auto live = retort::migrate::introspect(s);
        const auto* t = live.find_table("cn_tickets");
        REQUIRE(t);
        REQUIRE(t->indexes.size() == 1);
        CHECK(t->indexes[0].unique);
        CHECK_FALSE(t->indexes[0].where.empty());
        const auto ops = retort::migrate::diff_with_models<names::ticket>(s);
        std::string listed;
        for (const auto& op : ops) listed += op.description + "\n";
        INFO(listed);
        CHECK(ops.empty());
        e.template drop_all<names::ticket>();
    });
}

TEST_CASE("create_all keeps every foreign key when several tables use one name",
          "[migrate][names]") {
    test::temp_sqlite_file file;
    retort::engine db{retort::engine::from_url(test::url_for(file))};
    db.visit([](auto& e) {
        e.template drop_all<names::node_c, names::node_a, names::node_b>();
        e.template create_all<names::node_a, names::node_b, names::node_c>();
        auto s = e.session();
        const auto live = retort::migrate::introspect(s);
        for (const char* table : {"cn_node_a", "cn_node_b", "cn_node_c"}) {
            INFO(table);
            const auto* t = live.find_table(table);
            REQUIRE(t);
            REQUIRE(t->foreign_keys.size() == 1);
            CHECK(t->foreign_keys[0].name == "FK_Parent");
        }
        CHECK(retort::migrate::diff_with_models<names::node_a, names::node_b, names::node_c>(s)
                  .empty());
        CHECK_THROWS_AS(s.insert(names::node_c{1, 99}), retort::foreign_key_violation);
        e.template drop_all<names::node_c, names::node_a, names::node_b>();
    });
}
