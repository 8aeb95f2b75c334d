// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
// Typed queries: filters, ordering, paging, joins, aggregates, bulk update/delete, raw SQL.

#include "../support/test_db.hpp"

using app::job;
using app::job_status;
using app::user;
using retort::col;

namespace {

/// Three users, five jobs: ada has three (two done), bob two, carol none.
template <class Session>
std::vector<user> seed(Session& s) {
    std::vector<user> users = {test::make_user("ada@example.org", true),
                               test::make_user("bob@example.org"),
                               test::make_user("carol@example.org", true)};
    users[0].display_name = "Ada";
    users[2].display_name = "Carol";
    users[1].created_at = test::at(2025, 6, 1);
    users[2].created_at = test::at(2027, 1, 1);
    auto tx = s.begin();
    s.insert_many(users);
    auto j1 = test::make_job("j1", users[0].id, job_status::done);
    j1.progress = 1.0;
    auto j2 = test::make_job("j2", users[0].id, job_status::done);
    j2.progress = 0.5;
    auto j3 = test::make_job("j3", users[0].id, job_status::running);
    auto j4 = test::make_job("j4", users[1].id, job_status::failed);
    j4.progress = 0.25;
    auto j5 = test::make_job("j5", users[1].id, job_status::queued);
    for (auto* j : {&j1, &j2, &j3, &j4, &j5}) s.insert(*j);
    tx.commit();
    return users;
}

template <class Rows>
std::vector<std::string> emails(const Rows& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.email);
    return out;
}

}  // namespace

TEST_CASE("where with comparisons, and/or/not, in, like, null checks and between", "[orm][query]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto users = seed(s);
        auto by_email = retort::asc(col<&user::email>);

        CHECK(emails(s.template select<user>()
                         .where(col<&user::approved> == true)
                         .order_by(by_email)
                         .all()) ==
              std::vector<std::string>{"ada@example.org", "carol@example.org"});
        CHECK(emails(s.template select<user>()
                         .where(col<&user::id> != users[0].id)
                         .order_by(by_email)
                         .all()) ==
              std::vector<std::string>{"bob@example.org", "carol@example.org"});
        CHECK(s.template select<user>().where(col<&user::id> > users[0].id).count() == 2);
        CHECK(s.template select<user>().where(col<&user::id> >= users[0].id).count() == 3);
        CHECK(s.template select<user>().where(col<&user::id> < users[2].id).count() == 2);
        CHECK(s.template select<user>().where(col<&user::id> <= users[0].id).count() == 1);
        CHECK(emails(s.template select<user>()
                         .where(col<&user::approved> == true && col<&user::display_name> == "Ada")
                         .all()) == std::vector<std::string>{"ada@example.org"});
        CHECK(s.template select<user>()
                  .where(col<&user::email> == "bob@example.org" ||
                         col<&user::display_name> == "Carol")
                  .count() == 2);
        CHECK(emails(s.template select<user>().where(!(col<&user::approved> == true)).all()) ==
              std::vector<std::string>{"bob@example.org"});
        CHECK(s.template select<user>()
                  .where(retort::in(col<&user::id>,
                                    std::vector<std::int64_t>{users[0].id, users[2].id, 999}))
                  .count() == 2);
        CHECK(s.template select<user>()
                  .where(retort::in(col<&user::email>, std::vector<std::string>{"bob@example.org"}))
                  .count() == 1);
        CHECK(s.template select<user>()
                  .where(retort::in(col<&user::id>, std::vector<std::int64_t>{}))
                  .count() == 0);
        CHECK(s.template select<user>()
                  .where(retort::like(col<&user::email>, "%a%@example.org"))
                  .count() == 2);
        CHECK(
            emails(
                s.template select<user>().where(retort::is_null(col<&user::display_name>)).all()) ==
            std::vector<std::string>{"bob@example.org"});
        CHECK(s.template select<user>()
                  .where(retort::is_not_null(col<&user::display_name>))
                  .count() == 2);
        CHECK(emails(s.template select<user>()
                         .where(retort::between(col<&user::created_at>, test::at(2025, 1, 1),
                                                test::at(2026, 12, 31)))
                         .order_by(by_email)
                         .all()) == std::vector<std::string>{"ada@example.org", "bob@example.org"});
        CHECK(s.template select<job>().where(col<&job::status> == job_status::done).count() == 2);
        CHECK(s.template select<job>().where(col<&job::progress> < 0.6).count() ==
              2);  // NULLs never match
    });
}

