// expect: a foreign_key needs .references<&Parent::column...>.. to say what it references
// A table-level foreign key left without its parent's columns would create nothing: refused.
#include <retort/reflect/model.hpp>

#include <cstdint>

namespace cf {
struct job {
    std::int64_t id{};
};
RETORT_TABLE(job, "jobs", (id, retort::primary_key));

struct run {
    std::int64_t id{};
    std::int64_t job_id{};
};
RETORT_TABLE(run, "runs", (id, retort::primary_key), (job_id));
RETORT_CONSTRAINTS(run, retort::foreign_key<"FK_Runs_Job", &run::job_id>);
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::run>::size;
