// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
//
// The example service's models: the single source of its schema. The service (main.cpp) and
// its migrate tool (built by retort_add_migrate_tool in examples/CMakeLists.txt) share them.
#pragma once

#include <retort/retort.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace app {

enum class job_status { queued, running, done, failed };
RETORT_ENUM(job_status, queued, running, done, failed);

struct job {
    std::string job_id;
    retort::json request;
    job_status status{};
    std::string phase;
    std::optional<std::int32_t> total_steps;
    std::optional<std::int32_t> completed_steps;
    std::optional<double> progress;
    retort::timestamp created_at{};
};
RETORT_TABLE(job, "dgs_jobs", (job_id, retort::primary_key, retort::checked_max_length<64>),
             (request), (status, retort::server_default<"queued">), (phase), (total_steps),
             (completed_steps), (progress, retort::check<"progress >= 0 AND progress <= 1">),
             (created_at, retort::indexed));

struct lesson {
    std::string lesson_id;
    std::string job_id;
    std::string topic;
    std::string title;
    std::vector<std::string> tags;
};
RETORT_TABLE(lesson, "dgs_lessons", (lesson_id, retort::primary_key),
             (job_id, retort::references<&job::job_id>.on_delete(retort::fk_action::cascade)),
             (topic, retort::indexed), (title), (tags));

}  // namespace app
