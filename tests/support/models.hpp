// Copyright (c) 2026 the retort authors. Distributed under the Boost Software License 1.0.
#pragma once

// The models the tests share: the example service's tables (users, dgs_jobs, dgs_lessons,
// llm_call_audit, email_delivery_logs) plus one model that holds every supported type.

#include <retort/retort.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
             (email, retort::unique, retort::checked_max_length<255>), (display_name),
             (approved, retort::server_default<false>),
             (created_at, retort::indexed, retort::server_default_now));

struct job {
    std::string job_id;
    std::int64_t user_id{};
    retort::json request;
    job_status status{};
    std::string phase;
    std::optional<std::string> subphase;
    std::optional<std::int32_t> total_steps;
    std::optional<std::int32_t> completed_steps;
    std::optional<double> progress;
    retort::timestamp created_at{};
};
RETORT_TABLE(job, "dgs_jobs", (job_id, retort::primary_key, retort::max_length<64>),
             (user_id, retort::references<&user::id>.on_delete(retort::fk_action::cascade)),
             (request), (status, retort::server_default<"queued">), (phase), (subphase),
             (total_steps), (completed_steps),
             (progress, retort::check<"progress >= 0 AND progress <= 1">), (created_at));
RETORT_CONSTRAINTS(job, retort::index<"", &job::status, &job::created_at>);

struct lesson {
    std::string lesson_id;
    std::string job_id;
    std::string topic;
    std::string title;
    std::vector<std::string> tags;
    std::vector<std::int64_t> section_ids;
    retort::date scheduled_on{};
};
RETORT_TABLE(lesson, "dgs_lessons", (lesson_id, retort::primary_key),
             (job_id, retort::references<&job::job_id>.on_delete(retort::fk_action::cascade)),
             (topic), (title), (tags), (section_ids), (scheduled_on));
RETORT_CONSTRAINTS(lesson, retort::unique_together<"", &lesson::topic, &lesson::title>);

struct llm_call_audit {
    std::string id;
    retort::timestamp timestamp_request{};
    std::optional<retort::timestamp> timestamp_response;
    std::string model;
    std::int32_t prompt_tokens{};
    std::int32_t completion_tokens{};
    std::optional<retort::json> response;
};
RETORT_TABLE(llm_call_audit, "llm_call_audit", (id, retort::primary_key), (timestamp_request),
             (timestamp_response), (model), (prompt_tokens, retort::check<"prompt_tokens >= 0">),
             (completion_tokens), (response));

struct email_delivery_log {
    std::int64_t id{};
    std::optional<std::int64_t> user_id;
    std::string recipient;
    std::string template_name;
    std::string status;
    std::optional<std::string> error;
    retort::timestamp sent_at{};
};
RETORT_TABLE(email_delivery_log, "email_delivery_logs",
             (id, retort::primary_key, retort::autoincrement),
             (user_id, retort::references<&user::id>.on_delete(retort::fk_action::set_null)),
             (recipient), (template_name, retort::named<"template">),
             (status, retort::server_default<"pending">), (error), (sent_at));
RETORT_CONSTRAINTS(email_delivery_log,
                   retort::partial_index<"ix_email_delivery_logs_failed", "status = 'failed'",
                                         &email_delivery_log::sent_at>);

/// Every type a column can hold.
struct all_types {
    std::int64_t id{};
    bool flag{};
    std::int8_t i8{};
    std::int16_t i16{};
    std::int32_t i32{};
    std::int64_t i64{};
    std::uint8_t u8{};
    std::uint16_t u16{};
    std::uint32_t u32{};
    std::uint64_t u64{};
    float f32{};
    double f64{};
    std::string text;
    retort::blob bytes;
    retort::timestamp at{};
    retort::date day{};
    retort::json doc;
    std::vector<std::string> words;
    std::vector<std::int64_t> numbers;
    job_status status{};
    std::optional<std::int32_t> maybe_int;
    std::optional<std::string> maybe_text;
    std::optional<retort::timestamp> maybe_at;
};
RETORT_TABLE(all_types, "all_types", (id, retort::primary_key), (flag), (i8), (i16), (i32), (i64),
             (u8), (u16), (u32), (u64), (f32), (f64), (text), (bytes), (at), (day), (doc), (words),
             (numbers), (status), (maybe_int), (maybe_text), (maybe_at));

/// A composite key.
struct membership {
    std::int64_t user_id{};
    std::string team;
    std::string role;
};
RETORT_TABLE(membership, "memberships", (user_id), (team), (role));
RETORT_CONSTRAINTS(membership, retort::composite_key<&membership::user_id, &membership::team>);

}  // namespace app
