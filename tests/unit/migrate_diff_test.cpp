// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// The schema diff: every kind of change, its risk, and a deterministic order.

#include "../support/models.hpp"
#include "../support/schema_edit.hpp"

#include <retort/migrate/diff.hpp>
#include <retort/migrate/normalize.hpp>

#include <catch2/catch.hpp>

using retort::logical_type;
using retort::migrate::change;
using retort::migrate::diff;
using retort::migrate::operation;
using retort::migrate::risk;
namespace schema = retort::schema;

namespace {

using test::column;
using test::models;
using test::table;

/// The single operation of a diff, checked to be alone.
operation only(const std::vector<operation>& ops) {
    std::string all;
    for (const auto& op : ops) all += op.description + "\n";
    INFO("operations:\n" << all);
    REQUIRE(ops.size() == 1);
    return ops[0];
}

}  // namespace

TEST_CASE("diff: a schema against itself is empty", "[unit][migrate]") {
    auto db = models();
    CHECK(diff(db, db).empty());
    // listing order does not matter once canonical
    auto reversed = db;
    std::reverse(reversed.tables.begin(), reversed.tables.end());
    for (auto& t : reversed.tables) std::reverse(t.indexes.begin(), t.indexes.end());
    CHECK(diff(db, retort::migrate::canonical(reversed)).empty());
}

TEST_CASE("diff: tables created and dropped", "[unit][migrate]") {
    auto to = models();
    auto from = to;
    from.tables.erase(from.tables.begin());  // all_types is first by name
    auto create = only(diff(from, to));
    CHECK(create.kind == change::create_table);
    CHECK(create.table == "all_types");
    CHECK(create.level == risk::additive);
    REQUIRE(create.after);
    CHECK(create.after->columns.size() == 23);

    auto drop = only(diff(to, from));
    CHECK(drop.kind == change::drop_table);
    CHECK(drop.level == risk::destructive);
    CHECK(retort::migrate::has_destructive(diff(to, from)));
    CHECK_FALSE(retort::migrate::has_destructive(diff(from, to)));
}

TEST_CASE("diff: added columns are additive unless NOT NULL without a default", "[unit][migrate]") {
    auto to = models();
    auto from = to;
    auto& users = table(from, "users");
    users.columns.erase(users.columns.begin() + 2);  // display_name: nullable
    auto op = only(diff(from, to));
    CHECK(op.kind == change::add_column);
    CHECK(op.name == "display_name");
    CHECK(op.level == risk::additive);

    from = to;
    auto& jobs = table(from, "dgs_jobs");
    jobs.columns.erase(jobs.columns.begin() + 4);  // phase: NOT NULL, no default
    op = only(diff(from, to));
    CHECK(op.name == "phase");
    CHECK(op.level == risk::data_dependent);

    from = to;
    auto& logs = table(from, "email_delivery_logs");
    logs.columns.erase(logs.columns.begin() + 4);  // status: NOT NULL DEFAULT 'pending'
    op = only(diff(from, to));
    CHECK(op.name == "status");
    CHECK(op.level == risk::additive);
}

TEST_CASE("diff: a dropped column is destructive; a declared rename is not", "[unit][migrate]") {
    auto from = models();
    auto to = from;
    auto& users = table(to, "users");
    users.columns.erase(users.columns.begin() + 2);
    auto op = only(diff(from, to));
    CHECK(op.kind == change::drop_column);
    CHECK(op.name == "display_name");
    CHECK(op.level == risk::destructive);

    to = from;
    auto& renamed = column(table(to, "users"), "display_name");
    renamed.name = "full_name";
    renamed.renamed_from = "display_name";
    op = only(diff(from, to));
    CHECK(op.kind == change::rename_column);
    CHECK(op.name == "full_name");
    CHECK(op.level == risk::rename);
    CHECK(to_string(op.level) == "rename");
    CHECK(op.description == "rename column users.display_name to full_name");

    // without the hint, a new name is a drop and an add: never guessed
    column(table(to, "users"), "full_name").renamed_from.clear();
    auto ops = diff(from, to);
    REQUIRE(ops.size() == 2);
    CHECK(ops[0].kind == change::add_column);  // the new column first, then the old one goes
    CHECK(ops[1].kind == change::drop_column);
}