TEST_CASE("order_by, limit, offset, first, one and exists", "[orm][query]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        seed(s);
        auto newest =
            s.template select<user>().order_by(retort::desc(col<&user::created_at>)).all();
        CHECK(emails(newest) ==
              std::vector<std::string>{"carol@example.org", "ada@example.org", "bob@example.org"});
        auto page = s.template select<user>()
                        .order_by(retort::asc(col<&user::email>))
                        .limit(2)
                        .offset(1)
                        .all();
        CHECK(emails(page) == std::vector<std::string>{"bob@example.org", "carol@example.org"});
        auto only_offset =
            s.template select<user>().order_by(retort::asc(col<&user::email>)).offset(2).all();
        CHECK(emails(only_offset) == std::vector<std::string>{"carol@example.org"});
        auto first =
            s.template select<user>().order_by(retort::asc(col<&user::created_at>)).first();
        REQUIRE(first);
        CHECK(first->email == "bob@example.org");
        CHECK_FALSE(
            s.template select<user>().where(col<&user::email> == "nobody").first().has_value());
        CHECK(s.template select<user>()
                  .where(col<&user::email> == "ada@example.org")
                  .one()
                  .display_name == std::optional<std::string>{"Ada"});
        CHECK_THROWS_AS(s.template select<user>().one(), retort::programming_error);
        CHECK(s.template select<user>().where(col<&user::email> == "ada@example.org").exists());
        CHECK_FALSE(
            s.template select<user>().where(col<&user::email> == "zed@example.org").exists());
        CHECK(s.template select<job>().distinct().count() == 5);
    });
}

TEST_CASE("inner and left joins, into tuples of models", "[orm][query]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto users = seed(s);
        auto pairs = s.template select<user, job>()
                         .template join<job>(col<&job::user_id> == col<&user::id>)
                         .where(col<&job::status> == job_status::done)
                         .order_by(retort::asc(col<&job::job_id>))
                         .all();
        REQUIRE(pairs.size() == 2);
        CHECK(std::get<0>(pairs[0]).email == "ada@example.org");
        CHECK(std::get<1>(pairs[0]).job_id == "j1");
        CHECK(std::get<1>(pairs[1]).job_id == "j2");

        auto everyone =
            s.template select<user, job>()
                .template left_join<job>(col<&job::user_id> == col<&user::id>)
                .order_by(retort::asc(col<&user::email>), retort::asc(col<&job::job_id>))
                .all();
        REQUIRE(everyone.size() == 6);  // 3 + 2 jobs, and carol with none
        CHECK(std::get<0>(everyone.back()).email == "carol@example.org");
        CHECK_FALSE(std::get<1>(everyone.back()).has_value());
        CHECK(std::get<1>(everyone.front())->job_id == "j1");

        // A join that only filters: users with a failed job.
        auto failed = s.template select<user>()
                          .template join<job>(col<&job::user_id> == col<&user::id>)
                          .where(col<&job::status> == job_status::failed)
                          .all();
        CHECK(emails(failed) == std::vector<std::string>{"bob@example.org"});
    });
}

struct status_count {
    job_status status;
    std::int64_t jobs;
};

TEST_CASE("columns, aggregates, group_by and having", "[orm][query]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto users = seed(s);
        auto per_user =
            s.select(col<&job::user_id>, retort::count(), retort::sum(col<&job::progress>),
                     retort::avg(col<&job::progress>), retort::max(col<&job::job_id>))
                .group_by(col<&job::user_id>)
                .having(retort::count() > 1)
                .order_by(retort::asc(col<&job::user_id>))
                .all();
        REQUIRE(per_user.size() == 2);
        auto [uid, n, total, mean, last] = per_user[0];
        CHECK(uid == users[0].id);
        CHECK(n == 3);
        REQUIRE(total);
        CHECK(*total == Approx(1.5));
        REQUIRE(mean);
        CHECK(*mean == Approx(0.75));  // AVG skips NULLs
        CHECK(last == std::optional<std::string>{"j3"});

        auto by_status = s.select(col<&job::status>, retort::count())
                             .group_by(col<&job::status>)
                             .order_by(retort::asc(col<&job::status>))
                             .template into<status_count>()
                             .all();
        REQUIRE(by_status.size() == 4);
        CHECK(by_status[0].status == job_status::done);
        CHECK(by_status[0].jobs == 2);

        CHECK(s.template select_from<job>(retort::count()).scalar() == 5);
        CHECK(s.template select_from<job>(retort::min(col<&job::progress>)).scalar() ==
              std::optional<double>{0.25});
        CHECK_FALSE(
            s.template select_from<job>(retort::sum(col<&job::total_steps>)).scalar().has_value());
        auto names = s.select(col<&user::email>, col<&user::display_name>)
                         .where(col<&user::approved> == true)
                         .order_by(retort::asc(col<&user::email>))
                         .all();
        REQUIRE(names.size() == 2);
        CHECK(std::get<0>(names[0]) == "ada@example.org");
        CHECK(std::get<1>(names[1]) == std::optional<std::string>{"Carol"});
    });
}

