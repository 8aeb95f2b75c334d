// expect: the condition names a column of a model that is not in the query
// where() on a column of a model the query neither selects from nor joins.
#include <retort/query/select.hpp>

#include <cstdint>
#include <string>

namespace cf {
struct user {
    std::int64_t id{};
    std::string email;
};
RETORT_TABLE(user, "users", (id, retort::primary_key), (email));

struct post {
    std::int64_t id{};
    std::int64_t author_id{};
};
RETORT_TABLE(post, "posts", (id, retort::primary_key), (author_id, retort::references<&user::id>));

struct no_exec {
    using row_type = int;
};
}  // namespace cf

auto query = retort::query::select_models<cf::no_exec, cf::user>(nullptr).where(
    retort::col<&cf::post::author_id> == 1);
