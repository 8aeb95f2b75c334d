// expect: the models of one database must share one naming convention
// Two models of one database under two naming conventions: SQLite's unnamed constraints could
// be read under only one of them.
#include <retort/retort.hpp>

#include <cstdint>

namespace made_by_rails {
RETORT_NAMING(retort::naming::rails_names);
struct user {
    std::int64_t id;
};
RETORT_TABLE(user, "users", (id, retort::primary_key));
}  // namespace made_by_rails

namespace made_by_retort {
struct job {
    std::int64_t id;
};
RETORT_TABLE(job, "jobs", (id, retort::primary_key));
}  // namespace made_by_retort

const auto& naming = retort::schema::naming_of_database<made_by_rails::user, made_by_retort::job>();
