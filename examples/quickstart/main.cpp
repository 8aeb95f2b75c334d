// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
//
// quickstart: the users and jobs of the example service, created, written, queried, updated
// and deleted. Runs on an SQLite file (quickstart.db) by default, and on PostgreSQL when
// DATABASE_URL says so:  DATABASE_URL=postgresql://user:pass@localhost/db ./quickstart

#include <retort/retort.hpp>

#include <cstdint>
#include <iostream>
#include <optional>
#include <string>

namespace app {

enum class job_status { queued, running, done, failed };
RETORT_ENUM(job_status, queued, running, done, failed);

struct user {
    std::int64_t id{};
    std::string email;
    std::optional<std::string> display_name;
    bool approved{};
    retort::timestamp created_at{};
};
RETORT_TABLE(user, "users", (id, retort::primary_key, retort::autoincrement),
             (email, retort::unique, retort::max_length<255>), (display_name),
             (approved, retort::server_default<false>),
             (created_at, retort::indexed, retort::server_default_now));

struct job {
    std::string job_id;
    std::int64_t user_id{};
    retort::json request;
    job_status status{};
    std::optional<double> progress;
    retort::timestamp created_at{};
};
RETORT_TABLE(job, "dgs_jobs", (job_id, retort::primary_key, retort::max_length<64>),
             (user_id, retort::references<&user::id>.on_delete(retort::fk_action::cascade)),
             (request), (status, retort::server_default<"queued">),
             (progress, retort::check<"progress >= 0 AND progress <= 1">), (created_at));

retort::timestamp now() {
    return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
}

}  // namespace app

int main() try {
    using retort::col;
    auto db = retort::engine::from_url(retort::database_url_from_env("sqlite:///quickstart.db"));
    std::cout << "backend: " << db.backend_name() << "\n";

    db.visit([](auto& engine) {  // the one runtime dispatch; statically typed inside
        engine.template create_all<app::user, app::job>();
        auto s = engine.session();
        s.template delete_from<app::user>().execute();  // start from a clean slate on re-runs

        {
            auto tx = s.begin();  // rolled back unless committed
            app::user ada{.email = "ada@example.org",
                          .display_name = "Ada",
                          .approved = true,
                          .created_at = app::now()};
            app::user bob{.email = "bob@example.org",
                          .display_name = std::nullopt,
                          .approved = false,
                          .created_at = app::now()};
            s.insert(ada);  // ada.id now holds the generated key
            s.insert(bob);
            s.insert(app::job{.job_id = "job-1",
                              .user_id = ada.id,
                              .request = retort::json{R"({"topic":"sql"})"},
                              .status = app::job_status::running,
                              .progress = 0.5,
                              .created_at = app::now()});
            s.insert(app::job{.job_id = "job-2",
                              .user_id = bob.id,
                              .request = retort::json{R"({"topic":"c++"})"},
                              .status = app::job_status::queued,
                              .progress = std::nullopt,
                              .created_at = app::now()});
            tx.commit();
        }

        auto approved = s.template select<app::user>()
                            .where(col<&app::user::approved> == true)
                            .order_by(retort::desc(col<&app::user::created_at>))
                            .limit(10)
                            .all();
        for (const auto& u : approved)
            std::cout << "approved user " << u.id << ": " << u.email << " ("
                      << u.display_name.value_or("no name") << ")\n";

        auto job = s.template get<app::job>(std::string{"job-2"});
        job->status = app::job_status::done;
        job->progress = 1.0;
        s.update(*job);

        auto per_status = s.select(col<&app::job::status>, retort::count())
                              .group_by(col<&app::job::status>)
                              .order_by(retort::asc(col<&app::job::status>))
                              .all();
        for (const auto& [status, n] : per_status)
            std::cout << "jobs " << retort::query::enum_to_text(status) << ": " << n << "\n";

        try {
            s.insert(app::user{.email = "ada@example.org",
                               .display_name = std::nullopt,
                               .approved = false,
                               .created_at = app::now()});
        } catch (const retort::unique_violation& e) {
            std::cout << "duplicate email refused: constraint "
                      << (e.constraint().empty() ? e.details().table + "." + e.details().column
                                                 : e.constraint())
                      << "\n";
        }

        s.template delete_from<app::user>()
            .where(col<&app::user::email> == "bob@example.org")
            .execute();
        std::cout << "jobs left after deleting bob (ON DELETE CASCADE): "
                  << s.template select<app::job>().count() << "\n";
        s.close();
        // Leave the database as found: the other examples share it (examples/service keeps
        // these table names under its migrations).
        engine.template drop_all<app::user, app::job>();
    });

    auto health = db.health();
    std::cout << "health: " << (health.ok ? "ok" : health.error) << ", " << health.backend << " "
              << health.server_version << ", " << health.latency.count() << " us\n";
    return health.ok ? 0 : 1;
} catch (const retort::error& e) {
    std::cerr << "quickstart: " << e.what() << "\n";
    return 1;
}
