// expect: foreign_key's columns are fields of the model it is declared for
// A table-level foreign key whose columns belong to another struct: a copy-paste slip.
#include <retort/reflect/model.hpp>

#include <cstdint>

namespace cf {
struct job {
    std::int64_t id{};
};
RETORT_TABLE(job, "jobs", (id, retort::primary_key));

struct other {
    std::int64_t id{};
    std::int64_t job_id{};
};
RETORT_TABLE(other, "others", (id, retort::primary_key), (job_id));

struct run {
    std::int64_t id{};
    std::int64_t job_id{};
};
RETORT_TABLE(run, "runs", (id, retort::primary_key), (job_id));
RETORT_CONSTRAINTS(run, retort::foreign_key<"", &other::job_id>.references<&job::id>());
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::run>::size;