TEST_CASE("update-set-where and delete-where report the rows they touched", "[orm][query]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto users = seed(s);
        auto changed = s.template update<job>()
                           .set(col<&job::status>, job_status::failed)
                           .set(col<&job::subphase>, "timeout")
                           .where(col<&job::status> == job_status::running ||
                                  col<&job::status> == job_status::queued)
                           .execute();
        CHECK(changed == 2);
        CHECK(s.template select<job>().where(col<&job::status> == job_status::failed).count() == 3);
        CHECK(s.template select<job>().where(col<&job::subphase> == "timeout").count() == 2);
        CHECK(s.template update<job>()
                  .set(col<&job::subphase>, std::nullopt)
                  .where(col<&job::job_id> == "j3")
                  .execute() == 1);
        CHECK(s.template select<job>().where(retort::is_null(col<&job::subphase>)).count() == 4);

        CHECK(s.template delete_from<job>().where(col<&job::user_id> == users[1].id).execute() ==
              2);
        CHECK(s.template select<job>().count() == 3);
        CHECK(s.template delete_from<job>().execute() == 3);
        CHECK(s.template select<job>().count() == 0);
    });
}

TEST_CASE("raw SQL binds its ? parameters on both backends and maps results", "[orm][raw]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto users = seed(s);
        auto rows = s.template query<std::int64_t, std::string>(
            "SELECT id, email FROM users WHERE approved = ? AND email <> '?' ORDER BY email", true);
        REQUIRE(rows.size() == 2);
        CHECK(std::get<1>(rows[0]) == "ada@example.org");
        auto models = s.template query<user>(
            "SELECT id, email, display_name, approved, created_at FROM users WHERE email = ?",
            "bob@example.org");
        REQUIRE(models.size() == 1);
        CHECK(models[0].id == users[1].id);
        CHECK(s.execute("UPDATE users SET display_name = ? WHERE id = ?", "Bobby", users[1].id) ==
              1);
        CHECK(s.template get<user>(users[1].id)->display_name ==
              std::optional<std::string>{"Bobby"});
        CHECK_THROWS_AS(s.execute("UPDATE no_such_table SET x = ?", 1), retort::programming_error);
    });
}

TEST_CASE("a generic repository pages, filters and counts", "[orm][repository]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        seed(s);
        retort::repository<user, decltype(s)> repo(s);
        CHECK(repo.count() == 3);
        CHECK(repo.count(col<&user::approved> == true) == 2);
        auto first_two = repo.list(retort::page{2, 0});
        REQUIRE(first_two.size() == 2);
        CHECK(first_two[0].id < first_two[1].id);
        CHECK(repo.list(retort::page{2, 2}).size() == 1);
        CHECK(repo.list(col<&user::approved> == false).size() == 1);
        auto dan = test::make_user("dan@example.org");
        auto id = repo.add(dan);
        CHECK(repo.exists(id));
        CHECK(repo.exists_where(col<&user::email> == "dan@example.org"));
        dan.approved = true;
        CHECK(repo.update(dan));
        CHECK(repo.get(id)->approved);
        CHECK(repo.remove_by_key(id));
        CHECK_FALSE(repo.exists(id));
    });
}

TEST_CASE("count() and exists() agree with all() under distinct, group_by, having and limit",
          "[orm][query]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        seed(s);
        auto approvals = s.select(col<&user::approved>).distinct();
        CHECK(approvals.count() == static_cast<std::int64_t>(approvals.all().size()));
        CHECK(approvals.count() == 2);
        CHECK(s.template select<job>().limit(2).count() == 2);
        CHECK(s.template select<job>().offset(4).count() == 1);
        auto per_user = s.select(col<&job::user_id>, retort::count()).group_by(col<&job::user_id>);
        CHECK(per_user.count() == 2);
        auto busy = per_user.having(retort::count() > 100);
        CHECK(busy.all().empty());
        CHECK_FALSE(busy.exists());
        CHECK(per_user.having(retort::count() > 2).exists());
        CHECK(per_user.having(retort::count() > 2).count() == 1);
    });
}

TEST_CASE("raw SQL on PostgreSQL writes the jsonb ? operator as ??", "[postgres-only][orm][raw]") {
    test::fresh_db f;
    f.db.visit([](auto& e) {
        auto s = e.session();
        auto users = seed(s);
        auto rows = s.template query<std::string>(
            "SELECT job_id FROM dgs_jobs WHERE request ?? 'topic' AND user_id = ? ORDER BY job_id",
            users[1].id);
        REQUIRE(rows.size() == 2);
        CHECK(std::get<0>(rows[0]) == "j4");
    });
}
