// expect: the join condition names a column of a model that is not in the query
// The ON condition names a third model, neither selected from nor joined.
#include <retort/query/select.hpp>

#include <cstdint>

namespace cf {
struct user {
    std::int64_t id{};
};
RETORT_TABLE(user, "users", (id, retort::primary_key));

struct post {
    std::int64_t id{};
    std::int64_t author_id{};
};
RETORT_TABLE(post, "posts", (id, retort::primary_key), (author_id));

struct comment {
    std::int64_t id{};
    std::int64_t post_id{};
};
RETORT_TABLE(comment, "comments", (id, retort::primary_key), (post_id));

struct no_exec {
    using row_type = int;
};
}  // namespace cf

auto query = retort::query::select_models<cf::no_exec, cf::user>(nullptr).join<cf::post>(
    retort::col<&cf::comment::post_id> == retort::col<&cf::post::id>);
