// expect: foreign_key's columns and the columns it references differ in number
// Two columns that reference one: which parent column does each hold? Refused at compile time.
#include <retort/reflect/model.hpp>

#include <cstdint>

namespace cf {
struct job {
    std::int64_t id{};
    std::int64_t shard{};
};
RETORT_TABLE(job, "jobs", (id, retort::primary_key), (shard, retort::primary_key));

struct run {
    std::int64_t id{};
    std::int64_t job_id{};
    std::int64_t job_shard{};
};
RETORT_TABLE(run, "runs", (id, retort::primary_key), (job_id), (job_shard));
RETORT_CONSTRAINTS(run,
                   retort::foreign_key<"", &run::job_id, &run::job_shard>.references<&job::id>());
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::run>::size;