TEST_CASE("diff: type changes are classified by what they do to values", "[unit][migrate]") {
    auto from = models();
    auto change_type = [&](std::string_view t, std::string_view c, logical_type type,
                           std::size_t max_length) {
        auto to = from;
        auto& col = column(table(to, t), c);
        col.type = type;
        col.max_length = max_length;
        return only(diff(from, to));
    };
    auto wider =
        change_type("llm_call_audit", "prompt_tokens", logical_type::int64, 0);  // int32 -> int64
    CHECK(wider.kind == change::alter_column_type);
    CHECK(wider.level == risk::additive);
    CHECK(wider.rewrites_table);
    auto longer = change_type("users", "email", logical_type::text, 400);  // varchar(255) -> (400)
    CHECK(longer.level == risk::additive);
    CHECK_FALSE(longer.rewrites_table);
    auto unbounded = change_type("users", "email", logical_type::text, 0);  // -> text
    CHECK(unbounded.level == risk::additive);
    CHECK_FALSE(unbounded.rewrites_table);
    auto shorter = change_type("users", "email", logical_type::text, 10);
    CHECK(shorter.level == risk::destructive);
    auto narrower = change_type("all_types", "i64", logical_type::int16, 0);
    CHECK(narrower.level == risk::destructive);
    auto other = change_type("dgs_jobs", "phase", logical_type::int64, 0);  // text -> int
    CHECK(other.level == risk::data_dependent);
    CHECK(other.description == "change type of dgs_jobs.phase from text to int64");

    // A type retort does not write, read as text with its spelling kept, is never "wider
    // text": inet -> text rewrites the table on PostgreSQL and is not additive.
    auto live = from;
    column(table(live, "dgs_jobs"), "phase").native_type = "inet";
    const auto from_inet = only(diff(live, from));
    CHECK(from_inet.kind == change::alter_column_type);
    CHECK(from_inet.level == risk::data_dependent);
    CHECK(from_inet.rewrites_table);
    CHECK(from_inet.description == "change type of dgs_jobs.phase from inet to text");
}

TEST_CASE("diff: nullability, defaults and the primary key", "[unit][migrate]") {
    auto from = models();
    auto to = from;
    column(table(to, "users"), "display_name").nullable = false;
    auto op = only(diff(from, to));
    CHECK(op.kind == change::alter_column_nullability);
    CHECK(op.level == risk::data_dependent);
    op = only(diff(to, from));
    CHECK(op.level == risk::relaxing);

    to = from;
    column(table(to, "users"), "approved").server_default = {
        schema::default_value::kind::boolean, 1, {}};
    op = only(diff(from, to));
    CHECK(op.kind == change::alter_column_default);
    CHECK(op.description == "change default of users.approved from false to true");

    to = from;
    table(to, "memberships").key.columns = {"user_id", "team", "role"};
    op = only(diff(from, to));
    CHECK(op.kind == change::alter_primary_key);
    CHECK(op.level == risk::data_dependent);
}

TEST_CASE("diff: constraints and indexes by name; a changed one is dropped and re-added",
          "[unit][migrate]") {
    auto from = models();
    auto to = from;
    table(to, "users").uniques.clear();
    auto op = only(diff(from, to));
    CHECK(op.kind == change::drop_unique);
    CHECK(op.name == "uq_users_email");
    CHECK(op.level == risk::relaxing);
    op = only(diff(to, from));
    CHECK(op.kind == change::add_unique);
    CHECK(op.level == risk::data_dependent);

    to = from;
    auto& ix = table(to, "email_delivery_logs").indexes.front();
    REQUIRE(ix.name == "ix_email_delivery_logs_failed");
    ix.where = "status = 'bounced'";
    auto ops = diff(from, to);
    REQUIRE(ops.size() == 2);
    CHECK(ops[0].kind == change::drop_index);
    CHECK(ops[1].kind == change::add_index);
    CHECK(ops[1].description.find("where status = 'bounced'") != std::string::npos);

    to = from;
    table(to, "dgs_jobs").foreign_keys.front().on_delete = retort::fk_action::restrict;
    ops = diff(from, to);
    REQUIRE(ops.size() == 2);
    CHECK(ops[0].kind == change::drop_foreign_key);
    CHECK(ops[1].kind == change::add_foreign_key);
    CHECK(ops[1].level == risk::data_dependent);

    to = from;
    table(to, "llm_call_audit").checks.clear();
    op = only(diff(from, to));
    CHECK(op.kind == change::drop_check);
    CHECK(op.name == "ck_llm_call_audit_prompt_tokens");
}

