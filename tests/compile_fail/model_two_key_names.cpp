// expect: a model has more than one key_name
// Two names for one primary key: which one does the database get? Refused, not guessed.
#include <retort/reflect/model.hpp>

#include <cstdint>

namespace cf {
struct job {
    std::int64_t id{};
};
RETORT_TABLE(job, "jobs", (id, retort::primary_key));
RETORT_CONSTRAINTS(job, retort::key_name<"PK_Jobs">, retort::key_name<"pk_jobs">);
}  // namespace cf

[[maybe_unused]] constexpr auto fields = retort::model<cf::job>::size;
