// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
//
// service: custom repositories for the example service's jobs and lessons, and a service layer
// that owns the unit of work: the repositories read and write, the service decides when a
// transaction begins and commits. Runs on SQLite by default, PostgreSQL via DATABASE_URL.
//
// Its schema comes from the revisions in examples/service/migrations (written with
// `make migration m="..."`, applied with `make migrate`, see the Makefile there). At start-up
// ENABLE_AUTO_MIGRATION=true applies them (this demo turns it on unless it is set), and the
// service refuses to run on a database that was not migrated to exactly its models.

#include "models.hpp"

#include <retort/migrate/startup.hpp>
#include <retort/retort.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace app {

inline retort::timestamp now() {
    return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
}

/// Jobs, the way the service speaks of them. Built on the generic repository; adds the
/// queries the service needs. Never commits: the caller owns the unit of work.
template <class Session>
class jobs_repository : public retort::repository<job, Session> {
public:
    using retort::repository<job, Session>::repository;

    job create(std::string id, std::string request_json, std::int32_t steps) {
        job j{.job_id = std::move(id),
              .request = retort::json{std::move(request_json)},
              .status = job_status::queued,
              .phase = "queued",
              .total_steps = steps,
              .completed_steps = 0,
              .progress = 0.0,
              .created_at = now()};
        this->add(j);
        return j;
    }

    /// Records progress; returns false when the job does not exist.
    bool record_step(const std::string& id, std::string phase) {
        auto j = this->get(id);
        if (!j) return false;
        j->completed_steps = j->completed_steps.value_or(0) + 1;
        j->phase = std::move(phase);
        j->status = *j->completed_steps >= j->total_steps.value_or(1) ? job_status::done
                                                                      : job_status::running;
        j->progress = double(*j->completed_steps) / double(j->total_steps.value_or(1));
        return this->update(*j);
    }

    std::vector<job> unfinished() {
        using retort::col;
        return this->session()
            .template select<job>()
            .where(col<&job::status> == job_status::queued ||
                   col<&job::status> == job_status::running)
            .order_by(retort::asc(col<&job::created_at>))
            .all();
    }
};

template <class Session>
class lessons_repository : public retort::repository<lesson, Session> {
public:
    using retort::repository<lesson, Session>::repository;

    std::vector<lesson> for_job(const std::string& job_id) {
        return this->list(retort::col<&lesson::job_id> == job_id);
    }
};

/// The service layer: one unit of work per call, committed only when every step succeeded.
template <class Engine>
class lesson_service {
public:
    explicit lesson_service(Engine& engine) : engine_(&engine) {}

    /// Creates a job and its lessons atomically: all of them, or none.
    std::string plan(const std::string& job_id, const std::vector<std::string>& titles) {
        auto s = engine_->session();
        auto tx = s.begin();
        jobs_repository<decltype(s)> jobs(s);
        lessons_repository<decltype(s)> lessons(s);
        jobs.create(job_id, R"({"kind":"plan"})", static_cast<std::int32_t>(titles.size()));
        for (std::size_t i = 0; i < titles.size(); ++i) {
            lesson l{job_id + "-" + std::to_string(i), job_id, "sql", titles[i], {"intro"}};
            lessons.add(l);
        }
        tx.commit();
        return job_id;
    }

    void complete_lesson(const std::string& job_id, const std::string& phase) {
        auto s = engine_->session();
        auto tx = s.begin();
        jobs_repository<decltype(s)> jobs(s);
        if (!jobs.record_step(job_id, phase)) throw std::runtime_error("no job " + job_id);
        tx.commit();
    }

    std::size_t unfinished_jobs() {
        auto s = engine_->session();
        return jobs_repository<decltype(s)>(s).unfinished().size();
    }

    std::size_t lessons_of(const std::string& job_id) {
        auto s = engine_->session();
        return lessons_repository<decltype(s)>(s).for_job(job_id).size();
    }

private:
    Engine* engine_;
};

}  // namespace app

int main() try {
    auto db = retort::engine::from_url(retort::database_url_from_env("sqlite:///service.db"));
    if (!std::getenv("ENABLE_AUTO_MIGRATION")) ::setenv("ENABLE_AUTO_MIGRATION", "true", 0);
    return db.visit([](auto& engine) {
        using backend = typename std::decay_t<decltype(engine)>::backend;
        {
            auto s = engine.session();
            const auto started =
                retort::migrate::on_startup<app::job, app::lesson>(s, SERVICE_MIGRATIONS_DIR);
            for (const auto& id : started.applied) std::cout << "applied revision " << id << "\n";
            if (!started.matches_models) {
                std::cerr << "service: the database is not migrated to this build's models; run "
                             "`make migrate` (or set ENABLE_AUTO_MIGRATION=true)\n";
                return 1;
            }
        }
        app::lesson_service service(engine);

        service.plan("job-1", {"select", "join", "group by"});
        std::cout << "planned job-1 with " << service.lessons_of("job-1") << " lessons\n";

        // A plan that fails half-way (a duplicate lesson title is fine, a duplicate job is not)
        // leaves nothing behind.
        try {
            service.plan("job-1", {"again"});
        } catch (const retort::unique_violation& e) {
            std::cout << "second plan for job-1 refused; lessons still "
                      << service.lessons_of("job-1") << "\n";
        }

        for (const char* phase : {"select", "join", "group by"})
            service.complete_lesson("job-1", phase);
        std::cout << "unfinished jobs: " << service.unfinished_jobs() << "\n";
        int failures = 0;
        if (service.lessons_of("job-1") != 3) ++failures;
        if (service.unfinished_jobs() != 0) ++failures;
        // Leave a shared database as found: undo every revision.
        auto s = engine.session();
        retort::migrate::migrator<backend>(s, retort::migrate::load_history(SERVICE_MIGRATIONS_DIR))
            .downgrade("base");
        return failures == 0 ? 0 : 1;
    });
} catch (const std::exception& e) {
    std::cerr << "service: " << e.what() << "\n";
    return 1;
}