TEST_CASE("diff: the same inputs give the same operations in the same order", "[unit][migrate]") {
    auto from = models();
    auto to = from;
    table(to, "users").columns.pop_back();
    column(table(to, "dgs_jobs"), "phase").max_length = 20;
    table(to, "dgs_lessons").uniques.clear();
    from.tables.erase(from.tables.begin());
    auto first = diff(from, to), second = diff(from, to);
    CHECK(first == second);
    REQUIRE(first.size() == 4);
    CHECK(first[0].table == "all_types");
    CHECK(first[1].table == "dgs_jobs");
    CHECK(first[2].table == "dgs_lessons");
    CHECK(first[3].table == "users");
}

TEST_CASE("diff: conversions that cut, round or truncate values are destructive",
          "[unit][migrate]") {
    auto from = models();
    auto retype = [&](std::string_view t, std::string_view c, logical_type type) {
        auto to = from;
        column(table(to, t), c).type = type;
        return only(diff(from, to)).level;
    };
    CHECK(retype("users", "created_at", logical_type::date) ==
          risk::destructive);  // time of day lost
    CHECK(retype("dgs_jobs", "progress", logical_type::int64) == risk::destructive);  // rounded
    CHECK(retype("all_types", "i64", logical_type::float64) ==
          risk::destructive);  // > 2^53 rounded
    CHECK(retype("all_types", "i32", logical_type::float32) == risk::destructive);
    CHECK(retype("all_types", "f64", logical_type::float32) == risk::destructive);
    CHECK(retype("all_types", "i32", logical_type::float64) == risk::additive);  // exact
    CHECK(retype("all_types", "f32", logical_type::float64) == risk::additive);
}

TEST_CASE("diff: unique indexes, dropped keys and enum values are rated by what they risk",
          "[unit][migrate]") {
    auto from = models();
    auto to = from;
    table(to, "users").indexes.front().unique = true;  // ix_users_created_at
    auto ops = diff(from, to);
    REQUIRE(ops.size() == 2);
    CHECK(ops[1].kind == change::add_index);
    CHECK(ops[1].level == risk::data_dependent);  // fails on duplicates already there

    to = from;
    table(to, "memberships").key.columns.clear();
    auto op = only(diff(from, to));
    CHECK(op.kind == change::alter_primary_key);
    CHECK(op.level == risk::relaxing);
    CHECK_FALSE(op.rewrites_table);

    to = from;
    table(to, "users").key.name = "users_pkey";  // a renamed key is a difference too: a rename
    CHECK(only(diff(from, to)).kind == change::rename_key);

    to = from;
    column(table(to, "dgs_jobs"), "status").enum_values.push_back("cancelled");
    op = only(diff(from, to));
    CHECK(op.level == risk::relaxing);
    CHECK_FALSE(op.rewrites_table);
    op = only(diff(to, from));  // a value goes away: rows holding it would break the CHECK
    CHECK(op.level == risk::data_dependent);

    to = from;
    schema::column serial{"seq", logical_type::int64, 0, false, true, {}, {}, {}, {}, false};
    table(to, "memberships").columns.push_back(serial);
    op = only(diff(from, to));
    CHECK(op.kind == change::add_column);
    CHECK(op.rewrites_table);  // PostgreSQL fills an identity for every row
}
